"""What the tests of "ask my friends" share: people, a product as the services take it, and
an ask made through the service."""

from django.utils import timezone

from shop.catalog.selectors import product_list_by_ids
from social.likes import ask_services
from tests.factories import ProductFactory, UserFactory, friends_make


def person(username: str, **fields):
    """An active person (logged in a moment ago, so fan-outs reach them)."""
    fields.setdefault("display_name", username.title())
    return UserFactory(username=username, last_login=timezone.now(), **fields)


def product_make(title: str = "Trail Jacket", **fields):
    """A published product, loaded as the ask's views load it (price_min, images)."""
    made = ProductFactory(title=title, **fields)
    return product_list_by_ids(product_ids=[made.pk])[made.pk]


def ask_make(asker, *friends, product=None, note: str = "", all_friends: bool = False):
    """ASKER asks FRIENDS (made friends first) about PRODUCT (a new one by default)."""
    for friend in friends:
        if not friend_of(asker, friend):
            friends_make(asker, friend)
    product = product or product_make()
    return ask_services.ask_create(
        asker=asker,
        product=product,
        friends=list(friends) if not all_friends else None,
        all_friends=all_friends,
        note=note,
    ).ask


def friend_of(person, other) -> bool:
    from social.graph.models import Friendship

    return Friendship.objects.filter(user=person, friend=other).exists()
