"""Every change to training records (DESIGN.md: state changes live here)."""

from .assessments import (  # noqa: F401
    assessment_record,
    assessment_schedule,
    retraining_complete,
)
from .competence import (  # noqa: F401
    authorisation_save,
    authorisation_void,
    competence_override,
    expiry_warning_sweep,
)
from .external import (  # noqa: F401
    external_approve,
    external_attended,
    external_reimburse,
    external_reject,
    external_request,
)
from .people import certificate_save, certificate_void, profile_save, skill_save  # noqa: F401
from .sessions import (  # noqa: F401
    period_end_warning_sweep,
    session_cancel,
    session_hold,
    session_plan,
)
