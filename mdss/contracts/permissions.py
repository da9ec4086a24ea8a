"""Who sees which contracts (X1): reps their own (and their customers'), sales
managers their team's, legal and management all."""

from django.db.models import Q

from mdss.accounts import roles
from mdss.core.errors import NotFound

ALL_CONTRACTS = (roles.LEGAL, roles.MANAGEMENT)


def contract_scope(viewer) -> Q | None:
    if viewer.is_superuser or viewer.has_role(*ALL_CONTRACTS):
        return None
    scope = Q(rep=viewer) | Q(customer__owner=viewer)
    if viewer.has_role(roles.SALES_MANAGER):
        scope |= Q(rep__superior=viewer)
        if viewer.department_id:
            scope |= Q(rep__department_id=viewer.department_id)
    return scope


def require_contract_access(actor, contract) -> None:
    from .models import Contract

    scope = contract_scope(actor)
    if scope is not None and not Contract.objects.filter(scope, pk=contract.pk).exists():
        raise NotFound()
