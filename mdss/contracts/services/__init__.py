"""Every change to contracts (DESIGN.md: state changes live here)."""

from .amendments import (  # noqa: F401
    amendment_approve,
    amendment_create,
    amendment_return,
    amendment_sign,
    amendment_submit,
    amendment_update,
    amendment_withdraw,
)
from .drafting import (  # noqa: F401
    attachment_add,
    attachment_remove,
    contract_create,
    contract_update,
    line_add,
    line_remove,
    line_update,
)
from .payments import instalments_set, payment_record  # noqa: F401
from .performance import delivery_confirm_receipt, delivery_record  # noqa: F401
from .problems import (  # noqa: F401
    problem_decide,
    problem_escalate,
    problem_escalation_sweep,
    problem_note,
    problem_raise,
    problem_resolve,
)
from .review import (  # noqa: F401
    contract_cancel,
    contract_sign,
    contract_submit,
    contract_terminate,
    legal_approve,
    legal_return,
)
