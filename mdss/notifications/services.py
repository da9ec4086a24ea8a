"""Queueing and delivering notifications."""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .channels import DeliveryError, send_email_message, send_webhook, webhook_payload
from .choices import MAX_ATTEMPTS, Channel, DeliveryStatus
from .models import Notification

logger = logging.getLogger(__name__)


def _channels_for(recipient, requested):
    if requested is not None:
        return list(requested)
    channels = [Channel.IN_APP]
    if recipient is not None and recipient.email:
        channels.append(Channel.EMAIL)
    return channels


def notify(
    *,
    recipient,
    kind: str,
    subject: str,
    body: str = "",
    link: str = "",
    channels=None,
    dedupe_key: str | None = None,
    webhook: bool = False,
) -> list[Notification]:
    """Queue a message in the caller's transaction; delivery starts after commit.

    In-app messages are "delivered" by being there. ``webhook=True`` also posts to the
    team's group chat when MDSS_WEBHOOK_URL is configured. A ``dedupe_key`` already
    used for a channel is skipped silently, so periodic sweeps may call this freely.
    """
    rows = []
    wanted = _channels_for(recipient, channels)
    if webhook and settings.MDSS_WEBHOOK_URL and Channel.WEBHOOK not in wanted:
        wanted.append(Channel.WEBHOOK)
    now = timezone.now()
    for channel in wanted:
        row = Notification(
            recipient=recipient if channel != Channel.WEBHOOK else None,
            channel=channel,
            kind=kind,
            subject=subject[:200],
            body=body,
            link=link,
            dedupe_key=dedupe_key,
            status=DeliveryStatus.SENT if channel == Channel.IN_APP else DeliveryStatus.PENDING,
            sent_at=now if channel == Channel.IN_APP else None,
            next_attempt_at=None if channel == Channel.IN_APP else now,
        )
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            continue  # this dedupe_key was already queued on this channel
        rows.append(row)
    if any(r.channel != Channel.IN_APP for r in rows):
        transaction.on_commit(_schedule_delivery)
    return rows


def notify_many(recipients, *, kind: str, subject: str, body: str = "", link: str = ""):
    """The same message to many people (a department's inbox), written in one insert
    whatever their number; delivery starts after commit, as for ``notify``."""
    now = timezone.now()
    rows = [
        Notification(
            recipient=person,
            channel=channel,
            kind=kind,
            subject=subject[:200],
            body=body,
            link=link,
            status=DeliveryStatus.SENT if channel == Channel.IN_APP else DeliveryStatus.PENDING,
            sent_at=now if channel == Channel.IN_APP else None,
            next_attempt_at=None if channel == Channel.IN_APP else now,
        )
        for person in recipients
        for channel in _channels_for(person, None)
    ]
    Notification.objects.bulk_create(rows, batch_size=1000)
    if any(r.channel != Channel.IN_APP for r in rows):
        transaction.on_commit(_schedule_delivery)
    return rows


def _schedule_delivery():
    from .tasks import deliver_pending

    deliver_pending()


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def claim(notification_id: int, worker: str) -> bool:
    """Take one row for delivery; False if another worker has it (a conditional UPDATE)."""
    now = timezone.now()
    return (
        Notification.objects.filter(pk=notification_id, status=DeliveryStatus.PENDING).update(
            status=DeliveryStatus.SENDING, claimed_by=worker, claimed_at=now
        )
        == 1
    )


