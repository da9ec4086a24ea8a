"""Page forms of the inventory. Quantities are bounded here and again in the
services; status and who acted are never form fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mdss.core.forms import DateInput

from .choices import SupplierDocumentKind, SupplierStatus
from .models import Part

LINE_ROWS = 3


class PartNumberField(forms.CharField):
    """A part typed by its number (the page offers them in a datalist, which phones
    complete as you type): cleaned to the Part, or the field's error."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        part = Part.objects.filter(number=value.strip().split(" ")[0], is_active=True).first()
        if part is None:
            raise forms.ValidationError(_("No active part has this number."), code="unknown")
        return part


class RequisitionForm(forms.Form):
    warehouse = forms.ModelChoiceField(label=_("issuing warehouse"), queryset=None)
    to_location = forms.ModelChoiceField(
        label=_("to van stock"), queryset=None, required=False, empty_label=_("to the job")
    )
    service_reference = forms.CharField(label=_("service request"), max_length=40, required=False)
    need_by = forms.DateField(label=_("needed by"), widget=DateInput())
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    def __init__(self, *args, engineer, **kwargs):
        super().__init__(*args, **kwargs)
        from . import selectors

        self.fields["warehouse"].queryset = selectors.issuing_warehouses()
        self.fields["to_location"].queryset = selectors.van_locations(engineer)
        for n in range(1, LINE_ROWS + 1):
            self.fields[f"lines.{n}.part"] = PartNumberField(
                label=_("part number"), max_length=60, required=n == 1
            )
            self.fields[f"lines.{n}.quantity"] = forms.IntegerField(
                label=_("quantity"), min_value=1, max_value=1_000_000, required=False
            )

    @property
    def line_rows(self):
        return [
            (self[f"lines.{n}.part"], self[f"lines.{n}.quantity"]) for n in range(1, LINE_ROWS + 1)
        ]

    def clean(self):
        data = super().clean()
        for n in range(1, LINE_ROWS + 1):
            if data.get(f"lines.{n}.part") and not data.get(f"lines.{n}.quantity"):
                self.add_error(f"lines.{n}.quantity", _("How many?"))
        return data

    def lines(self) -> list:
        data = self.cleaned_data
        return [
            (data[f"lines.{n}.part"], data[f"lines.{n}.quantity"])
            for n in range(1, LINE_ROWS + 1)
            if data.get(f"lines.{n}.part")
        ]


class IssueForm(forms.Form):
    """One row per outstanding line: how many, from where, which lot, or a substitute."""

    def __init__(self, *args, requisition, **kwargs):
        super().__init__(*args, **kwargs)
        from . import selectors

        self.requisition = requisition
        here = selectors.locations(requisition.warehouse).filter(is_quarantine=False)
        self.rows = []
        for n, line in enumerate([x for x in requisition.lines.all() if x.outstanding], start=1):
            prefix = f"lines.{n}"
            self.fields[f"{prefix}.quantity"] = forms.IntegerField(
                label=_("quantity"),
                min_value=0,
                max_value=line.outstanding,
                required=False,
                initial=line.outstanding,
            )
            self.fields[f"{prefix}.from_location"] = forms.ModelChoiceField(
                label=_("from"), queryset=here, initial=here.first()
            )
            self.fields[f"{prefix}.lot"] = forms.CharField(
                label=_("lot / serial"), max_length=40, required=False
            )
            self.fields[f"{prefix}.part"] = forms.ModelChoiceField(
                label=_("substitute"),
                queryset=line.part.substitutes.filter(is_active=True),
                required=False,
                empty_label=_("as requested"),
            )
            self.rows.append(
                (
                    line,
                    *(self[f"{prefix}.{k}"] for k in ("quantity", "from_location", "lot", "part")),
                )
            )

    def issues(self) -> list:
        from .services import Issue

        data = self.cleaned_data
        return [
            Issue(
                line=line,
                quantity=data.get(f"lines.{n}.quantity") or 0,
                from_location=data[f"lines.{n}.from_location"],
                part=data.get(f"lines.{n}.part"),
                lot=data.get(f"lines.{n}.lot") or "",
            )
            for n, (line, *_fields) in enumerate(self.rows, start=1)
        ]


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=300)


class ReturnForm(forms.Form):
    line = forms.ModelChoiceField(label=_("part"), queryset=None)
    quantity = forms.IntegerField(label=_("quantity"), min_value=1, max_value=1_000_000)
    good = forms.TypedChoiceField(
        label=_("condition"),
        choices=[("1", _("good")), ("0", _("defective"))],
        coerce=lambda v: v == "1",
    )
    to_location = forms.ModelChoiceField(label=_("to"), queryset=None)
    lot = forms.CharField(label=_("lot / serial"), max_length=40, required=False)

    def __init__(self, *args, requisition, **kwargs):
        super().__init__(*args, **kwargs)
        from . import selectors

        self.fields["line"].queryset = requisition.lines.filter(issued__gt=0).select_related("part")
        self.fields["to_location"].queryset = selectors.locations(requisition.warehouse)


