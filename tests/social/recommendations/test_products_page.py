"""The product page's "Often bought together" (add both to cart) and "Your friends also
liked", and the page views counted for browsing interest without a row per view."""

import pytest
from django.core.cache import cache

from shop.cart.models import CartLine
from social.likes import services as like_services
from social.recommendations import products_services
from social.recommendations.models import BrowseInterest
from tests.factories import (
    CategoryFactory,
    ProductFactory,
    UserFactory,
    friends_make,
    friends_many,
    purchases_make,
)
from tests.html import html

pytestmark = pytest.mark.django_db

SAME_ORIGIN = {"HTTP_SEC_FETCH_SITE": "same-origin"}


@pytest.fixture
def me():
    return UserFactory(username="me", display_name="Me")


def _bought_together(first, second, times=1):
    for _ in range(times):
        order = purchases_make(UserFactory(), [first, second])
        products_services.copurchase_order_count(order_id=order.pk)


def test_the_product_page_shows_what_is_often_bought_with_it(client, me):
    jacket = ProductFactory(title="Trail Jacket")
    gloves = ProductFactory(title="Wool Gloves")
    _bought_together(jacket, gloves, times=2)
    client.force_login(me)

    response = client.get(jacket.get_absolute_url())

    section = html(response).one("section", cls="together")
    assert section.one("h2").text == "Often bought together"
    assert "Trail Jacket + Wool Gloves" in section.text
    assert "Bought together in 2 orders." in section.text


def test_add_both_to_cart_adds_the_two_products(client, me):
    jacket = ProductFactory(title="Trail Jacket")
    gloves = ProductFactory(title="Wool Gloves")
    _bought_together(jacket, gloves)
    client.force_login(me)
    form = html(client.get(jacket.get_absolute_url())).one("section", cls="together").one("form")
    variants = [field.attrs["value"] for field in form.all("input", name="variant")]

    response = client.post(form.attrs["action"], {"variant": variants}, **SAME_ORIGIN)

    assert response.status_code == 302
    assert sorted(CartLine.objects.values_list("variant__product__title", flat=True)) == [
        "Trail Jacket",
        "Wool Gloves",
    ]


def test_add_both_with_one_sold_out_adds_neither_and_says_why(client, me):
    jacket = ProductFactory(title="Trail Jacket")
    gloves = ProductFactory(title="Wool Gloves")
    gloves.variants.update(stock=0)
    client.force_login(me)

    response = client.post(
        "/recommendations/bought-together/add/",
        {"variant": [jacket.variants.first().pk, gloves.variants.first().pk]},
        follow=True,
        **SAME_ORIGIN,
    )

    assert CartLine.objects.count() == 0
    assert response.status_code == 200
    assert html(response).all(cls="message--error")


def test_add_both_with_nonsense_says_what_to_choose(client, me):
    client.force_login(me)

    response = client.post(
        "/recommendations/bought-together/add/", {"variant": ["x"]}, follow=True, **SAME_ORIGIN
    )

    assert "Choose the two products to add to your cart." in response.content.decode()


def test_the_product_page_shows_what_my_friends_also_liked(client, me):
    ana = UserFactory(username="ana", display_name="Ana")
    friends_make(me, ana)
    pots = CategoryFactory(name="Ceramics")
    vase = ProductFactory(title="Tall Vase", category=pots)
    mug = ProductFactory(title="Clay Mug", category=pots)
    like_services.like_create(user=ana, product=mug)
    products_services.picks_compute(user_id=me.pk)
    client.force_login(me)

    response = client.get(vase.get_absolute_url())

    section = html(response).one("section", cls="friends-liked")
    assert section.one("h2").text == "Your friends also liked"
    assert "Clay Mug Because Ana liked it" in section.text


def test_viewing_product_pages_writes_no_row_until_flushed(client, me, django_assert_num_queries):
    pots = CategoryFactory(name="Ceramics")
    vase = ProductFactory(title="Tall Vase", category=pots, brand="Kiln")
    client.force_login(me)
    client.get(vase.get_absolute_url())  # the first view asks for a flush (eager here)
    BrowseInterest.objects.all().delete()

    for _ in range(3):
        client.get(vase.get_absolute_url())
    assert BrowseInterest.objects.count() == 0

    products_services.browse_flush(user_id=me.pk)

    views = dict(BrowseInterest.objects.values_list("kind", "views"))
    assert views == {"category": 3, "brand": 3}


@pytest.mark.parametrize("friends", [10, 100])
def test_product_page_decoration_queries_do_not_grow_with_friends(
    client, me, friends, django_assert_num_queries
):
    jacket = ProductFactory(title="Trail Jacket")
    for person in friends_many(me, friends):
        like_services.like_create(user=person, product=ProductFactory())
        _bought_together(jacket, ProductFactory())
    products_services.picks_compute(user_id=me.pk)
    client.force_login(me)
    client.get(jacket.get_absolute_url())
    cache.delete_many([f"recs:browse:flush:{me.pk}"])
    client.get(jacket.get_absolute_url())  # every part cached but the decorations'
    # The decorations' own entries go (their versions stay): they are built again.
    built = [
        key.split(":", 2)[2]
        for key in list(cache._cache)
        if (":recs:together:" in key and ":v:" not in key) or ":recs:fal:" in key
    ]
    cache.delete_many(built)

    # the session with its user and the header's two badges (one query), the other apps' decorations
    # (the asks' one check; the share control's friends load when it opens), and ours: the product,
    # bought together (pairs, variants), friends also liked (one)
    with django_assert_num_queries(6):
        response = client.get(jacket.get_absolute_url())

    assert html(response).one("section", cls="together")


def test_the_decorations_cost_no_query_once_cached(client, me):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from shop.catalog.page_cache import product_decorator_register, product_decorator_unregister
    from social.recommendations.products_decorations import product_decorate

    jacket = ProductFactory(title="Trail Jacket")
    _bought_together(jacket, ProductFactory(title="Wool Gloves"))
    products_services.picks_compute(user_id=me.pk)
    client.force_login(me)
    client.get(jacket.get_absolute_url())
    with CaptureQueriesContext(connection) as with_ours:
        page = client.get(jacket.get_absolute_url()).content.decode()
    product_decorator_unregister(product_decorate)
    try:
        client.get(jacket.get_absolute_url())
        with CaptureQueriesContext(connection) as without:
            client.get(jacket.get_absolute_url())
    finally:
        product_decorator_register(product_decorate)

    assert "Often bought together" in page
    assert len(with_ours) == len(without)
