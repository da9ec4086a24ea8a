"""The bare baseline: the cheapest Django endpoints that touch the database.

Later targets are stated as ratios to these, measured in the same run on the same
machine, so the figures survive a change of hardware.
"""

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from mdss.core.middleware import login_not_required

from .models import BaselineRow


@csrf_exempt
@login_not_required
def insert_one(request):
    row = BaselineRow.objects.create(name="x")
    return JsonResponse({"id": row.pk})


@csrf_exempt
@login_not_required
def insert_audited(request):
    """The bare insert plus its audit event in one transaction: what the audit trail
    alone costs an HTTP write (no authentication, scope or validation around it)."""
    from django.db import transaction

    from mdss.audit.services import record

    with transaction.atomic():
        row = BaselineRow.objects.create(name="x")
        record(actor=None, action="bench.insert", obj=row)
    return JsonResponse({"id": row.pk})


@login_not_required
def read_one(request, pk):
    row = BaselineRow.objects.filter(pk=pk).values("id", "name").first()
    return JsonResponse(row or {})