class ReceiveForm(forms.Form):
    location = forms.ModelChoiceField(label=_("to"), queryset=None)
    quantity = forms.IntegerField(label=_("quantity"), min_value=1, max_value=1_000_000)
    lot = forms.CharField(label=_("lot / serial"), max_length=40, required=False)
    reference = forms.CharField(label=_("reference document"), max_length=60, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from . import selectors

        self.fields["location"].queryset = selectors.locations()


class TransferForm(forms.Form):
    from_location = forms.ModelChoiceField(label=_("from"), queryset=None)
    to_location = forms.ModelChoiceField(label=_("to"), queryset=None)
    quantity = forms.IntegerField(label=_("quantity"), min_value=1, max_value=1_000_000)
    lot = forms.CharField(label=_("lot / serial"), max_length=40, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from . import selectors

        self.fields["from_location"].queryset = selectors.locations()
        self.fields["to_location"].queryset = selectors.locations()


class SupplierForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=200)
    credit_code = forms.CharField(
        label=_("unified social credit code"), max_length=18, required=False
    )
    contact = forms.CharField(label=_("contact"), max_length=60, required=False)
    phone = forms.CharField(label=_("phone"), max_length=30, required=False)
    address = forms.CharField(label=_("address"), max_length=200, required=False)


class SupplierDocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=SupplierDocumentKind.choices)
    number = forms.CharField(label=_("number"), max_length=60)
    valid_until = forms.DateField(label=_("valid until"), widget=DateInput())
    file = forms.FileField(label=_("scan"), required=False)


class SupplierStatusForm(forms.Form):
    """The qualification decision (the service sets the status from it)."""

    decision = forms.ChoiceField(label=_("decision"), choices=SupplierStatus.choices)
    reason = forms.CharField(label=_("reason"), max_length=300)


ORDER_ROWS = 3


class OrderForm(forms.Form):
    supplier = forms.ModelChoiceField(label=_("supplier"), queryset=None)
    warehouse = forms.ModelChoiceField(label=_("deliver to"), queryset=None)
    quality_standard = forms.CharField(label=_("quality standard"), max_length=300)
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from . import selectors

        self.fields["supplier"].queryset = selectors.suppliers()
        self.fields["warehouse"].queryset = selectors.issuing_warehouses()
        for n in range(1, ORDER_ROWS + 1):
            first = n == 1
            self.fields[f"lines.{n}.part"] = PartNumberField(
                label=_("part number"), max_length=60, required=first
            )
            self.fields[f"lines.{n}.specification"] = forms.CharField(
                label=_("specification"), max_length=200, required=False
            )
            self.fields[f"lines.{n}.quantity"] = forms.IntegerField(
                label=_("quantity"), min_value=1, max_value=1_000_000, required=False
            )
            self.fields[f"lines.{n}.unit_price"] = forms.DecimalField(
                label=_("unit price (CNY)"),
                min_value=0.01,
                max_digits=12,
                decimal_places=2,
                required=False,
            )
            self.fields[f"lines.{n}.delivery_date"] = forms.DateField(
                label=_("delivery date"), required=False, widget=DateInput()
            )

    @property
    def line_rows(self):
        keys = ("part", "specification", "quantity", "unit_price", "delivery_date")
        return [[self[f"lines.{n}.{k}"] for k in keys] for n in range(1, ORDER_ROWS + 1)]

    def lines(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                k: data.get(f"lines.{n}.{k}")
                for k in ("part", "specification", "quantity", "unit_price", "delivery_date")
            }
            for n in range(1, ORDER_ROWS + 1)
            if data.get(f"lines.{n}.part")
        ]


class ReceiptForm(forms.Form):
    line = forms.ModelChoiceField(label=_("part"), queryset=None)
    arrived = forms.IntegerField(label=_("arrived"), min_value=1, max_value=1_000_000)
    accepted = forms.IntegerField(label=_("accepted"), min_value=0, max_value=1_000_000)
    location = forms.ModelChoiceField(label=_("storage location"), queryset=None)
    received_on = forms.DateField(label=_("received on"), widget=DateInput())
    lot = forms.CharField(label=_("lot / serial"), max_length=40, required=False)
    expiry_date = forms.DateField(label=_("expiry date"), required=False, widget=DateInput())
    rejection_reason = forms.CharField(label=_("rejection reason"), max_length=300, required=False)

    def __init__(self, *args, order, **kwargs):
        super().__init__(*args, **kwargs)
        from . import selectors

        self.fields["line"].queryset = order.lines.select_related("part")
        self.fields["location"].queryset = selectors.locations(order.warehouse).filter(
            is_quarantine=False
        )


class CountStartForm(forms.Form):
    warehouse = forms.ModelChoiceField(label=_("warehouse"), queryset=None)
    locations = forms.ModelMultipleChoiceField(
        label=_("only these locations (a cycle count)"), queryset=None, required=False
    )
    category = forms.ChoiceField(label=_("part class"), required=False)
    scope = forms.CharField(label=_("scope"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from . import selectors

        self.fields["warehouse"].queryset = selectors.warehouses()
        self.fields["locations"].queryset = selectors.locations()
        self.fields["category"].choices = [("", _("All classes"))] + [
            (c, c) for c in selectors.part_categories()
        ]


class ConfirmForm(forms.Form):
    """An action that takes nothing but the click (approving an order)."""


class LevelsForm(forms.Form):
    warehouse = forms.ModelChoiceField(label=_("warehouse"), queryset=None)
    lead_time_days = forms.IntegerField(label=_("lead time (days)"), min_value=0, max_value=365)
    service_level = forms.DecimalField(
        label=_("service level"), min_value=0.5, max_value=0.999, decimal_places=3
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from . import selectors

        self.fields["warehouse"].queryset = selectors.issuing_warehouses()
