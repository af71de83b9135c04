"""A product card's "Add to wishlist" and a cart line's "Move to wishlist"."""

import pytest

from gifting.wishlists import services
from gifting.wishlists.models import Wishlist
from shop.cart.models import CartLine
from shop.cart.services import cart_get_or_create, cart_item_add
from shop.catalog.models import Variant
from tests.factories import CategoryFactory, MerchantFactory, ProductFactory, UserFactory
from tests.html import html

pytestmark = pytest.mark.django_db

SAME_SITE = {"HTTP_SEC_FETCH_SITE": "same-origin"}


def _card_buttons(response) -> list[str]:
    return [
        button.text.strip()
        for button in html(response).all("button", cls="wishlist-card-add__button")
    ]


def test_every_card_offers_add_to_wishlist_named_after_its_product(client):
    ProductFactory(title="Desk lamp")
    ProductFactory(title="Blue mug")
    client.force_login(UserFactory())

    buttons = _card_buttons(client.get("/products/"))

    assert sorted(buttons) == ["Add to wishlist Blue mug", "Add to wishlist Desk lamp"]


def test_visitors_see_no_add_to_wishlist_on_cards(client):
    ProductFactory(title="Desk lamp")

    assert _card_buttons(client.get("/products/")) == []


def test_a_card_adds_the_first_option_in_stock_to_the_newest_list_without_reloading(client):
    ana = UserFactory()
    services.wishlist_create(owner=ana, title="Christmas")
    birthday = services.wishlist_create(owner=ana, title="Birthday")
    product = ProductFactory(with_variants=0)
    Variant.objects.create(product=product, sku="SOLD-OUT", name="Small", price=900, stock=0)
    large = Variant.objects.create(product=product, sku="L", name="Large", price=1200, stock=3)
    client.force_login(ana)

    response = client.post(
        "/wishlists/add/",
        {"product": product.pk, "place": "card"},
        HTTP_HX_REQUEST="true",
        **SAME_SITE,
    )

    status = html(response).one("p", cls="wishlist-card-add__status")
    assert status.text == "Added to “Birthday”."
    assert status.one("a").attrs["href"] == f"/wishlists/{birthday.token}/"
    assert [item.variant for item in birthday.items.all()] == [large]


def test_a_card_without_javascript_makes_a_first_list_and_comes_back_to_the_page(client):
    ana = UserFactory()
    product = ProductFactory()
    client.force_login(ana)

    response = client.post(
        "/wishlists/add/",
        {"product": product.pk, "place": "card"},
        HTTP_REFERER="http://testserver/products/?page=2",
        **SAME_SITE,
    )

    assert response.status_code == 302
    assert response["Location"] == "http://testserver/products/?page=2"
    wishlist = Wishlist.objects.get(owner=ana)
    assert wishlist.title == "My wishlist"
    assert wishlist.items.get().variant.product == product


def test_a_card_without_javascript_never_goes_back_to_another_site(client):
    client.force_login(UserFactory())
    product = ProductFactory(slug="lamp")

    response = client.post(
        "/wishlists/add/",
        {"product": product.pk, "place": "card"},
        HTTP_REFERER="https://evil.example/",
        **SAME_SITE,
    )

    assert response["Location"] == "/products/lamp/"


@pytest.mark.parametrize("n", [10, 100])
def test_cards_with_add_to_wishlist_cost_the_same_queries_whatever_the_number(
    client, django_assert_num_queries, n
):
    merchant, category = MerchantFactory(), CategoryFactory()
    ProductFactory.create_batch(n, merchant=merchant, category=category, with_images=1)
    ana = UserFactory()
    services.wishlist_create(owner=ana, title="Birthday")
    client.force_login(ana)
    client.get("/products/")

    # the session with its user and the header's badges (one query): list names and titles come from
    # the cache
    with django_assert_num_queries(1):
        response = client.get("/products/")

    assert len(_card_buttons(response)) == min(n, 24)


# --- the cart's "Move to wishlist" -----------------------------------------------------------


def _cart_with(user, *variants_and_quantities):
    cart = cart_get_or_create(user=user, token=None)
    for variant, quantity in variants_and_quantities:
        cart_item_add(cart=cart, variant_id=variant.pk, quantity=quantity)
    return cart


def test_each_cart_line_offers_move_to_wishlist_to_the_signed_in(client):
    ana = UserFactory()
    _cart_with(ana, (ProductFactory(title="Desk lamp").variants.get(), 1))
    client.force_login(ana)

    page = html(client.get("/cart/"))

    assert [b.text for b in page.all("button") if "Move to wishlist" in b.text] == [
        "Move to wishlist Desk lamp"
    ]


