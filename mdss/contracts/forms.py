from dataclasses import dataclass
from functools import cached_property

from django import forms
from django.utils.translation import gettext_lazy as _

from mdss.catalog.models import ProductModel
from mdss.core.forms import DateInput
from mdss.core.uploads import document_validator
from mdss.pricing.models import PriceAdjustment

from .choices import CONTRACT_CLAUSES, ProblemDecision, ProblemKind
from .models import Contract


class ContractForm(forms.ModelForm):
    class Meta:
        model = Contract
        fields = list(CONTRACT_CLAUSES)
        widgets = {
            "delivery_deadline": DateInput(),
            "payment_terms": forms.Textarea(attrs={"rows": 2}),
            "quality_standard": forms.Textarea(attrs={"rows": 2}),
            "after_sales_terms": forms.Textarea(attrs={"rows": 2}),
            "other_clauses": forms.Textarea(attrs={"rows": 2}),
        }


class LineForm(forms.Form):
    """A product line. The model is chosen with the type-ahead picker
    (``contracts:product_search``), which fills this hidden field, the list price and
    an approved price-adjustment request; no 40-entry drop-down."""

    model = forms.ModelChoiceField(
        label=_("model"),
        queryset=ProductModel.objects.filter(is_active=True)
        .select_related("product")
        .order_by("product__name", "code"),
        widget=forms.HiddenInput,
        error_messages={"required": _("Choose a product: type part of its model or name.")},
    )
    quantity = forms.IntegerField(label=_("quantity"), min_value=1)
    unit_price = forms.DecimalField(
        label=_("unit price (CNY, tax included)"), min_value=0.01, decimal_places=2
    )
    adjustment = forms.ModelChoiceField(
        label=_("price-adjustment request"), required=False, queryset=None
    )
    requested_delivery = forms.DateField(
        label=_("requested delivery date"), required=False, widget=DateInput()
    )

    def __init__(self, *args, contract=None, customer=None, required=True, **kwargs):
        super().__init__(*args, **kwargs)
        customer = customer if customer is not None else contract.customer
        self.customer, self.contract = customer, contract
        self.fields["adjustment"].queryset = PriceAdjustment.objects.filter(
            customer=customer, status="approved"
        ).select_related("model__product")
        if not required:  # the create form's first product is optional
            for name in ("model", "quantity", "unit_price"):
                self.fields[name].required = False

    @cached_property
    def picked(self):
        """The model chosen (bound or initial) with its list price, to show it again
        after a refusal."""
        from mdss.pricing.selectors import price_of

        raw = (
            self.data.get(self.add_prefix("model")) if self.is_bound else self.initial.get("model")
        )
        try:
            pk = int(getattr(raw, "pk", raw) or 0)
        except (TypeError, ValueError):
            return None
        model = self.fields["model"].queryset.filter(pk=pk).first() if pk else None
        if model is not None:
            entry = price_of(model.pk)
            model.list_price = entry.list_price if entry else None
        return model

    def line(self) -> dict | None:
        """The service's arguments, or None when no product was chosen."""
        data = self.cleaned_data
        if not data.get("model"):
            return None
        return {
            k: data.get(k)
            for k in ("model", "quantity", "unit_price", "adjustment", "requested_delivery")
        }

    def clean(self):
        data = super().clean()
        if data.get("model") and not self.fields["quantity"].required:
            for name in ("quantity", "unit_price"):
                if data.get(name) in (None, ""):
                    self.add_error(name, self.fields[name].error_messages["required"])
        return data


