"""Sales facts against a straightforward recomputation from the contract lines, the
bridge summing exactly, the scope of a sales manager and a rep, the API and the
Excel export answering for the same figures as the page."""

import io
import random
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from mdss.accounts.tests.factories import RegionFactory
from mdss.analytics import selectors, services
from mdss.analytics.bridge import Line, bridge
from mdss.analytics.filters import Filters, Period
from mdss.analytics.models import SalesDay
from mdss.catalog.tests.factories import ModelFactory
from mdss.contracts.models import Contract, ContractLine
from mdss.customers.tests.factories import CustomerFactory

NOW = timezone.make_aware(datetime(2026, 11, 27, 9, 0))
YEAR = Period(date(2025, 1, 1), date(2026, 12, 31))


def _sign(customer, rep, day, lines, number):
    contract = Contract.objects.create(
        number=f"HT-T-{number:05d}",
        customer=customer,
        rep=rep,
        status="signed",
        signed_on=day,
    )
    for model, quantity, price in lines:
        ContractLine.objects.create(
            contract=contract,
            model=model,
            quantity=quantity,
            unit_price=Decimal(price),
            list_price=Decimal(price),
        )
    return contract


@pytest.fixture
def market(rep, other_rep):
    """Two provinces, six customers of two reps of one team, four models in two
    categories, and 60 contracts signed at random over two years (seeded)."""
    rng = random.Random(21)
    zj = RegionFactory(code="330000", name="浙江省")
    js = RegionFactory(code="320000", name="江苏省")
    cities = [
        RegionFactory(code="330100", name="杭州市", level="city", parent=zj),
        RegionFactory(code="320100", name="南京市", level="city", parent=js),
    ]
    models = [ModelFactory(product__category_code=c) for c in ("06-07", "06-08", "07-01", "07-02")]
    customers = [
        CustomerFactory(owner=owner, region=cities[n % 2], kind=kind, grade=grade, name=f"客户{n}")
        for n, (owner, kind, grade) in enumerate(
            [
                (rep, "public_hospital", "A"),
                (rep, "private_hospital", "B"),
                (rep, "clinic", "C"),
                (other_rep, "public_hospital", "A"),
                (other_rep, "dealer", "B"),
                (other_rep, "public_hospital", "C"),
            ]
        )
    ]
    for n in range(60):
        customer = rng.choice(customers)
        day = date(2025, 1, 1) + timedelta(days=rng.randrange(700))
        lines = [
            (
                rng.choice(models),
                rng.randint(1, 5),
                f"{rng.randint(100, 99999)}.{rng.randint(0, 99):02d}",
            )
            for _ in range(rng.randint(1, 3))
        ]
        _sign(customer, customer.owner, day, lines, n)
    # Drafts and cancelled ones never count.
    Contract.objects.create(number="HT-T-DRAFT", customer=customers[0], rep=rep)
    return {"customers": customers, "models": models, "provinces": (zj, js)}


def _recomputed(**filters):
    """Amount per (month, province) straight from the contract lines in force."""
    out = defaultdict(Decimal)
    lines = ContractLine.objects.filter(contract__signed_on__isnull=False, **filters).values_list(
        "contract__signed_on", "contract__customer__province_id", "quantity", "unit_price"
    )
    for day, province, quantity, price in lines:
        out[(day.replace(day=1), province)] += quantity * price
    return dict(out)


def _from_facts(rows):
    out = defaultdict(Decimal)
    for day, province, amount in rows.values_list("day", "province_id", "amount"):
        out[(day.replace(day=1), province)] += amount
    return dict(out)


def test_the_facts_equal_a_recomputation_from_the_lines(market, management):
    figures = services.refresh(NOW, full=True)
    assert figures["full"] and figures["sales_rows"] > 0
    assert _from_facts(SalesDay.objects.all()) == _recomputed()
    # The breakdown and the totals read the same facts.
    f = Filters(period=YEAR)
    by_province = selectors.sales_by(management, f, "province")
    assert sum(r["amount"] for r in by_province) == selectors.sales_totals(management, f)["amount"]
    assert selectors.sales_totals(management, f)["amount"] == sum(_recomputed().values())


