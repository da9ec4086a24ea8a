"""What quality does when an adverse-event report misses its statutory deadline
(calendars' breach hook, after the sweep committed): the report's timeline records it
and management hears at once, beside the sweep's own ladder (the responsible
quality officer's superior)."""

from django.utils.translation import gettext as _


def ae_deadline_missed(object_id: int, clock) -> None:
    from mdss.accounts import roles
    from mdss.audit import services as audit

    from .models import AdverseEvent
    from .services.common import notify_role

    event = AdverseEvent.objects.filter(pk=object_id).first()
    if event is None:
        return
    audit.record(
        actor=None,
        action="quality.ae_deadline_missed",
        obj=event,
        changes={"code": clock.code, "due_at": clock.due_at},
    )
    subject = _("Escalated: adverse event %(no)s was not reported by %(due)s") % {
        "no": event.number,
        "due": f"{clock.due_at:%Y-%m-%d %H:%M}",
    }
    link = f"/quality/adverse-events/{event.pk}/"
    for role in (roles.QUALITY, roles.MANAGEMENT):
        notify_role(role, subject, event.narrative, link, kind="quality.ae_escalated")
