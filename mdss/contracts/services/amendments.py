"""Amendments (变更) of a signed contract. A signed contract is never edited: the
change is proposed, reviewed and signed like a contract, and only then applied.

    draft ── amendment_submit (complete; gates on today for what changes) ──▶ in_review
    in_review ── amendment_return (legal, comments) ──▶ draft
    in_review ── amendment_approve (legal's e-signature over the change) ──▶ approved
    approved ── amendment_sign (both parties, scan; checked again) ──▶ effective
    approved ── amendment_return (the customer wants more changes) ──▶ draft
    draft / approved ── amendment_withdraw (reason) ──▶ withdrawn

Effective: the clauses, lines and payment plan of the contract change, the terms
before and after are kept on the amendment, and the contract's timeline says so.
Quantities never drop below what was delivered, and a line is removed only if
nothing of it was delivered.
"""

from __future__ import annotations

from copy import copy
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils.translation import gettext as _

from mdss.audit import esign
from mdss.audit import services as audit
from mdss.calendars import services as clocks
from mdss.core import uploads
from mdss.core.errors import FieldError, InvalidTransition, ValidationFailed
from mdss.core.money import positive_amount
from mdss.core.workflow import lock_for_transition
from mdss.notifications.services import notify

from .. import gates
from ..choices import (
    AMENDABLE,
    AMENDMENT_TRANSITIONS,
    CONTRACT_CLAUSES,
    OPEN_AMENDMENT,
    AmendmentStatus,
)
from ..models import Amendment, Contract, ContractLine, DeliveryItem, supersede
from ..permissions import require_contract_access
from .legal import (
    REVIEW_CLOCK,
    authenticate_legal,
    review_approve,
    review_return,
    signing_date_errors,
    start_review,
    terms_snapshot,
)
from .totals import contract_totals_refresh


