"""Adding, changing, merging and clearing carts; discount codes' rules and their usage limit."""

from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from shop.cart import services
from shop.cart.errors import CartError
from shop.cart.models import Cart, CartLine, DiscountCode
from shop.core.errors import DomainError
from tests.factories import (
    CartFactory,
    CartLineFactory,
    DiscountCodeFactory,
    ProductFactory,
    UserFactory,
    VariantFactory,
)

pytestmark = pytest.mark.django_db


def lines_of(cart: Cart) -> list[tuple[int, int]]:
    return list(cart.lines.order_by("id").values_list("variant_id", "quantity"))


# --- getting a cart ---------------------------------------------------------------------------


def test_a_visitor_without_a_token_gets_a_new_cart_with_a_random_token():
    first = services.cart_get_or_create(user=None, token=None)
    second = services.cart_get_or_create(user=None, token=None)

    assert first.pk != second.pk
    assert len(first.token) >= 32
    assert first.token != second.token


def test_a_visitor_token_finds_its_cart_but_never_a_signed_in_shoppers():
    visitor_cart = CartFactory()
    user_cart = CartFactory(user=UserFactory())

    assert services.cart_get_or_create(user=None, token=visitor_cart.token) == visitor_cart
    assert services.cart_get_or_create(user=None, token=user_cart.token) != user_cart


def test_a_signed_in_shopper_always_gets_the_same_cart():
    user = UserFactory()

    first = services.cart_get_or_create(user=user, token=None)

    assert services.cart_get_or_create(user=user, token="anything") == first
    assert Cart.objects.filter(user=user).count() == 1


# --- adding ----------------------------------------------------------------------------------


def test_adding_a_variant_makes_a_line_without_storing_a_price():
    cart = CartFactory()
    variant = VariantFactory(price=2500, stock=5)

    line = services.cart_item_add(cart=cart, variant_id=variant.pk, quantity=2)

    assert lines_of(cart) == [(variant.pk, 2)]
    assert line.requested_quantity == 2
    assert "price" not in {field.name for field in CartLine._meta.get_fields()}


def test_adding_the_same_variant_again_sums_the_quantities_on_one_line():
    cart = CartFactory()
    variant = VariantFactory(stock=10)

    services.cart_item_add(cart=cart, variant_id=variant.pk, quantity=2)
    services.cart_item_add(cart=cart, variant_id=variant.pk, quantity=3)

    assert lines_of(cart) == [(variant.pk, 5)]


def test_adding_more_than_the_stock_caps_the_line_at_the_stock_and_says_what_was_asked():
    cart = CartFactory()
    variant = VariantFactory(stock=4)
    services.cart_item_add(cart=cart, variant_id=variant.pk, quantity=3)

    line = services.cart_item_add(cart=cart, variant_id=variant.pk, quantity=3)

    assert line.quantity == 4
    assert line.requested_quantity == 6
    assert lines_of(cart) == [(variant.pk, 4)]


def test_a_line_never_holds_more_than_99():
    cart = CartFactory()
    variant = VariantFactory(stock=500)
    services.cart_item_add(cart=cart, variant_id=variant.pk, quantity=90)

    line = services.cart_item_add(cart=cart, variant_id=variant.pk, quantity=20)

    assert line.quantity == services.MAX_QUANTITY == 99


@pytest.mark.parametrize("quantity", [0, -1, 100, 10_000, True])
def test_a_quantity_outside_1_to_99_is_refused(quantity):
    cart = CartFactory()
    variant = VariantFactory()

    with pytest.raises(DomainError) as caught:
        services.cart_item_add(cart=cart, variant_id=variant.pk, quantity=quantity)

    assert caught.value.code == CartError.INVALID_QUANTITY
    assert caught.value.field == "quantity"
    assert not cart.lines.exists()


def test_a_sold_out_variant_is_refused_with_its_name():
    cart = CartFactory()
    product = ProductFactory(title="Brass lamp", with_variants=0)
    variant = VariantFactory(product=product, name="Large", stock=0)

    with pytest.raises(DomainError) as caught:
        services.cart_item_add(cart=cart, variant_id=variant.pk)

    assert caught.value.code == CartError.OUT_OF_STOCK
    assert caught.value.message == "Sorry, Brass lamp – Large is sold out."


@pytest.mark.parametrize("case", ["unpublished", "unknown", "huge"])
def test_an_unpublished_or_unknown_variant_is_unavailable(case):
    cart = CartFactory()
    variant = VariantFactory(product=ProductFactory(is_published=False, with_variants=0))
    variant_id = {"unpublished": variant.pk, "unknown": variant.pk + 1000, "huge": 2**70}[case]

    with pytest.raises(DomainError) as caught:
        services.cart_item_add(cart=cart, variant_id=variant_id)

    assert caught.value.code == CartError.VARIANT_UNAVAILABLE
    assert caught.value.field == "variant"


