from django import template

from shop.catalog import category_selectors

register = template.Library()


@register.simple_tag
def category_menu() -> list[category_selectors.CategoryMenuSection]:
    """Return the header's categories menu: {% category_menu as sections %} (cached tree)."""
    return category_selectors.category_menu()
