"""Form pieces every app uses."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .uploads import spreadsheet_validator


class ImportForm(forms.Form):
    # The content must be a workbook (checked by its bytes), within the upload limit.
    file = forms.FileField(label=_("Excel file (.xlsx)"), validators=[spreadsheet_validator])


class TagsField(forms.CharField):
    """A list of short texts typed as 心内科, 影像科 (commas, 、 or semicolons)."""

    def prepare_value(self, value):
        return "、".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value):
        text = super().to_python(value)
        return [t.strip() for t in re.split(r"[,，、;；]", text or "") if t.strip()]


class DateInput(forms.DateInput):
    input_type = "date"
