from django import forms
from django.utils.translation import gettext_lazy as _

from mdss.catalog.models import ProductModel
from mdss.core.forms import DateInput
from mdss.pricing.models import PriceAdjustment

from .choices import ContractStatus, ProblemDecision, ProblemKind
from .models import Contract


class ContractForm(forms.ModelForm):
    class Meta:
        model = Contract
        fields = [
            "kind",
            "delivery_place",
            "delivery_deadline",
            "payment_terms",
            "quality_standard",
            "after_sales_terms",
            "warranty_months",
            "other_clauses",
            "tax_rate",
        ]
        widgets = {
            "delivery_deadline": DateInput(),
            "payment_terms": forms.Textarea(attrs={"rows": 2}),
            "quality_standard": forms.Textarea(attrs={"rows": 2}),
            "after_sales_terms": forms.Textarea(attrs={"rows": 2}),
            "other_clauses": forms.Textarea(attrs={"rows": 2}),
        }


class LineForm(forms.Form):
    model = forms.ModelChoiceField(
        label=_("model"),
        queryset=ProductModel.objects.filter(is_active=True)
        .select_related("product")
        .order_by("product__name", "code"),
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

    def __init__(self, *args, contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["adjustment"].queryset = PriceAdjustment.objects.filter(
            customer=contract.customer, status="approved"
        ).select_related("model__product")


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("comments"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ApproveForm(CommentForm):
    password = forms.CharField(label=_("Your password (e-signature)"), widget=forms.PasswordInput)


class SignForm(forms.Form):
    signed_on = forms.DateField(label=_("signed by us on"), widget=DateInput())
    customer_signed_on = forms.DateField(label=_("signed by the customer on"), widget=DateInput())
    scan = forms.FileField(label=_("signed contract (scan)"))


class TerminateForm(forms.Form):
    reason = forms.CharField(
        label=_("termination reason"), widget=forms.Textarea(attrs={"rows": 2})
    )
    on = forms.DateField(label=_("terminated on"), widget=DateInput())


class LedgerFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("status"),
        required=False,
        choices=[("", _("All statuses")), *ContractStatus.choices],
    )
    signed_from = forms.DateField(label=_("signed from"), required=False, widget=DateInput())
    signed_to = forms.DateField(label=_("signed until"), required=False, widget=DateInput())


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


class ProblemActionForm(forms.Form):
    """Note, resolve, escalate (text) or decide (decision, text, case) on one problem."""

    problem = forms.IntegerField(widget=forms.HiddenInput)
    action = forms.ChoiceField(choices=[(a, a) for a in ("note", "resolve", "escalate", "decide")])
    text = forms.CharField(label=_("text"), widget=forms.Textarea(attrs={"rows": 2}))
    decision = forms.ChoiceField(
        label=_("decision"), choices=ProblemDecision.choices, required=False
    )
    case_reference = forms.CharField(label=_("court / arbitration case"), required=False)
