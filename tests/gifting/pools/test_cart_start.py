"""Each cart line's "Start a gift pool" link, for the line's option."""

import pytest

from shop.cart.services import cart_get_or_create, cart_item_add
from tests.factories import ProductFactory, UserFactory, VariantFactory
from tests.html import html

pytestmark = pytest.mark.django_db

SAME_SITE = {"HTTP_SEC_FETCH_SITE": "same-origin"}


def _cart_with(user, *variants):
    cart = cart_get_or_create(user=user, token=None)
    for variant in variants:
        cart_item_add(cart=cart, variant_id=variant.pk, quantity=1)
    return cart


def _pool_links(response) -> list[tuple[str, str]]:
    return [
        (link.text, link.attrs["href"]) for link in html(response).all("a", cls="pool-line-start")
    ]


def test_each_cart_line_links_to_a_pool_for_its_option(client):
    ana = UserFactory()
    lamp = ProductFactory(title="Desk lamp", with_variants=0)
    small = VariantFactory(product=lamp, name="Small")
    large = VariantFactory(product=lamp, name="Large")
    _cart_with(ana, large, small)
    client.force_login(ana)

    links = _pool_links(client.get("/cart/"))

    assert sorted(links) == sorted(
        [
            ("Start a gift pool for Desk lamp", f"/pools/new/?variant={large.pk}"),
            ("Start a gift pool for Desk lamp", f"/pools/new/?variant={small.pk}"),
        ]
    )


def test_the_link_opens_the_pool_form_on_that_option(client):
    ana = UserFactory()
    lamp = ProductFactory(title="Desk lamp", with_variants=0)
    VariantFactory(product=lamp, name="Small")
    large = VariantFactory(product=lamp, name="Large")
    _cart_with(ana, large)
    client.force_login(ana)
    href = _pool_links(client.get("/cart/"))[0][1]

    page = html(client.get(href))

    assert page.one("h1").text == "Start a gift pool"
    options = page.one("select", id="id_variant").all("option")
    assert [o.attrs["value"] for o in options if "selected" in o.attrs] == [str(large.pk)]


def test_visitors_see_no_pool_link_in_the_cart(client):
    variant = ProductFactory().variants.get()
    client.post("/cart/add/", {"variant": variant.pk, "quantity": 1}, **SAME_SITE)

    page = client.get("/cart/").content.decode()

    assert "cart-line" in page
    assert "Start a gift pool" not in page


@pytest.mark.parametrize("n", [1, 20])
def test_the_pool_links_cost_no_query_whatever_the_lines(client, django_assert_num_queries, n):
    ana = UserFactory()
    _cart_with(ana, *(product.variants.get() for product in ProductFactory.create_batch(n)))
    client.force_login(ana)
    client.get("/cart/")

    # the session with its user, cart, lines (+ variants, products, merchants), images, "ask my
    # friends", the header's badges (one query): the pool links cost none
    with django_assert_num_queries(5) as captured:
        links = _pool_links(client.get("/cart/"))

    assert len(links) == n
    assert not any("pools_" in query["sql"] for query in captured.captured_queries)
