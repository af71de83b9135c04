"""Shares under concurrent requests: the daily limit holds when several shares race for its
last place, and a visitor's twin requests through a link count one visit, an order's twin
deliveries one order.

PostgreSQL only: SQLite serialises writers, so there is no race to lose there.
"""

import pytest
from django.db import connection
from django.utils import timezone

from shop.core.errors import RateLimitError
from social.likes import share_services
from social.likes.models import Share, ShareVisit
from tests.concurrency import race
from tests.factories import ProductFactory, UserFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL) row locks"
    ),
]


@pytest.mark.parametrize("attempt", range(3))
def test_shares_racing_for_the_last_place_of_the_day_pass_once(settings, attempt):
    settings.SHARES_PER_DAY = 2
    ana = UserFactory(username=f"ana{attempt}", last_login=timezone.now())
    product = ProductFactory()
    share_services.share_create(sharer=ana, product=product, channel="link")

    results = race(
        lambda: share_services.share_create(sharer=ana, product=product, channel="link"),
        racers=4,
    )

    assert sum(isinstance(r, Share) for r in results) == 1
    assert sum(isinstance(r, RateLimitError) for r in results) == 3
    assert Share.objects.filter(sharer=ana).count() == 2


@pytest.mark.parametrize("attempt", range(3))
def test_a_visitors_twin_requests_count_one_visit(attempt):
    share = share_services.share_create(
        sharer=UserFactory(username=f"ana{attempt}"), product=ProductFactory(), channel="link"
    )

    results = race(
        lambda: share_services.share_visit_record(share=share, visitor_key="same-visitor"),
        racers=4,
    )

    assert all(isinstance(r, ShareVisit) for r in results), results
    assert len({r.pk for r in results}) == 1
    share.refresh_from_db()
    assert share.visit_count == 1


@pytest.mark.parametrize("attempt", range(3))
def test_an_orders_twin_deliveries_count_one_order(paid_order, attempt):
    share = share_services.share_create(
        sharer=UserFactory(username=f"ana{attempt}"), product=ProductFactory(), channel="link"
    )
    visit = share_services.share_visit_record(share=share, visitor_key="v")
    order = paid_order()
    attribution = share_services.share_attribution(share=share, visit=visit)

    results = race(
        lambda: share_services.share_order_record(order_id=order.pk, attribution=attribution),
        racers=4,
    )

    assert results.count(True) == 1
    share.refresh_from_db()
    assert share.order_count == 1
