"""Every change to a quality record, one module per aggregate and one function per
transition (docs/workflows.md draws the maps). ``status`` is written only here."""

from .adverse import (  # noqa: F401
    ae_close,
    ae_create,
    ae_from_handover,
    ae_notify_manufacturer,
    ae_submit,
)
from .audits import (  # noqa: F401
    audit_check,
    audit_close,
    audit_create,
    audit_report,
    finding_add,
    finding_done,
)
from .evaluations import evaluation_compute, evaluation_review  # noqa: F401
from .feedback import (  # noqa: F401
    feedback_answer,
    feedback_close,
    feedback_create,
    feedback_from_visit,
    feedback_send,
)
from .incidents import (  # noqa: F401
    capa_add,
    capa_done,
    incident_analyse,
    incident_close,
    incident_contain,
    incident_create,
    incident_verify,
)
from .recalls import (  # noqa: F401
    recall_acknowledge,
    recall_activate,
    recall_close,
    recall_create,
    recall_notice,
    recall_plan_action,
    recall_progress,
)
