"""The demo's gift pools, made through the pools' services as the site makes them:

- the demo shopper organises a pool for a friend's birthday (a wish on Chloe's birthday list,
  shipped to the list's gift address the shopper never sees), half-filled by two friends (one
  hid her name from the others), its deadline next week;
- the shopper chipped in to Robin's pool for a teacher's thank-you present;
- Lena's pool for a friend's new job was funded, its gift ordered with the pool's money and
  shipped by the merchant: the shopper chipped in, and the pool page shows the tracking;
- Felix's pool for an amount (a retirement present for a colleague, its gift to be chosen from
  the shop once the money is in): the shopper chipped in.

Every contribution is paid with the fake gateway's test card. Idempotent: a pool is known by
its organiser and message, and one that exists is left as it is.
"""

from collections import Counter
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from demo.community import community_spec
from gifting.pools import contributions, opening, ordering, payments, services
from gifting.pools.models import Pool
from gifting.wishlists import services as wishlist_services
from gifting.wishlists.models import Wishlist
from shop.accounts.services import address_add
from shop.catalog.models import Variant
from shop.orders import services as order_services
from shop.orders.addresses import AddressInput
from social.graph.selectors import friends_of

TEST_CARD = "pm_card_visa"
SHIPPING_METHOD_CODE = "standard"
BIRTHDAY_MESSAGE = "Happy birthday Chloé! Let's get her the one she has been eyeing."
TEACHER_MESSAGE = "A thank-you for Ms. Okafor, who taught our kids to love reading."
FUNDED_MESSAGE = "For your new job: well done!"
AMOUNT_MESSAGE = "Happy retirement, Marc! We choose his present together once the pool is full."
AMOUNT_TARGET = 12_000


def _people(*usernames):
    users = get_user_model().objects.in_bulk(list(usernames), field_name="username")
    return [users.get(name) for name in usernames]


def _variants(offset: int, count: int) -> list[Variant]:
    variants = list(
        Variant.objects.filter(product__is_published=True, stock__gt=0, position=0).order_by(
            "-product_id"
        )[offset : offset + count]
    )
    return variants if len(variants) == count else []


def _method():
    return next(
        m
        for m in order_services.shipping_methods_default_ensure()
        if m.code == SHIPPING_METHOD_CODE
    )


def _chip_in(pool: Pool, who, amount: int, *, message: str = "", hide_name: bool = False):
    contribution = contributions.contribution_reserve(
        pool=pool, contributor=who, amount=amount, message=message, hide_name=hide_name
    )
    payment = payments.contribution_pay(contribution=contribution, payment_method=TEST_CARD)
    if payment.status != payment.Status.SUCCEEDED:
        raise RuntimeError(f"The demo contribution's test payment did not go through: {payment}")
    pool.refresh_from_db()


def _birthday_list(friend, variant) -> Wishlist:
    wishlist = Wishlist.objects.filter(owner=friend, title="Birthday").first()
    if wishlist is not None:
        return wishlist
    address = friend.addresses.first() or address_add(
        user=friend,
        full_name=friend.public_name,
        line1="12 Quai des Célestins",
        line2="",
        postal_code="69002",
        city="Lyon",
        country="FR",
    )
    wishlist = wishlist_services.wishlist_create(
        owner=friend,
        title="Birthday",
        visibility="friends",
        occasion_on=timezone.localdate() + timedelta(days=9),
        shipping_address=address,
    )
    wishlist_services.wishlist_item_add(wishlist=wishlist, variant_id=variant.pk)
    return wishlist


def _address(name: str) -> AddressInput:
    return AddressInput(
        full_name=name,
        line1="8 Rue de la République",
        line2="",
        postal_code="13001",
        city="Marseille",
        country="FR",
    )


def pools_build(*, created: Counter) -> None:
    """Make whatever of the demo's four pools is missing."""
    spec = community_spec()
    shopper, chloe, felix, lena, robin, mateo = _people(
        spec.shopper, "chloe", "felix", "lena", "robin", "mateo"
    )
    variants = _variants(0, 3)
    if shopper is None or None in (chloe, felix, lena, robin, mateo) or not variants:
        return
    now = timezone.now()
    method = _method()

    if not Pool.objects.filter(organiser=shopper, message=BIRTHDAY_MESSAGE).exists():
        wishlist = _birthday_list(chloe, variants[0])
        pool = opening.pool_open_for_wish(
            organiser=shopper,
            item=wishlist.items.order_by("pk").first(),
            shipping_method=method,
            deadline=now + timedelta(days=7),
            visibility="friends",
            message=BIRTHDAY_MESSAGE,
        )
        quarter = pool.target // 4
        _chip_in(pool, felix, quarter, message="Happy birthday, Chloé!")
        _chip_in(pool, lena, pool.target // 2 - quarter, message="From me too!", hide_name=True)
        created["gift pools"] += 1

    if not Pool.objects.filter(organiser=robin, message=TEACHER_MESSAGE).exists():
        pool = opening.pool_open_for_variant(
            organiser=robin,
            variant=variants[1],
            shipping_method=method,
            deadline=now + timedelta(days=12),
            visibility="link",
            recipient_name="Ms. Okafor",
            address=_address("Adaeze Okafor"),
            message=TEACHER_MESSAGE,
            rule=Pool.Rule.SUGGESTED,
            suggested_amount=max(min(1_500, variants[1].price), 100),
        )
        _chip_in(pool, shopper, min(1_500, pool.remaining), message="Thank you for everything!")
        created["gift pools"] += 1

    if not Pool.objects.filter(organiser=felix, message=AMOUNT_MESSAGE).exists():
        pool = services.pool_open(  # a pool for an amount: no gift, no address yet
            organiser=felix,
            target=AMOUNT_TARGET,
            deadline=now + timedelta(days=10),
            visibility="link",
            recipient_name="Marc Lefèvre",
            message=AMOUNT_MESSAGE,
        )
        _chip_in(pool, shopper, 2_500, message="Enjoy every day of it, Marc!")
        _chip_in(pool, robin, 3_000)
        created["gift pools"] += 1

    # A friend of Lena's (not the shopper, nor Mateo who chips in, nor Chloé who has a pool
    # already) receives her pool's gift.
    yusuf = (
        friends_of(user=lena)
        .filter(is_active=True)
        .exclude(pk__in=[shopper.pk, mateo.pk, chloe.pk])
        .order_by("username")
        .first()
    )
    if (
        yusuf is not None
        and not Pool.objects.filter(organiser=lena, message=FUNDED_MESSAGE).exists()
    ):
        pool = opening.pool_open_for_variant(
            organiser=lena,
            variant=variants[2],
            shipping_method=method,
            deadline=now + timedelta(days=3),
            visibility="friends",
            recipient=yusuf,
            address=_address(yusuf.public_name),
            message=FUNDED_MESSAGE,
        )
        half = pool.target // 2
        _chip_in(pool, shopper, half, message="Congratulations on the new job!")
        _chip_in(pool, mateo, pool.remaining, message="So proud of you.")
        order = ordering.pool_order_place(pool=Pool.objects.get(pk=pool.pk), by=lena)
        for line in order.lines.select_related("merchant").order_by("pk")[:1]:
            order_services.order_fulfil(  # the merchant ships it (by=None: as the system)
                order=order,
                merchant=line.merchant,
                carrier="Colissimo",
                tracking_number=f"POOL{order.number[-6:]}",
                by=None,
            )
        created["gift pools"] += 1
