"""The asks' rows of the access matrix (tests/social/access_matrix.py): an ask of the owner's,
put to their friend, as each role sees it on its page, through the API (detail and list), on
the product page, in their feed and in their notifications; and its answers as the owner
sees them. Only the owner (the asker) and the friend asked see anything. The blocked and the
blocking were asked before the block (their rows are written as if the block's receiver had
not run: the reads alone must hide it), and a friend of the friend, a stranger and a
visitor were never asked."""

import pytest
from django.test import Client
from django.utils import timezone

from social.feed.models import ActivityRecipient, FeedItem
from social.feed.services import activity_fanout
from social.likes import ask_selectors, ask_services
from social.likes.models import AskAnswer, AskRecipient
from social.notifications.models import Notification
from tests.social.access_matrix import (
    ANONYMOUS,
    BLOCKED,
    BLOCKING,
    FRIEND,
    FRIEND_OF_FRIEND,
    OWNER,
    ROLES,
    STRANGER,
    Datum,
    Endpoint,
    World,
    datum_cases,
    endpoint_cases,
    world_make,
)
from tests.social.likes.asks_helpers import product_make

pytestmark = pytest.mark.django_db

# An ask is the asker's and the friends asked: no visibility setting widens it.
ASKED = {"asked": frozenset({OWNER, FRIEND})}
# What reaches the people asked (a feed item, a notification) does not reach the asker.
TO_THE_ASKED = {"asked": frozenset({FRIEND})}
TITLE = "Matrix Jacket"


@pytest.fixture
def world() -> World:
    world = world_make()
    from django.contrib.auth import get_user_model

    get_user_model().objects.update(last_login=timezone.now())
    return world


def _ask(world: World, visibility: str = "asked"):
    """The owner asks their friend; the blocked and the blocking had been asked before."""
    product = product_make(TITLE, slug="matrix-jacket")
    put = ask_services.ask_create(
        asker=world.owner, product=product, friends=[world.viewer(FRIEND)], note="Rain?"
    )
    ask = put.ask
    activity_fanout(
        activity_id=ActivityRecipient.objects.get(user=world.viewer(FRIEND)).activity_id
    )
    activity = ActivityRecipient.objects.get(user=world.viewer(FRIEND)).activity
    for role in (BLOCKED, BLOCKING):
        earlier = world.viewer(role)
        AskRecipient.objects.create(ask=ask, user=earlier)
        ActivityRecipient.objects.create(activity=activity, user=earlier)
        FeedItem.objects.create(owner=earlier, activity=activity, created_at=activity.created_at)
        Notification.objects.create(
            recipient=earlier,
            kind="ask_received",
            actor=world.owner,
            url=f"/asks/{ask.pk}/",
            data={"product": TITLE},
            group_key=f"ask:{earlier.pk}",
            dedupe_key=f"ask:{earlier.pk}",
        )
    world.extra["product"] = product
    return ask


def _client(world: World, role: str) -> Client:
    client = Client()
    if world.viewer(role) is not None:
        client.force_login(world.viewer(role))
    return client


def _page(world, role, ask) -> bool:
    return _client(world, role).get(f"/asks/{ask.pk}/").status_code == 200


def _api_detail(world, role, ask) -> bool:
    return world.client(role).get(f"/api/v1/asks/{ask.pk}").status_code == 200


def _api_list(world, role, ask) -> bool:
    response = world.client(role).get("/api/v1/asks")
    return response.status_code == 200 and any(
        a["id"] == ask.pk for a in response.json()["results"]
    )


def _product_page(world, role, ask) -> bool:
    page = _client(world, role).get("/products/matrix-jacket/").content.decode()
    return "Olive Owner asks you" in page or "Your friends say" in page


def _feed(world, role, ask) -> bool:
    if world.viewer(role) is None:
        return False  # the feed is for signed-in people only
    page = _client(world, role).get("/feed/").content.decode()
    return f"should I buy {TITLE}" in page or f"/asks/{ask.pk}/answer/" in page


