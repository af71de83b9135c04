from django import template

register = template.Library()


@register.filter
def any_in_stock(variants) -> bool:
    """Whether any of `variants` (already loaded) can be bought: {% if variants|any_in_stock %}."""
    return any(variant.in_stock for variant in variants)


@register.filter
def decoration_for(decorations, product_id):
    """The decoration other apps put under a cart line: {{ line_decorations|decoration_for:id }}."""
    if not decorations:
        return ""
    return decorations.get(product_id, "")
