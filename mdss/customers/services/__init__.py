"""Every change to customers and their records (DESIGN.md: state changes live here)."""

from .customers import (  # noqa: F401
    contact_deactivate,
    contact_save,
    customer_grade_recompute,
    customer_mark_existing,
    customer_reassign,
    customer_save,
    qualification_save,
    qualification_void,
    qualification_warning_sweep,
)
from .plans import campaign_save, lead_capture, lead_link, plan_save  # noqa: F401
from .visits import (  # noqa: F401
    activity_record,
    feedback_act,
    feedback_close,
    feedback_raise,
    visit_due_replan,
    visit_record,
    visit_reminder_sweep,
)
