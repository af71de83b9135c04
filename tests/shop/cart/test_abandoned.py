"""Abandoned carts are deleted by a beat task (cart.tasks.carts_abandoned_delete)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from shop.cart import tasks
from shop.cart.models import Cart
from shop.cart.services import cart_abandoned_delete
from tests.factories import UserFactory, cart_make, variant_make

pytestmark = pytest.mark.django_db


def _days_later(days: float):
    return timezone.now() + timedelta(days=days)


def test_a_visitors_cart_untouched_for_a_month_is_deleted_with_its_lines():
    kept = cart_make((variant_make(), 1))
    gone = cart_make((variant_make(), 2))
    Cart.objects.filter(pk=gone.pk).update(updated_at=timezone.now() - timedelta(days=2))

    deleted = cart_abandoned_delete(now=_days_later(29))

    assert deleted == 1
    assert list(Cart.objects.all()) == [kept]


def test_a_shoppers_cart_with_items_is_kept_however_old():
    cart = cart_make((variant_make(), 1), user=UserFactory())

    assert cart_abandoned_delete(now=_days_later(365)) == 0
    assert Cart.objects.filter(pk=cart.pk).exists()


def test_an_empty_cart_goes_after_a_day_a_newer_one_stays():
    old_visitor, old_shopper = cart_make(), cart_make(user=UserFactory())
    Cart.objects.update(updated_at=timezone.now() - timedelta(hours=25))
    new = cart_make()

    deleted = cart_abandoned_delete()

    assert deleted == 2
    assert list(Cart.objects.all()) == [new]
    assert not Cart.objects.filter(pk__in=[old_visitor.pk, old_shopper.pk]).exists()


def test_the_empty_cart_a_failed_first_add_leaves_is_deleted(client):
    sold_out = variant_make(stock=0)
    client.post("/cart/add/", {"variant": sold_out.pk}, HTTP_SEC_FETCH_SITE="same-origin")
    assert Cart.objects.filter(lines__isnull=True).count() == 1

    deleted = tasks.carts_abandoned_delete.delay().get()
    later = cart_abandoned_delete(now=_days_later(2))

    assert (deleted, later) == (0, 1)
    assert not Cart.objects.exists()


def test_the_cart_of_an_unpaid_order_is_never_deleted(place):
    cart = cart_make((variant_make(), 1))
    place(cart)

    assert cart_abandoned_delete(now=_days_later(60)) == 0
    assert Cart.objects.filter(pk=cart.pk).exists()


def test_the_cart_of_a_paid_order_goes_once_abandoned(paid_order):
    cart = cart_make((variant_make(), 1))
    paid_order(cart)

    assert cart_abandoned_delete(now=_days_later(2)) == 1


def test_deleting_in_chunks_deletes_them_all_and_a_second_run_nothing():
    for _ in range(5):
        cart_make((variant_make(), 1))

    first = cart_abandoned_delete(now=_days_later(31), chunk=2)
    second = cart_abandoned_delete(now=_days_later(31), chunk=2)

    assert (first, second) == (5, 0)
    assert not Cart.objects.exists()