def _send(row: Notification) -> None:
    if row.channel == Channel.EMAIL:
        send_email_message(
            row.recipient.email if row.recipient else "", row.subject, row.body, row.link
        )
    elif row.channel == Channel.WEBHOOK:
        if not settings.MDSS_WEBHOOK_URL:
            raise DeliveryError("MDSS_WEBHOOK_URL is not configured")
        send_webhook(
            settings.MDSS_WEBHOOK_URL,
            webhook_payload(row.subject, row.body, row.link, settings.MDSS_WEBHOOK_FLAVOR),
        )


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8, 16 minutes … between attempts."""
    return timedelta(minutes=2 ** max(0, attempts - 1))


def deliver_one(notification_id: int, worker: str | None = None) -> str:
    """Claim, send and settle one row; returns its final status for this attempt."""
    worker = worker or worker_name()
    if not claim(notification_id, worker):
        return "skipped"
    row = Notification.objects.select_related("recipient").get(pk=notification_id)
    try:
        _send(row)
    except DeliveryError as exc:
        attempts = row.attempts + 1
        failed = attempts >= MAX_ATTEMPTS
        Notification.objects.filter(pk=row.pk, claimed_by=worker).update(
            status=DeliveryStatus.FAILED if failed else DeliveryStatus.PENDING,
            attempts=attempts,
            last_error=str(exc)[:2000],
            next_attempt_at=None if failed else timezone.now() + backoff(attempts),
        )
        logger.warning("notification %s attempt %s failed: %s", row.pk, attempts, exc)
        return DeliveryStatus.FAILED if failed else "retry"
    Notification.objects.filter(pk=row.pk, claimed_by=worker).update(
        status=DeliveryStatus.SENT,
        attempts=row.attempts + 1,
        sent_at=timezone.now(),
        last_error="",
    )
    return DeliveryStatus.SENT


def deliver_due(limit: int = 200, worker: str | None = None) -> dict[str, int]:
    """Deliver every pending row that is due; safe to run in several workers at once."""
    worker = worker or worker_name()
    _fail_interrupted()
    ids = list(
        Notification.objects.filter(
            status=DeliveryStatus.PENDING, next_attempt_at__lte=timezone.now()
        )
        .order_by("next_attempt_at", "id")
        .values_list("id", flat=True)[:limit]
    )
    counts: dict[str, int] = {}
    for notification_id in ids:
        outcome = deliver_one(notification_id, worker)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def _fail_interrupted(after: timedelta = timedelta(minutes=15)) -> int:
    """A row left 'sending' by a worker that died may or may not have gone out; it is
    marked failed for a person to requeue, rather than risk sending it twice, and the
    administrators are told in the application (not by the channel that just failed)."""
    stuck = list(
        Notification.objects.filter(
            status=DeliveryStatus.SENDING, claimed_at__lt=timezone.now() - after
        ).values_list("pk", "channel", "subject")
    )
    if not stuck:
        return 0
    failed = Notification.objects.filter(
        pk__in=[pk for pk, _c, _s in stuck], status=DeliveryStatus.SENDING
    ).update(
        status=DeliveryStatus.FAILED, last_error="interrupted during delivery; requeue to retry"
    )
    from mdss.accounts.models import User

    admins = User.objects.filter(is_superuser=True, is_active=True)
    if failed and admins.exists():
        lines = "\n".join(f"#{pk} ({channel}) {subject}" for pk, channel, subject in stuck[:50])
        notify_many(
            admins,
            kind="notifications.interrupted",
            subject=_("%(n)s notifications were interrupted mid-send; check and requeue them")
            % {"n": failed},
            body=lines,
            link="/admin/notifications/notification/?status__exact=failed",
        )
    return failed


def requeue(*, notification: Notification, actor) -> None:
    Notification.objects.filter(pk=notification.pk, status=DeliveryStatus.FAILED).update(
        status=DeliveryStatus.PENDING, next_attempt_at=timezone.now(), attempts=0
    )
    transaction.on_commit(_schedule_delivery)


def mark_read(*, user, notification_ids: list[int] | None = None) -> int:
    """Mark the user's in-app messages read (all of them when ids is None)."""
    rows = Notification.objects.filter(recipient=user, channel=Channel.IN_APP, read_at__isnull=True)
    if notification_ids is not None:
        rows = rows.filter(pk__in=notification_ids)
    return rows.update(read_at=timezone.now())
