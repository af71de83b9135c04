import pytest

from tests.factories import UserFactory, friends_make, privacy_set
from tests.reviews.reputation.helpers import merchant_make, order_shipped

pytestmark = pytest.mark.django_db


def test_the_reputation_api_answers_the_profile_and_record(api):
    merchant = merchant_make()
    order_shipped(merchant, after_days=1)

    body = api.get("/api/v1/merchants/lumen/reputation").json()

    assert body["about"] == "Lamps made in Ghent."
    assert body["returns_policy"] == "Send it back within 30 days."
    assert (body["rating"], body["rating_count"]) == (None, 0)
    assert body["fulfilment"] == {"ships_within_days": 2, "due": 1, "on_time": 1, "percent": 100}
    assert body["friends_who_bought"] == {"count": 0, "people": []}


def test_a_friend_who_bought_is_listed_for_a_signed_in_shopper(api):
    merchant = merchant_make()
    shopper, friend = UserFactory(), UserFactory(username="fred", display_name="Fred")
    friends_make(shopper, friend)
    privacy_set(friend, purchases="friends")  # sharing purchases is opt-in
    order_shipped(merchant, after_days=1, buyer=friend)
    api.force_authenticate(shopper)

    body = api.get("/api/v1/merchants/lumen/reputation").json()

    assert body["friends_who_bought"] == {
        "count": 1,
        "people": [{"username": "fred", "name": "Fred"}],
    }


def test_an_unknown_merchant_is_404(api):
    assert api.get("/api/v1/merchants/nobody/reputation").status_code == 404
