"""The organiser chooses the gift of a pool for an amount, or switches any pool's gift, from
the shop's search (/pools/<token>/choose/): the new target and what would go back to
contributors are shown before confirming."""

import pytest

from gifting.pools import contributions, lifecycle, services
from gifting.pools.models import Pool, PoolRefund
from gifting.pools.opening import pool_open_for_variant
from shop.orders.addresses import AddressInput
from shop.orders.models import ShippingMethod
from tests.factories import (
    AddressFactory,
    ProductFactory,
    ProductImageFactory,
    ShippingMethodFactory,
    UserFactory,
    VariantFactory,
    friends_make,
    variant_make,
)
from tests.gifting.pools.helpers import pool_make
from tests.html import html

pytestmark = pytest.mark.django_db

ADDRESS = {
    "full_name": "Rose Martin",
    "line1": "3 Garden Row",
    "postal_code": "75011",
    "city": "Paris",
    "country": "FR",
}


def _paid(pool, amount, **fields):
    contributor = fields.pop("contributor", None) or UserFactory()
    contribution = contributions.contribution_reserve(
        pool=pool, amount=amount, contributor=contributor, **fields
    )
    contributions.contribution_succeed(contribution=contribution)
    pool.refresh_from_db()
    return contribution


def _lamp(price=4_500, **fields):
    product = ProductFactory(title="Brass Lamp", with_variants=0, **fields)
    return VariantFactory(product=product, name="Large", price=price, stock=5)


