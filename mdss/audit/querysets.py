"""Querysets and a base model for regulated records: no bulk writes, no deletes.

Bulk ``update()`` and ``delete()`` skip the audit trail, so they are refused; a
regulated record is voided with a reason instead of deleted (``void`` in services).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegulatedQuerySet(models.QuerySet):
    @staticmethod
    def refusal(operation: str) -> Exception:
        from mdss.core.errors import Conflict

        return Conflict(
            _(
                "Regulated records cannot be changed in bulk or deleted (%(op)s refused); "
                "change them one by one through their services, or void them with a reason."
            )
            % {"op": operation},
            code="regulated_record",
        )

    def active(self):
        """Rows that are not voided."""
        return self.filter(voided_at__isnull=True) if hasattr(self.model, "voided_at") else self

    def update(self, **kwargs):
        raise self.refusal("update")

    def delete(self):
        raise self.refusal("delete")

    # Escape hatch for services that audit each row themselves (e.g. a sweep that
    # marks clocks breached and records one event per clock). Named so it stands out.
    def audited_update(self, **kwargs):
        return super().update(**kwargs)


class RegulatedModel(models.Model):
    """Base for records the regulation asks us to keep: voided, never deleted."""

    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True, editable=False)
    voided_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("voided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    void_reason = models.TextField(_("void reason"), blank=True, editable=False)

    objects = RegulatedQuerySet.as_manager()

    class Meta:
        abstract = True

    def delete(self, *args, **kwargs):
        raise RegulatedQuerySet.refusal("delete")

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None