def test_guests_see_no_move_to_wishlist_in_the_cart(client):
    variant = ProductFactory().variants.get()
    client.post("/cart/add/", {"variant": variant.pk, "quantity": 1}, **SAME_SITE)

    page = client.get("/cart/").content.decode()

    assert "In your cart" in page or "cart-line" in page
    assert "Move to wishlist" not in page


def test_moving_a_line_puts_it_on_the_newest_list_and_takes_it_out_of_the_cart(client):
    ana = UserFactory()
    birthday = services.wishlist_create(owner=ana, title="Birthday")
    lamp, mug = ProductFactory().variants.get(), ProductFactory().variants.get()
    cart = _cart_with(ana, (lamp, 3), (mug, 1))
    line = CartLine.objects.get(cart=cart, variant=lamp)
    client.force_login(ana)

    response = client.post("/wishlists/from-cart/", {"line": line.pk}, **SAME_SITE)

    assert response.status_code == 302 and response["Location"] == "/cart/"
    item = birthday.items.get()
    assert (item.variant, item.quantity) == (lamp, 3)
    assert list(CartLine.objects.filter(cart=cart).values_list("variant", flat=True)) == [mug.pk]
    message = html(client.get("/cart/")).one("p", cls="message--success")
    assert message.text == "Moved to “Birthday”."
    assert message.one("a").attrs["href"] == f"/wishlists/{birthday.token}/"


def test_moving_a_line_without_a_list_makes_my_wishlist(client):
    ana = UserFactory()
    lamp = ProductFactory().variants.get()
    cart = _cart_with(ana, (lamp, 1))
    client.force_login(ana)

    client.post("/wishlists/from-cart/", {"line": cart.lines.get().pk}, **SAME_SITE)

    assert Wishlist.objects.get(owner=ana).title == "My wishlist"
    assert not cart.lines.exists()


def test_another_persons_cart_line_cannot_be_moved(client):
    ana, ben = UserFactory(), UserFactory()
    bens_cart = _cart_with(ben, (ProductFactory().variants.get(), 1))
    _cart_with(ana, (ProductFactory().variants.get(), 1))
    client.force_login(ana)

    response = client.post("/wishlists/from-cart/", {"line": bens_cart.lines.get().pk}, **SAME_SITE)

    assert response["Location"] == "/cart/"
    assert bens_cart.lines.count() == 1
    assert not Wishlist.objects.exists()


def test_moving_keeps_the_larger_quantity_of_a_wish_already_there():
    ana = UserFactory()
    wishlist = services.wishlist_create(owner=ana, title="Birthday")
    lamp = ProductFactory().variants.get()
    services.wishlist_item_add(wishlist=wishlist, variant_id=lamp.pk, quantity=1)
    cart = _cart_with(ana, (lamp, 2))

    item = services.wishlist_item_from_cart(owner=ana, cart=cart, line_id=cart.lines.get().pk)

    item.refresh_from_db()
    assert (item.wishlist, item.quantity) == (wishlist, 2)
    assert not cart.lines.exists()


@pytest.mark.parametrize("n", [1, 10])
def test_the_cart_with_move_to_wishlist_costs_the_same_queries_whatever_the_lines(
    client, django_assert_num_queries, n
):
    ana = UserFactory()
    _cart_with(ana, *((product.variants.get(), 1) for product in ProductFactory.create_batch(n)))
    client.force_login(ana)
    client.get("/cart/")

    # the session with its user, cart, lines (+ variants, products, merchants), images, "ask my
    # friends", the header's badges (one query): "Move to wishlist" costs none
    with django_assert_num_queries(5) as captured:
        page = html(client.get("/cart/"))

    assert len([b for b in page.all("button") if "Move to wishlist" in b.text]) == n
    assert not any("wishlist" in query["sql"] for query in captured.captured_queries)


def test_cached_card_buttons_follow_a_title_change_and_an_unpublished_product(client):
    from shop.catalog.cache_versions import catalog_version_bump

    lamp, mug = ProductFactory(title="Desk lamp"), ProductFactory(title="Blue mug")
    client.force_login(UserFactory())
    assert sorted(_card_buttons(client.get("/products/"))) == [
        "Add to wishlist Blue mug",
        "Add to wishlist Desk lamp",
    ]

    lamp.title = "Brass <lamp>"
    lamp.save()
    mug.is_published = False
    mug.save()
    catalog_version_bump()  # as the catalogue's services do on commit

    for _ in range(2):  # built, then from the cache
        page = client.get("/products/")
        assert _card_buttons(page) == ["Add to wishlist Brass <lamp>"]
        assert "Brass &lt;lamp&gt;</span>" in page.content.decode()  # escaped, once
