from .choices import Channel
from .models import Notification


def inbox_for_user(user, *, unread_only: bool = False):
    rows = Notification.objects.filter(recipient=user, channel=Channel.IN_APP)
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return rows.order_by("-id")


def unread_count(user) -> int:
    return inbox_for_user(user, unread_only=True).count()


def latest_for_user(user, limit: int = 5) -> list:
    """The newest in-app messages for the bell's menu."""
    return list(inbox_for_user(user)[:limit])
