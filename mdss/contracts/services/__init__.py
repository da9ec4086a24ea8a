"""Every change to contracts (DESIGN.md: state changes live here)."""

from .drafting import contract_create, contract_update, line_add, line_remove, line_update  # noqa: F401
from .payments import instalments_set, payment_record  # noqa: F401
from .performance import delivery_record  # noqa: F401
from .problems import problem_decide, problem_escalate, problem_note, problem_raise, problem_resolve  # noqa: F401
from .review import contract_sign, contract_submit, contract_terminate, legal_approve, legal_return  # noqa: F401
