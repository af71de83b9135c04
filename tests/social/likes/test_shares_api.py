"""/api/v1/shares: create (the URL with its token back), list mine by cursor; errors name the
field; constant queries at two sizes."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from social.likes import share_services
from social.likes.models import Share
from social.notifications.models import Notification
from tests.factories import ProductFactory, UserFactory, friends_make

pytestmark = pytest.mark.django_db


def person(username):
    return UserFactory(username=username, display_name=username.title(), last_login=timezone.now())


@pytest.fixture
def product():
    return ProductFactory(title="Trail Jacket", slug="trail-jacket")


@pytest.fixture
def ana():
    return person("ana")


@pytest.fixture
def ana_api(ana):
    client = APIClient()
    client.force_authenticate(ana)
    return client


def test_a_link_share_answers_its_url_with_the_token(ana_api, product):
    response = ana_api.post(
        "/api/v1/shares", {"product": product.pk, "channel": "link"}, format="json"
    )

    assert response.status_code == 201
    share = Share.objects.get()
    assert response.data["token"] == share.token
    assert response.data["url"].endswith(f"/products/trail-jacket/?s={share.token}")
    assert response.data["channel"] == "link"


def test_a_share_to_friends_notifies_them(
    ana_api, ana, product, django_capture_on_commit_callbacks
):
    ben = person("ben")
    friends_make(ana, ben)

    with django_capture_on_commit_callbacks(execute=True):
        response = ana_api.post(
            "/api/v1/shares",
            {
                "product": product.pk,
                "channel": "friends",
                "recipients": [ben.pk],
                "message": "Yes?",
            },
            format="json",
        )

    assert response.status_code == 201
    assert response.data["recipients"] == [ben.pk]
    assert Notification.objects.filter(recipient=ben, kind="share_received").exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"product": None, "channel": "link"}, "product"),
        ({"product": "abc", "channel": "link"}, "product"),
        ({"product": 999999, "channel": "link"}, "product"),
        ({"product": None, "channel": "friends"}, "product"),
        ({"channel": "pigeon"}, "channel"),
        ({"channel": "network", "network": "myspace"}, "network"),
        ({"channel": "network"}, "network"),
        ({"channel": "friends"}, "recipients"),
        ({"channel": "friends", "recipients": "ben"}, "recipients"),
        ({"channel": "friends", "recipients": [0]}, "recipients"),
        ({"channel": "friends", "recipients": [2**70]}, "recipients"),
        ({"channel": "friends", "recipients": [123456]}, "recipients"),
        ({"channel": "friends", "recipients": [1], "message": "x" * 501}, "message"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(ana_api, product, body, field):
    body = {"product": product.pk, **body}
    body = {k: v for k, v in body.items() if not (k == "product" and v is None)}

    response = ana_api.post("/api/v1/shares", body, format="json")

    assert response.status_code == 400, response.data
    assert field in response.data["errors"], response.data


def test_past_the_daily_limit_the_api_answers_429(ana_api, product, settings):
    settings.SHARES_PER_DAY = 1
    ana_api.post("/api/v1/shares", {"product": product.pk, "channel": "link"}, format="json")

    response = ana_api.post(
        "/api/v1/shares", {"product": product.pk, "channel": "link"}, format="json"
    )

    assert response.status_code == 429
    assert response.data["errors"]["detail"][0]["code"] == "rate_limited"
    assert "Retry-After" in response


def test_a_visitor_gets_401_or_403():
    client = APIClient()

    assert client.get("/api/v1/shares").status_code in (401, 403)
    assert client.post("/api/v1/shares", {}, format="json").status_code in (401, 403)


def test_the_list_is_mine_only_newest_first_by_cursor(ana_api, ana, product):
    mine = [
        share_services.share_create(sharer=ana, product=product, channel="link") for _ in range(25)
    ]
    share_services.share_create(sharer=person("ben"), product=product, channel="link")

    first = ana_api.get("/api/v1/shares").data
    second = ana_api.get("/api/v1/shares", {"cursor": first["next_cursor"]}).data

    tokens = [s["token"] for s in first["results"] + second["results"]]
    assert tokens == [s.token for s in reversed(mine)]
    assert second["next_cursor"] is None


def test_a_malformed_cursor_is_a_400_naming_the_cursor(ana_api, ana, product):
    share_services.share_create(sharer=ana, product=product, channel="link")

    response = ana_api.get("/api/v1/shares", {"cursor": "%%%not-a-cursor"})

    assert response.status_code == 400
    assert response.data["errors"]["cursor"][0]["code"] == "invalid_cursor"


@pytest.mark.parametrize("n", [3, 20])
def test_the_list_takes_the_same_queries_for_3_or_20_shares(
    ana_api, ana, product, django_assert_num_queries, n
):
    ben = person("ben")
    friends_make(ana, ben)
    for _ in range(n):
        share_services.share_create(
            sharer=ana, product=product, channel="friends", recipient_ids=[ben.pk]
        )

    with django_assert_num_queries(2):  # shares with products, their recipients
        response = ana_api.get("/api/v1/shares")

    assert len(response.data["results"]) == n
