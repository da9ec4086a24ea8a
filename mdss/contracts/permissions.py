"""Who sees which contracts (X1): reps their own (and their customers'), sales
managers their team's, legal and management all."""

from django.db.models import Q

from mdss.accounts import roles
from mdss.core.errors import NotFound

ALL_CONTRACTS = (roles.LEGAL, roles.MANAGEMENT)


def contract_scope(viewer) -> Q | None:
    if viewer.is_superuser or viewer.has_role(*ALL_CONTRACTS):
        return None
    from mdss.accounts.models import User
    from mdss.customers.models import Customer

    # IN (subquery) rather than joins: the database narrows the contracts by the
    # filters' indexes first (province, period) and checks the scope on those rows
    # against two small hashed lists, instead of joining every customer and user.
    scope = Q(rep=viewer) | Q(customer__in=Customer.objects.filter(owner=viewer).values("pk"))
    if viewer.has_role(roles.SALES_MANAGER):
        team = Q(superior=viewer)
        if viewer.department_id:
            team |= Q(department_id=viewer.department_id)
        scope |= Q(rep__in=User.objects.filter(team).values("pk"))
    return scope


def require_contract_access(actor, contract) -> None:
    from .models import Contract

    scope = contract_scope(actor)
    if scope is not None and not Contract.objects.filter(scope, pk=contract.pk).exists():
        raise NotFound()
