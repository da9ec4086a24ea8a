"""The SLA target in force, kept per database session until a policy or the calendar
changes (core/notified.py): every clock start read it."""

from decimal import Decimal

from django.db.models import F

from mdss.calendars import selectors, services
from mdss.calendars.models import CalendarRevision
from mdss.core.testing import in_another_connection, next_request, on_postgres, sql_of

PASSWORD = "correct-horse-battery-staple"


def _target_queries(action) -> list[str]:
    return [sql for sql in sql_of(action) if "calendars_slatarget" in sql]


@on_postgres
def test_the_target_in_force_is_read_once_then_again_after_a_change_elsewhere(
    reference_data, management
):
    assert selectors.sla_target("service.contact").duration == Decimal("1.00")
    next_request()
    assert _target_queries(lambda: selectors.sla_target("service.contact")) == []
    revision = selectors.sla_target("service.contact").calendar_revision

    in_another_connection(
        lambda: services.policy_change(
            actor=management,
            password=PASSWORD,
            note="热线响应缩短为30分钟",
            targets={"service.contact": {"duration": "0.5"}},
        )
    )
    next_request()
    assert selectors.sla_target("service.contact").duration == Decimal("0.50")

    in_another_connection(
        lambda: CalendarRevision.objects.filter(pk=1).update(value=F("value") + 1)
    )
    next_request()
    assert selectors.sla_target("service.contact").calendar_revision == revision + 1
