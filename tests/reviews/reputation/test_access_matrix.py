"""The reputation's row of the access matrix (tests/social/access_matrix.py): the owner's
purchase from a merchant, at each purchases setting, as each role is shown it among
"Friends who bought from this merchant" on the merchant page and in its API. It is a list of
friends: a public purchase is not a stranger's friend, and the owner is not their own."""

import pytest
from django.test import Client

from tests.factories import privacy_set
from tests.html import html
from tests.reviews.reputation.helpers import merchant_make, order_shipped
from tests.social.access_matrix import FRIEND, Datum, World, datum_cases, world_make

pytestmark = pytest.mark.django_db

FRIENDS_AUDIENCE = {
    "private": frozenset(),
    "friends": frozenset({FRIEND}),
    "public": frozenset({FRIEND}),
}


@pytest.fixture
def world() -> World:
    return world_make()


def _bought(world, visibility):
    privacy_set(world.owner, purchases=visibility)
    merchant = merchant_make()
    order_shipped(merchant, after_days=1, buyer=world.owner)
    return merchant


def _on_merchant_page(world, role, merchant) -> bool:
    client = Client()
    viewer = world.viewer(role)
    if viewer is not None:
        client.force_login(viewer)
    doc = html(client.get(f"/merchants/{merchant.slug}/"))
    sections = doc.all("div", cls="reputation__friends")
    return bool(sections) and "Olive Owner" in sections[0].text


def _in_api(world, role, merchant) -> bool:
    body = world.client(role).get(f"/api/v1/merchants/{merchant.slug}/reputation").json()
    friends = body["friends_who_bought"]
    assert friends["count"] == len(friends["people"]), "a count of people not shown"
    return [person["username"] for person in friends["people"]] == ["owner"]


DATA = [
    Datum(
        name="bought_from_merchant_page",
        visibilities=("private", "friends", "public"),
        share=_bought,
        sees=_on_merchant_page,
        audience=FRIENDS_AUDIENCE,
    ),
    Datum(
        name="bought_from_merchant_api",
        visibilities=("private", "friends", "public"),
        share=_bought,
        sees=_in_api,
        audience=FRIENDS_AUDIENCE,
    ),
]


@pytest.mark.parametrize(("datum", "visibility", "role", "expected"), datum_cases(DATA))
def test_friends_who_bought_from_a_merchant(world, datum, visibility, role, expected):
    thing = datum.share(world, visibility)

    assert datum.sees(world, role, thing) is expected
