from django import template

from shop.core.forms import form_error_items

register = template.Library()


@register.filter
def error_items(form) -> list[tuple[str, str]]:
    """(field id, message) pairs of a failed form for components/error_summary.html:
    {% include "components/error_summary.html" with errors=form|error_items only %}"""
    return form_error_items(form)
