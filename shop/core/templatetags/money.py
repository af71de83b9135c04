from django import template

from shop.core.money import money_format

register = template.Library()


@register.filter(name="money")
def money_filter(amount: int | None) -> str:
    """Format integer minor units in the store currency: {{ variant.price|money }}."""
    return money_format(amount)
