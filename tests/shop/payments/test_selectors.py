import pytest

from shop.payments import selectors, services

pytestmark = pytest.mark.django_db


def _start(*, reference: str, attempt: int, card: str):
    return services.payment_start(
        reference=reference,
        amount=1000,
        currency="EUR",
        idempotency_key=f"{reference}:attempt:{attempt}",
        payment_method=card,
    )


def test_latest_payment_for_a_reference_is_the_last_attempt():
    _start(reference="order:A", attempt=1, card="4000 0000 0000 0002")
    second = _start(reference="order:A", attempt=2, card="4242 4242 4242 4242")
    _start(reference="order:B", attempt=1, card="4242 4242 4242 4242")

    latest = selectors.payment_latest_for_reference(reference="order:A")

    assert latest == second


def test_no_payment_for_a_reference_is_none():
    assert selectors.payment_latest_for_reference(reference="order:NONE") is None


def test_payment_list_for_a_reference_is_oldest_first():
    first = _start(reference="order:A", attempt=1, card="4000 0000 0000 0002")
    second = _start(reference="order:A", attempt=2, card="4242 4242 4242 4242")

    assert selectors.payment_list_for_reference(reference="order:A") == [first, second]
