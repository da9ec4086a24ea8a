"""Who sees which contracts (X1): reps their own (and their customers'), sales
managers their team's, legal and management all, the warehouse the signed ones (to
deliver them)."""

import operator
from dataclasses import dataclass
from functools import reduce

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mdss.accounts import roles
from mdss.core.errors import NotFound, PermissionDenied

ALL_CONTRACTS = (roles.LEGAL, roles.MANAGEMENT)
SALES = (roles.SALES_REP, roles.SALES_MANAGER)

# What the warehouse sees: contracts from signature on (to deliver, and delivered).
SHIPPABLE = ("signed", "in_performance", "completed")


def sees_every_contract(viewer) -> bool:
    return viewer.is_superuser or viewer.has_role(*ALL_CONTRACTS)


def contract_scope(viewer) -> Q | None:
    if sees_every_contract(viewer):
        return None
    parts = contract_scope_parts(viewer)
    # IN (subquery) rather than joins: the database narrows the contracts by the
    # filters' indexes first (province, period) and checks the scope on those rows
    # against two small hashed lists, instead of joining every customer and user.
    customers = None if parts.customers is None else Q(customer__in=parts.customers.values("pk"))
    terms = [t for t in (parts.reps, customers, parts.warehouse) if t is not None]
    return reduce(operator.or_, terms)


@dataclass(frozen=True)
class ScopeParts:
    """The contracts a viewer who does not see every contract sees, the union of:
    ``reps``, the reps all of whose contracts are in it (a Q on a field named ``rep``,
    so it filters the per-rep figures of ``SignedMonth`` too); ``customers``, a
    queryset of the customers all of whose contracts are in it; ``warehouse``, a Q on
    the contract's status. None: nothing through that path."""

    reps: Q | None
    customers: object
    warehouse: Q | None


def contract_scope_parts(viewer) -> ScopeParts:
    from mdss.accounts.models import User
    from mdss.customers.models import Customer

    warehouse = Q(status__in=SHIPPABLE) if viewer.has_role(roles.WAREHOUSE_KEEPER) else None
    if warehouse is not None and not viewer.has_role(*SALES):
        return ScopeParts(None, None, warehouse)
    reps = Q(rep=viewer)
    if viewer.has_role(roles.SALES_MANAGER):
        team = Q(superior=viewer)
        if viewer.department_id:
            team |= Q(department_id=viewer.department_id)
        reps |= Q(rep__in=User.objects.filter(team).values("pk"))
    return ScopeParts(reps, Customer.objects.filter(owner=viewer), warehouse)


# Who may do what to a contract they can see. Seeing is not acting: legal and
# management see every contract, but neither records a payment, a delivery or a
# signature; those are the sales team's (legal decides reviews and management
# terminations and escalated problems, each in its own service).
ACTION_ROLES = {
    "view": None,  # the scope alone
    "draft": SALES,  # terms, lines, annexes, payment plan, submission, cancellation
    "sign": SALES,  # both parties' signatures on the contract or an amendment
    "deliver": (*SALES, roles.WAREHOUSE_KEEPER),  # deliveries: the warehouse's work
    "perform": SALES,  # receipts, payments
    "amend": SALES,  # proposing, submitting and withdrawing amendments
    "problem": (*SALES, roles.MANAGEMENT),  # raising and handling performance problems
    "review": (roles.LEGAL,),  # returning and approving (with an e-signature)
    "terminate": (roles.MANAGEMENT,),  # terminating a signed contract
    "decide": (roles.MANAGEMENT,),  # deciding an escalated problem
}


def sales_side(viewer) -> bool:
    """Receivables and the installed base are the sales side's, legal's and
    management's business; the warehouse reads the contracts it ships, not what
    customers owe, and opens no device records."""
    return viewer.is_superuser or viewer.has_role(*SALES, *ALL_CONTRACTS)


def may_act(actor, action: str) -> bool:
    allowed = ACTION_ROLES[action]
    return allowed is None or actor.is_superuser or actor.has_role(*allowed)


def require_contract_access(actor, contract, action: str = "view") -> None:
    """404 unless ``actor`` sees ``contract``; 403 unless they may do ``action`` to it."""
    from .models import Contract

    scope = contract_scope(actor)
    if scope is not None and not Contract.objects.filter(scope, pk=contract.pk).exists():
        raise NotFound()
    if not may_act(actor, action):
        raise PermissionDenied(
            _("Your role may see this contract but not do this (%(action)s).")
            % {"action": ACTION_LABELS[action]}
        )


ACTION_LABELS = {
    "view": _("view"),
    "draft": _("draft"),
    "sign": _("sign"),
    "deliver": _("record deliveries"),
    "perform": _("record receipts and payments"),
    "amend": _("amend"),
    "problem": _("handle problems"),
    "review": _("review as legal"),
    "terminate": _("terminate"),
    "decide": _("decide escalated problems"),
}