def test_the_hourly_refresh_sees_new_contracts_and_amended_lines(market, management, rep):
    services.refresh(NOW, full=True)
    customer, model = market["customers"][0], market["models"][0]
    later = NOW + timedelta(hours=1)
    _sign(customer, rep, date(2026, 11, 27), [(model, 2, "1000.00")], 900)
    # An amendment supersedes a line of an older contract: its day changes.
    old = Contract.objects.filter(signed_on__lt=date(2026, 1, 1)).order_by("pk").first()
    from mdss.contracts.models import Amendment

    line = ContractLine.objects.filter(contract=old).first()
    line.superseded_at = later
    line.save()
    Amendment.objects.create(
        contract=old, seq=1, status="signed", signed_on=date(2026, 11, 27), created_by=rep
    )
    figures = services.refresh(later)
    assert not figures["full"]
    assert _from_facts(SalesDay.objects.all()) == _recomputed()
    # A second run rewrites the same rows.
    services.refresh(later + timedelta(hours=1))
    assert _from_facts(SalesDay.objects.all()) == _recomputed()


def test_the_bridge_sums_to_the_change_exactly(market, management):
    services.refresh(NOW, full=True)
    f = Filters(period=YEAR)
    for base, current in [
        (Period(date(2025, 1, 1), date(2025, 6, 30)), Period(date(2025, 7, 1), date(2025, 12, 31))),
        (Period(date(2025, 4, 1), date(2025, 6, 30)), Period(date(2026, 4, 1), date(2026, 6, 30))),
    ]:
        data = bridge(management, f, base, current)
        t = data["total"]
        assert t["base"] == sum(
            _recomputed(contract__signed_on__range=(base.start, base.end)).values()
        )
        assert t["current"] == sum(
            _recomputed(contract__signed_on__range=(current.start, current.end)).values()
        )
        assert t["new"] + t["lost"] + t["volume"] + t["price"] == t["change"]
        for dimension in ("province", "customer_kind", "category", "rep"):
            rows = data[dimension]
            assert sum(r["change"] for r in rows) == t["change"]
            for r in rows:
                assert r["new"] + r["lost"] + r["volume"] + r["price"] == r["change"]
        assert all(r["change"] > 0 for r in data["customers_up"])
        assert all(r["change"] < 0 for r in data["customers_down"])


def test_the_split_in_sql_equals_the_split_cell_by_cell(market, management, rep, other_rep):
    """PostgreSQL sums the split in SQL; it must give what ``split`` gives cell by cell,
    rounding included: a kept customer going from 2 units for 200.03 to 3 has a volume
    of 100.015, which rounds half up to 100.02; the same model sold to them by another
    rep is a cell of its own."""
    from django.db import connection

    from mdss.analytics.bridge import _facts, _split_here, _split_in_sql

    if connection.vendor != "postgresql":
        pytest.skip("the SQL split runs on PostgreSQL; SQLite uses the split cell by cell")
    customer, model = market["customers"][0], market["models"][0]
    _sign(customer, rep, date(2025, 2, 3), [(model, 1, "100.01"), (model, 1, "100.02")], 901)
    _sign(customer, rep, date(2025, 8, 3), [(model, 3, "100.00")], 902)
    _sign(customer, other_rep, date(2025, 9, 3), [(model, 2, "90.00")], 903)
    services.refresh(NOW, full=True)
    f = Filters(period=YEAR)
    for base, current in [
        (Period(date(2025, 1, 1), date(2025, 6, 30)), Period(date(2025, 7, 1), date(2025, 12, 31))),
        (Period(date(2025, 4, 1), date(2025, 6, 30)), Period(date(2026, 4, 1), date(2026, 6, 30))),
    ]:
        total, groups, new, lost = _split_in_sql(
            _facts(management, f, base, current, cents=True), top=2
        )
        here_total, here_groups, here_new, here_lost = _split_here(
            _facts(management, f, base, current)
        )
        assert total.as_dict() == here_total.as_dict()
        assert (new, lost) == (here_new, here_lost)
        for dimension in ("province", "customer_kind", "category", "rep"):
            assert {k: v.as_dict() for k, v in groups[dimension].items()} == {
                k: v.as_dict() for k, v in here_groups[dimension].items()
            }
        # Of the customers, the two largest falls and rises, each as computed here.
        ranked = sorted(here_groups["customer"].items(), key=lambda kv: (kv[1].change, str(kv[0])))
        assert set(groups["customer"]) == {k for k, _v in ranked[:2] + ranked[-2:]}
        for key, line in groups["customer"].items():
            assert line.as_dict() == here_groups["customer"][key].as_dict()
    assert _split_in_sql(_facts(management, f, Period(date(2020, 1, 1), date(2020, 3, 31)),
                                Period(date(2020, 4, 1), date(2020, 6, 30)), cents=True),
                         top=2)[0].as_dict() == (
        Line().as_dict()
    )  # fmt: skip


