"""The personal home page's source (shop.catalog.home_sections): a signed-in person's `/` is
built from their precomputed picks, in sections chosen and ordered by what they engage with.

home_source answers every signed-in request of `/` with one cache read (a query on a miss);
the sections are built only when the page is not cached under the person's version: one
query for the picks (with their reasons re-checked), two for the products' cards.
"""

from collections import defaultdict

from django.urls import reverse

from shop.catalog.home_sections import HomeSection, PersonalHome
from social.recommendations import products_selectors
from social.recommendations.models import PickReason, ProductPick

SECTION_SIZE = 8
SECTIONS = 6
WHY = (
    "This page is built for you from what you like and buy here, the categories and brands "
    "you look at, the merchants you follow, what is often bought together, and what your "
    "friends like and buy (only what they share with you, and never from anyone blocked). "
    "Each product says why it is here. We work it out in the background, not while you browse."
)


def _section_of(pick: ProductPick) -> tuple[str, str, str]:
    """The section a pick belongs in: (key, title, reason)."""
    match pick.reason:
        case PickReason.FRIEND_LIKED | PickReason.FRIEND_BOUGHT:
            return (
                "friends",
                "From your friends",
                "What your friends like and bought, of what they share with you.",
            )
        case PickReason.YOU_LIKED:
            title = pick.reason_product.title
            return (
                f"liked-{pick.reason_product_id}",
                f"Because you liked {title}",
                f"People who bought {title} often bought these too.",
            )
        case PickReason.BOUGHT_WITH:
            title = pick.reason_product.title
            return (
                f"bought-{pick.reason_product_id}",
                f"Often bought with {title}",
                f"You bought {title}; these often go with it.",
            )
        case PickReason.MERCHANT_NEW:
            return (
                "merchants",
                "New from merchants you follow",
                "The newest products of the merchants you follow.",
            )
        case PickReason.CATEGORY:
            return (
                f"picks-{pick.reason_key}",
                f"Picks in {pick.reason_label}",
                f"Because you like {pick.reason_label}: its best sellers in stock.",
            )
        case _:
            return (
                "popular",
                "Popular right now",
                "Best sellers and new arrivals, while we learn what you like.",
            )


def _note(pick: ProductPick) -> str:
    if pick.reason in (PickReason.FRIEND_LIKED, PickReason.FRIEND_BOUGHT):
        return products_selectors.pick_reason_text(pick)
    return ""


def home_sections_build(*, viewer) -> list[HomeSection]:
    """VIEWER's home sections, ordered by how much of VIEWER's engagement each stands on (the
    sum of its picks' scores), each of up to SECTION_SIZE products. Three queries."""
    from shop.catalog.selectors import product_list_by_ids

    picks = list(products_selectors.picks_for_user(viewer=viewer))
    grouped: dict[str, list[ProductPick]] = defaultdict(list)
    heads: dict[str, tuple[str, str]] = {}
    for pick in picks:
        key, title, reason = _section_of(pick)
        if len(grouped[key]) < SECTION_SIZE:
            grouped[key].append(pick)
            heads[key] = (title, reason)
    order = sorted(grouped, key=lambda key: -sum(p.score for p in grouped[key]))[:SECTIONS]
    products = product_list_by_ids(
        product_ids=[p.product_id for key in order for p in grouped[key]]
    )
    sections = []
    for key in order:
        shown = [p for p in grouped[key] if p.product_id in products]
        title, reason = heads[key]
        sections.append(
            HomeSection(
                key=key,
                title=title,
                reason=reason,
                products=tuple(products[p.product_id] for p in shown),
                notes={p.product_id: note for p in shown if (note := _note(p))},
            )
        )
    return sections


def home_source(*, viewer) -> PersonalHome | None:
    """The personal home of VIEWER, or None for the ordinary one (personalisation off, or
    no picks yet: then they are asked for)."""
    version = products_selectors.home_version(viewer=viewer)
    if version is None:
        return None
    return PersonalHome(
        version=version,
        sections=lambda: home_sections_build(viewer=viewer),
        why=WHY,
        settings_url=reverse("privacy_settings"),
    )
