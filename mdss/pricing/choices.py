from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted for approval")
    APPROVED = "approved", _("approved, waiting for its date")
    REJECTED = "rejected", _("rejected")
    APPLIED = "applied", _("in force")


# Allowed transitions of a price-list change (docs/workflows.md).
CHANGE_TRANSITIONS = {
    ChangeStatus.DRAFT: {ChangeStatus.SUBMITTED},
    ChangeStatus.SUBMITTED: {ChangeStatus.APPROVED, ChangeStatus.REJECTED},
    ChangeStatus.APPROVED: {ChangeStatus.APPLIED},
    ChangeStatus.REJECTED: set(),
    ChangeStatus.APPLIED: set(),
}


class AdjustmentStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("waiting for the superior")
    AWAITING_MANAGEMENT = "awaiting_management", _("below the floor: waiting for management")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")


ADJUSTMENT_TRANSITIONS = {
    AdjustmentStatus.DRAFT: {AdjustmentStatus.SUBMITTED},
    AdjustmentStatus.SUBMITTED: {
        AdjustmentStatus.AWAITING_MANAGEMENT,
        AdjustmentStatus.APPROVED,
        AdjustmentStatus.REJECTED,
    },
    AdjustmentStatus.AWAITING_MANAGEMENT: {AdjustmentStatus.APPROVED, AdjustmentStatus.REJECTED},
    AdjustmentStatus.APPROVED: set(),
    AdjustmentStatus.REJECTED: set(),
}