def test_a_province_that_moved_is_flagged_and_managements_decision_kept(market, management):
    services.refresh(NOW, full=True)
    zj = market["provinces"][0]
    base, current = (
        Period(date(2025, 1, 1), date(2025, 6, 30)),
        Period(date(2025, 7, 1), date(2025, 12, 31)),
    )
    flags = bridge(management, Filters(period=YEAR), base, current)["flags"]
    assert flags, "the seeded market moves by more than 10 % between half-years"
    row = (
        next(r for r in flags if r["key"] == zj.pk)
        if any(r["key"] == zj.pk for r in flags)
        else flags[0]
    )
    from mdss.accounts.models import Region

    province = Region.objects.get(pk=row["key"])
    decision = services.region_decide(
        actor=management, province=province, period_start=current.start, period_end=current.end,
        change=row["change"], action="invest", note="加大学术推广投入",
    )  # fmt: skip
    again = bridge(management, Filters(period=YEAR), base, current)["flags"]
    assert decision in next(r for r in again if r["key"] == province.pk)["decisions"]
    assert decision.trend == ("growing" if row["change"] >= 0 else "declining")


def test_only_management_decides_and_a_reason_is_required(market, management, sales_manager):
    from mdss.core.errors import PermissionDenied, ValidationFailed

    zj = market["provinces"][0]
    kwargs = {"province": zj, "period_start": date(2026, 1, 1), "period_end": date(2026, 3, 31),
                  "change": Decimal("-5.00"), "action": "analyse"}  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.region_decide(actor=sales_manager, note="原因", **kwargs)
    with pytest.raises(ValidationFailed) as caught:
        services.region_decide(actor=management, note="  ", **kwargs)
    assert caught.value.errors[0].field == "note"


def test_a_sales_manager_sees_the_team_and_a_rep_only_their_own(
    market, management, sales_manager, rep, other_rep, outsider
):
    services.refresh(NOW, full=True)
    f = Filters(period=YEAR)
    everyone = selectors.sales_totals(management, f)["amount"]
    team = selectors.sales_totals(sales_manager, f)["amount"]
    mine = selectors.sales_totals(rep, f)["amount"]
    theirs = selectors.sales_totals(other_rep, f)["amount"]
    assert team == everyone == mine + theirs  # both reps are in the manager's team
    assert mine == sum(_recomputed(contract__rep=rep).values()) and 0 < mine < everyone
    from mdss.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        selectors.sales_totals(outsider, f)


def test_a_manager_of_another_team_sees_none_of_it(market, db):
    from mdss.accounts.models import Department, User

    other = User.objects.create(
        username="zhou", full_name="周经理", department=Department.objects.create(name="华北销售部")
    )
    from django.contrib.auth.models import Group

    other.groups.add(Group.objects.get_or_create(name="sales_manager")[0])
    services.refresh(NOW, full=True)
    assert selectors.sales_totals(other, Filters(period=YEAR))["amount"] == 0


def test_trend_compares_each_month_with_last_year(market, management):
    services.refresh(NOW, full=True)
    f = Filters(period=Period(date(2026, 1, 1), date(2026, 6, 30)))
    rows = selectors.sales_trend(management, f)
    assert [r["label"] for r in rows] == [f"2026-0{m}" for m in range(1, 7)]
    months = _recomputed()
    for r in rows:
        assert r["amount"] == sum(v for (m, _p), v in months.items() if m == r["start"])
        last = r["start"].replace(year=2025)
        assert r["last_year"] == sum(v for (m, _p), v in months.items() if m == last)
    quarters = selectors.sales_trend(management, Filters(period=YEAR, grain="quarter"))
    assert [r["label"] for r in quarters][:2] == ["2025 Q1", "2025 Q2"]
    assert sum(r["amount"] for r in quarters) == sum(months.values())


def test_pages_api_and_export_give_the_same_figures(market, management, client, api_client):
    services.refresh(NOW, full=True)
    query = {"start": "2025-01-01", "end": "2026-12-31"}
    total = selectors.sales_totals(management, Filters(period=YEAR))["amount"]
    client.force_login(management)
    page = client.get(reverse("analytics:sales"), query)
    assert page.status_code == 200
    body = api_client.as_user(management).get("/api/v1/analytics/sales", query)
    assert body.status_code == 200
    assert Decimal(str(body.json()["totals"]["amount"])) == total
    assert sum(Decimal(str(r["amount"])) for r in body.json()["by_province"]) == total
    export = client.get(reverse("analytics:sales"), {**query, "export": "province"})
    assert export.status_code == 200
    assert "attachment" in export["Content-Disposition"]
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(export.content)).active
    cells = list(sheet.iter_rows(min_row=2, values_only=True))
    assert sum(Decimal(str(row[1])) for row in cells) == total
    assert {row[0] for row in cells} == {"浙江省", "江苏省"}


