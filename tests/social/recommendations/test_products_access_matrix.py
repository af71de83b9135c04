"""The recommendations' rows of the access matrix (tests/social/access_matrix.py): the owner's
like and the owner's purchase of a product, at each setting, as each role's recommendations
name them ("Because Olive Owner liked it"): through the precompute and as read, in the API
and on the home page. Reasons name friends only (a public like is not a stranger's friend)."""

import pytest

from social.likes import services as like_services
from social.recommendations import products_selectors, products_services
from social.recommendations.models import PickReason
from tests.factories import ProductFactory, privacy_set, purchases_make
from tests.social.access_matrix import FRIEND, Datum, World, datum_cases, world_make

pytestmark = pytest.mark.django_db

SETTINGS = ("private", "friends", "public")
# A reason names a friend whom the viewer may see doing it.
REASON_AUDIENCE = {
    "private": frozenset(),
    "friends": frozenset({FRIEND}),
    "public": frozenset({FRIEND}),
}


@pytest.fixture
def world() -> World:
    return world_make()


def _liked(world, visibility):
    privacy_set(world.owner, likes=visibility)
    product = ProductFactory(title="Trail Jacket")
    like_services.like_create(user=world.owner, product=product)
    return product


def _bought(world, visibility):
    privacy_set(world.owner, purchases=visibility)
    product = ProductFactory(title="Trail Jacket")
    purchases_make(world.owner, [product])
    return product


def _named_in_picks(reason):
    def sees(world, role, product) -> bool:
        viewer = world.viewer(role)
        if viewer is None:  # a visitor has no picks at all
            return False
        products_services.picks_compute(user_id=viewer.pk)
        return any(
            pick.reason == reason and pick.reason_person_id == world.owner.pk
            for pick in products_selectors.picks_for_user(viewer=viewer)
        )

    return sees


def _named_in_the_api(world, role, product) -> bool:
    viewer = world.viewer(role)
    if viewer is None:
        return world.client(role).get("/api/v1/recommendations").status_code == 200
    products_services.picks_compute(user_id=viewer.pk)
    results = world.client(role).get("/api/v1/recommendations").json()["results"]
    return any((item["reason"]["person"] or {}).get("username") == "owner" for item in results)


def _named_on_the_home_page(world, role, product) -> bool:
    from django.test import Client

    viewer = world.viewer(role)
    client = Client()
    if viewer is not None:
        products_services.picks_compute(user_id=viewer.pk)
        client.force_login(viewer)
    return "Because Olive Owner" in client.get("/").content.decode()


DATA = [
    Datum(
        "like-in-picks", SETTINGS, _liked, _named_in_picks(PickReason.FRIEND_LIKED), REASON_AUDIENCE
    ),
    Datum(
        "purchase-in-picks",
        SETTINGS,
        _bought,
        _named_in_picks(PickReason.FRIEND_BOUGHT),
        REASON_AUDIENCE,
    ),
    Datum("like-in-api", SETTINGS, _liked, _named_in_the_api, REASON_AUDIENCE),
    Datum("purchase-on-home", SETTINGS, _bought, _named_on_the_home_page, REASON_AUDIENCE),
]


@pytest.mark.parametrize("datum, visibility, role, expected", datum_cases(DATA))
def test_recommendations_access_matrix(world, datum, visibility, role, expected):
    thing = datum.share(world, visibility)

    assert datum.sees(world, role, thing) is expected
