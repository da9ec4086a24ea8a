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