class PlanForm(forms.Form):
    """The payment plan (分期付款计划): up to PLAN_ROWS instalments, empty rows ignored."""

    PLAN_ROWS = 4

    def __init__(self, *args, rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for n in range(1, self.PLAN_ROWS + 1):
            initial = rows[n - 1] if n <= len(rows) else (None, None, "")
            self.fields[f"instalments.{n}.due_on"] = forms.DateField(
                label=_("due on"), required=False, widget=DateInput(), initial=initial[0]
            )
            self.fields[f"instalments.{n}.amount"] = forms.DecimalField(
                label=_("amount (CNY)"),
                required=False,
                min_value=0.01,
                decimal_places=2,
                initial=initial[1],
            )
            self.fields[f"instalments.{n}.note"] = forms.CharField(
                label=_("note"), required=False, max_length=100, initial=initial[2]
            )
            self.rows.append([self[f"instalments.{n}.{k}"] for k in ("due_on", "amount", "note")])

    def clean(self):
        data = super().clean()
        for n in range(1, self.PLAN_ROWS + 1):
            due, amount = data.get(f"instalments.{n}.due_on"), data.get(f"instalments.{n}.amount")
            if (due is None) != (amount is None):
                missing = "due_on" if due is None else "amount"
                self.add_error(
                    f"instalments.{n}.{missing}", _("An instalment has a date and an amount.")
                )
        return data

    def instalments(self) -> list[tuple]:
        data = self.cleaned_data
        return [
            (
                data[f"instalments.{n}.due_on"],
                data[f"instalments.{n}.amount"],
                data.get(f"instalments.{n}.note") or "",
            )
            for n in range(1, self.PLAN_ROWS + 1)
            if data.get(f"instalments.{n}.due_on") is not None
        ]


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("comments"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ApproveForm(CommentForm):
    password = forms.CharField(label=_("Your password (e-signature)"), widget=forms.PasswordInput)


class SignForm(forms.Form):
    signed_on = forms.DateField(label=_("signed by us on"), widget=DateInput())
    customer_signed_on = forms.DateField(label=_("signed by the customer on"), widget=DateInput())
    scan = forms.FileField(label=_("signed contract (scan)"), validators=[document_validator])


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("cancellation reason"), widget=forms.Textarea(attrs={"rows": 2})
    )


class TerminateForm(forms.Form):
    reason = forms.CharField(
        label=_("termination reason"), widget=forms.Textarea(attrs={"rows": 2})
    )
    on = forms.DateField(label=_("terminated on"), widget=DateInput())


# The ledger's filters live in filters.py (shared with the API); the pages import them here.
from .filters import LedgerFilterForm  # noqa: E402, F401

DOCUMENT_CHOICES = [
    ("ifu", _("instructions for use")),
    ("label", _("label")),
    ("coc", _("certificate of conformity")),
]


class DeliveryForm(forms.Form):
    """One row per line still to deliver (quantity, scans one per row, site) and the
    document checklist per model."""

    delivered_on = forms.DateField(label=_("delivered on"), widget=DateInput())
    carrier = forms.CharField(label=_("carrier"), required=False)
    tracking_number = forms.CharField(label=_("tracking number"), required=False)

    def __init__(self, *args, lines, remaining, **kwargs):
        super().__init__(*args, **kwargs)
        self.line_rows = []
        models = {}
        for line in lines:
            left = remaining.get(line.pk, line.quantity)
            if left <= 0:
                continue
            self.fields[f"q_{line.pk}"] = forms.IntegerField(
                label=str(line.model), min_value=0, max_value=left, required=False, initial=left
            )
            self.fields[f"units_{line.pk}"] = forms.CharField(
                label=_("serials or UDIs, one per row"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off"}),
            )
            self.fields[f"site_{line.pk}"] = forms.CharField(
                label=_("site (department, room)"), required=False
            )
            self.line_rows.append(
                (
                    line,
                    left,
                    self[f"q_{line.pk}"],
                    self[f"units_{line.pk}"],
                    self[f"site_{line.pk}"],
                )
            )
            models[line.model_id] = line.model
        self.document_rows = []
        for model_id, model in models.items():
            self.fields[f"docs_{model_id}"] = forms.MultipleChoiceField(
                label=str(model),
                choices=DOCUMENT_CHOICES,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            self.document_rows.append(self[f"docs_{model_id}"])
        self._lines = {line.pk: line for line, *_rest in self.line_rows}

    def clean(self):
        data = super().clean()
        data["items"], data["documents"] = self.items(), self.documents()
        return data

    def items(self) -> list[dict]:
        rows = []
        for pk in self._lines:
            quantity = self.cleaned_data.get(f"q_{pk}") or 0
            if quantity:
                units = [
                    u.strip()
                    for u in (self.cleaned_data.get(f"units_{pk}") or "").splitlines()
                    if u.strip()
                ]
                rows.append(
                    {
                        "line_id": pk,
                        "quantity": quantity,
                        "units": units,
                        "site": self.cleaned_data.get(f"site_{pk}", ""),
                    }
                )
        return rows

    def documents(self) -> dict:
        return {
            int(name.removeprefix("docs_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("docs_")
        }


class PaymentForm(forms.Form):
    received_on = forms.DateField(label=_("received on"), widget=DateInput())
    amount = forms.DecimalField(label=_("amount (CNY)"), min_value=0.01, decimal_places=2)
    reference = forms.CharField(label=_("bank reference"), required=False)


class ProblemForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=ProblemKind.choices)
    description = forms.CharField(
        label=_("what happened"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ProblemNoteForm(forms.Form):
    """A note, the outcome of a resolution or the reason to escalate, on one problem."""

    text = forms.CharField(label=_("text"), widget=forms.Textarea(attrs={"rows": 2}))


class ProblemDecisionForm(ProblemNoteForm):
    decision = forms.ChoiceField(label=_("decision"), choices=ProblemDecision.choices)
    case_reference = forms.CharField(label=_("court / arbitration case"), required=False)


NEW_LINE_ROWS = 3


@dataclass
class NewLineRow:
    """A product an amendment adds: its bound fields and the picker's ids."""

    key: str
    model: forms.BoundField
    quantity: forms.BoundField
    unit_price: forms.BoundField
    adjustment: forms.BoundField
    picked: object = None


class AmendmentForm(forms.Form):
    """The terms in force, prefilled: the rep edits what changes. Field names are the
    service's error paths (``clauses.x``, ``line_changes.n.quantity`` …), so a refusal
    lands next to the field it concerns."""

    reason = forms.CharField(
        label=_("reason for the change"), widget=forms.Textarea(attrs={"rows": 2})
    )
    instalments = forms.CharField(
        label=_("new payment plan"),
        required=False,
        help_text=_(
            "One instalment per row: date, amount, note (2027-06-30 120000 尾款). "
            "Leave empty to keep the plan in force."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, contract, lines, amendment=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.contract, self.lines = contract, lines
        clauses = ContractForm(instance=contract)
        for name, field in clauses.fields.items():
            field.required = False
            field.initial = clauses.initial.get(name)
            self.fields[f"clauses.{name}"] = field
        adjustments = PriceAdjustment.objects.filter(
            customer=contract.customer, status="approved"
        ).select_related("model__product")
        changes = {c["line"]: c for c in (amendment.line_changes if amendment else [])}
        self.line_rows = []
        for n, line in enumerate(lines, start=1):
            change = changes.get(line.pk, {})
            prefix = f"line_changes.{n}"
            self.fields[f"{prefix}.quantity"] = forms.IntegerField(
                label=_("quantity"), min_value=0, initial=change.get("quantity", line.quantity)
            )
            self.fields[f"{prefix}.unit_price"] = forms.DecimalField(
                label=_("unit price"),
                min_value=0.01,
                decimal_places=2,
                initial=change.get("unit_price", line.unit_price),
            )
            self.fields[f"{prefix}.adjustment"] = forms.ModelChoiceField(
                label=_("price-adjustment request"),
                queryset=adjustments,
                required=False,
                initial=change.get("adjustment", line.adjustment_id),
            )
            self.line_rows.append(
                (line, *(self[f"{prefix}.{k}"] for k in ("quantity", "unit_price", "adjustment")))
            )
        added = amendment.new_lines if amendment else []
        self.new_rows = []
        for n in range(1, max(NEW_LINE_ROWS, len(added) + 1) + 1):
            row = added[n - 1] if n <= len(added) else {}
            prefix = f"new_lines.{n}"
            self.fields[f"{prefix}.model"] = forms.ModelChoiceField(
                label=_("model"),
                queryset=LineForm.base_fields["model"].queryset,
                required=False,
                initial=row.get("model"),
                widget=forms.HiddenInput,  # filled by the product picker
            )
            self.fields[f"{prefix}.quantity"] = forms.IntegerField(
                label=_("quantity"), min_value=1, required=False, initial=row.get("quantity")
            )
            self.fields[f"{prefix}.unit_price"] = forms.DecimalField(
                label=_("unit price"),
                min_value=0.01,
                decimal_places=2,
                required=False,
                initial=row.get("unit_price"),
            )
            self.fields[f"{prefix}.adjustment"] = forms.ModelChoiceField(
                label=_("price-adjustment request"),
                queryset=adjustments,
                required=False,
                initial=row.get("adjustment"),
            )
            self.new_rows.append(
                NewLineRow(
                    key=f"new-line-{n}",
                    **{k: self[f"{prefix}.{k}"] for k in ("model", "quantity", "unit_price")},
                    adjustment=self[f"{prefix}.adjustment"],
                )
            )
        self._show_picked()
        if amendment is not None:
            self.fields["reason"].initial = amendment.reason
            for name, value in amendment.clauses.items():
                self.fields[f"clauses.{name}"].initial = value
            if amendment.instalments is not None:
                self.fields["instalments"].initial = "\n".join(
                    " ".join(part for part in row if part) for row in amendment.instalments
                )
        self.clause_fields = [self[f"clauses.{name}"] for name in clauses.fields]

    def _show_picked(self) -> None:
        """The model each new row already names (after a refusal, or a saved draft),
        shown by its picker: one query for all rows."""
        chosen = {}
        for row in self.new_rows:
            raw = row.model.data if self.is_bound else row.model.initial
            try:
                chosen[row.key] = int(getattr(raw, "pk", raw) or 0)
            except (TypeError, ValueError):
                chosen[row.key] = 0
        models = LineForm.base_fields["model"].queryset.in_bulk(
            [pk for pk in chosen.values() if pk]
        )
        from mdss.pricing.selectors import price_of

        for row in self.new_rows:
            row.picked = models.get(chosen[row.key])
            if row.picked is not None:
                entry = price_of(row.picked.pk)
                row.picked.list_price = entry.list_price if entry else None

    def proposal(self) -> dict:
        """The service's arguments: every line with its (maybe unchanged) terms, so a
        line's error path is its position here; unchanged values are dropped there."""
        data = self.cleaned_data
        clauses = {}
        for name in ContractForm.Meta.fields:
            value = data.get(f"clauses.{name}")
            clauses[name] = "" if value is None else value
        line_changes = [
            {
                "line": line.pk,
                "quantity": data.get(f"line_changes.{n}.quantity"),
                "unit_price": data.get(f"line_changes.{n}.unit_price"),
                "adjustment": getattr(data.get(f"line_changes.{n}.adjustment"), "pk", None),
            }
            for n, line in enumerate(self.lines, start=1)
        ]
        new_lines = []
        self.new_positions = {}
        for n in range(1, len(self.new_rows) + 1):
            model = data.get(f"new_lines.{n}.model")
            if model is None:
                continue
            new_lines.append(
                {
                    "model": model.pk,
                    "quantity": data.get(f"new_lines.{n}.quantity"),
                    "unit_price": data.get(f"new_lines.{n}.unit_price"),
                    "adjustment": getattr(data.get(f"new_lines.{n}.adjustment"), "pk", None),
                }
            )
            self.new_positions[len(new_lines)] = n
        text = (data.get("instalments") or "").strip()
        instalments = None
        if text:
            instalments = []
            for row in text.splitlines():
                parts = row.split(None, 2)
                if parts:
                    instalments.append((parts + ["", ""])[:3])
        return {
            "reason": data["reason"],
            "clauses": clauses,
            "line_changes": line_changes,
            "new_lines": new_lines,
            "instalments": instalments,
        }

    def place_errors(self, exc) -> None:
        """The service's errors on the fields they name (new rows renumbered)."""
        for err in exc.errors or []:
            field = err.field
            if field.startswith("new_lines."):
                _n, position, *rest = field.split(".")
                field = ".".join(
                    ["new_lines", str(self.new_positions.get(int(position), position)), *rest]
                )
            self.add_error(field if field in self.fields else None, str(err.message))
        if not exc.errors:
            self.add_error(None, str(exc.message))


class ReceiptForm(forms.Form):
    received_on = forms.DateField(label=_("received by the customer on"), widget=DateInput())
    received_by = forms.CharField(label=_("received by (name)"), max_length=100)
    scan = forms.FileField(
        label=_("signed receipt (scan)"), required=False, validators=[document_validator]
    )


class AmendmentSignForm(forms.Form):
    signed_on = forms.DateField(label=_("signed on"), widget=DateInput())
    scan = forms.FileField(label=_("signed amendment (scan)"), validators=[document_validator])


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    file = forms.FileField(label=_("file"), validators=[document_validator])
