"""What quality does when the apps below it announce something (they never import
quality): a complaint's hand-over opens a draft adverse-event report, and a repair
record flagging a suspected defect becomes product feedback. Both run after the
sender's commit; a failure is logged and leaves the sender's record as it is (the
hand-over stays open on the complaint's page; the visit keeps its flag)."""

import logging

from django.db import transaction

log = logging.getLogger(__name__)


def on_handover_opened(sender, complaint, handover, **kwargs):
    from .services import ae_from_handover

    with transaction.atomic():
        ae_from_handover(complaint=complaint, handover=handover)


def on_defect_suspected(sender, visit, actor, **kwargs):
    from .services import feedback_from_visit

    with transaction.atomic():
        feedback_from_visit(visit=visit, actor=actor)
