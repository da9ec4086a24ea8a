"""The notification outbox: one row per message per channel.

Rows are written in the caller's transaction (so a rolled-back change notifies
nobody) and delivered after commit by a worker that claims each row with a
conditional UPDATE, so two workers never send the same row.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import Channel, DeliveryStatus


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    kind = models.CharField(_("kind"), max_length=60)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    dedupe_key = models.CharField(max_length=200, null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=100, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.TextField(blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-id"]
        constraints = [
            # The same reminder is never queued twice (sweeps and retries are idempotent).
            models.UniqueConstraint(
                fields=["channel", "dedupe_key"],
                condition=Q(dedupe_key__isnull=False),
                name="notifications_dedupe",
            ),
        ]
        indexes = [
            # The worker: WHERE status = 'pending' AND next_attempt_at <= now ORDER BY id.
            models.Index(
                fields=["next_attempt_at", "id"],
                condition=Q(status="pending"),
                name="notifications_due_idx",
            ),
            # The bell: WHERE recipient_id = ? AND channel = 'in_app' AND read_at IS NULL.
            models.Index(
                fields=["recipient", "channel", "read_at"], name="notifications_inbox_idx"
            ),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} → {self.recipient}: {self.subject}"
