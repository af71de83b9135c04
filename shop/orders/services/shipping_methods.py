"""The default shipping methods."""

from shop.orders.models import (
    ShippingMethod,
)

SHIPPING_METHODS_DEFAULT = [
    {
        "code": "standard",
        "name": "Standard delivery",
        "description": "3-5 working days",
        "price": 490,
        "position": 1,
    },
    {
        "code": "express",
        "name": "Express delivery",
        "description": "Next working day",
        "price": 990,
        "position": 2,
    },
    {
        "code": "pickup",
        "name": "Pickup point",
        "description": "Collect it from a pickup point near you, free",
        "price": 0,
        "position": 3,
    },
]


# --- shipping methods -------------------------------------------------------------------------


def shipping_methods_default_ensure() -> list[ShippingMethod]:
    """Create the default shipping methods that are missing (by code); edited ones are kept."""
    methods = []
    for default in SHIPPING_METHODS_DEFAULT:
        fields = {name: value for name, value in default.items() if name != "code"}
        method, _ = ShippingMethod.objects.get_or_create(code=default["code"], defaults=fields)
        methods.append(method)
    return methods
