import pytest
from django.core.cache import cache

from shop.catalog.models import Product
from tests.factories import UserFactory, friends_many, privacy_set
from tests.html import html
from tests.reviews.reputation.helpers import merchant_make, order_shipped

pytestmark = pytest.mark.django_db

URL = "/merchants/lumen/"


@pytest.fixture
def merchant():
    merchant = merchant_make()
    Product.objects.filter(merchant=merchant).update(rating_sum=9, rating_count=2)
    order_shipped(merchant, after_days=1)
    order_shipped(merchant, after_days=4)
    return merchant


def test_a_visitor_sees_the_rating_record_and_policies(client, merchant):
    doc = html(client.get(URL))

    facts = {fact.one("dt").text: fact.one("dd").text for fact in doc.all(cls="reputation__fact")}
    assert facts == {
        "Rating": "4.5 out of 5 (2 ratings)",
        "Ships on time": "50% of items shipped within 2 days of payment (2 items)",
    }
    policies = doc.one("section", cls="merchant-profile__policies")
    assert "Ships within 2 days of payment." in policies.text
    assert "Send it back within 30 days." in policies.text
    assert "Tracked parcels across Europe." in policies.text
    assert not doc.all(cls="reputation__friends")


def test_a_merchant_without_history_says_so(client):
    merchant_make(name="New Shop", slug="new-shop")

    facts = [
        fact.one("dd").text
        for fact in html(client.get("/merchants/new-shop/")).all(cls="reputation__fact")
    ]

    assert facts == ["No ratings yet", "No orders to judge by yet"]


def test_a_shopper_sees_friends_who_bought_there_names_and_count(client, merchant):
    shopper = UserFactory(display_name="Ada")
    friends = friends_many(shopper, 7)
    for friend in friends:
        privacy_set(friend, purchases="friends")  # sharing purchases is opt-in
        order_shipped(merchant, after_days=1, buyer=friend)
    privacy_set(friends[0], purchases="private")
    client.force_login(shopper)

    section = html(client.get(URL)).one(cls="reputation__friends")

    assert section.one("h3").text == "Friends who bought from this merchant"
    assert len(section.all("a")) == 5
    assert section.text.endswith("and 1 other (6 friends)")


@pytest.mark.parametrize("n", [2, 20])
def test_the_merchant_page_queries_do_not_grow_with_friends_who_bought(
    client, merchant, django_assert_num_queries, n
):
    shopper = UserFactory()
    for friend in friends_many(shopper, n):
        privacy_set(friend, purchases="friends")
        order_shipped(merchant, after_days=1, buyer=friend)
    client.get(URL)  # cached by a visitor
    client.force_login(shopper)
    client.get(URL)

    # the session with its user and the header's badges (one query), the friends who bought there
    with django_assert_num_queries(2):
        response = client.get(URL)

    assert f"({n} friends)" in html(response).one(cls="reputation__friends").text
    cache.clear()