def _json(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _money(raw, field, errors) -> Decimal | None:
    try:
        return positive_amount(raw, field)
    except ValidationFailed as exc:
        errors.extend(exc.errors)
        return None


MAX_QUANTITY = 100_000_000


def _id(raw) -> int:
    """An id from the request, or 0 (no such row) when it is not one."""
    try:
        value = int(raw or 0)
    except (TypeError, ValueError):
        return 0
    return value if 0 < value < 2**63 else 0


def _count(raw, field, errors, minimum: int) -> int | None:
    try:
        value = int(raw)
    except (TypeError, ValueError):
        value = None
    if value is None or value < minimum:
        errors.append(
            FieldError(field, "min_value", _("A whole number of at least %(n)s.") % {"n": minimum})
        )
        return None
    if value > MAX_QUANTITY:
        errors.append(
            FieldError(field, "max_value", _("At most %(n)s.") % {"n": f"{MAX_QUANTITY:,}"})
        )
        return None
    return value


class Proposal:
    """A proposed change, normalised and checked against the contract in force."""

    def __init__(self, contract: Contract, lines: list[ContractLine], delivered: dict):
        self.contract, self.lines, self.delivered = contract, lines, delivered
        self.errors: list[FieldError] = []
        self.clauses: dict = {}
        self.line_changes: list[dict] = []
        self.new_lines: list[dict] = []
        self.instalments: list | None = None

    # -- reading what was asked ---------------------------------------------------
    def read(self, *, clauses, line_changes, new_lines, instalments) -> Proposal:
        from mdss.catalog.models import ProductModel
        from mdss.pricing.models import PriceAdjustment, PriceEntry

        self._read_clauses(clauses or {})
        wanted = [c.get("adjustment") for c in [*(line_changes or []), *(new_lines or [])]]
        self.adjustments = PriceAdjustment.objects.in_bulk([a for a in wanted if a])
        self.models = ProductModel.objects.select_related("product").in_bulk(
            [n.get("model") for n in new_lines or [] if n.get("model")]
        )
        self.list_prices = dict(
            PriceEntry.objects.filter(
                version__is_active=True, model_id__in=list(self.models)
            ).values_list("model_id", "list_price")
        )
        self._read_line_changes(line_changes or [])
        self._read_new_lines(new_lines or [])
        self._read_instalments(instalments)
        if not (self.clauses or self.line_changes or self.new_lines or self.instalments):
            self.errors.append(
                FieldError("amendment", "no_change", _("The amendment changes nothing."))
            )
        if not self.errors:
            self._check_totals()
        return self

    def _read_clauses(self, clauses: dict) -> None:
        probe = copy(self.contract)
        for name, raw in clauses.items():
            if name not in CONTRACT_CLAUSES:
                self.errors.append(
                    FieldError(f"clauses.{name}", "unknown", _("This clause cannot be changed."))
                )
                continue
            field = Contract._meta.get_field(name)
            try:
                value = field.clean(raw if raw != "" or not field.null else None, probe)
            except ValidationError as exc:
                self.errors.append(
                    FieldError(f"clauses.{name}", "invalid", "; ".join(exc.messages))
                )
                continue
            if value != getattr(self.contract, name):
                self.clauses[name] = _json(value)

    def _adjustment(self, raw, model_id, field):
        if not raw:
            return None
        adjustment = self.adjustments.get(_id(raw))
        if adjustment is None or adjustment.model_id != model_id:
            self.errors.append(
                FieldError(
                    field,
                    "other_model",
                    _("This price-adjustment request is for another model."),
                )
            )
            return None
        return adjustment.pk

    def _read_line_changes(self, changes: list[dict]) -> None:
        by_id = {line.pk: line for line in self.lines}
        for n, change in enumerate(changes, start=1):
            prefix = f"line_changes.{n}"
            line = by_id.get(_id(change.get("line")))
            if line is None:
                self.errors.append(
                    FieldError(f"{prefix}.line", "unknown", _("Not a line of this contract."))
                )
                continue
            done = self.delivered.get(line.pk, 0)
            quantity = _count(
                change.get("quantity", line.quantity), f"{prefix}.quantity", self.errors, 0
            )
            if quantity is not None and quantity < done:
                self.errors.append(
                    FieldError(
                        f"{prefix}.quantity",
                        "below_delivered",
                        _(
                            "%(model)s: %(n)s units are delivered already; the quantity cannot be lower."
                        )
                        % {"model": line.model, "n": done},
                    )
                )
            price = _money(
                change.get("unit_price", line.unit_price), f"{prefix}.unit_price", self.errors
            )
            adjustment = self._adjustment(
                change.get("adjustment", line.adjustment_id), line.model_id, f"{prefix}.adjustment"
            )
            if quantity is None or price is None:
                continue
            if (quantity, price, adjustment) != (
                line.quantity,
                line.unit_price,
                line.adjustment_id,
            ):
                self.line_changes.append(
                    {
                        "line": line.pk,
                        "quantity": quantity,
                        "unit_price": str(price),
                        "adjustment": adjustment,
                    }
                )

    def _read_new_lines(self, rows: list[dict]) -> None:
        for n, row in enumerate(rows, start=1):
            prefix = f"new_lines.{n}"
            model = self.models.get(_id(row.get("model")))
            if model is None or not model.is_active:
                self.errors.append(FieldError(f"{prefix}.model", "unknown", _("Choose a model.")))
                continue
            quantity = _count(row.get("quantity"), f"{prefix}.quantity", self.errors, 1)
            price = _money(row.get("unit_price"), f"{prefix}.unit_price", self.errors)
            adjustment = self._adjustment(row.get("adjustment"), model.pk, f"{prefix}.adjustment")
            wanted = row.get("requested_delivery") or None
            try:
                requested = date.fromisoformat(str(wanted)) if wanted else None
            except ValueError:
                requested = None
                self.errors.append(
                    FieldError(f"{prefix}.requested_delivery", "invalid", _("A date, YYYY-MM-DD."))
                )
            if quantity is not None and price is not None:
                self.new_lines.append(
                    {
                        "model": model.pk,
                        "quantity": quantity,
                        "unit_price": str(price),
                        "adjustment": adjustment,
                        "requested_delivery": _json(requested),
                    }
                )

    def _read_instalments(self, rows) -> None:
        if rows is None:
            return
        plan = []
        for n, row in enumerate(rows, start=1):
            due, amount, note = (list(row) + ["", "", ""])[:3]
            try:
                due_on = due if isinstance(due, date) else date.fromisoformat(str(due))
            except ValueError:
                self.errors.append(
                    FieldError(f"instalments.{n}.due_on", "invalid", _("A date, YYYY-MM-DD."))
                )
                continue
            value = _money(amount, f"instalments.{n}.amount", self.errors)
            if value is not None:
                plan.append([due_on.isoformat(), str(value), str(note or "")])
        self.instalments = plan

    def _check_totals(self) -> None:
        old_total = gates.money_total(self.lines)
        new_total = gates.money_total(self.proposed_lines()[0])
        paid = self.contract.payments.aggregate(s=Sum("amount"))["s"] or Decimal(0)
        if paid > new_total:
            self.errors.append(
                FieldError(
                    "lines",
                    "below_paid",
                    _("%(paid)s is paid already; the new total %(total)s cannot be lower.")
                    % {"paid": paid, "total": new_total},
                )
            )
        if self.instalments is not None:
            planned = sum((Decimal(a) for _d, a, _n in self.instalments), Decimal(0))
            if planned != new_total:
                self.errors.append(
                    FieldError(
                        "instalments",
                        "sum",
                        _("The instalments add up to %(sum)s; the contract is %(total)s.")
                        % {"sum": planned, "total": new_total},
                    )
                )
        elif new_total != old_total and self.contract.instalments.exists():
            self.errors.append(
                FieldError(
                    "instalments",
                    "required",
                    _("The total changes from %(old)s to %(new)s: give the new payment plan.")
                    % {"old": old_total, "new": new_total},
                )
            )

    # -- what the contract would be -------------------------------------------------
    @classmethod
    def of(cls, amendment: Amendment, contract, lines, delivered) -> Proposal:
        return cls(contract, lines, delivered).read(
            clauses=amendment.clauses,
            line_changes=amendment.line_changes,
            new_lines=amendment.new_lines,
            instalments=amendment.instalments,
        )

    def as_fields(self) -> dict:
        return {
            "clauses": self.clauses,
            "line_changes": self.line_changes,
            "new_lines": self.new_lines,
            "instalments": self.instalments,
        }

    def proposed_contract(self) -> Contract:
        terms = copy(self.contract)
        for name, raw in self.clauses.items():
            setattr(terms, name, Contract._meta.get_field(name).to_python(raw))
        return terms

    def proposed_lines(self) -> tuple[list[ContractLine], list[ContractLine], set[int]]:
        """(lines in force after the change, lines removed, positions re-priced)."""
        changes = {c["line"]: c for c in self.line_changes}
        kept, removed, repriced = [], [], set()
        for line in self.lines:
            change = changes.get(line.pk)
            if change is None:
                kept.append(line)
            elif change["quantity"] == 0:
                removed.append(line)
            else:
                new = copy(line)
                new.quantity, new.unit_price = change["quantity"], Decimal(change["unit_price"])
                new.adjustment = self.adjustments.get(change["adjustment"])
                kept.append(new)
                repriced.add(len(kept))
        for row in self.new_lines:
            kept.append(
                ContractLine(
                    contract=self.contract,
                    model=self.models[row["model"]],
                    quantity=row["quantity"],
                    unit_price=Decimal(row["unit_price"]),
                    adjustment=self.adjustments.get(row["adjustment"]),
                    requested_delivery=(
                        date.fromisoformat(row["requested_delivery"])
                        if row["requested_delivery"]
                        else None
                    ),
                    list_price=self.list_prices.get(row["model"]),
                )
            )
            repriced.add(len(kept))
        return kept, removed, repriced

    def gate_errors(self, on_date: date) -> list[FieldError]:
        terms = self.proposed_contract()
        lines, _removed, repriced = self.proposed_lines()
        errors = gates.completeness_errors(terms, lines)
        return errors or gates.gate_errors(terms, lines, on_date, prices=repriced)


def current_state(contract: Contract, *, lock: bool = False):
    """The lines in force and what was delivered of each."""
    query = ContractLine.objects.filter(contract=contract)
    if lock:
        # Only the lines' rows: PostgreSQL cannot lock the nullable side of the
        # outer join to the price-adjustment request.
        query = query.select_for_update(of=("self",))
    lines = list(query.select_related("model__product", "adjustment").order_by("id"))
    delivered = dict(
        DeliveryItem.objects.filter(line__contract=contract)
        .values("line_id")
        .annotate(total=Sum("quantity"))
        .values_list("line_id", "total")
    )
    return lines, delivered


def _require_amendable(contract: Contract) -> None:
    if contract.status not in AMENDABLE:
        raise InvalidTransition(
            _("Contract %(no)s is %(status)s: only a signed contract in force is amended.")
            % {"no": contract.number, "status": contract.get_status_display()}
        )


def _reason(text: str) -> str:
    if not (text or "").strip():
        raise ValidationFailed.single("reason", "required", _("Say why the contract changes."))
    return text.strip()


def amendment_create(
    *,
    actor,
    contract: Contract,
    reason: str,
    clauses: dict | None = None,
    line_changes: list | None = None,
    new_lines: list | None = None,
    instalments: list | None = None,
) -> Amendment:
    require_contract_access(actor, contract, "amend")
    text = _reason(reason)
    with transaction.atomic():
        locked = Contract.objects.select_for_update().get(pk=contract.pk)
        _require_amendable(locked)
        open_one = locked.amendments.filter(status__in=OPEN_AMENDMENT).first()
        if open_one is not None:
            raise InvalidTransition(
                _("Amendment %(no)s is still open: finish or withdraw it first.")
                % {"no": open_one.number}
            )
        proposal = Proposal(locked, *current_state(locked)).read(
            clauses=clauses, line_changes=line_changes, new_lines=new_lines, instalments=instalments
        )
        if proposal.errors:
            raise ValidationFailed(errors=proposal.errors)
        seq = (locked.amendments.aggregate(m=Max("seq"))["m"] or 0) + 1
        amendment = Amendment.objects.create(
            contract=locked, seq=seq, reason=text, created_by=actor, **proposal.as_fields()
        )
        audit.record(
            actor=actor,
            action="contracts.amendment_drafted",
            obj=locked,
            reason=text,
            changes={"amendment": amendment.number, **proposal.as_fields()},
        )
    return amendment


def amendment_update(
    *,
    actor,
    amendment: Amendment,
    reason: str,
    clauses: dict | None = None,
    line_changes: list | None = None,
    new_lines: list | None = None,
    instalments: list | None = None,
) -> Amendment:
    require_contract_access(actor, amendment.contract, "amend")
    text = _reason(reason)
    with transaction.atomic():
        locked = Amendment.objects.select_for_update().get(pk=amendment.pk)
        if locked.status != AmendmentStatus.DRAFT:
            raise InvalidTransition(
                _("Amendment %(no)s is %(status)s: only a draft is changed.")
                % {"no": locked.number, "status": locked.get_status_display()}
            )
        proposal = Proposal(locked.contract, *current_state(locked.contract)).read(
            clauses=clauses, line_changes=line_changes, new_lines=new_lines, instalments=instalments
        )
        if proposal.errors:
            raise ValidationFailed(errors=proposal.errors)
        locked.reason = text
        for name, value in proposal.as_fields().items():
            setattr(locked, name, value)
        locked.save()
        audit.record(
            actor=actor,
            action="contracts.amendment_changed",
            obj=locked.contract,
            reason=text,
            changes={"amendment": locked.number, **proposal.as_fields()},
        )
    return locked


def amendment_submit(*, actor, amendment: Amendment, today: date) -> Amendment:
    """To legal: the changed terms must be complete, and the gates hold today for the
    lines (prices only where the amendment re-prices)."""

    require_contract_access(actor, amendment.contract, "amend")
    with transaction.atomic():
        locked = lock_for_transition(amendment, AmendmentStatus.IN_REVIEW, AMENDMENT_TRANSITIONS)
        contract = locked.contract
        _require_amendable(contract)
        proposal = Proposal.of(locked, contract, *current_state(contract))
        errors = proposal.errors or proposal.gate_errors(today)
        if errors:
            raise ValidationFailed(errors=errors)
        locked.status = AmendmentStatus.IN_REVIEW
        locked.save(update_fields=["status", "updated_at"])
        audit.record(
            actor=actor,
            action="contracts.amendment_submitted",
            obj=contract,
            changes={"amendment": locked.number},
        )
        start_review(
            locked,
            actor=actor,
            subject=_("Amendment %(no)s waits for legal review") % {"no": locked.number},
            link=f"/contracts/amendments/{locked.pk}/",
        )
    return locked


def _signed_content(amendment: Amendment) -> dict:
    """What legal's signature vouches for: the change, on this contract."""
    return {
        "contract": amendment.contract.number,
        "amendment": amendment.seq,
        "reason": amendment.reason,
        "clauses": amendment.clauses,
        "line_changes": amendment.line_changes,
        "new_lines": amendment.new_lines,
        "instalments": amendment.instalments,
    }


def amendment_return(*, actor, amendment: Amendment, comment: str) -> Amendment:
    with transaction.atomic():
        locked, was = review_return(
            amendment,
            actor=actor,
            comment=comment,
            transitions=AMENDMENT_TRANSITIONS,
            clear_signature=True,
        )
        audit.record(
            actor=actor,
            action="contracts.amendment_returned",
            obj=locked.contract,
            reason=locked.legal_comment,
            changes={"amendment": locked.number, "status": {"before": was, "after": "draft"}},
        )
        notify(
            recipient=locked.created_by,
            kind="contracts.returned",
            subject=_("Amendment %(no)s returned by legal") % {"no": locked.number},
            body=locked.legal_comment,
            link=f"/contracts/amendments/{locked.pk}/",
        )
    return locked


def amendment_approve(
    *, actor, amendment: Amendment, password: str, comment: str = "", at=None
) -> Amendment:
    authenticate_legal(actor, password)  # before the transaction: failures stay counted
    with transaction.atomic():
        locked = review_approve(
            amendment,
            actor=actor,
            password=password,
            comment=comment,
            transitions=AMENDMENT_TRANSITIONS,
            meaning="contract amendment approved by legal",
            content=_signed_content,
            at=at,
        )
        audit.record(
            actor=actor,
            action="contracts.amendment_approved",
            obj=locked.contract,
            changes={"amendment": locked.number, "comment": locked.legal_comment},
        )
        notify(
            recipient=locked.created_by,
            kind="contracts.approved",
            subject=_("Amendment %(no)s approved by legal: it may be signed")
            % {"no": locked.number},
            link=f"/contracts/amendments/{locked.pk}/",
        )
    return locked


def amendment_sign(*, actor, amendment: Amendment, signed_on: date, scan, today: date) -> Amendment:
    """Both parties signed the amendment: checked again on the signing date (the
    deliveries may have moved on since), then the new terms are applied."""
    require_contract_access(actor, amendment.contract, "sign")
    if not scan:
        raise ValidationFailed.single("scan", "required", _("Upload the signed amendment."))
    uploads.check(scan, field="scan")
    if signed_on > today:
        raise ValidationFailed.single(
            "signed_on", "future", _("A signing date cannot be in the future.")
        )
    with transaction.atomic():
        # The contract first, as deliveries and payments lock it: they queue here.
        contract = Contract.objects.select_for_update().get(pk=amendment.contract_id)
        locked = lock_for_transition(amendment, AmendmentStatus.EFFECTIVE, AMENDMENT_TRANSITIONS)
        _require_amendable(contract)
        if locked.legal_signature is None or not esign.verify(
            locked.legal_signature, _signed_content(locked)
        ):
            raise ValidationFailed.single(
                "legal_signature",
                "changed",
                _("The amendment differs from what legal approved; send it for review again."),
            )
        lines, delivered = current_state(contract, lock=True)
        proposal = Proposal.of(locked, contract, lines, delivered)
        errors = proposal.errors or (
            signing_date_errors(locked, {"signed_on": signed_on})
            + proposal.gate_errors(signed_on)
            + (proposal.gate_errors(today) if today != signed_on else [])
        )
        if errors:
            raise ValidationFailed(errors=errors)
        before = terms_snapshot(contract, lines)
        _apply(proposal, contract, actor, locked)
        after = terms_snapshot(contract, current_state(contract)[0])
        locked.status, locked.signed_on, locked.signed_scan = (
            AmendmentStatus.EFFECTIVE,
            signed_on,
            scan,
        )
        locked.before, locked.after = before, after
        locked.save(
            update_fields=["status", "signed_on", "signed_scan", "before", "after", "updated_at"]
        )
        audit.record(
            actor=actor,
            action="contracts.amended",
            obj=contract,
            reason=locked.reason,
            changes={
                "amendment": locked.number,
                "signed_on": signed_on,
                "total": {"before": before["total"], "after": after["total"]},
                **audit.diff(before["clauses"], after["clauses"]),
            },
        )
        from .payments import _complete_if_done

        _complete_if_done(contract, actor)
    return locked


def _apply(proposal: Proposal, contract: Contract, actor, amendment: Amendment) -> None:
    from mdss.devices.models import InstalledDevice
    from mdss.devices.services import device_warranty_change

    from ..models import Instalment

    terms = proposal.proposed_contract()
    for name in proposal.clauses:
        setattr(contract, name, getattr(terms, name))
    if proposal.clauses:
        contract.save(update_fields=[*proposal.clauses, "updated_at"])
    lines, removed, _repriced = proposal.proposed_lines()
    supersede(
        ContractLine.objects.filter(pk__in=[line.pk for line in removed]), amendment=amendment
    )
    for line in lines:
        if line.pk is None or any(c["line"] == line.pk for c in proposal.line_changes):
            line.save()
    if proposal.instalments is not None:
        supersede(contract.instalments.all(), amendment=amendment)
        Instalment.objects.bulk_create(
            [
                Instalment(
                    contract=contract,
                    due_on=date.fromisoformat(d),
                    amount=Decimal(a),
                    note=note,
                )
                for d, a, note in proposal.instalments
            ]
        )
    contract_totals_refresh(contract)
    if "warranty_months" in proposal.clauses:
        # The warranty promised to the customer changed: so does every unit's.
        from .performance import add_months

        for device in InstalledDevice.objects.filter(delivery_items__delivery__contract=contract):
            device_warranty_change(
                actor=actor,
                device=device,
                warranty_until=add_months(device.delivered_on, contract.warranty_months),
                reason=amendment.number,
            )


def amendment_withdraw(*, actor, amendment: Amendment, reason: str) -> Amendment:
    require_contract_access(actor, amendment.contract, "amend")
    text = _reason(reason)
    with transaction.atomic():
        locked = lock_for_transition(amendment, AmendmentStatus.WITHDRAWN, AMENDMENT_TRANSITIONS)
        _close(locked, actor, text)
    return locked


def _close(amendment: Amendment, actor, reason: str) -> None:
    amendment.status = AmendmentStatus.WITHDRAWN
    amendment.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action="contracts.amendment_withdrawn",
        obj=amendment.contract,
        reason=reason,
        changes={"amendment": amendment.number},
    )


def withdraw_open(contract: Contract, actor, reason: str) -> None:
    """A terminated contract has nothing left to amend."""
    for amendment in Amendment.objects.select_for_update().filter(
        contract=contract, status__in=OPEN_AMENDMENT
    ):
        if amendment.status == AmendmentStatus.IN_REVIEW:
            clocks.clock_stop_for(subject=amendment, code=REVIEW_CLOCK, actor=actor)
        _close(amendment, actor, reason)
