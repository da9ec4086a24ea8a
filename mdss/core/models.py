"""Cross-cutting tables that belong to no business domain."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Base for every table: when a row was created and last changed (UTC)."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, editable=False)

    class Meta:
        abstract = True


class IdempotencyRecord(models.Model):
    """The first response to a POST that carried an ``Idempotency-Key`` header.

    A client that retries (a hotline system after a network time-out, say) sends the
    same key and gets this response back instead of creating a second record.
    ``scope`` is the user id for sessions or a hash of the bearer token, so two
    clients cannot read each other's responses by guessing keys.
    """

    scope = models.CharField(max_length=80)
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    content_type = models.CharField(max_length=100)
    body = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="core_idempotency_scope_key")
        ]
        # The clean-up job deletes by age: WHERE created_at < now - TTL.
        indexes = [models.Index(fields=["created_at"], name="core_idem_created_idx")]

    def __str__(self):
        return f"{self.method} {self.path} [{self.key}]"


class DocumentSequence(models.Model):
    """The last number issued per document type and year (HT-2026-000123).

    Numbers are taken inside the caller's transaction with the row locked, so they
    are gap-free (a rolled-back document returns its number) and unique under
    concurrency.
    """

    prefix = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="core_docseq_prefix_year")
        ]

    def __str__(self):
        return f"{self.prefix}-{self.year}: {self.last_number}"
