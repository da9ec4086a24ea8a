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
