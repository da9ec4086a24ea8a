"""What happens next after an action on a contract, and who acts: the success message
of each page action (issue 15 §4).

A read, called by the views after the service committed: it looks at the contract as
it now stands — the deadline clock the action started (legal review, a problem), the
contract's delivery deadline, its next unpaid instalment — and names the person who
acts next: the clock's responsible person, else the contract's rep; where nobody
specific answers for the step (management deciding an escalated problem, legal when
no reviewer is active), the role. A few queries per message, none per line.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from mdss.accounts import roles
from mdss.calendars.choices import ClockStatus, TimeUnit

from .choices import ContractStatus
from .models import Contract, DeliveryItem


def _due(clock) -> str:
    """A clock's deadline as people read it: the day for working-day targets (they end
    at the end of that day), the day and the time for hour targets."""
    local = timezone.localtime(clock.due_at)
    if clock.unit == TimeUnit.WORKING_DAYS:
        return local.date().isoformat()
    return local.strftime("%Y-%m-%d %H:%M")


def _running_clock(subject, code: str):
    from mdss.calendars.selectors import clocks_for

    return (
        clocks_for(subject)
        .filter(code=code, status=ClockStatus.RUNNING)
        .order_by("-started_at")
        .first()
    )


def _who(clock, fallback_role: str) -> str:
    if clock is not None and clock.responsible is not None:
        return str(clock.responsible)
    return roles.role_label(fallback_role)


def _money(amount) -> str:
    return f"¥{Decimal(amount):,.2f}"


def _reload(contract) -> Contract:
    return Contract.objects.select_related("rep").get(pk=contract.pk)


def after_submit(contract) -> str:
    from .services.legal import REVIEW_CLOCK

    clock = _running_clock(contract, REVIEW_CLOCK)
    if clock is None:  # no active policy target: nobody is on the clock
        return _("Submitted for legal review; %(who)s reviews it.") % {
            "who": roles.role_label(roles.LEGAL)
        }
    return _("Submitted for legal review; %(who)s must finish by %(due)s.") % {
        "who": _who(clock, roles.LEGAL),
        "due": _due(clock),
    }


def after_return(contract) -> str:
    contract = _reload(contract)
    return _(
        "Returned to %(who)s with the comments; they revise the draft and submit it again."
    ) % {"who": contract.rep}


def after_approve(contract) -> str:
    contract = _reload(contract)
    return _("Approved by legal; %(who)s now has both parties sign and records the signatures.") % {
        "who": contract.rep
    }


def after_sign(contract) -> str:
    contract = _reload(contract)
    if contract.delivery_deadline:
        message = _("Signed; %(who)s delivers the goods by %(due)s.") % {
            "who": contract.rep,
            "due": contract.delivery_deadline.isoformat(),
        }
    else:
        message = _("Signed; %(who)s records the deliveries.") % {"who": contract.rep}
    if not contract.instalments.exists():
        message += " " + _("Set the payment plan on the Payments tab.")
    return message


def after_deliver(contract) -> str:
    contract = _reload(contract)
    ordered = contract.lines.aggregate(n=Sum("quantity"))["n"] or 0
    delivered = (
        DeliveryItem.objects.filter(line__contract=contract).aggregate(n=Sum("quantity"))["n"] or 0
    )
    left = ordered - delivered
    if left > 0 and contract.delivery_deadline:
        return _(
            "Delivery recorded; %(who)s records the customer's receipt and delivers "
            "the %(left)s units left by %(due)s."
        ) % {"who": contract.rep, "left": left, "due": contract.delivery_deadline.isoformat()}
    if left > 0:
        return _(
            "Delivery recorded; %(who)s records the customer's receipt and delivers "
            "the %(left)s units left."
        ) % {"who": contract.rep, "left": left}
    return _(
        "Delivery recorded: everything is delivered. %(who)s records the customer's "
        "receipt and follows up the payments."
    ) % {"who": contract.rep}


def after_receipt(contract) -> str:
    contract = _reload(contract)
    return _("Receipt confirmed; %(who)s follows up the payments.") % {"who": contract.rep}


def after_pay(contract) -> str:
    contract = _reload(contract)
    if contract.status == ContractStatus.COMPLETED:
        return _("Payment recorded: delivered and paid in full, the contract is completed.")
    lines = list(contract.lines.all())
    total = sum((line.amount for line in lines), Decimal("0.00"))
    paid = contract.payments.aggregate(s=Sum("amount"))["s"] or Decimal("0.00")
    running = Decimal("0.00")
    for instalment in contract.instalments.order_by("due_on", "id"):
        running += instalment.amount
        if running > paid:
            return _(
                "Payment recorded; %(left)s is still open. The next instalment is due on "
                "%(due)s; %(who)s follows it up."
            ) % {
                "left": _money(total - paid),
                "due": instalment.due_on.isoformat(),
                "who": contract.rep,
            }
    if paid >= total:
        return _("Payment recorded: paid in full; %(who)s completes the deliveries.") % {
            "who": contract.rep
        }
    return _("Payment recorded; %(left)s is still open; %(who)s follows it up.") % {
        "left": _money(total - paid),
        "who": contract.rep,
    }


def after_cancel(contract) -> str:
    return _("Contract cancelled: it stays in the ledger and nobody needs to act on it.")


def after_terminate(contract) -> str:
    return _(
        "Contract terminated: open amendments were withdrawn; nobody needs to act on it "
        "unless a problem is still open."
    )


def after_raise_problem(contract) -> str:
    from .services.problems import PROBLEM_CLOCK

    contract = _reload(contract)
    problem = contract.problems.order_by("-pk").first()
    clock = _running_clock(problem, PROBLEM_CLOCK) if problem is not None else None
    if clock is None:
        return _("Problem recorded; %(who)s handles it with the customer.") % {"who": contract.rep}
    return _(
        "Problem recorded; %(who)s must resolve it with the customer by %(due)s, "
        "or it goes to management."
    ) % {"who": _who(clock, roles.SALES_REP), "due": _due(clock)}


def after_line_added(contract) -> str:
    contract = _reload(contract)
    return _(
        "Product added; when the terms are complete %(who)s submits the contract for legal review."
    ) % {"who": contract.rep}


def after_plan(contract) -> str:
    contract = _reload(contract)
    if contract.status == ContractStatus.DRAFT:
        return _("Payment plan saved; next %(who)s submits the contract for legal review.") % {
            "who": contract.rep
        }
    return _("Payment plan saved; %(who)s follows up each instalment.") % {"who": contract.rep}


def after_create(contract) -> str:
    return _("Draft %(no)s created. Next: the payment plan, then submit it for legal review.") % {
        "no": contract.number
    }


CONTRACT_MESSAGES = {
    "edit": after_line_added,
    "submit": after_submit,
    "return": after_return,
    "approve": after_approve,
    "sign": after_sign,
    "deliver": after_deliver,
    "confirm_receipt": after_receipt,
    "pay": after_pay,
    "cancel": after_cancel,
    "terminate": after_terminate,
    "raise_problem": after_raise_problem,
    "plan": after_plan,
}


def after_contract_action(name: str, contract) -> str:
    """The success message of action ``name`` on ``contract``; "Saved." for an action
    whose next step needs no words (an annex added)."""
    make = CONTRACT_MESSAGES.get(name)
    return make(contract) if make else _("Saved.")


# Problems: who acts after each step.


def after_problem(name: str, problem) -> str:
    if name == "escalate":
        return _("Escalated; %(who)s decides how to settle it.") % {
            "who": roles.role_label(roles.MANAGEMENT)
        }
    if name == "resolve":
        return _("Problem resolved; nobody needs to act on it any more.")
    if name == "decide":
        return _("Decision recorded; %(who)s carries it out with the customer.") % {
            "who": problem.contract.rep
        }
    return _("Saved.")


# Amendments: the same steps as a contract's.


def after_amendment(name: str, amendment) -> str:
    from .models import Amendment
    from .services.legal import REVIEW_CLOCK

    amendment = Amendment.objects.select_related("contract__rep").get(pk=amendment.pk)
    rep = amendment.contract.rep
    if name == "submit":
        clock = _running_clock(amendment, REVIEW_CLOCK)
        if clock is None:
            return _("Submitted for legal review; %(who)s reviews it.") % {
                "who": roles.role_label(roles.LEGAL)
            }
        return _("Submitted for legal review; %(who)s must finish by %(due)s.") % {
            "who": _who(clock, roles.LEGAL),
            "due": _due(clock),
        }
    if name == "approve":
        return _(
            "Approved by legal; %(who)s now has both parties sign and records the signatures."
        ) % {"who": rep}
    if name == "return":
        return _(
            "Returned to %(who)s with the comments; they revise the draft and submit it again."
        ) % {"who": rep}
    if name == "sign":
        return _("The amendment is in force; %(who)s performs the contract on its new terms.") % {
            "who": rep
        }
    if name == "withdraw":
        return _("Amendment withdrawn: the terms in force stay as they were.")
    return _("Saved.")
