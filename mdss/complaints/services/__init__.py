"""Every change to a complaint, one function per transition (docs/workflows.md draws
the map). ``status`` is written only here."""

from .handling import (  # noqa: F401
    complaint_answer,
    complaint_assign,
    complaint_classify,
    complaint_close,
    complaint_contact,
    complaint_feedback,
    complaint_rate,
    complaint_reopen,
)
from .intake import complaint_create, complaint_from_email  # noqa: F401
from .reportability import (  # noqa: F401
    complaint_assess,
    complaint_notify_manufacturer,
    handover_close,
)
from .team import (  # noqa: F401
    complaint_form_team,
    complaint_resolve,
    document_add,
    note_add,
    task_add,
    task_done,
)
