"""Per-viewer decorations under the lines of the cart page, added by other apps.

The cart knows nothing of the social side (shop never imports it); an app that has
something to say about a product at the moment of buying it ("2 friends say yes, 1 says
no", an "Ask my friends" button) registers, in its AppConfig.ready():

    cart_line_decorator_register(fn)

where `fn(*, viewer, product_ids)` returns {product_id: safe HTML}. It is called once per
rendering of the cart for a signed-in viewer with every product id of the cart, and must
answer in a constant number of queries whatever their number, showing nothing the viewer may
not see. Mirrors shop.catalog.page_cache.product_decorator_register.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.utils.safestring import mark_safe

CartLineDecorator = Callable[..., Mapping[int, str]]
_decorators: list[CartLineDecorator] = []


def cart_line_decorator_register(decorator: CartLineDecorator) -> None:
    """Add DECORATOR (see the module's docstring) to the cart's lines."""
    if decorator not in _decorators:
        _decorators.append(decorator)


def cart_line_decorator_unregister(decorator: CartLineDecorator) -> None:
    """Remove a decorator added by cart_line_decorator_register (tests)."""
    if decorator in _decorators:
        _decorators.remove(decorator)


def cart_line_decorations(*, viewer, product_ids: list[int]) -> dict[int, str]:
    """Return every registered decoration of PRODUCT_IDS for VIEWER, joined per product
    ({} for a visitor, an empty cart, or no decorator)."""
    decorations: dict[int, str] = {}
    if viewer is None or not getattr(viewer, "is_authenticated", False) or not product_ids:
        return decorations
    for decorator in _decorators:
        for product_id, html in decorator(viewer=viewer, product_ids=product_ids).items():
            # Each decorator's HTML is safe by contract; joined, it stays so.
            decorations[product_id] = mark_safe(decorations.get(product_id, "") + html)
    return decorations


# --- actions on a line ------------------------------------------------------------------------
#
# A decoration above is per product (two options of one product share it). An app that acts on
# one line ("Move to wishlist") registers, in its AppConfig.ready():
#
#     cart_line_action_register(fn)
#
# where `fn(*, viewer, lines)` gets the cart's lines as CartLineRef and returns
# {line_id: safe HTML}, shown beside the line's own buttons; called once per rendering of the
# cart for a signed-in viewer, in a constant number of queries.


@dataclass(frozen=True)
class CartLineRef:
    """What an action is told of a cart line (read from the cart's summary: no query)."""

    line_id: int
    product_id: int
    variant_id: int
    quantity: int
    title: str


CartLineAction = Callable[..., Mapping[int, str]]
_actions: list[CartLineAction] = []


def cart_line_action_register(action: CartLineAction) -> None:
    """Add ACTION (see above) to the cart's lines."""
    if action not in _actions:
        _actions.append(action)


def cart_line_action_unregister(action: CartLineAction) -> None:
    """Remove an action added by cart_line_action_register (tests)."""
    if action in _actions:
        _actions.remove(action)


def cart_line_actions(*, viewer, lines: list[CartLineRef]) -> dict[int, str]:
    """Return every registered action of LINES for VIEWER, joined per line id ({} for a
    visitor, an empty cart, or no action)."""
    actions: dict[int, str] = {}
    if viewer is None or not getattr(viewer, "is_authenticated", False) or not lines:
        return actions
    for action in _actions:
        for line_id, html in action(viewer=viewer, lines=lines).items():
            actions[line_id] = mark_safe(actions.get(line_id, "") + html)
    return actions
