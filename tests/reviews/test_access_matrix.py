"""The reviews' rows of the access matrix (tests/social/access_matrix.py): the owner's review
in each role's feed (at the review's feed visibility), on the product's reviews page and in
the API (a block hides it both ways), the name it carries (hidden by choice: nobody sees it),
a hidden review (nowhere: page, API, feed, the product's rating); and the reviews' endpoints
as each role."""

import pytest
from django.test import Client

from reviews import moderation
from reviews.activity import review_activity_key
from social.feed import selectors as feed_selectors
from social.feed.models import Activity, FeedItem
from tests.factories import ProductFactory, UserFactory, privacy_set
from tests.html import html
from tests.reviews.helpers import review_write
from tests.social.access_matrix import (
    ANONYMOUS,
    AUDIENCE,
    BLOCKED,
    BLOCKING,
    FRIEND,
    FRIEND_OF_FRIEND,
    NOT_BLOCKED,
    OWNER,
    SIGNED_IN,
    STRANGER,
    Datum,
    Endpoint,
    World,
    datum_cases,
    endpoint_cases,
    world_make,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return world_make()


def _rows_for_everyone(world, review) -> None:
    """Every signed-in role holds a feed row, as if the fan-out had erred: the read decides."""
    activity = Activity.objects.filter(dedupe_key=review_activity_key(review.pk)).first()
    if activity is None:
        return
    FeedItem.objects.bulk_create(
        [
            FeedItem(owner=person, activity=activity, created_at=activity.created_at)
            for person in world.people.values()
            if person is not None
        ],
        ignore_conflicts=True,
    )


def _reviewed(world, visibility):
    product = ProductFactory(title="Trail Jacket", slug="trail-jacket")
    review = review_write(world.owner, product, title="Owner's words", feed_visibility=visibility)
    _rows_for_everyone(world, review)
    return review


def _named(world, setting):
    privacy_set(world.owner, reviews_show_name=setting == "name_shown")
    return _reviewed(world, "public")


def _hidden(world, _):
    review = _reviewed(world, "public")
    moderation.review_hide(review_id=review.pk, by=UserFactory(is_superuser=True), reason="Spam")
    _rows_for_everyone(world, review)
    return review


def _in_feed(world, role, review) -> bool:
    viewer = world.viewer(role)
    if viewer is None:
        return False
    page = feed_selectors.feed_page(viewer=viewer)
    return any(
        a.verb == "review" and a.snapshot["review"]["id"] == review.pk
        for entry in page.entries
        for a in entry.activities
    )


def _page(world, role, review) -> str:
    client = Client()
    if world.viewer(role) is not None:
        client.force_login(world.viewer(role))
    return client.get(f"/products/{review.product.slug}/reviews/").content.decode()


def _on_page(world, role, review) -> bool:
    return "Owner&#x27;s words" in _page(world, role, review)


def _in_api(world, role, review) -> bool:
    results = world.client(role).get("/api/v1/reviews", {"product": review.product.slug}).json()
    return any(item["id"] == review.pk for item in results["results"])


def _name_shown(world, role, review) -> bool:
    client = Client()
    if world.viewer(role) is not None:
        client.force_login(world.viewer(role))
    page = html(client.get(f"/products/{review.product.slug}/reviews/"))
    return any("Olive Owner" in node.text for node in page.all("span", cls="review__author"))


def _anywhere(world, role, review) -> bool:
    review.product.refresh_from_db()
    return (
        _on_page(world, role, review)
        or _in_api(world, role, review)
        or _in_feed(world, role, review)
        or review.product.rating_count > 0
    )


FEED = ("private", "friends", "public")
PUBLIC = {"public": NOT_BLOCKED}
DATA = [
    # The feed is for signed-in people: a visitor has none.
    Datum(
        "review_in_feed",
        FEED,
        _reviewed,
        _in_feed,
        audience={**AUDIENCE, "public": NOT_BLOCKED - {ANONYMOUS}},
    ),
    Datum("review_on_page", ("public",), _reviewed, _on_page, audience=PUBLIC),
    Datum("review_in_api", ("public",), _reviewed, _in_api, audience=PUBLIC),
    Datum(
        "review_name",
        ("name_shown", "name_hidden"),
        _named,
        _name_shown,
        audience={"name_shown": NOT_BLOCKED, "name_hidden": frozenset()},
    ),
    Datum("hidden_review", ("hidden",), _hidden, _anywhere, audience={"hidden": frozenset()}),
]


@pytest.mark.parametrize("datum, visibility, role, expected", datum_cases(DATA))
def test_who_sees_what(world, datum, visibility, role, expected):
    thing = datum.share(world, visibility)

    assert datum.sees(world, role, thing) is expected


def _arrange(world) -> None:
    world.extra["review"] = _reviewed(world, "public")


def _call(method: str, suffix: str, data=None):
    def call(world, role):
        url = f"/api/v1/reviews/{world.extra['review'].pk}{suffix}"
        return getattr(world.client(role), method)(url, data, format="json").status_code

    return call


NOT_OWNER = SIGNED_IN - {OWNER, BLOCKED, BLOCKING}
ENDPOINTS = [
    Endpoint(
        "review_retrieve",
        _call("get", ""),
        {**dict.fromkeys(NOT_BLOCKED, 200), BLOCKED: 404, BLOCKING: 404},
        _arrange,
    ),
    Endpoint(
        "review_vote",
        _call("post", "/votes", {"helpful": True}),
        {
            **dict.fromkeys(NOT_OWNER, 200),
            OWNER: 400,
            BLOCKED: 404,
            BLOCKING: 404,
            ANONYMOUS: 403,
        },
        _arrange,
    ),
    Endpoint(
        "review_report",
        _call("post", "/reports", {"reason": "spam"}),
        {
            **dict.fromkeys(NOT_OWNER, 201),
            OWNER: 400,
            BLOCKED: 404,
            BLOCKING: 404,
            ANONYMOUS: 403,
        },
        _arrange,
    ),
    Endpoint(
        "review_destroy",
        _call("delete", ""),
        {
            OWNER: 204,
            FRIEND: 404,
            FRIEND_OF_FRIEND: 404,
            STRANGER: 404,
            BLOCKED: 404,
            BLOCKING: 404,
            ANONYMOUS: 403,
        },
        _arrange,
    ),
]


@pytest.mark.parametrize("endpoint, role, expected", endpoint_cases(ENDPOINTS))
def test_who_may_do_what(world, endpoint, role, expected):
    endpoint.arrange(world)

    assert endpoint.call(world, role) == expected
