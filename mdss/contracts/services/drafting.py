"""Drafting a contract: header and lines, editable only while a draft."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from mdss.audit import services as audit
from mdss.core import uploads
from mdss.core.errors import FieldError, InvalidTransition, ValidationFailed, model_errors
from mdss.core.numbers import next_number
from mdss.customers.selectors import customer_get_for_user
from mdss.pricing.selectors import price_of

from ..choices import CONTRACT_CLAUSES, EDITABLE
from ..models import Attachment, Contract, ContractLine, supersede
from ..permissions import require_contract_access
from .totals import contract_totals_refresh

HEADER_FIELDS = list(CONTRACT_CLAUSES)  # what a draft's header edit may set: the clauses


def _require_draft(contract) -> None:
    """Read the state from the database: the caller's copy may be stale."""
    contract.status = Contract.objects.values_list("status", flat=True).get(pk=contract.pk)
    if contract.status not in EDITABLE:
        raise InvalidTransition(
            _("Contract %(no)s is %(status)s: its terms change only by an amendment.")
            % {"no": contract.number, "status": contract.get_status_display()}
        )


def contract_create(*, actor, customer_id: int, lines=(), **fields) -> Contract:
    """A rep drafts a contract for one of their customers (404 for anyone else's),
    with its first products if the form named them (``lines``: dicts of
    ``line_add``'s arguments; an error names ``lines.<n>.<field>``). All or nothing."""
    if not actor.has_perm("contracts.add_contract"):
        from mdss.core.errors import PermissionDenied

        raise PermissionDenied(_("Only sales staff draft contracts."))
    customer = customer_get_for_user(actor, customer_id)
    contract = Contract(customer=customer, rep=actor, province_id=customer.province_id, **fields)
    errors = model_errors(contract, exclude=["number"])
    new_lines = [_new_line(contract, **line) for line in lines]
    for n, line in enumerate(new_lines, start=1):
        errors += [
            FieldError(f"lines.{n}.{e.field}", e.code, e.message)
            for e in _line_errors(line, exclude=["contract"])
        ]
    if errors:
        raise ValidationFailed(errors=errors)
    with transaction.atomic():
        contract.number = next_number("HT")
        contract.save()
        audit.record(
            actor=actor,
            action="contracts.drafted",
            obj=contract,
            changes={"customer": customer.pk, **audit.snapshot(contract, HEADER_FIELDS)},
        )
        for line in new_lines:
            line.contract = contract
            _save_line(actor, contract, line)
    return contract


def contract_update(*, actor, contract: Contract, **fields) -> Contract:
    require_contract_access(actor, contract, "draft")
    _require_draft(contract)
    before = audit.snapshot(contract, HEADER_FIELDS)
    for name, value in fields.items():
        if name not in HEADER_FIELDS:
            raise ValidationFailed.single(name, "unknown", _("This field cannot be set here."))
        setattr(contract, name, value)
    errors = model_errors(contract)
    if errors:
        raise ValidationFailed(errors=errors)
    return audit.save_with_diff(
        actor=actor, obj=contract, before=before, action="contracts.terms_changed"
    )


def _line_errors(line, exclude=("contract",)) -> list[FieldError]:
    errors = model_errors(line, exclude=list(exclude))
    if line.adjustment_id and line.adjustment.model_id != line.model_id:
        errors.append(
            FieldError(
                "adjustment",
                "other_model",
                _("This price-adjustment request is for another model."),
            )
        )
    return errors


def line_add(
    *,
    actor,
    contract: Contract,
    model,
    quantity: int,
    unit_price,
    adjustment=None,
    requested_delivery=None,
) -> ContractLine:
    require_contract_access(actor, contract, "draft")
    _require_draft(contract)
    line = _new_line(
        contract,
        model=model,
        quantity=quantity,
        unit_price=unit_price,
        adjustment=adjustment,
        requested_delivery=requested_delivery,
    )
    errors = _line_errors(line)
    if errors:
        raise ValidationFailed(errors=errors)
    with transaction.atomic():
        _save_line(actor, contract, line)
    return line


def _new_line(
    contract, *, model, quantity, unit_price, adjustment=None, requested_delivery=None
) -> ContractLine:
    """A line at the active list's price for reference (not yet saved)."""
    entry = price_of(model.pk)
    return ContractLine(
        contract=contract,
        model=model,
        quantity=quantity,
        unit_price=unit_price,
        adjustment=adjustment,
        requested_delivery=requested_delivery,
        list_price=entry.list_price if entry else None,
    )


def _save_line(actor, contract, line) -> None:
    line.save()
    contract_totals_refresh(contract)
    audit.record(
        actor=actor,
        action="contracts.line_added",
        obj=contract,
        changes={
            "line": line.pk,
            "model": line.model_id,
            "quantity": line.quantity,
            "unit_price": line.unit_price,
        },
    )


def line_update(*, actor, line: ContractLine, **fields) -> ContractLine:
    require_contract_access(actor, line.contract, "draft")
    _require_draft(line.contract)
    tracked = ["quantity", "unit_price", "adjustment_id", "requested_delivery"]
    before = audit.snapshot(line, tracked)
    for name, value in fields.items():
        setattr(line, name, value)
    errors = _line_errors(line)
    if errors:
        raise ValidationFailed(errors=errors)
    with transaction.atomic():
        line.save()
        contract_totals_refresh(line.contract)
        audit.record(
            actor=actor,
            action="contracts.line_changed",
            obj=line.contract,
            changes={"line": line.pk, **audit.diff(before, audit.snapshot(line, tracked))},
        )
    return line


def line_remove(*, actor, line: ContractLine) -> None:
    require_contract_access(actor, line.contract, "draft")
    _require_draft(line.contract)
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="contracts.line_removed",
            obj=line.contract,
            changes={"model": line.model_id, "quantity": line.quantity},
        )
        supersede(ContractLine.objects.filter(pk=line.pk))
        contract_totals_refresh(line.contract)


MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


def attachment_add(*, actor, contract: Contract, title: str, file):
    """Annex a document to a draft; its hash joins the terms legal signs."""
    import hashlib

    from ..models import Attachment

    require_contract_access(actor, contract, "draft")
    _require_draft(contract)
    errors = []
    if not (title or "").strip():
        errors.append(FieldError("title", "required", _("Name the document.")))
    if not file:
        errors.append(FieldError("file", "required", _("Choose the file.")))
    elif file.size > MAX_ATTACHMENT_BYTES:
        errors.append(FieldError("file", "max_size", _("A file of 20 MB at most.")))
    elif message := uploads.problem(file):
        errors.append(FieldError("file", "file_type", message))
    if errors:
        raise ValidationFailed(errors=errors)
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    with transaction.atomic():
        attachment = Attachment.objects.create(
            contract=contract,
            title=title.strip(),
            file=file,
            sha256=digest.hexdigest(),
            uploaded_by=actor,
        )
        audit.record(
            actor=actor,
            action="contracts.attachment_added",
            obj=contract,
            changes={
                "attachment": attachment.pk,
                "title": attachment.title,
                "sha256": attachment.sha256,
            },
        )
    return attachment


def attachment_remove(*, actor, attachment) -> None:
    require_contract_access(actor, attachment.contract, "draft")
    _require_draft(attachment.contract)
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="contracts.attachment_removed",
            obj=attachment.contract,
            changes={"title": attachment.title, "sha256": attachment.sha256},
        )
        supersede(Attachment.objects.filter(pk=attachment.pk))
