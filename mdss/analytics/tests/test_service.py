"""Service figures on known facts: percentiles (PostgreSQL's percentile_cont and the
SQLite path agree), compliance per clock, shortfalls, the resources per province,
and who may see them."""

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mdss.accounts.tests.factories import RegionFactory
from mdss.analytics import selectors, services
from mdss.analytics.filters import Filters, Period
from mdss.analytics.models import ServiceFact
from mdss.core.errors import PermissionDenied

PERIOD = Period(date(2026, 10, 1), date(2026, 10, 31))


@pytest.fixture
def facts(db):
    """Ten requests in Zhejiang on 1–10 October: contact after 10, 20 … 100 minutes,
    on site after 1 … 10 hours, contact clock met for the first eight."""
    zj = RegionFactory(code="330000", name="浙江省")
    rows = []
    for n in range(1, 11):
        rows.append(
            ServiceFact(
                request_id=1000 + n,
                day=date(2026, 10, n),
                province=zj,
                kind="repair",
                channel="hotline",
                completed=True,
                contact_minutes=10 * n,
                onsite_minutes=60 * n,
                completion_minutes=120 * n,
                visits=1 if n <= 7 else 2,
                visit_minutes=90,
                first_time_fix=n <= 7,
                rating=5 if n <= 5 else 3,
                satisfied=n <= 5,
                contact_clock="met" if n <= 8 else "missed",
                onsite_clock="met",
            )
        )
    ServiceFact.objects.bulk_create(rows)
    return zj


def test_percentiles_and_rates_on_known_facts(facts, service_manager):
    s = selectors.service_summary(service_manager, Filters(period=PERIOD))
    assert s["requests"] == 10 and s["completed"] == 10
    contact = s["times"]["contact_minutes"]
    # median of 10…100 minutes = 55 min = 0.9 h; 90th percentile = 91 min = 1.5 h
    assert (contact["n"], contact["median"], contact["p90"]) == (10, 0.9, 1.5)
    onsite = s["times"]["onsite_minutes"]
    assert (onsite["median"], onsite["p90"]) == (5.5, 9.1)
    assert s["times"]["parts_minutes"] == {"n": 0, "median": None, "p90": None}
    assert s["contact_sla"] == 80.0 and s["onsite_sla"] == 100.0
    assert s["sla"] == 90.0  # 18 of 20 clocks
    assert s["first_time_fix"] == 70.0
    assert s["rating"] == 4.0 and s["satisfied"] == 50.0


def test_a_province_below_target_is_named(facts, service_manager):
    short = selectors.shortfalls(service_manager, Filters(period=PERIOD))
    (row,) = short["province"]
    assert row["key"] == facts.pk
    assert row["short"] == ["first_time_fix"]  # 70 % against 80 %; on time 90 %, rating 4.0


def test_the_trend_counts_each_month(facts, service_manager):
    f = Filters(period=Period(date(2026, 9, 1), date(2026, 10, 31)))
    rows = selectors.service_trend(service_manager, f)
    assert [r["label"] for r in rows] == ["2026-09", "2026-10"]
    assert rows[0]["figures"] is None and rows[1]["figures"]["requests"] == 10


def test_resources_suggest_engineers_for_the_demand(facts, service_manager, engineer):
    engineer.regions.add(facts)
    (row,) = selectors.resources(service_manager, Filters(period=PERIOD), date(2026, 11, 1))
    assert row["key"] == facts.pk
    assert row["visits"] == 13 and row["engineers"] == 1
    assert row["hours_on_site"] == 15.0 and row["hours_travel"] == 26.0
    assert row["suggested"] >= 1 and row["gap"] == row["suggested"] - 1


def test_only_service_quality_and_management_see_service_figures(facts, rep, engineer, quality):
    for viewer in (rep, engineer):
        with pytest.raises(PermissionDenied):
            selectors.service_summary(viewer, Filters(period=PERIOD))
    assert selectors.service_summary(quality, Filters(period=PERIOD))["requests"] == 10
    with pytest.raises(PermissionDenied):
        selectors.resources(quality, Filters(period=PERIOD), date(2026, 11, 1))


def test_service_page_and_api_agree(facts, service_manager, client, api_client):
    query = {"start": "2026-10-01", "end": "2026-10-31"}
    client.force_login(service_manager)
    assert client.get(reverse("analytics:service"), query).status_code == 200
    body = api_client.as_user(service_manager).get("/api/v1/analytics/service", query).json()
    assert body["summary"]["requests"] == 10
    assert body["summary"]["times"]["contact_minutes"]["p90"] == 1.5
    assert client.get(reverse("analytics:resources"), query).status_code == 200


def test_service_facts_follow_a_real_request(service_manager, engineer, device, reference_data):
    """A request recorded through the services becomes a fact with its times and its
    clocks; once closed it is final and the hourly run leaves it."""
    from mdss.service import services as service

    reported = timezone.make_aware(datetime(2026, 10, 5, 9, 0))
    request = service.request_create(
        actor=service_manager,
        channel="hotline",
        customer=device.customer,
        device=device,
        reporter_name="王护士",
        reporter_phone="13800000000",
        symptom="血氧读数跳动",
        urgency="normal",
        reported_at=reported,
        now=reported,
    )
    services.refresh(reported + timedelta(minutes=5), full=True)
    fact = ServiceFact.objects.get(request_id=request.pk)
    assert fact.day == date(2026, 10, 5) and not fact.final and fact.contact_minutes is None
    assert fact.province_id == device.customer.province_id and fact.model_id == device.model_id


def test_complaints_by_category_severity_and_period(facts, quality):
    from mdss.analytics.models import ComplaintFact

    rows = [("service", "general", 9), ("service", "major", 20), ("product_quality", "major", 20)]
    ComplaintFact.objects.bulk_create(
        ComplaintFact(complaint_id=10 * month + n, day=date(2026, month, day), province=facts,
                      category=category, severity=severity)
        for n, (category, severity, day) in enumerate(rows, start=1)
        for month in (9, 10)
    )  # fmt: skip
    f = Filters(period=Period(date(2026, 9, 1), date(2026, 10, 31)))
    c = selectors.complaint_figures(quality, f)
    assert (c["total"], c["major"]) == (6, 4)
    service = next(r for r in c["by_category"] if r["key"] == "service")
    assert service["total"] == 4 and service["by_severity"]["major"] == 2
    assert [r["count"] for r in c["trend"]] == [3, 3]
    assert dict(c["grid"])[service["label"]] == [2, 2]
