"""Payments: the instalment plan and money received; a contract delivered in full
and paid in full is completed (in_performance → completed)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from mdss.audit import services as audit
from mdss.core.errors import FieldError, InvalidTransition, ValidationFailed
from mdss.core.money import positive_amount

from .. import gates
from ..choices import PAYABLE, ContractStatus
from ..models import Contract, DeliveryItem, Instalment, Payment, supersede
from ..permissions import require_contract_access
from .totals import contract_totals_refresh


def instalments_set(
    *, actor, contract: Contract, rows: list[tuple[date, object, str]]
) -> list[Instalment]:
    """Replace the plan of a draft, or set it on a signed contract that has none; the
    instalments must add up to the contract total."""
    require_contract_access(actor, contract, "draft")
    with transaction.atomic():
        locked = Contract.objects.select_for_update().get(pk=contract.pk)
        if locked.status not in (ContractStatus.DRAFT, *PAYABLE) or (
            locked.status != ContractStatus.DRAFT and locked.instalments.exists()
        ):
            raise InvalidTransition(
                _("The payment plan is part of the terms; change it with an amendment.")
            )
        total = gates.money_total(list(locked.lines.all()))
        amounts = [
            positive_amount(amount, f"instalments.{n}.amount")
            for n, (_d, amount, _note) in enumerate(rows, 1)
        ]
        if sum(amounts, Decimal(0)) != total:
            raise ValidationFailed(
                errors=[
                    FieldError(
                        "instalments",
                        "sum",
                        _("The instalments add up to %(sum)s; the contract is %(total)s.")
                        % {"sum": sum(amounts, Decimal(0)), "total": total},
                    )
                ]
            )
        supersede(locked.instalments.all())
        plan = Instalment.objects.bulk_create(
            [
                Instalment(contract=locked, due_on=d, amount=a, note=note)
                for (d, _x, note), a in zip(rows, amounts, strict=True)
            ]
        )
        contract_totals_refresh(locked)
        audit.record(
            actor=actor,
            action="contracts.instalments_set",
            obj=locked,
            changes={"instalments": [[d, a] for (d, _x, _n), a in zip(rows, amounts, strict=True)]},
        )
    return plan


def _complete_if_done(contract: Contract, actor) -> None:
    lines = list(contract.lines.all())
    ordered = sum(line.quantity for line in lines)
    delivered = (
        DeliveryItem.objects.filter(line__contract=contract).aggregate(n=Sum("quantity"))["n"] or 0
    )
    paid = contract.payments.aggregate(s=Sum("amount"))["s"] or Decimal(0)
    if (
        contract.status == ContractStatus.IN_PERFORMANCE
        and delivered >= ordered
        and paid >= gates.money_total(lines)
    ):
        contract.status = ContractStatus.COMPLETED
        contract.save(update_fields=["status", "updated_at"])
        audit.record(
            actor=actor,
            action="contracts.completed",
            obj=contract,
            changes={"paid": paid, "delivered": delivered},
        )


def payment_record(
    *, actor, contract: Contract, received_on: date, amount, reference: str = "", today: date
) -> Payment:
    require_contract_access(actor, contract, "perform")
    value = positive_amount(amount, "amount")
    if received_on > today:
        raise ValidationFailed.single(
            "received_on", "future", _("Record money once it has arrived.")
        )
    with transaction.atomic():
        locked = Contract.objects.select_for_update().get(pk=contract.pk)
        if locked.status not in PAYABLE:
            raise InvalidTransition(
                _("Contract %(no)s is %(status)s: payments are recorded for signed contracts.")
                % {"no": locked.number, "status": locked.get_status_display()}
            )
        if locked.signed_on and received_on < locked.signed_on:
            raise ValidationFailed.single(
                "received_on",
                "before_signing",
                _("The contract was signed on %(date)s; a payment cannot be earlier.")
                % {"date": locked.signed_on},
            )
        total = gates.money_total(list(locked.lines.all()))
        paid = locked.payments.aggregate(s=Sum("amount"))["s"] or Decimal(0)
        if paid + value > total:
            raise ValidationFailed.single(
                "amount",
                "overpaid",
                _("Only %(left)s of %(total)s is still open.")
                % {"left": total - paid, "total": total},
            )
        payment = Payment.objects.create(
            contract=locked,
            received_on=received_on,
            amount=value,
            reference=reference.strip(),
            recorded_by=actor,
        )
        contract_totals_refresh(locked)
        audit.record(
            actor=actor,
            action="contracts.paid",
            obj=locked,
            changes={
                "amount": value,
                "received_on": received_on,
                "paid": paid + value,
                "total": total,
            },
        )
        _complete_if_done(locked, actor)
    return payment