# --- changing and removing --------------------------------------------------------------------


def test_setting_a_quantity_changes_the_line():
    line = CartLineFactory(quantity=1, variant=VariantFactory(stock=5))

    updated = services.cart_item_set_quantity(cart=line.cart, line_id=line.pk, quantity=4)

    assert updated.quantity == 4
    assert lines_of(line.cart) == [(line.variant_id, 4)]


def test_setting_a_quantity_of_zero_removes_the_line():
    line = CartLineFactory()

    assert services.cart_item_set_quantity(cart=line.cart, line_id=line.pk, quantity=0) is None
    assert not line.cart.lines.exists()


def test_setting_more_than_the_stock_is_refused_and_keeps_the_line():
    line = CartLineFactory(quantity=2, variant=VariantFactory(stock=3))

    with pytest.raises(DomainError) as caught:
        services.cart_item_set_quantity(cart=line.cart, line_id=line.pk, quantity=4)

    assert caught.value.code == CartError.OUT_OF_STOCK
    assert "only 3" in caught.value.message
    assert lines_of(line.cart) == [(line.variant_id, 2)]


def test_another_carts_line_cannot_be_changed_or_removed():
    line = CartLineFactory()
    other = CartFactory()

    with pytest.raises(Http404):
        services.cart_item_set_quantity(cart=other, line_id=line.pk, quantity=2)
    with pytest.raises(Http404):
        services.cart_item_remove(cart=other, line_id=line.pk)

    assert CartLine.objects.filter(pk=line.pk, quantity=line.quantity).exists()


def test_removing_a_line_deletes_it():
    line = CartLineFactory()

    services.cart_item_remove(cart=line.cart, line_id=line.pk)

    assert not CartLine.objects.filter(pk=line.pk).exists()


def test_clearing_a_cart_empties_it_and_drops_its_code():
    cart = CartFactory(discount_code=DiscountCodeFactory())
    CartLineFactory.create_batch(2, cart=cart)

    services.cart_clear(cart=cart)

    cart.refresh_from_db()
    assert not cart.lines.exists()
    assert cart.discount_code is None


# --- merging ----------------------------------------------------------------------------------


def test_merging_moves_lines_sums_shared_variants_capped_by_stock_and_deletes_the_source():
    shared = VariantFactory(stock=5)
    only_visitor = VariantFactory(stock=10)
    only_user = VariantFactory(stock=10)
    source, target = CartFactory(), CartFactory(user=UserFactory())
    CartLineFactory(cart=source, variant=shared, quantity=3)
    CartLineFactory(cart=source, variant=only_visitor, quantity=2)
    CartLineFactory(cart=target, variant=shared, quantity=4)
    CartLineFactory(cart=target, variant=only_user, quantity=1)

    merged = services.cart_merge(source=source, target=target)

    assert merged == target
    assert dict(lines_of(target)) == {shared.pk: 5, only_visitor.pk: 2, only_user.pk: 1}
    assert not Cart.objects.filter(pk=source.pk).exists()


def test_merging_keeps_a_sold_out_variant_as_one_unit_to_show_it_sold_out():
    variant = VariantFactory(stock=0)
    source, target = CartFactory(), CartFactory(user=UserFactory())
    CartLineFactory(cart=source, variant=variant, quantity=3)

    services.cart_merge(source=source, target=target)

    assert lines_of(target) == [(variant.pk, 1)]


def test_merging_brings_the_visitors_code_only_when_the_account_cart_has_none():
    visitor_code, user_code = DiscountCodeFactory(), DiscountCodeFactory()
    target = CartFactory(user=UserFactory())

    services.cart_merge(source=CartFactory(discount_code=visitor_code), target=target)
    assert target.discount_code == visitor_code

    other_target = CartFactory(user=UserFactory(), discount_code=user_code)
    services.cart_merge(source=CartFactory(discount_code=visitor_code), target=other_target)
    assert other_target.discount_code == user_code


# --- discount codes ---------------------------------------------------------------------------


def test_a_code_is_found_whatever_its_case_and_spaces():
    code = DiscountCodeFactory(code="Summer10")

    assert services.discount_check(code="  sUMMER10 ", subtotal=1000) == code


@pytest.mark.parametrize("typed", ["", "   ", "NOPE", "x" * 500, "A\x00B"])
def test_an_unknown_code_is_not_found(typed):
    DiscountCodeFactory(code="SUMMER10")

    with pytest.raises(DomainError) as caught:
        services.discount_check(code=typed, subtotal=1000)

    assert caught.value.code == CartError.DISCOUNT_NOT_FOUND
    assert caught.value.field == "code"