def _choose_url(pool, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"/pools/{pool.token}/choose/" + (f"?{query}" if query else "")


# --- the way in -------------------------------------------------------------------------------


def test_the_organiser_of_a_pool_for_an_amount_is_offered_to_choose_the_gift(client, olga):
    pool = pool_make(olga, target=6_000)
    client.force_login(olga)

    link = html(client.get(f"/pools/{pool.token}/")).one("a", href=f"/pools/{pool.token}/choose/")

    assert link.text == "Choose the gift"


def test_a_pool_with_a_gift_offers_one_way_to_switch_it_from_its_products_options(
    client, olga, method
):
    large = _lamp(price=4_500)
    small = VariantFactory(product=large.product, name="Small", price=2_500)
    pool = pool_make(olga, variant=large, shipping_method=method, target=4_990)
    services.pool_expire(pool=pool)
    client.force_login(olga)

    page = html(client.get(f"/pools/{pool.token}/"))
    link = page.one("a", href=f"/pools/{pool.token}/choose/?q=Brass+Lamp")
    choices = html(client.get(link.attrs["href"]))

    assert link.text == "Switch to another gift"
    assert not page.all("form", action=f"/pools/{pool.token}/switch/")  # the old second way
    assert client.post(f"/pools/{pool.token}/switch/").status_code == 404
    # The gift's other options, the cheaper one too, and the gift itself (another shipping).
    hrefs = [a.attrs["href"] for a in choices.all("a", cls="pool-result__choose")]
    assert hrefs == [
        f"/pools/{pool.token}/choose/?q=Brass+Lamp&variant={small.pk}#chosen",
        f"/pools/{pool.token}/choose/?q=Brass+Lamp&variant={large.pk}#chosen",
    ]


def test_only_the_organiser_may_choose_the_gift(client, olga, method):
    pool = pool_make(olga, target=6_000, visibility="public")
    variant = _lamp()
    friend = UserFactory()
    friends_make(olga, friend)
    form = {"variant": str(variant.pk), "shipping_method": str(method.pk), **ADDRESS}

    anonymous = client.get(_choose_url(pool))
    client.force_login(friend)
    page = client.get(f"/pools/{pool.token}/").content.decode()
    looked = client.get(_choose_url(pool, q="lamp"))
    posted = client.post(_choose_url(pool), form)

    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
    assert "/choose/" not in page
    assert looked.status_code == 404 and posted.status_code == 404
    pool.refresh_from_db()
    assert pool.variant is None and pool.target == 6_000


def test_a_pool_past_choosing_sends_the_organiser_back_to_it(client, olga):
    pool = pool_make(olga, target=6_000)
    lifecycle.pool_close(pool=pool, by=olga)
    client.force_login(olga)

    response = client.get(_choose_url(pool, q="lamp"))

    assert response.status_code == 302 and response["Location"] == f"/pools/{pool.token}/"
    assert "/choose/" not in client.get(response["Location"]).content.decode()


# --- searching --------------------------------------------------------------------------------


def test_searching_lists_the_matching_products_with_each_options_price(client, olga):
    pool = pool_make(olga, target=6_000)
    lamp = ProductFactory(title="Brass Lamp", with_variants=0)
    small = VariantFactory(product=lamp, name="Small", price=2_500)
    large = VariantFactory(product=lamp, name="Large", price=4_500)
    ProductFactory(title="Blue Mug")
    ProductFactory(title="Hidden Lamp", is_published=False)
    client.force_login(olga)

    page = html(client.get(_choose_url(pool, q="lamp")))

    results = page.all("li", cls="pool-result")
    assert [r.one("h3").text for r in results] == ["Brass Lamp"]
    options = results[0].one("ul", cls="pool-result__options").all("li")
    assert [o.text for o in options] == [
        "Small · €25.00 Choose Brass Lamp, Small",
        "Large · €45.00 Choose Brass Lamp, Large",
    ]
    hrefs = [a.attrs["href"] for a in results[0].all("a", cls="pool-result__choose")]
    assert hrefs == [
        f"/pools/{pool.token}/choose/?q=lamp&variant={small.pk}#chosen",
        f"/pools/{pool.token}/choose/?q=lamp&variant={large.pk}#chosen",
    ]


def test_a_search_without_match_says_so(client, olga):
    pool = pool_make(olga, target=6_000)
    client.force_login(olga)

    page = html(client.get(_choose_url(pool, q="zeppelin")))

    assert (
        page.one("p", cls="pool-search__count").text
        == "Nothing matches “zeppelin”. Try other words."
    )


@pytest.mark.parametrize("n", [3, 30])
def test_the_search_costs_the_same_queries_whatever_the_products(
    client, olga, django_assert_num_queries, n
):
    pool = pool_make(olga, target=6_000)
    for i in range(n):
        product = ProductFactory(title=f"Lamp {i}", with_variants=0)
        VariantFactory(product=product, price=1_000 + i)
        VariantFactory(product=product, price=2_000 + i)
        ProductImageFactory(product=product)
    client.force_login(olga)
    client.get(_choose_url(pool, q="lamp"))

    # the session with its user (and base.html's 2 nav badges, read with it), the pool, its
    # refunds started?; products counted, the page of products, their pictures, their options
    # (the categories are cached)
    with django_assert_num_queries(7):
        page = html(client.get(_choose_url(pool, q="lamp")))

    assert len(page.all("li", cls="pool-result")) == min(n, 12)


# --- seeing what a choice does, then confirming -----------------------------------------------


def test_a_choice_shows_the_new_goal_and_what_goes_back_for_each_shipping(client, olga, method):
    ShippingMethodFactory(code="express")
    ShippingMethod.objects.exclude(code__in=["standard", "express"]).update(is_active=False)
    ShippingMethod.objects.filter(code="express").update(
        name="Express", price=1_500, position=method.position + 1, is_active=True
    )
    pool = pool_make(olga, target=6_000)
    _paid(pool, 5_300)
    variant = _lamp(price=4_500)
    client.force_login(olga)

    page = html(client.get(_choose_url(pool, variant=variant.pk)))

    chosen = page.one("section", id="chosen")
    assert "Brass Lamp" in chosen.text and "Large · €45.00" in chosen.text
    labels = [label.text for label in chosen.one("fieldset", id="id_shipping_method").all("label")]
    assert labels == [
        "Standard delivery (€4.90): the pool’s goal becomes €49.90, and €3.10 goes back to "
        "contributors",
        "Express (€15.00): the pool’s goal becomes €60.00",
    ]
    assert "Where the gift goes" in chosen.text  # a pool for an amount has no address yet


def test_choosing_the_gift_of_a_pool_for_an_amount_sets_its_goal_and_address(client, olga, method):
    pool = pool_make(olga, target=6_000)
    _paid(pool, 2_000)
    variant = _lamp(price=4_500)
    client.force_login(olga)

    response = client.post(
        _choose_url(pool),
        {"variant": str(variant.pk), "shipping_method": str(method.pk), **ADDRESS},
    )

    assert response.status_code == 302 and response["Location"] == f"/pools/{pool.token}/"
    pool.refresh_from_db()
    assert (pool.variant, pool.shipping_method, pool.target, pool.state) == (
        variant,
        method,
        4_990,
        "open",
    )
    assert (pool.ship_full_name, pool.ship_line1, pool.ship_city) == (
        "Rose Martin",
        "3 Garden Row",
        "Paris",
    )
    page = html(client.get(response["Location"]))
    assert "The gift is chosen: the pool now collects €49.90" in page.text
    assert page.one("h2", id="pool-gift-title").text == "Brass Lamp"


def test_a_cheaper_gift_sends_the_surplus_back_and_fills_the_pool(client, olga, method):
    pool = pool_make(olga, target=6_000)
    first, second = _paid(pool, 3_000), _paid(pool, 2_000)
    variant = _lamp(price=3_000)
    client.force_login(olga)

    client.post(
        _choose_url(pool),
        {"variant": str(variant.pk), "shipping_method": str(method.pk), **ADDRESS},
    )

    pool.refresh_from_db()
    assert (pool.target, pool.collected, pool.state) == (3_490, 3_490, "funded")
    refunds = dict(PoolRefund.objects.values_list("contribution_id", "amount"))
    assert refunds == {first.pk: 906, second.pk: 604}
    assert sum(refunds.values()) == 5_000 - 3_490


def test_a_gift_dearer_than_the_amount_raises_the_goal(client, olga, method):
    pool = pool_make(olga, target=2_000)
    _paid(pool, 1_500)
    variant = _lamp(price=9_000)
    client.force_login(olga)

    client.post(
        _choose_url(pool),
        {"variant": str(variant.pk), "shipping_method": str(method.pk), **ADDRESS},
    )

    pool.refresh_from_db()
    assert (pool.variant, pool.target, pool.collected, pool.state) == (
        variant,
        9_490,
        1_500,
        "open",
    )


def test_a_pool_for_an_amount_needs_the_address_to_choose(client, olga, method):
    pool = pool_make(olga, target=6_000)
    variant = _lamp()
    client.force_login(olga)

    response = client.post(
        _choose_url(pool), {"variant": str(variant.pk), "shipping_method": str(method.pk)}
    )

    assert response.status_code == 400
    errors = html(response).one("section", id="chosen").text
    assert "Recipient’s full name" in errors
    pool.refresh_from_db()
    assert pool.variant is None and pool.target == 6_000


def test_switching_a_pool_with_an_address_asks_no_address(client, olga, method):
    friend = UserFactory()
    friends_make(olga, friend)
    kettle = variant_make(price=4_000, title="Kettle")
    pool = pool_open_for_variant(
        organiser=olga,
        variant=kettle,
        shipping_method=method,
        deadline=pool_make(olga).deadline,
        visibility="link",
        recipient=friend,
        address=AddressInput(**{**ADDRESS, "line2": "", "phone": ""}),
    )
    lamp = _lamp(price=3_000)
    client.force_login(olga)

    page = html(client.get(_choose_url(pool, variant=lamp.pk)))
    client.post(_choose_url(pool), {"variant": str(lamp.pk), "shipping_method": str(method.pk)})

    assert page.one("h1").text == "Switch to another gift"
    assert not page.all("input", name="line1")
    pool.refresh_from_db()
    assert (pool.variant, pool.target, pool.ship_line1) == (lamp, 3_490, "3 Garden Row")


def test_a_refused_switch_shows_its_reason_on_the_form(client, olga, method):
    pool = pool_make(olga, target=6_000)
    contributions.contribution_reserve(pool=pool, amount=1_000, contributor=UserFactory())
    variant = _lamp()
    client.force_login(olga)

    response = client.post(
        _choose_url(pool),
        {"variant": str(variant.pk), "shipping_method": str(method.pk), **ADDRESS},
    )

    assert response.status_code == 400
    assert "Someone is paying their contribution right now" in response.content.decode()
    pool.refresh_from_db()
    assert pool.variant is None and pool.ship_line1 == ""


def test_a_gift_no_longer_sold_is_refused_on_the_form(client, olga, method):
    pool = pool_make(olga, target=6_000)
    variant = _lamp(is_published=False)
    client.force_login(olga)

    response = client.post(
        _choose_url(pool),
        {"variant": str(variant.pk), "shipping_method": str(method.pk), **ADDRESS},
    )

    assert response.status_code == 400
    assert "this item is not sold any more" in response.content.decode()
    assert Pool.objects.get().variant is None


def test_an_unknown_gift_is_not_found(client, olga):
    pool = pool_make(olga, target=6_000)
    client.force_login(olga)

    assert client.get(_choose_url(pool, variant="99999999")).status_code == 404
    assert client.get(_choose_url(pool, variant="abc")).status_code == 404


# --- a pool for an amount filled before its gift was chosen -----------------------------------


def _filled(olga, amounts=(4_000, 2_000)):
    pool = pool_make(olga, target=sum(amounts))
    paid = [_paid(pool, amount) for amount in amounts]
    assert pool.state == "funded" and pool.variant is None
    return pool, paid


def test_a_pool_filled_without_a_gift_calls_its_organiser_to_choose_one(client, olga):
    pool, _ = _filled(olga)
    client.force_login(olga)

    page = html(client.get(f"/pools/{pool.token}/"))

    call = page.one("div", cls="pool-choose-now")
    assert call.one("strong").text == "The pool is full: €60.00 is there for the gift."
    assert "costing at most €60.00 with its shipping" in call.text
    assert call.one("a").attrs["href"] == f"/pools/{pool.token}/choose/"
    assert call.one("a").text == "Choose the gift"
    assert "Order the gift" not in page.text


def test_a_filled_pool_offers_only_gifts_the_money_covers(client, olga, method):
    pool, _ = _filled(olga)
    cheap, dear = _lamp(price=5_000), _lamp(price=5_600)
    client.force_login(olga)

    intro = html(client.get(_choose_url(pool))).one("p", cls="pools-intro").text
    cheap_page = html(client.get(_choose_url(pool, variant=cheap.pk)))
    dear_page = html(client.get(_choose_url(pool, variant=dear.pk)))

    assert intro.startswith("The pool is full: it collected €60.00. Choose a gift that costs at")
    assert _standard_label(cheap_page) == (
        "Standard delivery (€4.90): the pool’s goal becomes €54.90, and €5.10 goes back to "
        "contributors"
    )
    assert _standard_label(dear_page) == (
        "Standard delivery (€4.90): the pool’s goal becomes €60.90, more than the pool collected"
    )


def _standard_label(page):
    labels = page.one("fieldset", id="id_shipping_method").all("label")
    return next(label.text for label in labels if label.text.startswith("Standard"))


def test_a_gift_dearer_than_a_filled_pool_is_refused_naming_the_limit(client, olga, method):
    pool, _ = _filled(olga)
    dear = _lamp(price=5_600)
    client.force_login(olga)

    response = client.post(
        _choose_url(pool), {"variant": str(dear.pk), "shipping_method": str(method.pk), **ADDRESS}
    )

    assert response.status_code == 400
    assert (
        "This gift costs €60.90 with its shipping, more than the €60.00 collected: choose one "
        "that costs at most €60.00." in html(response).one("section", id="chosen").text
    )
    pool.refresh_from_db()
    assert (pool.variant, pool.target, pool.state) == (None, 6_000, "funded")


def test_choosing_a_cheaper_gift_for_a_filled_pool_refunds_the_rest_then_orders(
    client, olga, method
):
    pool, (first, second) = _filled(olga)
    lamp = _lamp(price=4_500)
    client.force_login(olga)

    response = client.post(
        _choose_url(pool), {"variant": str(lamp.pk), "shipping_method": str(method.pk), **ADDRESS}
    )

    assert response.status_code == 302
    pool.refresh_from_db()
    assert (pool.variant, pool.target, pool.collected, pool.state) == (
        lamp,
        4_990,
        4_990,
        "funded",
    )
    refunds = dict(PoolRefund.objects.values_list("contribution_id", "amount"))
    assert refunds == {first.pk: 673, second.pk: 337}  # 10.10 back: 2/3 and the rest
    page = html(client.get(response["Location"]))
    assert (
        "The gift is chosen, and the money collected covers its €49.90. The €10.10 collected "
        "beyond it goes back to contributors." in page.text
    )
    assert not page.all("div", cls="pool-choose-now")
    ordered = client.post(f"/pools/{pool.token}/order/")
    assert ordered.status_code == 302
    pool.refresh_from_db()
    assert pool.state == "ordered" and pool.order.total == 4_990


def test_the_address_starts_at_the_organisers_country_or_asks_for_one(client, olga, method):
    pool = pool_make(olga, target=6_000)
    variant = _lamp()
    client.force_login(olga)

    def country_select():
        page = html(client.get(_choose_url(pool, variant=variant.pk)))
        select = page.one("select", name="country")
        return [o.text for o in select.all("option") if "selected" in o.attrs]

    asked = country_select()
    AddressFactory(user=olga, country="DE", is_default=True)
    AddressFactory(user=olga, country="FR")

    assert asked == ["Choose a country"]
    assert country_select() == ["Germany"]
