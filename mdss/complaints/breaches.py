"""What the complaints app does when a complaint misses a deadline (calendars' breach
hook, after the sweep committed): the complaint's timeline records it, and quality
and management hear of it at once; a major complaint without its special team after
48 hours is management's to take up (A14). The sweep's ladder escalates to the
handler's superior as for every clock."""

from django.utils.translation import gettext as _


def complaint_deadline_missed(object_id: int, clock) -> None:
    from mdss.accounts import roles
    from mdss.audit import services as audit

    from .choices import TEAM_CLOCK
    from .models import Complaint
    from .services.common import notify_role

    complaint = Complaint.objects.filter(pk=object_id).first()
    if complaint is None:
        return
    audit.record(
        actor=None,
        action="complaint.deadline_missed",
        obj=complaint,
        changes={"code": clock.code, "due_at": clock.due_at},
    )
    subject = _("%(no)s missed its deadline: %(target)s") % {
        "no": complaint.number,
        "target": clock.target.name,
    }
    notify_role(roles.QUALITY, complaint, subject, kind="complaint.breach")
    if clock.code == TEAM_CLOCK:
        notify_role(
            roles.MANAGEMENT,
            complaint,
            _("Escalated: major complaint %(no)s has no special team after 48 hours")
            % {"no": complaint.number},
            kind="complaint.escalated",
        )
