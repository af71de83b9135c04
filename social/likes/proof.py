"""Social proof: "Liked by Ana, Ben and 4 other friends" and "Bought by 2 friends", for a
signed-in viewer, on product cards and product pages.

product_social reads it for every product of a page in ONE query (with each product's
like count and whether the viewer likes it): the friends' likes
and purchases the viewer may see (the audience rule of social.graph, on each friend's likes
and purchases settings; blocks either way hide a person), ranked per product by a window
function that keeps the three newest people of each product with the total, joined to the
people for their names and avatars. A count is of the same rows the names come from, so
"4 other friends" never counts someone the viewer may not see.

product_decorate is the page cache's per-viewer decoration (product_decorator_register):
the like button with the public count and this proof, cached per viewer and product under
versions (proof_cache), the missing ones built in one query per page and place.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string

from social.likes import proof_cache, selectors

User = get_user_model()

SHOWN = 3  # people with an avatar per line
NAMED = 2  # named before "and N other friends"


@dataclass(frozen=True)
class FriendsProof:
    """The friends of one line ("Liked by …"): the newest few, and how many in all."""

    people: list = field(default_factory=list)
    total: int = 0

    @property
    def named(self) -> list:
        return self.people if self.total <= SHOWN else self.people[:NAMED]

    @property
    def others(self) -> int:
        return self.total - len(self.named)


@dataclass(frozen=True)
class ProductProof:
    liked: FriendsProof = field(default_factory=FriendsProof)
    bought: FriendsProof = field(default_factory=FriendsProof)

    def __bool__(self) -> bool:
        return bool(self.liked.total or self.bought.total)


@dataclass(frozen=True)
class ProductSocial:
    """What a signed-in viewer is shown of one product: its like state and the proof."""

    state: selectors.LikeState
    proof: ProductProof


def product_social(*, viewer, product_ids: list[int]) -> dict[int, ProductSocial]:
    """Return, for each published product of PRODUCT_IDS, its public like count, whether
    VIEWER likes it, and the social proof VIEWER may see, in ONE query whatever their number
    (none for a visitor or no ids)."""
    if viewer is None or not viewer.is_authenticated or not product_ids:
        return {}
    states = selectors.like_states_queryset(viewer=viewer, product_ids=product_ids).values_list(
        "pk", "likes", "liked", "slug", "title"
    )
    likes = (
        selectors.likes_visible_to(viewer=viewer, product_ids=product_ids)
        .order_by()
        .values_list("product_id", "user_id", "created_at")
    )
    purchases = (
        selectors.purchases_visible_to(viewer=viewer, product_ids=product_ids)
        .order_by()
        .annotate(at=Coalesce("order__paid_at", "order__created_at"))
        .values_list("variant__product_id", "order__customer_id", "at")
    )
    states_sql, states_params = states.query.sql_with_params()
    likes_sql, likes_params = likes.query.sql_with_params()
    bought_sql, bought_params = purchases.query.sql_with_params()
    user_table = connection.ops.quote_name(User._meta.db_table)
    # One statement: the products' own rows ('p': count, liked by me, slug, title), then per
    # product the three newest friends who like it ('l') and who bought it ('b'), with the
    # total of each, ranked by a window function (a friend who bought twice counts once).
    sql = f"""
        WITH pr (product_id, total, liked, slug, title) AS ({states_sql}),
        lk (product_id, user_id, at) AS ({likes_sql}),
        bt (product_id, user_id, at) AS ({bought_sql}),
        people AS (
            SELECT 'l' AS kind, product_id, user_id, at FROM lk
            UNION ALL
            SELECT 'b' AS kind, product_id, user_id, MAX(at) FROM bt GROUP BY product_id, user_id
        ),
        ranked AS (
            SELECT kind, product_id, user_id,
                ROW_NUMBER() OVER (
                    PARTITION BY kind, product_id ORDER BY at DESC, user_id DESC
                ) AS rn,
                COUNT(*) OVER (PARTITION BY kind, product_id) AS total
            FROM people
        )
        SELECT 'p', product_id, total, 0, CASE WHEN liked THEN 1 ELSE 0 END, slug, title, '', ''
        FROM pr
        UNION ALL
        SELECT r.kind, r.product_id, r.total, r.rn, u.id, u.username, u.display_name, u.avatar,
            u.avatar_thumb
        FROM ranked r JOIN {user_table} u ON u.id = r.user_id
        WHERE r.rn <= {SHOWN}
        ORDER BY 1, 2, 4
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*states_params, *likes_params, *bought_params])
        rows = cursor.fetchall()
    products: dict[int, selectors.LikeState] = {}
    lines: dict[tuple[str, int], tuple[list, int]] = {}
    for kind, product_id, total, _, pk, name, display_name, avatar, avatar_thumb in rows:
        if kind == "p":
            products[product_id] = selectors.LikeState(
                product_id=product_id, slug=name, title=display_name, count=total, liked=bool(pk)
            )
            continue
        person = User(
            pk=pk,
            username=name,
            display_name=display_name,
            avatar=avatar or "",
            avatar_thumb=avatar_thumb or "",
        )
        lines.setdefault((kind, product_id), ([], total))[0].append(person)
    out = {}
    for product_id, state in products.items():
        liked = lines.get(("l", product_id), ([], 0))
        bought = lines.get(("b", product_id), ([], 0))
        out[product_id] = ProductSocial(
            state=state,
            proof=ProductProof(
                liked=FriendsProof(people=liked[0], total=liked[1]),
                bought=FriendsProof(people=bought[0], total=bought[1]),
            ),
        )
    return out


def decoration_render(
    *, viewer, state: selectors.LikeState, proof: ProductProof | None, place: str, more=None
) -> str:
    """The decoration of one product: its like button (with the count) and its proof;
    MORE: the "more like this" products shown after a like."""
    return render_to_string(
        "likes/decoration.html",
        {
            "state": state,
            "proof": proof or ProductProof(),
            "place": place,
            "more": more or [],
            "viewer": viewer,
        },
    )


def product_decorate(*, viewer, product_ids: list[int], place: str) -> dict[int, str]:
    """The page cache's decoration (shop.catalog.page_cache.product_decorator_register): for
    each product, the like button with its count and the social proof VIEWER may see.

    Cached per viewer and product under versions (social.likes.proof_cache), and as the
    whole set of a page: a page whose decorations are all cached costs no query and two
    cache reads; the others are built in ONE query whatever their number. On the page of a
    product VIEWER likes, "more like this" too (never cached: four more queries). Nothing
    below a product page's buy box (place "below")."""
    if place not in ("card", "page"):
        return {}
    lookup = proof_cache.decorations_get(viewer=viewer, product_ids=product_ids, place=place)
    if not lookup.to_build:
        return lookup.found
    found = product_social(viewer=viewer, product_ids=list(lookup.to_build))
    more = None
    if place == "page" and len(found) == 1:
        item = next(iter(found.values()))
        if item.state.liked:
            from shop.catalog.models import Product

            product = Product.objects.filter(pk=item.state.product_id).first()
            if product is not None:
                more = selectors.more_like_this(product=product, viewer=viewer)
    built = {
        pk: decoration_render(
            viewer=viewer, state=item.state, proof=item.proof, place=place, more=more
        )
        for pk, item in found.items()
    }
    if not more:
        proof_cache.decorations_set(lookup, built)
    return {**lookup.found, **built}
