"""The home page's service card (core.dashboard): for the dispatcher and management,
requests still open, those past a deadline, follow-ups due and open improvement
actions; for an engineer, their open jobs. Each figure is the count of the list it
links to (tests/test_dashboards.py compares them)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mdss.accounts import roles
from mdss.core.dashboard import Card, Figure, figure_card


def _service_card(request):
    user = request.user
    from . import selectors

    if user.has_role(roles.SERVICE_MANAGER, roles.MANAGEMENT):
        counts = selectors.dashboard_counts(user)
        base = reverse("service:list")
        figures = [
            Figure(
                "service-open", _("Open service requests"), counts["open"], f"{base}?status=open"
            ),
            Figure(
                "service-overdue",
                _("Past a deadline"),
                counts["overdue"],
                f"{base}?status=overdue",
                tone="danger" if counts["overdue"] else "",
                note=_("contact 1 h · on site 24 h · follow-up 3 working days"),
            ),
            Figure(
                "service-follow-ups",
                _("Follow-ups due"),
                counts["follow_ups"],
                f"{base}?status=confirmed",
                tone="warning" if counts["follow_ups"] else "",
            ),
            Figure(
                "service-improvements",
                _("Open improvement actions"),
                counts["improvements"],
                reverse("service:improvements"),
            ),
        ]
        return figure_card(_("After-sales service"), "headset", figures, key="service")
    if user.has_role(roles.SERVICE_ENGINEER):
        jobs = selectors.my_jobs(user).count()
        figures = [
            Figure(
                "my-jobs",
                _("My open jobs"),
                jobs,
                reverse("service:mine"),
                tone="warning" if jobs else "",
            )
        ]
        return figure_card(_("After-sales service"), "headset", figures, key="service")
    return None


CARDS = [Card("service", "core/_figure_card.html", _service_card, order=16)]