def test_a_bad_filter_is_named_in_the_api(management, api_client, db):
    answer = api_client.as_user(management).get("/api/v1/analytics/sales", {"start": "1900-01-01"})
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "start"
    answer = api_client.as_user(management).get(
        "/api/v1/analytics/bridge", {"base_start": "2026-06-01", "base_end": "2026-01-01"}
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "base_end"


def test_the_sales_page_costs_a_fixed_number_of_queries(market, management, client, settings):
    from mdss.core.testing import assert_fixed_queries

    # Measured without the figures cache: what the first view after a refresh costs.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    services.refresh(NOW, full=True)
    client.force_login(management)
    urls = [reverse("analytics:sales"), reverse("analytics:bridge")]

    def grow():
        customer = CustomerFactory(owner=management, name="新客户")
        _sign(customer, management, date(2026, 5, 5), [(market["models"][0], 1, "10.00")], 950)
        services.refresh(NOW + timedelta(days=1), full=True)

    assert_fixed_queries(client, urls, grow)


def test_figures_are_kept_until_the_next_refresh(market, management, client):
    from mdss.core.testing import query_count

    services.refresh(NOW, full=True)
    client.force_login(management)
    url = reverse("analytics:sales") + "?start=2025-01-01&end=2026-12-31"
    first, second = query_count(client, url), query_count(client, url)
    assert second < first  # the figures came from the cache
    customer = CustomerFactory(owner=management, name="新客户")
    _sign(customer, management, date(2026, 5, 5), [(market["models"][0], 1, "10.00")], 951)
    stale = client.get(url).context["totals"]["amount"]
    services.refresh(NOW + timedelta(hours=1))
    fresh = client.get(url).context["totals"]["amount"]
    assert fresh == stale + Decimal("10.00")


def test_the_overview_puts_sales_change_service_and_engineers_on_one_page(
    market, management, client
):
    services.refresh(NOW, full=True)
    client.force_login(management)
    page = client.get(reverse("analytics:overview"), {"start": "2025-01-01", "end": "2026-12-31"})
    assert page.status_code == 200
    ctx = page.context
    assert ctx["totals"]["amount"] == sum(_recomputed().values())
    t = ctx["change"]["total"]
    assert t["new"] + t["lost"] + t["volume"] + t["price"] == t["change"]
    for testid in ("overview-figures", "chart-trend", "chart-waterfall", "overview-gaps"):
        assert f'data-testid="{testid}"'.encode() in page.content


def test_after_the_hourly_refresh_managements_overview_is_ready_before_anyone_opens_it(
    market, management, client, monkeypatch
):
    import time_machine

    from mdss.analytics import bridge as bridge_module
    from mdss.analytics import tasks

    def computed(*args, **kwargs):
        raise AssertionError("computed when the page was opened")

    with time_machine.travel(NOW, tick=False):
        tasks.analytics_refresh.call_local()
        # Opening the overview for its default period computes nothing: the job did.
        for name in ("sales_page", "service_page", "resources", "part_demand"):
            monkeypatch.setattr(selectors, name, computed)
        monkeypatch.setattr(bridge_module, "bridge", computed)
        client.force_login(management)
        page = client.get(reverse("analytics:overview"))
        assert page.status_code == 200
        assert page.context["totals"]["amount"] > 0
        # Another period is computed on demand, as before.
        with pytest.raises(AssertionError, match="computed when the page was opened"):
            client.get(reverse("analytics:overview"), {"start": "2025-01-01"})


def test_the_monthly_report_is_a_pdf_and_management_is_told(market, management, client, mailoutbox):
    from mdss.analytics.reports import send_monthly
    from mdss.notifications.models import Notification

    services.refresh(NOW, full=True)
    client.force_login(management)
    pdf = client.get(reverse("analytics:report"), {"month": "2025-10"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert send_monthly(date(2025, 11, 1)) == 1
    message = Notification.objects.filter(
        recipient=management, kind="analytics.monthly_report"
    ).first()
    assert message is not None and "month=2025-10" in message.link
