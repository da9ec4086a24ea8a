"""List filters: one form per list, in the app's ``filters.py``, parsing and validating
the query parameters for the page and for the API list endpoint alike (DESIGN.md).

- The page binds it to ``request.GET``, renders it (with its errors) and passes
  ``form.filters()`` to the selector; an invalid value filters nothing and says why.
- The API endpoint declares its query parameters (so they are in the OpenAPI
  document) and passes them to ``FilterForm.from_api``: the same rules, and a bad
  value is a 422 naming the parameter, never a 500.

``filters()`` returns the selector's keyword arguments; override it where a field
name differs from the selector's. ``api_names`` maps an API parameter to the form
field it fills where the names differ (e.g. the page's ``q`` is the API's ``search``).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .errors import FieldError, ValidationFailed


class FilterForm(forms.Form):
    api_names: dict[str, str] = {}
    # Choice fields of the page (provinces, reps: choices built for the viewer) that
    # the API takes as plain ids; the viewer's scope limits the rows either way.
    id_fields: tuple[str, ...] = ()
    # Sortable columns (core/sorting.py): {"key in the URL": ("order_by", "fields")}.
    sorts: dict[str, tuple[str, ...]] = {}
    # Periods, as (start, end) date fields: an end before its start is the end's error
    # (shown with core/_date_range.html).
    date_ranges: tuple[tuple[str, str], ...] = ()

    def __init__(self, *args, api: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.api = api
        if self.sorts:
            from .sorting import sort_choices

            self.fields["sort"] = forms.ChoiceField(
                label=_("sort by"), required=False, choices=sort_choices(self.sorts)
            )
        if api:
            for name in self.id_fields:
                if name in self.fields:
                    self.fields[name] = forms.IntegerField(required=False, min_value=1)

    def clean(self):
        data = super().clean()
        for start, end in self.date_ranges:
            if data.get(start) and data.get(end) and data[end] < data[start]:
                self.add_error(end, _("It must end after it starts."))
        return data

    def values(self) -> dict:
        """The cleaned values, or every field empty when a value is invalid."""
        if self.is_bound and self.is_valid():
            return dict(self.cleaned_data)
        return dict.fromkeys(self.fields)

    def filters(self) -> dict:
        """The selector's keyword arguments (empty strings rather than None for text)."""
        return {name: ("" if value is None else value) for name, value in self.values().items()}

    @classmethod
    def from_api(cls, params: dict, **kwargs) -> dict:
        """The filters of an API list from its query parameters; ValidationFailed (422)
        with one error per bad parameter, named as the API names it."""
        data = {
            cls.api_names.get(name, name): value
            for name, value in params.items()
            if value not in (None, "")
        }
        if not data and not kwargs:
            # No filter given (most API list calls): the answer is the same every time,
            # and building a form costs a deep copy of its fields.
            empty = cls.__dict__.get("_empty_api_filters")
            if empty is None:
                empty = cls({}, api=True).filters()
                cls._empty_api_filters = empty
            return dict(empty)
        form = cls(data, api=True, **kwargs)
        if not form.is_valid():
            parameter = {field: name for name, field in cls.api_names.items()}
            raise ValidationFailed(
                errors=[
                    FieldError(parameter.get(field, field), error.code or "invalid", message)
                    for field, errors in form.errors.as_data().items()
                    for error in errors
                    for message in error.messages
                ]
            )
        return form.filters()
