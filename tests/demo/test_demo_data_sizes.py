"""`manage.py demo_data` at sizes other than the shop test_demo_data.py shares: the plan for a
seed, the full 200 products and none; and `manage.py demo_discounts`. Each builds its own."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Count

from demo import specs
from demo.plan import demo_plan
from shop.accounts.models import Address
from shop.catalog.models import Category, Merchant, Product, ProductImage, Variant
from shop.orders.models import Order

pytestmark = pytest.mark.django_db

SHOPPER = specs.account("shopper")


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def _demo_data(**options) -> str:
    out = io.StringIO()
    call_command("demo_data", stdout=out, **options)
    return out.getvalue()


def test_the_plan_is_the_same_for_the_same_seed_and_grows_by_appending():
    small = demo_plan(products=12, seed=7)

    assert small == demo_plan(products=12, seed=7)
    assert demo_plan(products=40, seed=7)[:12] == small
    assert small != demo_plan(products=12, seed=8)


def test_the_full_demo_shop_has_200_believable_products():
    _demo_data()
    counts = _row_counts()

    assert Product.objects.count() == 200
    assert Merchant.objects.count() == 3
    assert Category.objects.count() >= 12
    per_product = Product.objects.annotate(
        v=Count("variants", distinct=True), i=Count("images", distinct=True)
    )
    assert {p.v for p in per_product} <= {1, 2, 3, 4}
    assert {p.i for p in per_product} <= {1, 2}
    assert Product.objects.filter(is_featured=True).exists()
    assert Product.objects.filter(units_sold__gt=0, is_published=True).exists()
    assert Variant.objects.filter(stock=0).exists()
    assert Variant.objects.exclude(compare_at_price=None).exists()
    assert not ProductImage.objects.filter(alt_text="").exists()
    assert Product.objects.values("merchant").distinct().count() == 3
    assert len(set(Product.objects.values_list("title", flat=True))) == 200

    _demo_data()

    assert _row_counts() == counts


def test_demo_discount_codes_are_added_once_and_apply_at_checkout():
    # Moved from tests/shop/cart/test_services.py with the command.
    from shop.cart.models import DiscountCode
    from shop.cart.services import discount_check

    out = io.StringIO()
    call_command("demo_discounts", stdout=out)
    call_command("demo_discounts", stdout=out)

    assert DiscountCode.objects.filter(code__in=["WELCOME10", "SAVE5"]).count() == 2
    assert discount_check(code="welcome10", subtotal=2000).code == "WELCOME10"
    assert "SAVE5 (€5.00 off on orders of €30.00 or more)" in out.getvalue()


def test_a_shop_with_no_products_gives_the_shopper_an_address_and_no_order():
    output = _demo_data(products=0)

    assert Address.objects.filter(user__username=SHOPPER.username).count() == 1
    assert not Order.objects.exists()
    assert "1 saved addresses" in output
