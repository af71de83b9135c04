import pytest
from django.core.cache import cache

from reviews.reputation import selectors
from shop.catalog.models import Product
from tests.factories import ProductFactory
from tests.reviews.reputation.helpers import merchant_make, order_shipped

pytestmark = pytest.mark.django_db


@pytest.fixture
def merchant():
    return merchant_make()


def test_the_rating_averages_the_published_products_ratings(merchant):
    Product.objects.filter(merchant=merchant).update(rating_sum=9, rating_count=2)
    ProductFactory(merchant=merchant, rating_sum=5, rating_count=1)
    ProductFactory(merchant=merchant, rating_sum=1, rating_count=1, is_published=False)

    reputation = selectors.merchant_reputation(merchant_id=merchant.pk)

    assert (reputation.rating, reputation.rating_count) == (4.7, 3)


def test_a_merchant_without_ratings_has_none(merchant):
    assert selectors.merchant_reputation(merchant_id=merchant.pk).rating is None


def test_the_fulfilment_record_counts_lines_shipped_within_the_promise(merchant):
    order_shipped(merchant, after_days=1)
    order_shipped(merchant, after_days=1.9)
    order_shipped(merchant, after_days=3)  # late
    order_shipped(merchant, after_days=None, paid_days_ago=5)  # overdue, not shipped
    order_shipped(merchant, after_days=None, paid_days_ago=1)  # not due yet: not counted

    record = selectors.merchant_reputation(merchant_id=merchant.pk).fulfilment

    assert (record.on_time, record.due, record.percent, record.days) == (2, 4, 50, 2)


def test_cancelled_and_refunded_orders_are_not_counted(merchant):
    from shop.orders.models import Order

    order = order_shipped(merchant, after_days=None, paid_days_ago=5)
    Order.objects.filter(pk=order.pk).update(status="refunded")

    record = selectors.merchant_reputation(merchant_id=merchant.pk).fulfilment

    assert (record.due, record.percent) == (0, None)


def test_another_merchants_shipments_do_not_count(merchant):
    other = merchant_make(name="Other", slug="other")
    order_shipped(other, after_days=5)

    assert selectors.merchant_reputation(merchant_id=merchant.pk).fulfilment.due == 0


@pytest.mark.parametrize("n", [2, 20])
def test_the_reputation_reads_in_two_queries_then_from_the_cache(
    merchant, django_assert_num_queries, n
):
    for _ in range(n):
        order_shipped(merchant, after_days=1)

    # the merchant with its rating totals, the fulfilment aggregate
    with django_assert_num_queries(2):
        first = selectors.merchant_reputation(merchant_id=merchant.pk)
    with django_assert_num_queries(0):
        second = selectors.merchant_reputation(merchant_id=merchant.pk)

    assert first == second and first.fulfilment.on_time == n
    cache.clear()


def test_a_shipment_counts_at_once_in_the_cached_record(
    merchant, django_capture_on_commit_callbacks
):
    from shop.catalog.services import merchant_staff_add
    from shop.orders.services import order_fulfil
    from tests.factories import UserFactory

    staff = UserFactory()
    merchant_staff_add(merchant=merchant, user=staff)
    order = order_shipped(merchant, after_days=None, paid_days_ago=0)
    assert selectors.merchant_reputation(merchant_id=merchant.pk).fulfilment.due == 0

    with django_capture_on_commit_callbacks(execute=True):
        order_fulfil(order=order, merchant=merchant, tracking_number="T-1", by=staff)

    record = selectors.merchant_reputation(merchant_id=merchant.pk).fulfilment
    assert (record.due, record.on_time) == (1, 1)


def test_a_review_counts_at_once_in_the_cached_rating(merchant, django_capture_on_commit_callbacks):
    from reviews.services import ReviewInput, review_create
    from tests.factories import UserFactory

    product = Product.objects.filter(merchant=merchant).first()
    assert selectors.merchant_reputation(merchant_id=merchant.pk).rating is None  # cached

    with django_capture_on_commit_callbacks(execute=True):
        review_create(
            author=UserFactory(),
            product_id=product.pk,
            data=ReviewInput(rating=4, title="Good", body="It keeps me dry."),
        )

    assert selectors.merchant_reputation(merchant_id=merchant.pk).rating == 4.0
