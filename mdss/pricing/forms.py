from django import forms
from django.utils.translation import gettext_lazy as _

from mdss.catalog.models import ProductModel


class ChangeForm(forms.Form):
    effective_from = forms.DateField(
        label=_("effective from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.CharField(
        label=_("evidence (cost, market, competitors)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ChangeLineForm(forms.Form):
    model = forms.ModelChoiceField(
        label=_("model"),
        queryset=ProductModel.objects.filter(is_active=True)
        .select_related("product")
        .order_by("product__name", "code"),
    )
    list_price = forms.DecimalField(
        label=_("new list price (CNY)"), max_digits=14, decimal_places=2, min_value=0.01
    )
    floor_price = forms.DecimalField(
        label=_("new floor price (CNY)"), max_digits=14, decimal_places=2, min_value=0.01
    )


ChangeLineFormSet = forms.formset_factory(ChangeLineForm, extra=3, min_num=1, validate_min=True)


class ApproveForm(forms.Form):
    comment = forms.CharField(label=_("decision comment"), required=False)
    password = forms.CharField(label=_("Your password (e-signature)"), widget=forms.PasswordInput)


class RejectForm(forms.Form):
    comment = forms.CharField(label=_("Why it is rejected"))


class AdjustmentForm(forms.Form):
    customer = forms.ModelChoiceField(label=_("customer"), queryset=None)
    model = forms.ModelChoiceField(
        label=_("model"),
        queryset=ProductModel.objects.filter(is_active=True)
        .select_related("product")
        .order_by("product__name", "code"),
    )
    quantity = forms.IntegerField(label=_("quantity"), min_value=1)
    requested_price = forms.DecimalField(
        label=_("requested price (CNY)"), max_digits=14, decimal_places=2, min_value=0.01
    )
    valid_until = forms.DateField(
        label=_("valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("30 days if empty."),
    )
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        from mdss.customers.selectors import customer_list_for_user

        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = customer_list_for_user(user).order_by("name")


class EmptyForm(forms.Form):
    """An action without input (a submission): its refusals land on the form."""
