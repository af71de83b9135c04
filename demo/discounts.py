"""The demo shop's discount codes (`manage.py demo_discounts`), from demo/data/discounts.toml."""

from demo import specs
from shop.cart import selectors, services
from shop.cart.models import DiscountCode


def demo_discounts_ensure() -> list[DiscountCode]:
    """Create the demo discount codes that are missing (by code, any case); return the codes.

    A code that exists is left as it is (an operator may have edited it); the returned
    instance then describes the demo's version, unsaved.
    """
    codes = []
    for spec in specs.discounts():
        code = DiscountCode(
            code=spec.code,
            kind=DiscountCode.Kind(spec.kind),
            value=spec.value,
            min_subtotal=spec.min_subtotal,
        )
        if not selectors.discount_code_taken(code=spec.code):
            code = services.discount_code_save(discount=code)
        codes.append(code)
    return codes