def _notifications(world, role, ask) -> bool:
    if world.viewer(role) is None:
        return False
    page = _client(world, role).get("/notifications/").content.decode()
    return f"asks: should I buy {TITLE}" in page


def _selector(world, role, ask) -> bool:
    return ask_selectors.asks_visible_to(viewer=world.viewer(role)).filter(pk=ask.pk).exists()


def _datum(name, sees, audience=ASKED) -> Datum:
    return Datum(name=name, visibilities=("asked",), share=_ask, sees=sees, audience=audience)


DATA = [
    _datum("ask-selector", _selector),
    _datum("ask-page", _page),
    _datum("ask-api-detail", _api_detail),
    _datum("ask-api-list", _api_list),
    _datum("ask-product-page", _product_page),
    _datum("ask-feed", _feed, TO_THE_ASKED),
    _datum("ask-notifications", _notifications, TO_THE_ASKED),
]


@pytest.mark.parametrize(("datum", "visibility", "role", "expected"), datum_cases(DATA))
def test_who_sees_an_ask(world, datum, visibility, role, expected):
    thing = datum.share(world, visibility)

    assert datum.sees(world, role, thing) is expected


# --- answers, as the asker sees them ------------------------------------------------------------


def _answered_by_all(world) -> object:
    """Every signed-in role but the owner answered No with a comment naming them (rows
    written directly for those the rules would refuse: the reads alone must hide them)."""
    ask = _ask(world)
    ask_services.ask_answer(ask=ask, friend=world.viewer(FRIEND), yes=False, comment=f"by {FRIEND}")
    for role in (FRIEND_OF_FRIEND, STRANGER, BLOCKED, BLOCKING):
        AskAnswer.objects.create(
            ask=ask, friend=world.viewer(role), yes=False, comment=f"by {role}"
        )
    return ask


@pytest.mark.parametrize("role", [r for r in ROLES if r not in (OWNER, ANONYMOUS)])
def test_the_asker_reads_only_the_answers_of_friends_not_blocked(world, role):
    ask = _answered_by_all(world)

    page = _client(world, OWNER).get(f"/asks/{ask.pk}/").content.decode()
    api = world.client(OWNER).get(f"/api/v1/asks/{ask.pk}").json()
    product_page = _client(world, OWNER).get("/products/matrix-jacket/").content.decode()

    shown = role == FRIEND
    assert (f"by {role}" in page) is shown
    assert (f"by {role}" in product_page) is shown
    assert any(a["comment"] == f"by {role}" for a in api["answers"]) is shown


def test_a_friend_asked_reads_only_their_own_answer(world):
    ask = _answered_by_all(world)

    api = world.client(FRIEND).get(f"/api/v1/asks/{ask.pk}").json()

    assert [a["comment"] for a in api["answers"]] == [f"by {FRIEND}"]
    assert api["yes_count"] is None and api["no_count"] is None


# --- acting on the owner's ask ------------------------------------------------------------------


def _answer(world, role):
    ask = _ask(world)
    response = world.client(role).post(
        f"/api/v1/asks/{ask.pk}/answers", {"answer": "yes"}, format="json"
    )
    return response.status_code


def _withdraw(world, role):
    ask = _ask(world)
    return world.client(role).post(f"/api/v1/asks/{ask.pk}/close").status_code


NOT_SEEN = {FRIEND_OF_FRIEND: 404, STRANGER: 404, BLOCKED: 404, BLOCKING: 404, ANONYMOUS: 403}
ENDPOINTS = [
    # The owner did not ask themselves: 400 not_asked.
    Endpoint(name="answer", call=_answer, expected={OWNER: 400, FRIEND: 200, **NOT_SEEN}),
    Endpoint(name="withdraw", call=_withdraw, expected={OWNER: 200, FRIEND: 400, **NOT_SEEN}),
]


@pytest.mark.parametrize(("endpoint", "role", "expected"), endpoint_cases(ENDPOINTS))
def test_what_each_role_may_do_to_an_ask(world, endpoint, role, expected):
    assert endpoint.call(world, role) == expected
