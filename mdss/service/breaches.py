"""What the service app does when a request misses a deadline (calendars' breach
hook, after the sweep committed): the request's timeline records it and every
dispatcher covering the customer's province (every dispatcher when none does) hears
of it at once, so someone can step in while the sweep's ladder escalates to the
responsible person's superior and then management."""

from django.db.models import Q
from django.utils.translation import gettext as _


def request_deadline_missed(object_id: int, clock) -> None:
    from mdss.accounts import roles
    from mdss.accounts.models import User
    from mdss.audit import services as audit
    from mdss.notifications.services import notify_many

    from .models import ServiceRequest

    request = ServiceRequest.objects.filter(pk=object_id).select_related("customer").first()
    if request is None:
        return
    audit.record(
        actor=None,
        action="service.deadline_missed",
        obj=request,
        changes={"code": clock.code, "due_at": clock.due_at},
    )
    dispatchers = User.objects.filter(groups__name=roles.SERVICE_MANAGER, is_active=True)
    province = request.customer.province_id
    local = dispatchers.filter(
        pk__in=User.objects.filter(Q(regions=province) | Q(regions__parent=province)).values("pk")
    )
    notify_many(
        local if local.exists() else dispatchers,
        kind="service.breach",
        subject=_("%(no)s missed its deadline: %(target)s")
        % {"no": request.number, "target": clock.target.name},
        body=request.symptom[:500],
        link=f"/service/{request.pk}/",
    )
