from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    IN_APP = "in_app", _("in-app")
    EMAIL = "email", _("e-mail")
    WEBHOOK = "webhook", _("group-chat webhook")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


# Delivery states (docs/workflows.md):
# pending ──claim──▶ sending ──ok──▶ sent
#    ▲                  │ error, attempts left ──▶ pending (later, with back-off)
#    └── requeue ── failed ◀── error, no attempts left / interrupted
MAX_ATTEMPTS = 6
