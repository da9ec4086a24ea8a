"""The audit trail and e-signatures.

``AuditEvent`` rows are append-only (database triggers refuse UPDATE and DELETE) and
hash-chained: each row stores the previous row's hash in its stream and its own hash
over a canonical JSON of its content, so changing or removing any row breaks the
chain at that row, which ``manage.py verify_audit`` names. The trail is a few
parallel chains (``stream``), so audited transactions do not all wait for one lock
(services.py).
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .querysets import RegulatedQuerySet


class AuditEvent(models.Model):
    occurred_at = models.DateTimeField(_("occurred at"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # audit_event_actor_idx leads with it
    )
    # A snapshot: the person's name at the time, even if the account is renamed later.
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=100)
    content_type = models.ForeignKey(
        ContentType,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # audit_event_object_idx leads with it
    )
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    # Which of the parallel chains the event extends (services.py: one lock each).
    stream = models.PositiveSmallIntegerField(default=0)
    prev_hash = models.CharField(max_length=64)
    # Unique by a constraint, not ``unique=True``: on PostgreSQL that would add a
    # second index (``varchar_pattern_ops``, for LIKE) that every append maintains.
    hash = models.CharField(max_length=64)

    objects = RegulatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["id"]
        # A record's history page: WHERE content_type_id = ? AND object_id = ? ORDER BY id.
        indexes = [
            models.Index(fields=["content_type", "object_id", "id"], name="audit_event_object_idx"),
            models.Index(fields=["actor", "occurred_at"], name="audit_event_actor_idx"),
            # The head of a stream: WHERE stream = ? ORDER BY id DESC LIMIT 1.
            models.Index(fields=["stream", "id"], name="audit_event_stream_idx"),
        ]
        # Every audited write in the system inserts here: no index more than the reads
        # above need (each foreign key's own index would repeat one of them).
        constraints = [models.UniqueConstraint(fields=["hash"], name="audit_event_hash_unique")]

    def __str__(self):
        return f"#{self.pk} {self.action} {self.object_repr}"

    def delete(self, *args, **kwargs):
        raise RegulatedQuerySet.refusal("delete")


class ESignature(models.Model):
    """An electronic signature: who signed, when, meaning what, over which content.

    ``content_hash`` is SHA-256 over the canonical JSON of what was signed, so a later
    change of the record is detected by ``esign.verify``.
    """

    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signer"),
        on_delete=models.PROTECT,
        related_name="signatures",
    )
    signer_name = models.CharField(_("signer name"), max_length=150)
    meaning = models.CharField(_("meaning"), max_length=100)
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=255, blank=True)
    content_hash = models.CharField(max_length=64)
    comment = models.TextField(_("comment"), blank=True)

    objects = RegulatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("e-signature")
        verbose_name_plural = _("e-signatures")
        ordering = ["-signed_at"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="audit_esig_object_idx")]

    def __str__(self):
        return f"{self.signer_name} · {self.meaning} · {self.signed_at:%Y-%m-%d %H:%M}"

    def delete(self, *args, **kwargs):
        raise RegulatedQuerySet.refusal("delete")
