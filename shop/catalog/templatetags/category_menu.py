from django import template

from shop.catalog import selectors

register = template.Library()


@register.simple_tag
def category_menu() -> list[selectors.CategoryMenuSection]:
    """Return the header's categories menu: {% category_menu as sections %} (cached tree)."""
    return selectors.category_menu()
