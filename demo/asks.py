"""The demo shopper's "ask my friends": a friend's open question waiting for the shopper's
answer (a notification and a feed item), and a question of the shopper's own that two
friends answered, shown on its product page and in the cart. Made through the asks'
services, as the site makes them.

Idempotent: an open question of the same person about the same product is left as it is, so
running the demo again makes nothing new (once one has closed, the next run opens another).
"""

from collections import Counter

from django.contrib.auth import get_user_model

from demo.community import community_spec
from shop.catalog.models import Product
from shop.catalog.selectors import product_list_by_ids
from social.graph.selectors import friends_of
from social.likes import ask_services
from social.likes.models import Ask

ANSWERS = [
    (False, "I had one: the zip broke after a month. Look at the other one."),
    (True, "Yes! I use mine every day."),
]


def _open(asker, product) -> bool:
    return Ask.objects.filter(
        asker=asker, product=product, closed_at__isnull=True, closes_at__gt=_now()
    ).exists()


def _now():
    from django.utils import timezone

    return timezone.now()


def asks_build(*, created: Counter) -> None:
    """Make whatever of the demo shopper's questions is missing."""
    spec = community_spec()
    shopper = get_user_model().objects.filter(username=spec.shopper).first()
    if shopper is None:
        return
    friends = list(friends_of(user=shopper).filter(is_active=True).order_by("username")[:3])
    product_ids = list(
        Product.objects.filter(is_published=True).order_by("pk").values_list("pk", flat=True)
    )
    if len(friends) < 3 or len(product_ids) < 2:
        return
    # Two products a third and two thirds into the catalogue (the same on every run).
    their_id, my_id = product_ids[len(product_ids) // 3], product_ids[2 * len(product_ids) // 3]
    products = product_list_by_ids(product_ids=[their_id, my_id])
    theirs, mine = products.get(their_id), products.get(my_id)
    asker = friends[0]
    if theirs is not None and not _open(asker, theirs):
        ask_services.ask_create(
            asker=asker,
            product=theirs,
            friends=[shopper],
            note="Thinking of getting this for my trip next month. Worth it?",
        )
        created["asks"] += 1
    if mine is not None and not _open(shopper, mine):
        ask = ask_services.ask_create(
            asker=shopper,
            product=mine,
            friends=friends[1:3],
            note="Is this any good?",
        ).ask
        ask.asker, ask.product = shopper, mine
        for friend, (yes, comment) in zip(friends[1:3], ANSWERS, strict=True):
            ask_services.ask_answer(ask=ask, friend=friend, yes=yes, comment=comment)
        created["asks"] += 1
