"""The once-per-threshold expiry sweep every app with dated documents calls."""

from datetime import date

from mdss.audit.models import AuditEvent
from mdss.core.expiry import warn_once_per_threshold, warning_level
from mdss.customers.models import Qualification
from mdss.customers.tests.factories import QualificationFactory

TODAY = date(2026, 11, 27)


def test_the_level_is_the_tightest_threshold_reached():
    assert warning_level(100, (90, 30, 7)) is None
    assert warning_level(90, (90, 30, 7)) == 90
    assert warning_level(12, (7, 90, 30)) == 30
    assert warning_level(0, (90, 30, 7)) == 7


def _sweep(today, seen):
    return warn_once_per_threshold(
        Qualification.objects.filter(voided_at__isnull=True),
        today=today,
        thresholds=(90, 30, 7),
        action="test.expiry_warned",
        warn=lambda row, level, days_left: seen.append((row.pk, level, days_left)),
    )


def test_each_threshold_is_warned_once_and_audited(db):
    q = QualificationFactory(valid_until=date(2027, 1, 20))  # 54 days ahead
    QualificationFactory(valid_until=date(2028, 1, 1))  # far away: nothing
    seen = []
    assert _sweep(TODAY, seen) == 1
    assert _sweep(TODAY, seen) == 0  # the same day again: nothing new
    assert _sweep(date(2026, 12, 22), seen) == 1  # 29 days: the 30-day warning
    assert seen == [(q.pk, 90, 54), (q.pk, 30, 29)]
    q.refresh_from_db()
    assert q.warned_days == 30
    assert AuditEvent.objects.filter(action="test.expiry_warned").count() == 2


def test_expired_and_voided_rows_are_not_warned_about(db):
    QualificationFactory(valid_until=date(2026, 11, 1))
    QualificationFactory(valid_until=date(2026, 12, 1), voided_at="2026-11-01T00:00Z")
    seen = []
    assert _sweep(TODAY, seen) == 0 and seen == []
