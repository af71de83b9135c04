"""The demo shopper's friends like products, through the likes' services (as the site
records them: the like, its count, its activity in the friends' feeds), so the shopper's
cards show "Liked by …" and the feed "Ana liked …" on the first log-in.

Idempotent: a like is made once per (person, product) by the service itself, so running the
demo again likes nothing new.
"""

from collections import Counter

from django.contrib.auth import get_user_model

from demo.community import community_spec
from shop.catalog.models import Product
from social.graph.selectors import friends_of
from social.likes.services import like_create

# How many products each friend likes, from the newest (what the home page shows first).
LIKES_EACH = 5
# The newest products the friends' likes fall on: several friends per product, so a card
# reads "Liked by Ana, Ben and 2 other friends".
SPREAD = 8


def likes_build(*, created: Counter) -> None:
    """Make whatever of the demo friends' likes is missing."""
    spec = community_spec()
    shopper = get_user_model().objects.filter(username=spec.shopper).first()
    if shopper is None:
        return
    friends = list(friends_of(user=shopper).filter(is_active=True).order_by("username"))
    products = list(
        Product.objects.filter(is_published=True).order_by("-created_at", "-pk")[:SPREAD]
    )
    if not products:
        return
    for index, friend in enumerate(friends):
        for k in range(min(LIKES_EACH, len(products))):
            product = products[(index * 3 + k) % len(products)]
            if like_create(user=friend, product=product).changed:
                created["likes"] += 1
