from django import forms, template
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_header(context, key: str, label) -> str:
    """A column header that sorts the list by ``key`` (core/sorting.py): ascending
    first, then descending; the other filters stay, the page number goes."""
    from django.utils.html import format_html

    request = context["request"]
    current = request.GET.get("sort", "")
    params = request.GET.copy()
    params.pop("page", None)
    params["sort"] = f"-{key}" if current == key else key
    icon = {key: "bi-sort-up", f"-{key}": "bi-sort-down"}.get(
        current, "bi-arrow-down-up opacity-25"
    )
    return format_html(
        '<a class="link-body-emphasis text-decoration-none text-nowrap" href="?{}"'
        ' data-testid="sort-{}">{} <i class="bi {}"></i></a>',
        params.urlencode(),
        key,
        label,
        icon,
    )


@register.filter
def bs(field):
    """Render a form field's widget with Bootstrap classes (and is-invalid on errors)."""
    widget = field.field.widget
    input_type = getattr(widget, "input_type", "")
    if input_type == "radio":
        return _radios(field)
    if input_type == "checkbox":
        css = "form-check-input"
    elif input_type == "select" or widget.__class__.__name__.endswith("Select"):
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    existing = widget.attrs.get("class", "")
    if type(widget) is forms.Select:
        return _select(field, f"{existing} {css}".strip())
    return field.as_widget(attrs={"class": f"{existing} {css}".strip()})


def _radios(field):
    """Radio buttons as Bootstrap inline checks (scores, yes / no, triage)."""
    from django.utils.html import format_html, format_html_join

    invalid = " is-invalid" if field.errors else ""
    field.field.widget.attrs["class"] = f"form-check-input{invalid}"
    return format_html(
        '<div class="d-flex flex-wrap gap-3 py-1">{}</div>',
        format_html_join(
            "",
            '<div class="form-check">{}<label class="form-check-label" for="{}">{}</label></div>',
            ((sub.tag(), sub.id_for_label, sub.choice_label) for sub in field),
        ),
    )


def _select(field, css: str):
    """A plain <select> rendered in Python: Django's widget templates render each
    option through an include, which costs milliseconds on filters with hundreds
    of options (a national team's reps)."""
    value = field.value()
    chosen = {str(v) for v in value} if isinstance(value, list | tuple) else {str(value or "")}
    attrs = {**field.field.widget.attrs, **field.build_widget_attrs({}), "class": css}
    attrs.update({"name": field.html_name, "id": field.auto_id})
    if field.errors:
        attrs["aria-invalid"] = "true"

    def options(choices) -> str:
        return "".join(
            f'<option value="{escape(v)}"{" selected" if str(v) in chosen else ""}>'
            f"{escape(label)}</option>"
            for v, label in ((str(getattr(v, "value", v)), label) for v, label in choices)
        )

    parts = []
    for value, label in field.field.choices:
        if isinstance(label, list | tuple):
            parts.append(f'<optgroup label="{escape(value)}">{options(label)}</optgroup>')
        else:
            parts.append(options([(value, label)]))
    return mark_safe(f"<select{flatatt(attrs)}>{''.join(parts)}</select>")  # noqa: S308 (escaped above)
