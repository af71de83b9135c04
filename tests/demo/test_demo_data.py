"""`manage.py demo_data`: a believable shop, accounts that can log in, and a rerun that
changes nothing."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Count, Sum
from django.utils import timezone

from demo import specs
from demo.plan import DEFAULT_SEED, demo_plan
from shop.accounts.models import Address, User
from shop.catalog import selectors
from shop.catalog.models import Category, Merchant, Product, Variant
from shop.orders.models import Order, OrderLine
from shop.payments.models import Payment

pytestmark = pytest.mark.django_db
DEMO_PRODUCTS = 12  # the shop `demo` (tests/demo/conftest.py) is built once for this module

ADMIN = specs.account("admin")
SHOPPER = specs.account("shopper")
MERCHANTS = specs.merchants()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def _demo_data(**options) -> str:
    out = io.StringIO()
    call_command("demo_data", stdout=out, **options)
    return out.getvalue()


def test_a_small_demo_shop_has_merchants_categories_products_and_accounts(demo):
    output = demo.output

    assert Merchant.objects.count() >= 3
    assert all(merchant.logo for merchant in Merchant.objects.all())
    assert Category.objects.count() >= 12
    assert Category.objects.filter(parent=None).count() >= 3
    assert Product.objects.count() == 12
    assert not Product.objects.annotate(n=Count("variants")).filter(n=0).exists()
    assert not Product.objects.annotate(n=Count("images")).filter(n=0).exists()
    for account in [ADMIN, SHOPPER, *(spec.staff for spec in MERCHANTS)]:
        assert account.email in output and account.password in output


@pytest.mark.parametrize("account", [ADMIN, SHOPPER, MERCHANTS[0].staff], ids=lambda a: a.username)
def test_demo_accounts_can_log_in_with_their_email(demo, client, account):
    response = client.post(
        "/accounts/login/", {"login": account.email, "password": account.password}
    )

    assert response.status_code == 302
    assert (
        int(client.session["_auth_user_id"])
        == apps.get_model("accounts", "User").objects.get(username=account.username).pk
    )


def test_demo_merchant_staff_manage_only_their_own_products_in_admin(demo, client):
    staff = MERCHANTS[0].staff
    assert Product.objects.exclude(merchant__slug=MERCHANTS[0].slug).exists()
    client.login(username=staff.username, password=staff.password)

    response = client.get("/admin/catalog/product/")

    assert response.status_code == 200
    shown = set(response.context["cl"].result_list.values_list("merchant__slug", flat=True))
    assert shown == {MERCHANTS[0].slug}


def test_running_demo_data_again_changes_nothing(demo, django_capture_on_commit_callbacks):
    # Each run commits, as `make run` does: what the build does once it commits (the feed
    # settled, everyone's picks computed) is part of the first run too (the shared shop's).
    counts = _row_counts()
    latest_update = Product.objects.order_by("-updated_at").values_list("updated_at").first()
    version = selectors.catalog_version()

    with django_capture_on_commit_callbacks(execute=True):
        output = _demo_data(products=12)

    assert _row_counts() == counts
    assert Product.objects.order_by("-updated_at").values_list("updated_at").first() == (
        latest_update
    )
    assert selectors.catalog_version() == version
    assert "nothing to add" in output


# --- the demo shopper's history: a saved address and a delivered order -------------------------


def test_demo_shopper_has_a_saved_address_and_a_delivered_order(demo, client):
    shopper = User.objects.get(username=SHOPPER.username)

    address = Address.objects.get(user=shopper)
    order = Order.objects.get(customer=shopper)

    assert (address.line1, address.city, address.is_default) == (
        SHOPPER.address.line1,
        SHOPPER.address.city,
        True,
    )
    assert order.status == Order.Status.DELIVERED
    assert (order.ship_line1, order.ship_city) == (SHOPPER.address.line1, SHOPPER.address.city)
    assert order.lines.values("merchant").distinct().count() == 2
    client.force_login(shopper)
    assert "Delivered" in client.get(f"/orders/{order.number}/").content.decode()


def test_the_delivered_order_went_through_every_step_with_its_stock_and_payment(demo):
    plans = demo_plan(products=demo.products, seed=DEFAULT_SEED)
    planned = {v.sku: v.stock for plan in plans for v in plan.variants}
    order = Order.objects.get(customer__username=SHOPPER.username)

    steps = list(order.transitions.order_by("created_at").values_list("from_status", "to_status"))
    assert steps == [
        ("", "pending_payment"),
        ("pending_payment", "paid"),
        ("paid", "partially_fulfilled"),
        ("partially_fulfilled", "fulfilled"),
        ("fulfilled", "delivered"),
    ]
    assert order.payment.status == Payment.Status.SUCCEEDED
    assert order.payment.amount == order.total == order.subtotal + order.shipping_total
    assert order.fulfilments.count() == 2
    assert all(f.tracking_number for f in order.fulfilments.all())
    # The shopper's friends bought some of the same things (demo/recommendations.py).
    sold = dict(
        OrderLine.objects.values("variant__sku")
        .annotate(sold=Sum("quantity"))
        .values_list("variant__sku", "sold")
    )
    for line in order.lines.select_related("variant"):
        assert line.quantity <= sold[line.variant.sku]
        assert line.variant.stock == planned[line.variant.sku] - sold[line.variant.sku]
    days = (timezone.now() - order.created_at).days
    assert days == SHOPPER.delivered_order.days_ago
    assert order.created_at < order.paid_at < order.transitions.latest("created_at").created_at


def test_running_demo_data_again_adds_no_address_and_no_order(demo):
    stock = dict(Variant.objects.values_list("sku", "stock"))
    orders, payments = Order.objects.count(), Payment.objects.count()
    addresses = Address.objects.count()

    output = _demo_data(products=12)

    # The shopper's, their friend's (where the friend's housewarming gifts go) and Chloé's
    # (where her birthday gifts go: the shopper's gift pool ships there).
    assert Address.objects.count() == addresses == 3
    assert Order.objects.filter(customer__username=SHOPPER.username).count() == 1
    assert (Order.objects.count(), Payment.objects.count()) == (orders, payments)
    assert dict(Variant.objects.values_list("sku", "stock")) == stock
    assert "nothing to add" in output
