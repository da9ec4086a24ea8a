"""Today in Shanghai: legally relevant dates (expiry, deadlines, signing) are local
dates, while instants are stored in UTC. Every app asks here."""

from datetime import date
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone


def local_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def local_today() -> date:
    return timezone.now().astimezone(local_tz()).date()


def last_quarter(today: date) -> tuple[date, date]:
    """The first and last day of the calendar quarter before ``today``'s."""
    from datetime import timedelta

    start = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
    end = start - timedelta(days=1)
    return end.replace(month=(end.month - 1) // 3 * 3 + 1, day=1), end
