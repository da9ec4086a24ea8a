"""/api/v1/notifications: my in-app messages."""

from datetime import datetime

from ninja import Router, Schema
from ninja.pagination import paginate

from mdss.core.api import PageNumberPagination

from . import selectors, services

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    subject: str
    body: str
    link: str
    created_at: datetime
    read_at: datetime | None


class MarkReadIn(Schema):
    ids: list[int] | None = None  # None: all unread


class MarkReadOut(Schema):
    marked: int
    unread: int


class CountOut(Schema):
    unread: int


@router.get("", response=list[NotificationOut], summary="My in-app notifications, newest first")
@paginate(PageNumberPagination)
def notification_list(request, unread: bool = False):
    return selectors.inbox_for_user(request.user, unread_only=unread)


@router.get("/unread-count", response=CountOut)
def unread_count(request):
    return {"unread": selectors.unread_count(request.user)}


@router.post(
    "/mark-read", response=MarkReadOut, summary="Mark some (ids) or all of my notifications read"
)
def mark_read(request, payload: MarkReadIn):
    marked = services.mark_read(user=request.user, notification_ids=payload.ids)
    return {"marked": marked, "unread": selectors.unread_count(request.user)}
