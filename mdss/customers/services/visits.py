"""Activities, quarterly return visits (S7) and the feedback they raise.

Feedback: open → acted on → closed (with the decision); open → closed directly when
the decision is not to act. Acting is the owning rep's or a manager's; closing,
which decides on the sales strategy, is a manager's.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mdss.audit import services as audit
from mdss.calendars import engine
from mdss.calendars.selectors import active_policy, cadence
from mdss.core.errors import FieldError, PermissionDenied, ValidationFailed
from mdss.core.prepared import PreparedInsert
from mdss.core.workflow import lock_for_transition
from mdss.notifications.services import notify

from ..choices import FEEDBACK_TRANSITIONS, CustomerStatus, FeedbackCategory, FeedbackStatus
from ..models import Activity, Customer, Feedback, ReturnVisit
from ..permissions import may_act, require_customers_action
from ._common import full_clean, require_in_scope, require_perm

VISIT_FIELDS = [
    "customer_id",
    "visited_on",
    "method",
    "visitor_id",
    "contact_id",
    "product_use",
    "satisfaction",
    "feedback",
    "follow_up",
]


# Reps record activities all day, through the API too: the INSERT is compiled once.
_insert_activity = PreparedInsert(Activity)


def activity_record(*, actor, activity: Activity, today: date) -> Activity:
    require_perm(actor, "add_activity")
    require_in_scope(actor, activity.customer)
    activity.recorded_by = actor
    # The customer row was just found (or found in scope): validating its key again
    # would be one more query for nothing.
    full_clean(activity, exclude=["recorded_by", "customer"])
    errors = []
    if activity.occurred_on > today:
        errors.append(
            FieldError("occurred_on", "future", _("Record what happened, not what is planned."))
        )
    if activity.next_step_on and activity.next_step_on < activity.occurred_on:
        errors.append(
            FieldError("next_step_on", "after_activity", _("The next step comes after it."))
        )
    if errors:
        raise ValidationFailed(errors=errors)
    # One statement with its event where the database allows (audit.batch).
    with audit.batch() as writes:
        writes.insert(_insert_activity, activity)
        audit.record(
            actor=actor,
            action="customers.activity_recorded",
            obj=activity.customer,
            changes={"activity": activity.pk, "kind": activity.kind, "on": activity.occurred_on},
        )
    return activity


def _next_due(customer: Customer, months: int):
    return engine.cadence_due(customer.last_visit_on, customer.became_existing_on, months)


def visit_record(
    *,
    actor,
    visit: ReturnVisit,
    today: date,
    flag_for_strategy: bool = False,
    feedback_category: str = FeedbackCategory.OTHER,
) -> ReturnVisit:
    """Record a return visit, re-plan the customer's next due date, and put flagged
    feedback on the strategy list."""
    require_perm(actor, "add_returnvisit")
    require_in_scope(actor, visit.customer)
    if not visit.visitor_id:
        visit.visitor = actor
    visit.policy = active_policy()
    full_clean(visit, exclude=["policy"], validate_constraints=False)
    errors = []
    if visit.customer.status != CustomerStatus.EXISTING:
        errors.append(
            FieldError(
                "customer",
                "potential",
                _("Return visits are for existing customers; record an activity instead."),
            )
        )
    if visit.visited_on > today:
        errors.append(FieldError("visited_on", "future", _("A visit cannot be in the future.")))
    if visit.contact_id and visit.contact.customer_id != visit.customer_id:
        errors.append(FieldError("contact", "other_customer", _("Not a contact of this customer.")))
    if flag_for_strategy and not visit.feedback.strip():
        errors.append(
            FieldError("feedback", "required", _("Write the feedback that should be acted on."))
        )
    if feedback_category not in FeedbackCategory.values:
        errors.append(FieldError("feedback_category", "choice", _("Unknown category.")))
    if errors:
        raise ValidationFailed(errors=errors)
    with transaction.atomic():
        customer = Customer.objects.select_for_update().get(pk=visit.customer_id)
        visit.save()
        if customer.last_visit_on is None or visit.visited_on > customer.last_visit_on:
            customer.last_visit_on = visit.visited_on
        before_due = customer.next_visit_due
        customer.next_visit_due = _next_due(
            customer, cadence("customers.return_visit").period_months
        )
        customer.save(update_fields=["last_visit_on", "next_visit_due", "updated_at"])
        audit.record(
            actor=actor,
            action="customers.visit_recorded",
            obj=visit,
            changes={
                **audit.snapshot(visit, VISIT_FIELDS),
                "next_visit_due": {"before": before_due, "after": customer.next_visit_due},
            },
        )
        if flag_for_strategy:
            _raise(actor, customer, feedback_category, visit.feedback, visit)
    return visit


def _raise(actor, customer, category, text, visit=None) -> Feedback:
    feedback = Feedback.objects.create(
        customer=customer, visit=visit, category=category, text=text.strip(), raised_by=actor
    )
    audit.record(
        actor=actor,
        action="customers.feedback_raised",
        obj=feedback,
        changes={"customer": customer.pk, "category": category, "text": feedback.text},
    )
    manager = customer.owner.superior
    if manager is not None and manager != actor:
        notify(
            recipient=manager,
            kind="customers.feedback",
            subject=_("Feedback for the sales strategy from %(customer)s") % {"customer": customer},
            body=feedback.text,
            link="/customers/feedback/",
        )
    return feedback


def feedback_raise(*, actor, customer: Customer, category: str, text: str) -> Feedback:
    require_perm(actor, "add_feedback")
    require_in_scope(actor, customer)
    if not (text or "").strip():
        raise ValidationFailed.single("text", "required", _("Write the feedback."))
    if category not in FeedbackCategory.values:
        raise ValidationFailed.single("category", "choice", _("Unknown category."))
    with transaction.atomic():
        return _raise(actor, customer, category, text)


def feedback_act(*, actor, feedback: Feedback, action: str) -> Feedback:
    """Say what was done about it (the owning rep or a manager)."""
    require_perm(actor, "change_feedback")
    require_in_scope(actor, feedback.customer)
    require_customers_action(actor, "act_on_feedback")
    if not (action or "").strip():
        raise ValidationFailed.single("action", "required", _("Say what was done."))
    with transaction.atomic():
        locked = lock_for_transition(feedback, FeedbackStatus.ACTED_ON, FEEDBACK_TRANSITIONS)
        locked.status = FeedbackStatus.ACTED_ON
        locked.action = action.strip()
        locked.save(update_fields=["status", "action", "updated_at"])
        audit.record(
            actor=actor,
            action="customers.feedback_acted_on",
            obj=locked,
            changes={"status": {"before": "open", "after": "acted_on"}, "action": locked.action},
        )
    return locked


def feedback_close(*, actor, feedback: Feedback, decision: str) -> Feedback:
    """Close with the decision on the sales strategy (a manager's call)."""
    require_perm(actor, "change_feedback")
    require_in_scope(actor, feedback.customer)
    if not may_act(actor, "decide_feedback"):
        raise PermissionDenied(_("A sales manager decides on feedback."))
    if not (decision or "").strip():
        raise ValidationFailed.single("decision", "required", _("Write the decision."))
    with transaction.atomic():
        locked = lock_for_transition(feedback, FeedbackStatus.CLOSED, FEEDBACK_TRANSITIONS)
        before = locked.status
        locked.status = FeedbackStatus.CLOSED
        locked.decision = decision.strip()
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decision", "decided_by", "decided_at", "updated_at"])
        audit.record(
            actor=actor,
            action="customers.feedback_closed",
            obj=locked,
            changes={"status": {"before": before, "after": "closed"}, "decision": locked.decision},
        )
        if locked.raised_by != actor:
            notify(
                recipient=locked.raised_by,
                kind="customers.feedback_closed",
                subject=_("Decision on feedback from %(customer)s") % {"customer": locked.customer},
                body=locked.decision,
                link="/customers/feedback/",
            )
    return locked


def visit_due_replan(*, customer_ids=None) -> int:
    """Re-plan next due dates under the active cadence (after a policy change)."""
    months = cadence("customers.return_visit").period_months
    rows = Customer.objects.filter(status=CustomerStatus.EXISTING)
    if customer_ids is not None:
        rows = rows.filter(pk__in=list(customer_ids))
    changed = []
    for customer in rows.only("pk", "last_visit_on", "became_existing_on", "next_visit_due"):
        due = _next_due(customer, months)
        if due != customer.next_visit_due:
            customer.next_visit_due = due
            changed.append(customer)
    with transaction.atomic():
        Customer.objects.bulk_update(changed, ["next_visit_due"], batch_size=2000)
        if changed:
            audit.record(
                actor=None,
                action="customers.visits_replanned",
                changes={"customers": len(changed), "period_months": months},
            )
    return len(changed)


# Reps hear about the customers still to visit in the last weeks of a period.
REMINDER_DAYS_BEFORE_PERIOD_END = 30


def visit_reminder_sweep(*, today: date) -> int:
    """One digest per rep and week: overdue customers, and those due this period once
    the period has less than a month to go. Notifications are de-duplicated per week."""
    from django.db.models import Count
    from django.db.models import Q as _Q

    from mdss.accounts.models import User

    months = cadence("customers.return_visit").period_months
    _start, end = engine.period_bounds(today, months)
    closing = (end - today).days < REMINDER_DAYS_BEFORE_PERIOD_END
    limit = end if closing else today - _one_day()
    counts = (
        Customer.objects.filter(status=CustomerStatus.EXISTING, next_visit_due__lte=limit)
        .values("owner_id")
        .annotate(due=Count("id"), overdue=Count("id", filter=_Q(next_visit_due__lt=today)))
    )
    week = today.isocalendar()
    owners = {u.pk: u for u in User.objects.filter(pk__in=[c["owner_id"] for c in counts])}
    sent = 0
    for row in counts:
        owner = owners[row["owner_id"]]
        if not owner.is_active:
            continue
        sent += bool(
            notify(
                recipient=owner,
                kind="customers.visits_due",
                subject=_("Return visits: %(due)s due by %(end)s, %(overdue)s overdue")
                % {"due": row["due"], "end": end, "overdue": row["overdue"]},
                link="/customers/visits/",
                dedupe_key=f"customers.visits_due:{owner.pk}:{week.year}-{week.week}",
            )
        )
    return sent


def _one_day():
    from datetime import timedelta

    return timedelta(days=1)