def test_an_inactive_code_is_refused():
    DiscountCodeFactory(code="OLD", is_active=False)

    with pytest.raises(DomainError) as caught:
        services.discount_check(code="OLD", subtotal=1000)

    assert caught.value.code == CartError.DISCOUNT_INACTIVE


def test_a_code_works_only_inside_its_window():
    now = timezone.now()
    DiscountCodeFactory(code="WEEK", starts_at=now, ends_at=now + timedelta(days=7))

    with pytest.raises(DomainError) as early:
        services.discount_check(code="WEEK", subtotal=1000, now=now - timedelta(seconds=1))
    assert services.discount_check(code="WEEK", subtotal=1000, now=now).code == "WEEK"
    assert services.discount_check(code="WEEK", subtotal=1000, now=now + timedelta(days=6))
    with pytest.raises(DomainError) as late:
        services.discount_check(code="WEEK", subtotal=1000, now=now + timedelta(days=7))

    assert early.value.code == CartError.DISCOUNT_NOT_STARTED
    assert late.value.code == CartError.DISCOUNT_EXPIRED


def test_a_minimum_spend_says_how_much_more_to_spend():
    DiscountCodeFactory(code="BIG", min_subtotal=5000)

    with pytest.raises(DomainError) as caught:
        services.discount_check(code="BIG", subtotal=4250)

    assert caught.value.code == CartError.DISCOUNT_MIN_SUBTOTAL
    assert caught.value.field == "code"
    assert caught.value.message.startswith("Spend €7.50 more to use the code BIG")
    assert services.discount_check(code="BIG", subtotal=5000).code == "BIG"


def test_a_used_up_code_is_refused():
    DiscountCodeFactory(code="ONCE", usage_limit=1, times_used=1)

    with pytest.raises(DomainError) as caught:
        services.discount_check(code="ONCE", subtotal=1000)

    assert caught.value.code == CartError.DISCOUNT_EXHAUSTED


def test_discount_use_counts_up_to_the_limit_then_refuses():
    code = DiscountCodeFactory(usage_limit=2)

    services.discount_use(discount=code)
    services.discount_use(discount=code)
    with pytest.raises(DomainError) as caught:
        services.discount_use(discount=code)

    code.refresh_from_db()
    assert code.times_used == 2
    assert caught.value.code == CartError.DISCOUNT_EXHAUSTED
    assert caught.value.field == "code"


def test_discount_use_without_a_limit_never_refuses():
    code = DiscountCodeFactory(usage_limit=None)

    for _ in range(5):
        services.discount_use(discount=code)

    code.refresh_from_db()
    assert code.times_used == 5


def test_discount_use_of_a_stale_copy_still_respects_the_limit():
    code = DiscountCodeFactory(usage_limit=1)
    stale = DiscountCode.objects.get(pk=code.pk)
    services.discount_use(discount=code)

    # The copy still says times_used=0; the UPDATE's own condition decides.
    with pytest.raises(DomainError):
        services.discount_use(discount=stale)


def test_applying_a_code_checks_the_carts_subtotal_at_todays_prices():
    cart = CartFactory()
    CartLineFactory(cart=cart, variant=VariantFactory(price=3000), quantity=1)
    DiscountCodeFactory(code="MIN50", min_subtotal=5000)

    with pytest.raises(DomainError) as caught:
        services.cart_discount_apply(cart=cart, code="min50")
    CartLineFactory(cart=cart, variant=VariantFactory(price=2000), quantity=1)
    applied = services.cart_discount_apply(cart=cart, code="min50")

    assert caught.value.code == CartError.DISCOUNT_MIN_SUBTOTAL
    cart.refresh_from_db()
    assert cart.discount_code == applied


def test_removing_a_code_leaves_the_cart_without_one():
    cart = CartFactory(discount_code=DiscountCodeFactory())

    services.cart_discount_remove(cart=cart)

    cart.refresh_from_db()
    assert cart.discount_code is None


def test_saving_a_code_refuses_the_same_code_in_another_case():
    from django.core.exceptions import ValidationError

    DiscountCodeFactory(code="SPRING")

    with pytest.raises(ValidationError):
        services.discount_code_save(discount=DiscountCode(code="spring", kind="fixed", value=500))


def test_a_released_use_can_be_used_again_and_the_count_never_goes_below_zero():
    code = DiscountCodeFactory(usage_limit=1)
    services.discount_use(discount=code)

    services.discount_release(discount=code)
    services.discount_use(discount=code)
    services.discount_release(discount=code)
    services.discount_release(discount=code)

    code.refresh_from_db()
    assert code.times_used == 0
