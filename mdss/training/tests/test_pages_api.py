from datetime import date

import pytest
import time_machine

from mdss.core.testing import query_count
from mdss.training import services
from mdss.training.models import Assessment, TrainingSession


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-11-27 10:00 +0800", tick=False):
        yield


def _schedule(trainer, person, start=date(2026, 10, 1)):
    return services.assessment_schedule(
        actor=trainer,
        user=person,
        team="sales",
        period_start=start,
        period_end=date(2026, 12, 31),
        due_on=date(2026, 12, 20),
    )


def test_a_rep_sees_his_record_but_not_a_colleagues(client, rep, other_rep, trainer):
    _schedule(trainer, rep)
    client.force_login(rep)
    page = client.get("/training/me/")
    assert page.status_code == 200
    assert "定期考核" in page.content.decode()  # the rep's own regular assessment
    assert client.get(f"/training/people/{other_rep.pk}/").status_code == 404
    assert client.get("/training/compliance/").status_code == 403
    assert client.get("/training/sessions/new/").status_code == 403


def test_the_trainer_plans_holds_and_the_grid_turns_green(client, trainer, rep, other_rep):
    client.force_login(trainer)
    response = client.post(
        "/training/sessions/new/",
        {
            "kind": "internal",
            "team": "sales",
            "title": "新产品培训",
            "topics": ["new_products"],
            "held_on": "2026-11-30",
            "trainer": "蒋培训",
        },
    )
    session = TrainingSession.objects.get()
    assert response.status_code == 302
    response = client.post(
        f"/training/sessions/{session.pk}/hold/", {"hold-present": [str(rep.pk)]}
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == "held"
    response = client.get("/training/compliance/?team=sales&year=2026")
    november = response.context["rules"][0].cells[10]
    assert (november.state, [p.pk for p in november.missing]) == ("met", [other_rep.pk])
    # Met means met: the green cell names nobody as missing (issue 15).
    page = response.content.decode()
    met_cell = page[page.index('data-state="met"') :].split('data-testid="cell"')[0]
    assert "缺" not in met_cell and other_rep.display_name not in met_cell


def test_recording_a_failed_score_in_the_page_schedules_the_makeup(client, trainer, rep):
    a = _schedule(trainer, rep)
    client.force_login(trainer)
    response = client.post(
        f"/training/assessments/{a.pk}/record/",
        {"record-score": "55", "record-held_on": "2026-11-20"},
    )
    assert response.status_code == 302
    assert Assessment.objects.get(follows=a).kind == "makeup"
    page = client.get(
        f"/training/assessments/{Assessment.objects.get(follows=a).pk}/"
    ).content.decode()
    assert 'data-testid="chain"' in page


def test_assessment_and_session_lists_cost_fixed_queries(client, trainer, rep, other_rep):
    def count(url):
        return query_count(client, url)

    _schedule(trainer, rep)
    TrainingSession.objects.create(
        kind="internal",
        team="sales",
        title="x",
        topics=["selling"],
        held_on=date(2026, 12, 1),
        trainer="t",
        created_by=trainer,
    )
    client.force_login(trainer)
    urls = [
        "/training/assessments/",
        "/training/sessions/",
        "/training/compliance/",
        f"/training/people/{rep.pk}/",
    ]
    [count(u) for u in urls]
    few = [count(u) for u in urls]
    _schedule(trainer, other_rep)
    _schedule(trainer, rep, start=date(2026, 7, 1))
    for day in (1, 2, 3):
        TrainingSession.objects.create(
            kind="internal",
            team="sales",
            title="x",
            topics=["selling"],
            held_on=date(2026, 11, day),
            trainer="t",
            created_by=trainer,
        )
    assert [count(u) for u in urls] == few


def test_api_external_training_and_competence(api_client, rep, sales_manager, engineer, trainer):
    api = api_client.as_user(rep)
    response = api.post(
        "/api/v1/training/external",
        {
            "course": "研修班",
            "organiser": "协会",
            "starts_on": "2026-12-10",
            "ends_on": "2026-12-11",
            "cost": "1200",
            "reason": "学习",
        },
    )
    assert response.status_code == 201, response.json()
    item_id = response.json()["id"]
    api_client.as_user(sales_manager)
    assert [
        i["id"] for i in api_client.get("/api/v1/training/external?inbox=true").json()["items"]
    ] == [item_id]
    approved = api_client.post(f"/api/v1/training/external/{item_id}/approve", {"comment": "同意"})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    api_client.as_user(trainer)
    from mdss.catalog.tests.factories import ModelFactory

    model = ModelFactory()
    body = api_client.get(
        f"/api/v1/training/is-qualified?engineer={engineer.pk}&model={model.pk}"
    ).json()
    assert body["ok"] is False and body["reasons"][0]["code"] == "no_competence"
    grid = api_client.get("/api/v1/training/compliance?team=sales&year=2026").json()
    assert [r["kind"] for r in grid] == ["session", "assessment"]
    assert api_client.as_user(rep).get("/api/v1/training/compliance").status_code == 403


def test_the_dashboard_card_shows_rules_at_risk_to_managers(client, sales_manager, rep, trainer):
    _schedule(trainer, rep)
    client.force_login(sales_manager)
    card = next(c for c in client.get("/").context["cards"] if c["template"].startswith("training"))
    assert [rule.kind for rule, _cell, _team in card["at_risk"]] == ["session", "assessment"]
    assert [team["key"] for team in card["teams"]] == ["sales"]
    client.force_login(rep)
    card = next(c for c in client.get("/").context["cards"] if c["template"].startswith("training"))
    assert card["at_risk"] == [] and len(card["mine"]) == 1


def test_the_sessions_list_searches_and_filters_by_team_and_period(client, trainer, rep):
    for title, team, held_on in (
        ("呼吸机维修实操", "service", date(2026, 9, 10)),
        ("年度产品线更新", "sales", date(2026, 11, 20)),
        ("法规更新", "sales", date(2026, 3, 2)),
    ):
        services.session_plan(
            actor=trainer,
            session=TrainingSession(
                kind="internal",
                team=team,
                title=title,
                topics=["new_products"],
                held_on=held_on,
                trainer="蒋",
            ),
        )
    client.force_login(rep)

    def titles(**query):
        page = client.get("/training/sessions/", query).content.decode()
        table = page[page.index('data-testid="sessions"') :]
        return sorted(t for t in ("呼吸机维修实操", "年度产品线更新", "法规更新") if t in table)

    assert titles(q="呼吸机") == ["呼吸机维修实操"]
    assert titles(team="sales") == ["年度产品线更新", "法规更新"]
    assert titles(held_from="2026-09-01", held_to="2026-10-31") == ["呼吸机维修实操"]
    # A period that ends before it starts is refused with the field named; nothing is
    # filtered, nothing breaks.
    page = client.get(
        "/training/sessions/", {"held_from": "2026-10-31", "held_to": "2026-09-01"}
    ).content.decode()
    assert "is-invalid" in page and len(titles(held_from="x")) == 3

    # Sorted by a column, kept in the URL; the API takes the same key.
    def order(**query):
        page = client.get("/training/sessions/", query).content.decode()
        table = page[page.index('data-testid="sessions"') :]
        return sorted(("呼吸机维修实操", "年度产品线更新", "法规更新"), key=table.index)

    assert order() == ["年度产品线更新", "呼吸机维修实操", "法规更新"]
    assert order(sort="date") == ["法规更新", "呼吸机维修实操", "年度产品线更新"]
    assert order(sort="-team", q="") == ["呼吸机维修实操", "年度产品线更新", "法规更新"]
    assert "?sort=-date" in client.get("/training/sessions/", {"sort": "date"}).content.decode()


def test_the_sessions_api_sorts_and_names_a_bad_sort(api_client, trainer, rep):
    for title, held_on in (("甲", date(2026, 9, 10)), ("乙", date(2026, 3, 2))):
        services.session_plan(
            actor=trainer,
            session=TrainingSession(
                kind="internal",
                team="sales",
                title=title,
                topics=["new_products"],
                held_on=held_on,
                trainer="蒋",
            ),
        )
    api = api_client.as_user(rep)
    rows = api.get("/api/v1/training/sessions", {"sort": "date"}).json()["items"]
    assert [r["title"] for r in rows] == ["乙", "甲"]
    refused = api.get("/api/v1/training/sessions", {"sort": "colour"})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "sort"


def test_grid_names_link_only_records_the_viewer_may_open(
    client, trainer, service_manager, rep, other_rep
):
    """The service manager keeps the grid but opens no salesperson's record (issue 15)."""
    client.force_login(trainer)
    page = client.get("/training/compliance/?team=sales&year=2026").content.decode()
    assert f'href="/training/people/{rep.pk}/"' in page
    client.force_login(service_manager)
    page = client.get("/training/compliance/?team=sales&year=2026").content.decode()
    assert rep.display_name in page
    assert f'href="/training/people/{rep.pk}/"' not in page
    assert client.get(f"/training/people/{rep.pk}/").status_code == 404
