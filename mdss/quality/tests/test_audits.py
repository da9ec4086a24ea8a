"""Service-record audits (Q5): a stratified random sample reproducible with its seed,
the checklist, findings as rectification actions, closure and the report."""

from datetime import date, timedelta

import pytest

from mdss.accounts import roles
from mdss.accounts.tests.factories import UserFactory
from mdss.core.errors import Conflict, PermissionDenied, ValidationFailed
from mdss.quality import services
from mdss.quality.services.audits import draw_sample

from .conftest import at, make_request

PERIOD = {"period_start": date(2026, 10, 1), "period_end": date(2026, 11, 26)}
ALL_PASS = {"process": True, "record": True, "repair": True, "confirmation": True, "parts": True}


def test_the_sample_is_stratified_and_reproducible():
    rows = [(n, "甲") for n in range(1, 41)] + [(n, "乙") for n in range(41, 46)] + [(99, "丙")]
    first = draw_sample(rows, 10, seed=7)
    assert draw_sample(rows, 10, seed=7) == first
    by = {s: [pk for pk, t in first if t == s] for s in ("甲", "乙", "丙")}
    assert [len(by[s]) for s in ("甲", "乙", "丙")] == [4, 1, 1]  # ⌈40×10%⌉, ⌈5×10%⌉, at least 1
    assert set(by["甲"]) <= set(range(1, 41)) and by["丙"] == [99]
    others = {tuple(draw_sample(rows, 10, seed=s)) for s in range(8, 20)}
    assert len(others) > 1  # another seed, another sample


@pytest.fixture
def completed(engineer, hospital, device, reference_data):
    other = UserFactory(username="lin", full_name="林工", roles=[roles.SERVICE_ENGINEER])
    for n in range(12):
        make_request(n, hospital, device, engineer, at("2026-10-05 10:00") + timedelta(days=n))
    for n in range(12, 15):
        make_request(n, hospital, device, other, at("2026-11-02 10:00") + timedelta(days=n))
    make_request(99, hospital, device, engineer, at("2026-12-01 10:00"))  # after the period
    return engineer, other


def test_an_audit_draws_from_each_engineer(completed, quality):
    engineer, other = completed
    it = services.audit_create(
        actor=quality, percent=20, seed=42, today=date(2026, 11, 27), **PERIOD
    )
    assert it.population == 15 and it.number.startswith("JH-2026-")
    by = {}
    for item in it.items.select_related("service_request"):
        by.setdefault(item.service_request.engineer, []).append(item.service_request.number)
    assert (len(by[engineer]), len(by[other])) == (3, 1)  # ⌈12×20%⌉ and ⌈3×20%⌉
    again = services.audit_create(
        actor=quality, percent=20, seed=42, today=date(2026, 11, 27), **PERIOD
    )
    assert sorted(again.items.values_list("service_request_id", flat=True)) == sorted(
        it.items.values_list("service_request_id", flat=True)
    )


def test_checks_findings_closure_and_report(completed, quality, service_manager):
    engineer, _other = completed
    it = services.audit_create(
        actor=service_manager, percent=20, seed=1, today=date(2026, 11, 27), **PERIOD
    )
    items = list(it.items.all())
    with pytest.raises(ValidationFailed) as error:
        services.audit_check(actor=quality, item=items[0], checks={"process": True, "luck": False})
    fields = {e.field for e in error.value.errors}
    assert {"checks.record", "checks.luck"} <= fields
    services.audit_check(
        actor=quality, item=items[0], checks={**ALL_PASS, "parts": False}, note="备件批号缺"
    )
    finding = services.finding_add(
        actor=quality, item=items[0], description="更换备件未记录批号", owner=engineer,
        due_on=date(2026, 12, 10), today=date(2026, 11, 27),
    )  # fmt: skip
    with pytest.raises(Conflict):
        services.audit_close(actor=quality, record_audit=it, summary="总体良好")
    for item in items[1:]:
        services.audit_check(actor=quality, item=item, checks=ALL_PASS)
    report = services.audit_report(it)
    assert (report["sampled"], report["checked"], report["passed"]) == (4, 4, 3)
    assert report["per_check"]["parts"] == 3 and report["findings_open"] == 1
    services.audit_close(actor=quality, record_audit=it, summary="备件追溯需加强")
    with pytest.raises(Conflict):
        services.audit_check(actor=quality, item=items[0], checks=ALL_PASS)
    other = UserFactory(username="x", roles=[roles.SERVICE_ENGINEER])
    with pytest.raises(PermissionDenied):
        services.finding_done(actor=other, finding=finding, result="已补录")
    services.finding_done(actor=engineer, finding=finding, result="已补录批号")
    assert services.audit_report(it)["findings_open"] == 0


def test_who_audits(completed, engineer, quality):
    with pytest.raises(PermissionDenied):
        services.audit_create(actor=engineer, **PERIOD)
    with pytest.raises(ValidationFailed) as error:
        services.audit_create(
            actor=quality, percent=0, period_start=date(2026, 11, 1), period_end=date(2026, 12, 31),
            today=date(2026, 11, 27),
        )  # fmt: skip
    assert {e.field for e in error.value.errors} == {"period_end", "percent"}
