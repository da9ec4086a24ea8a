"""The installed base's forms. They only shape input: every rule is checked by the
service each view calls (``check_registration`` for a registration, the same for an
imported row), so a page, the API and a file get the same answer."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mdss.core.forms import DateInput, ImportForm

from .choices import MANUAL_ORIGINS


def _customers():
    from mdss.customers.models import Customer

    return Customer.objects.order_by("name")


def _models():
    from mdss.catalog.models import ProductModel

    return ProductModel.objects.select_related("product").order_by("product__name", "code")


def _service_staff():
    from mdss.accounts import roles
    from mdss.accounts.models import User

    return (
        User.objects.filter(
            is_active=True, groups__name__in=[roles.SERVICE_ENGINEER, roles.SERVICE_MANAGER]
        )
        .distinct()
        .order_by("username")
    )


class DeviceRegisterForm(forms.Form):
    customer = forms.ModelChoiceField(label=_("customer"), queryset=None)
    model = forms.ModelChoiceField(label=_("model"), queryset=None)
    origin = forms.ChoiceField(
        label=_("origin"), choices=[(o.value, o.label) for o in MANUAL_ORIGINS]
    )
    udi = forms.CharField(
        label=_("UDI scan"),
        required=False,
        max_length=200,
        help_text=_("Scan the label: serial, lot and use-by date are read from it."),
    )
    serial = forms.CharField(label=_("serial number"), required=False, max_length=100)
    lot = forms.CharField(label=_("lot"), required=False, max_length=100)
    site = forms.CharField(label=_("site (department, room)"), required=False, max_length=200)
    delivered_on = forms.DateField(label=_("delivered on"), required=False, widget=DateInput)
    warranty_until = forms.DateField(label=_("warranty until"), required=False, widget=DateInput)
    note = forms.CharField(
        label=_("note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = _customers()
        self.fields["model"].queryset = _models()


class DeviceTransferForm(forms.Form):
    to_customer = forms.ModelChoiceField(
        label=_("to customer"), queryset=None, required=False, empty_label=_("Same customer")
    )
    to_site = forms.CharField(label=_("to site"), required=False, max_length=200)
    transferred_on = forms.DateField(label=_("transferred on"), widget=DateInput)
    reason = forms.CharField(
        label=_("reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_customer"].queryset = _customers()


class DeviceDecommissionForm(forms.Form):
    decommissioned_on = forms.DateField(label=_("decommissioned on"), widget=DateInput)
    reason = forms.CharField(
        label=_("reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class DeviceInstallationForm(forms.Form):
    installed_on = forms.DateField(label=_("installed on"), widget=DateInput)
    engineer = forms.ModelChoiceField(label=_("installed by"), queryset=None)
    accepted_by_customer = forms.CharField(label=_("accepted by (customer)"), max_length=100)
    accepted_on = forms.DateField(
        label=_("accepted on"),
        required=False,
        widget=DateInput,
        help_text=_("Empty: the day of installation."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["engineer"].queryset = _service_staff()


class DeviceImportForm(ImportForm):
    """The upload: an .xlsx checked by its bytes (core.uploads.spreadsheet_validator)."""


class PmPlanForm(forms.Form):
    model = forms.ModelChoiceField(label=_("model"), queryset=None)
    interval_months = forms.IntegerField(label=_("every (months)"), min_value=1, max_value=60)
    checklist = forms.CharField(
        label=_("checklist (one item per line)"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from mdss.catalog.models import ProductModel

        self.fields["model"].queryset = ProductModel.objects.select_related("product").order_by(
            "product__name", "code"
        )
