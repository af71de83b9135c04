"""The likes' rows of the access matrix (tests/social/access_matrix.py): the owner's like
and the owner's purchase of a product, at each setting, as each role is shown them in the
social proof of cards and product pages and its API ("Liked by …", "Bought by …", and the
counts: a person the viewer may not see is never counted), in the notification a friend's
like sends to the owner; and the likes' endpoints as each role."""

import pytest

from social.likes import services
from social.likes.proof import product_social
from social.notifications.models import Notification
from tests.factories import ProductFactory, UserFactory, friends_make, privacy_set, purchases_make
from tests.html import html
from tests.social.access_matrix import (
    ANONYMOUS,
    BLOCKED,
    BLOCKING,
    FRIEND,
    FRIEND_OF_FRIEND,
    OWNER,
    STRANGER,
    Datum,
    Endpoint,
    World,
    datum_cases,
    endpoint_cases,
    world_make,
)

pytestmark = pytest.mark.django_db

SETTINGS = ("private", "friends", "public")
# Social proof is of friends only: a public like is not a stranger's "friend".
PROOF_AUDIENCE = {
    "private": frozenset(),
    "friends": frozenset({FRIEND}),
    "public": frozenset({FRIEND}),
}


@pytest.fixture
def world() -> World:
    return world_make()


def _liked(world, visibility):
    privacy_set(world.owner, likes=visibility)
    product = ProductFactory(title="Trail Jacket", with_variants=1)
    services.like_create(user=world.owner, product=product)
    return product


def _bought(world, visibility):
    privacy_set(world.owner, purchases=visibility)
    product = ProductFactory(title="Trail Jacket", with_variants=1)
    purchases_make(world.owner, [product])
    return product


def _proof_counts(world, role, product, line: str) -> bool:
    """The role's proof of PRODUCT: True when it shows (and counts exactly) the owner."""
    viewer = world.viewer(role)
    if viewer is None:
        return bool(product_social(viewer=None, product_ids=[product.pk]))
    proof = getattr(product_social(viewer=viewer, product_ids=[product.pk])[product.pk].proof, line)
    assert proof.total == len(proof.people), "a count of people not shown"
    return proof.total == 1 and proof.people[0].pk == world.owner.pk


def _in_liked_proof(world, role, product) -> bool:
    return _proof_counts(world, role, product, "liked")


def _in_bought_proof(world, role, product) -> bool:
    return _proof_counts(world, role, product, "bought")


def _on_product_page(world, role, product) -> bool:
    from django.test import Client

    client = Client()
    if world.viewer(role) is not None:
        client.force_login(world.viewer(role))
    proof = html(client.get(product.get_absolute_url())).all("ul", cls="social-proof")
    text = " ".join(node.text for node in proof)
    return "Liked by Olive Owner" in text or "Bought by 1 friend" in text


def _in_proof_api(world, role, product) -> bool:
    response = world.client(role).get(f"/api/v1/products/{product.slug}/social-proof")
    if response.status_code != 200:
        return False
    body = response.json()
    return body["liked_by"]["total"] + body["bought_by"]["total"] == 1


def _told_of_like(world, role, product) -> bool:
    """The owner bought PRODUCT (shared at the setting); the role's viewer likes it: is the
    owner told? (Roles here are the likers; the owner is the buyer.)"""
    liker = world.viewer(role)
    if liker is None or liker.pk == world.owner.pk:
        return False
    services.like_create(user=liker, product=product)
    services.like_bought_friends_notify(like_id=liker_like_id(liker, product))
    return Notification.objects.filter(recipient=world.owner, actor=liker).exists()


def liker_like_id(liker, product) -> int:
    from social.likes.models import Like

    return Like.objects.get(user=liker, product=product).pk


DATA = [
    Datum("like_in_proof", SETTINGS, _liked, _in_liked_proof, audience=PROOF_AUDIENCE),
    Datum("like_on_product_page", SETTINGS, _liked, _on_product_page, audience=PROOF_AUDIENCE),
    Datum("like_in_proof_api", SETTINGS, _liked, _in_proof_api, audience=PROOF_AUDIENCE),
    Datum("purchase_in_proof", SETTINGS, _bought, _in_bought_proof, audience=PROOF_AUDIENCE),
    Datum("purchase_on_product_page", SETTINGS, _bought, _on_product_page, audience=PROOF_AUDIENCE),
    Datum("purchase_in_proof_api", SETTINGS, _bought, _in_proof_api, audience=PROOF_AUDIENCE),
    Datum("purchase_told_of_a_like", SETTINGS, _bought, _told_of_like, audience=PROOF_AUDIENCE),
]


@pytest.mark.parametrize("datum, visibility, role, expected", datum_cases(DATA))
def test_who_sees_what(world, datum, visibility, role, expected):
    thing = datum.share(world, visibility)

    assert datum.sees(world, role, thing) is expected


def test_other_friends_never_count_people_the_viewer_may_not_see(world):
    """Everyone in the world likes the product at "public": the friend is shown the owner
    only (the others are not the friend's friends, or blocked)."""
    product = ProductFactory(with_variants=1)
    for person in world.people.values():
        if person is not None:
            privacy_set(person, likes="public")
            services.like_create(user=person, product=product)
    # The friend's other friend hides likes: not counted either.
    hidden = UserFactory(username="hidden", display_name="Hidden")
    friends_make(world.viewer(FRIEND), hidden)
    privacy_set(hidden, likes="private")
    services.like_create(user=hidden, product=product)

    proof = product_social(viewer=world.viewer(FRIEND), product_ids=[product.pk])[product.pk]

    assert proof.proof.liked.total == 2  # the owner and the friend of a friend
    assert {p.username for p in proof.proof.liked.people} == {"owner", "fof"}


def _call(method, path, body=None):
    def call(world, role):
        client = world.client(role)
        return getattr(client, method)(path, body, format="json").status_code

    return call


def _arrange(world):
    ProductFactory(slug="trail-jacket", with_variants=1)


SIGNED_IN = {OWNER: 200, FRIEND: 200, FRIEND_OF_FRIEND: 200, STRANGER: 200, BLOCKED: 200}
SIGNED_IN |= {BLOCKING: 200, ANONYMOUS: 403}

ENDPOINTS = [
    Endpoint("likes_list", _call("get", "/api/v1/likes"), SIGNED_IN, _arrange),
    Endpoint(
        "likes_create",
        _call("post", "/api/v1/likes", {"product": "trail-jacket"}),
        {**dict.fromkeys(SIGNED_IN, 201), ANONYMOUS: 403},
        _arrange,
    ),
    Endpoint(
        "likes_destroy",
        _call("delete", "/api/v1/likes/trail-jacket"),
        {**dict.fromkeys(SIGNED_IN, 204), ANONYMOUS: 403},
        _arrange,
    ),
    Endpoint(
        "product_social_proof",
        _call("get", "/api/v1/products/trail-jacket/social-proof"),
        SIGNED_IN,
        _arrange,
    ),
]


@pytest.mark.parametrize("endpoint, role, expected", endpoint_cases(ENDPOINTS))
def test_who_may_do_what(world, endpoint, role, expected):
    endpoint.arrange(world)

    assert endpoint.call(world, role) == expected
