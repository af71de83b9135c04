"""Reads of "products for you": a person's picks with their reasons (one query), the products
often bought together with one, and the version the personal home is cached under.

A reason naming a friend is re-checked when read: the friend must still be one the viewer may
see under the audience rule (social.graph: friendship, blocks either way, their likes or
purchases setting), else the pick is left out until the picks are recomputed.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from social.recommendations.models import CoPurchase, PickReason, PickState, ProductPick
from social.recommendations.products_services import TOGETHER, home_version_key, picks_request

User = get_user_model()

HOME_VERSION_SECONDS = 15 * 60
PERSONAL_OFF = "-off"
NOT_COMPUTED = "-"


# --- the reasons, as the shopper reads them -------------------------------------------------


def pick_reason_text(pick: ProductPick) -> str:
    """The sentence shown with PICK ("Because Ana liked it"); its person and product loaded."""
    person = pick.reason_person.public_name if pick.reason_person_id else ""
    product = pick.reason_product.title if pick.reason_product_id else ""
    match pick.reason:
        case PickReason.FRIEND_LIKED:
            return f"Because {person} liked it"
        case PickReason.FRIEND_BOUGHT:
            return f"Because {person} bought it"
        case PickReason.BOUGHT_WITH:
            return f"Often bought with {product}"
        case PickReason.YOU_LIKED:
            return f"Because you liked {product}"
        case PickReason.CATEGORY:
            return f"Because you like {pick.reason_label}"
        case PickReason.MERCHANT_NEW:
            return f"New from {pick.reason_label}, which you follow"
        case PickReason.POPULAR:
            return "Popular in the shop right now"
        case _:
            return "New in the shop"


# --- picks ----------------------------------------------------------------------------------


def _reason_allowed(viewer) -> Q:
    """Picks whose named friend VIEWER may still see doing what the reason says."""
    from social.graph.selectors import audience_filter

    people = User.objects.filter(is_active=True)
    likers = audience_filter(
        people, viewer=viewer, owner_field="pk", visibility_field="privacy__likes"
    ).values("pk")
    buyers = audience_filter(
        people, viewer=viewer, owner_field="pk", visibility_field="privacy__purchases"
    ).values("pk")
    return (
        Q(reason_person__isnull=True)
        | Q(reason=PickReason.FRIEND_LIKED, reason_person__in=likers)
        | Q(reason=PickReason.FRIEND_BOUGHT, reason_person__in=buyers)
    )


def picks_for_user(*, viewer, reasons: list[str] | None = None) -> QuerySet[ProductPick]:
    """VIEWER's picks, best first, as one query: each with its product (published, in stock,
    not bought by VIEWER since), its reason's person and product, and only reasons VIEWER may
    still see. None when VIEWER turned personalisation off."""
    from shop.catalog.models import Product, Variant
    from shop.orders.selectors import order_lines_purchased
    from social.graph.models import PrivacySettings

    this_product = Product.objects.filter(pk=OuterRef(OuterRef("product_id"))).values("pk")
    bought_since = order_lines_purchased(product_ids=this_product).filter(
        order__customer_id=viewer.pk
    )
    personalised_off = PrivacySettings.objects.filter(user_id=viewer.pk, personalised=False)
    picks = (
        ProductPick.objects.filter(
            _reason_allowed(viewer),
            user_id=viewer.pk,
            product__is_published=True,
        )
        .filter(Exists(Variant.objects.filter(product_id=OuterRef("product_id"), stock__gt=0)))
        .exclude(Exists(bought_since))
        .exclude(Exists(personalised_off))
        .select_related("product", "reason_person", "reason_product")
        .order_by("position")
    )
    if reasons is not None:
        picks = picks.filter(reason__in=reasons)
    return picks


def home_state(*, viewer) -> str:
    """VIEWER's picks version as cached: a number, PERSONAL_OFF (personalisation turned
    off) or NOT_COMPUTED (no picks yet: then they are asked for). One cache read; on a miss
    one query."""
    key = home_version_key(viewer.pk)
    state = cache.get(key)
    if state is None:
        from social.graph.models import PrivacySettings

        row = (
            User.objects.filter(pk=viewer.pk)
            .annotate(
                off=Exists(PrivacySettings.objects.filter(user_id=viewer.pk, personalised=False)),
                picks_version=Subquery(
                    PickState.objects.filter(user_id=viewer.pk, computed_at__isnull=False).values(
                        "version"
                    )[:1]
                ),
            )
            .values_list("off", "picks_version")
            .first()
        )
        if row is None or row[0]:
            state = PERSONAL_OFF
        elif row[1] is None:
            picks_request(user_id=viewer.pk)  # never computed: ask for them (no write)
            state = NOT_COMPUTED
        else:
            state = str(row[1])
        cache.set(key, state, HOME_VERSION_SECONDS)
    return state


def home_version(*, viewer) -> str | None:
    """The version VIEWER's personal home is cached under, or None for the ordinary home
    (personalisation off, or no picks computed yet)."""
    state = home_state(viewer=viewer)
    return None if state in (PERSONAL_OFF, NOT_COMPUTED) else state


# --- often bought together ------------------------------------------------------------------


@dataclass(frozen=True)
class TogetherItem:
    product: object  # a catalogue Product with `orders` (how many paid orders held both)
    variant: object | None  # its cheapest variant in stock, to add to the cart


@dataclass(frozen=True)
class BoughtTogether:
    product: object
    variant: object | None  # the product's own cheapest variant in stock
    items: list[TogetherItem]


def bought_together(*, product, limit: int = TOGETHER) -> BoughtTogether:
    """The products most often bought with PRODUCT (up to LIMIT, by the (product, -orders)
    index), published and in stock, each with its cheapest variant in stock. Two queries."""
    from shop.catalog.models import Product, Variant

    rows = list(
        CoPurchase.objects.filter(
            product_id=product.pk,
            other__is_published=True,
        )
        .filter(Exists(Variant.objects.filter(product_id=OuterRef("other_id"), stock__gt=0)))
        .select_related("other")
        .order_by("-orders", "other_id")[:limit]
    )
    ids = [product.pk, *(row.other_id for row in rows)]
    cheapest: dict[int, Variant] = {}
    for variant in Variant.objects.filter(product_id__in=ids, stock__gt=0).order_by(
        "product_id", "price", "position", "id"
    ):
        cheapest.setdefault(variant.product_id, variant)
    items = []
    for row in rows:
        other: Product = row.other
        other.orders = row.orders
        items.append(TogetherItem(product=other, variant=cheapest.get(other.pk)))
    return BoughtTogether(product=product, variant=cheapest.get(product.pk), items=items)
