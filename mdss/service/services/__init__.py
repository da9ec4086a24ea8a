"""Every change to a service request, one module per aggregate and one function per
transition (docs/workflows.md draws the map). ``status`` is written only here."""

from .confirmations import request_confirm  # noqa: F401
from .dispatch import request_dispatch  # noqa: F401
from .followups import improvement_complete, request_follow_up  # noqa: F401
from .intake import request_from_email  # noqa: F401
from .pm import pm_requests_generate  # noqa: F401
from .recall import recall_request_create  # noqa: F401
from .requests import (  # noqa: F401
    request_cancel,
    request_close,
    request_contact,
    request_create,
    request_quote,
    request_reopen,
    request_resolve_by_phone,
    request_triage,
)
from .visits import (  # noqa: F401
    PartFitted,
    request_check_in,
    request_complete,
    request_leave,
    request_parts,
    request_repair_record,
)
