"""Cart summaries: prices read now, problems per line, discounts recomputed every time."""

from datetime import timedelta

import pytest
from django.utils import timezone

from shop.cart import selectors
from shop.cart.models import DiscountCode
from tests.factories import (
    CartFactory,
    CartLineFactory,
    DiscountCodeFactory,
    ProductFactory,
    ProductImageFactory,
    UserFactory,
    VariantFactory,
)

pytestmark = pytest.mark.django_db


def cart_with(*prices_and_quantities: tuple[int, int], **cart_fields):
    cart = CartFactory(**cart_fields)
    for price, quantity in prices_and_quantities:
        CartLineFactory(cart=cart, variant=VariantFactory(price=price, stock=50), quantity=quantity)
    return cart


def test_no_cart_is_an_empty_summary_without_a_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        summary = selectors.cart_summary(cart=None)

    assert summary.is_empty
    assert (summary.item_count, summary.subtotal, summary.total) == (0, 0, 0)


def test_summary_prices_lines_from_the_variants_now():
    cart = cart_with((1999, 2), (500, 1))
    variant = cart.lines.order_by("id").first().variant
    variant.price = 2499
    variant.save()

    summary = selectors.cart_summary(cart=cart)

    assert [(line.unit_price, line.quantity, line.line_total) for line in summary.lines] == [
        (2499, 2, 4998),
        (500, 1, 500),
    ]
    assert summary.item_count == 3
    assert summary.subtotal == summary.total == 5498


def test_summary_with_a_percentage_code():
    cart = cart_with((1999, 2), (1001, 1), discount_code=DiscountCodeFactory(value=15))

    summary = selectors.cart_summary(cart=cart)

    # 15% of 49.99 is 7.4985, rounded to the nearest cent.
    assert (summary.subtotal, summary.discount_total, summary.total) == (4999, 750, 4249)
    assert summary.discount_error == ""


def test_summary_with_a_fixed_code():
    cart = cart_with((2000, 1), discount_code=DiscountCodeFactory(kind="fixed", value=500))

    summary = selectors.cart_summary(cart=cart)

    assert (summary.subtotal, summary.discount_total, summary.total) == (2000, 500, 1500)


def test_a_discount_never_exceeds_the_subtotal():
    fixed = DiscountCodeFactory(kind="fixed", value=5000)
    everything = DiscountCodeFactory(kind="percent", value=100)

    assert selectors.discount_amount(discount=fixed, subtotal=1200) == 1200
    assert selectors.discount_amount(discount=everything, subtotal=1200) == 1200
    assert selectors.discount_amount(discount=fixed, subtotal=0) == 0
    summary = selectors.cart_summary(cart=cart_with((1200, 1), discount_code=fixed))
    assert summary.total == 0


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"is_active": False}, "The code SAVE is no longer valid."),
        ({"ends_at": timezone.now() - timedelta(minutes=1)}, "The code SAVE has expired."),
        ({"usage_limit": 3, "times_used": 3}, "The code SAVE has been used up."),
        ({"min_subtotal": 10000}, "Spend €80.00 more to use the code SAVE"),
    ],
)
def test_a_code_that_stopped_applying_gives_no_discount_and_says_why(fields, message):
    cart = cart_with((2000, 1), discount_code=DiscountCodeFactory(code="SAVE", **fields))

    summary = selectors.cart_summary(cart=cart)

    assert summary.discount.code == "SAVE"  # still on the cart, for the shopper to remove
    assert summary.discount_total == 0
    assert summary.total == 2000
    assert summary.discount_error.startswith(message)


def test_each_line_says_what_stops_it_from_being_checked_out():
    cart = CartFactory()
    fine = CartLineFactory(cart=cart, variant=VariantFactory(stock=5), quantity=2)
    too_many = CartLineFactory(cart=cart, variant=VariantFactory(stock=2), quantity=3)
    sold_out = CartLineFactory(cart=cart, variant=VariantFactory(stock=0), quantity=1)
    gone = CartLineFactory(
        cart=cart,
        variant=VariantFactory(product=ProductFactory(is_published=False, with_variants=0)),
    )

    problems = {line.line_id: line.problem for line in selectors.cart_summary(cart=cart).lines}

    assert problems == {
        fine.pk: "",
        too_many.pk: "Only 2 left. Lower the quantity to check out.",
        sold_out.pk: "Sold out. Remove it to check out.",
        gone.pk: "No longer available. Remove it to check out.",
    }
    assert selectors.cart_summary(cart=cart).has_problems


@pytest.mark.parametrize("lines", [1, 20])
def test_summary_queries_do_not_grow_with_lines(django_assert_num_queries, lines):
    cart = CartFactory()
    for _ in range(lines):
        line = CartLineFactory(cart=cart)
        ProductImageFactory(product=line.variant.product)

    # lines with variant, product and merchant; the products' images
    with django_assert_num_queries(2):
        summary = selectors.cart_summary(cart=cart)
        assert [line.image.alt_text for line in summary.lines]
        assert [line.variant.product.merchant.name for line in summary.lines]


def test_cart_get_finds_the_users_cart_or_the_visitors_by_token():
    user = UserFactory()
    user_cart = CartFactory(user=user)
    visitor_cart = CartFactory()

    assert selectors.cart_get(user=user, token=visitor_cart.token) == user_cart
    assert selectors.cart_get(user=None, token=visitor_cart.token) == visitor_cart
    assert selectors.cart_get(user=None, token=user_cart.token) is None
    assert selectors.cart_get(user=None, token=None) is None


def test_describing_a_code():
    assert selectors.discount_describe(discount=DiscountCode(kind="percent", value=10)) == (
        "10% off"
    )
    assert selectors.discount_describe(discount=DiscountCode(kind="fixed", value=550)) == (
        "€5.50 off"
    )
