from django import forms
from django.utils.translation import gettext_lazy as _

from mdss.core.uploads import document_validator


class OverrideForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    valid_from = forms.DateField(
        label=_("valid from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label=_("valid until"), widget=forms.DateInput(attrs={"type": "date"})
    )
    password = forms.CharField(label=_("Your password (e-signature)"), widget=forms.PasswordInput)


class ScanForm(forms.Form):
    text = forms.CharField(
        label=_("Scanned UDI"),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
    )


class ProductForm(forms.ModelForm):
    new_models = forms.CharField(
        label=_("Add models / specifications"),
        required=False,
        help_text=_("One per line."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        from .models import Product

        model = Product
        fields = [
            "manufacturer",
            "name",
            "trade_name",
            "device_class",
            "category_code",
            "unit",
            "implantable",
            "needs_installation",
            "warranty_months",
            "service_life_years",
            "quality_standard",
            "is_active",
        ]


class CertificateForm(forms.ModelForm):
    reason = forms.CharField(label=_("Reason for the correction"), required=False)

    class Meta:
        from .models import RegistrationCertificate

        model = RegistrationCertificate
        fields = [
            "kind",
            "number",
            "holder",
            "approved_on",
            "valid_until",
            "models_covered",
            "scan",
        ]
        widgets = {
            "approved_on": forms.DateInput(attrs={"type": "date"}),
            "valid_until": forms.DateInput(attrs={"type": "date"}),
            "models_covered": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, product, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["models_covered"].queryset = product.models.all()
        self.fields["holder"].initial = product.manufacturer_id


class DocumentForm(forms.Form):
    from .choices import DocumentKind

    kind = forms.ChoiceField(label=_("kind"), choices=DocumentKind.choices)
    title = forms.CharField(label=_("title"), max_length=200)
    effective_from = forms.DateField(
        label=_("effective from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    file = forms.FileField(label=_("file"), validators=[document_validator])

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 50 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 50 MB."))
        return upload
