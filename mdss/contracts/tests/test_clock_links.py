"""The deadline list links each clock to the record it measures (issue 15): a legal
review to its contract, a problem to its contract's page, only for a viewer who may
open that page (calendars/hooks.py ``register_subject_links``)."""

import re

import pytest

from mdss.contracts import services


def subject_links(client, user) -> list[str]:
    client.force_login(user)
    response = client.get("/calendars/clocks/")
    assert response.status_code == 200
    return re.findall(r'<a href="([^"]+)" data-testid="clock-subject">', response.content.decode())


@pytest.mark.django_db
def test_a_legal_review_links_its_contract_for_whoever_may_open_it(
    draft, rep, legal, management, service_manager, client
):
    from .conftest import TODAY

    services.contract_submit(actor=rep, contract=draft, today=TODAY)
    assert subject_links(client, legal) == [f"/contracts/{draft.pk}/"]
    assert subject_links(client, management) == [f"/contracts/{draft.pk}/"]
    # The service manager sees every deadline but opens no contract: the row, no link.
    client.force_login(service_manager)
    page = client.get("/calendars/clocks/").content.decode()
    assert draft.number in page and f"/contracts/{draft.pk}/" not in page


@pytest.mark.django_db
def test_a_problem_links_its_contracts_page(signed, rep, management, client):
    problem = services.problem_raise(
        actor=rep, contract=signed, kind="late_delivery", description="到货延迟两周"
    )
    assert problem.pk
    assert f"/contracts/{signed.pk}/" in subject_links(client, management)


@pytest.mark.django_db
def test_the_deadline_list_costs_the_same_with_more_rows(
    draft, rep, legal, management, client, hospital, monitor
):
    from mdss.core.testing import assert_fixed_queries

    from .conftest import CLAUSES, TODAY

    services.contract_submit(actor=rep, contract=draft, today=TODAY)
    client.force_login(management)

    def grow():
        for _ in range(3):
            contract = services.contract_create(actor=rep, customer_id=hospital.pk, **CLAUSES)
            services.line_add(
                actor=rep,
                contract=contract,
                model=monitor,
                quantity=1,
                unit_price=draft.lines.first().unit_price,
            )
            services.contract_submit(actor=rep, contract=contract, today=TODAY)

    assert_fixed_queries(client, ["/calendars/clocks/"], grow)


@pytest.mark.django_db
def test_the_deadline_list_sorts_by_a_column_kept_in_the_url(
    signed, rep, management, client, hospital, monitor
):
    from .conftest import CLAUSES, TODAY

    contract = services.contract_create(actor=rep, customer_id=hospital.pk, **CLAUSES)
    services.line_add(
        actor=rep,
        contract=contract,
        model=monitor,
        quantity=1,
        unit_price=signed.lines.first().unit_price,
    )
    services.contract_submit(actor=rep, contract=contract, today=TODAY)
    services.problem_raise(
        actor=rep, contract=signed, kind="late_delivery", description="到货延迟两周"
    )
    client.force_login(management)

    def obligations(**query) -> list[str]:
        response = client.get("/calendars/clocks/", query)
        assert response.status_code == 200
        page = response.content.decode()
        return re.findall(r'<td data-label="[^"]+">([^<]+)</td><td data-label', page)

    ascending = obligations(sort="obligation")
    assert len(ascending) == 2 and ascending == sorted(ascending)
    assert obligations(sort="-obligation") == ascending[::-1]
    page = client.get("/calendars/clocks/", {"sort": "due", "overdue": "1"}).content.decode()
    assert "?sort=-due&amp;overdue=1" in page  # the header keeps the filter
    assert obligations(sort="colour") == obligations()  # an unknown column sorts nothing
