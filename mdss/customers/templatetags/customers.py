from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def visit_badge(customer, today, period):
    """The return-visit state of a customer: overdue, due this period, or planned.

    A tag rather than an included template: it is drawn on every row of long lists.
    """
    due = customer.next_visit_due
    if due is None:
        return mark_safe('<span class="text-muted">—</span>')
    if due < today:
        return format_html(
            '<span class="badge text-bg-danger" data-testid="visit-overdue">{} {}</span>',
            _("overdue since"),
            due.isoformat(),
        )
    if due <= period.end:
        return format_html(
            '<span class="badge text-bg-warning">{} {}</span>', _("due by"), due.isoformat()
        )
    return format_html(
        '<span class="text-success"><i class="bi bi-check2"></i> {} {}</span>',
        _("next by"),
        due.isoformat(),
    )
