"""Starting, confirming and refunding payments through the services, on the fake gateway."""

import pytest
from django.db import transaction

from shop.core.errors import DomainError
from shop.payments import events, services
from shop.payments.errors import PaymentError
from shop.payments.gateways.base import GatewayUnavailable
from shop.payments.models import FakeCharge, Payment, PaymentTransition, Refund

pytestmark = pytest.mark.django_db

VISA = "4242 4242 4242 4242"
DECLINED = "4000 0000 0000 0002"
THREE_D_SECURE = "4000 0025 0000 3155"


def _start(card: str = VISA, *, attempt: int = 1, amount: int = 4990, reference="order:AG7K2M9Q"):
    return services.payment_start(
        reference=reference,
        amount=amount,
        currency="EUR",
        idempotency_key=f"{reference}:attempt:{attempt}",
        payment_method=card,
    )


@pytest.fixture
def received():
    """Every payment_succeeded / payment_failed signal sent, as (name, kwargs)."""
    seen: list[tuple[str, dict]] = []

    def on_succeeded(sender, **kwargs):
        seen.append(("succeeded", {k: kwargs[k] for k in ("payment_id", "reference")}))

    def on_failed(sender, **kwargs):
        seen.append(("failed", {k: kwargs[k] for k in ("payment_id", "reference")}))

    events.payment_succeeded.connect(on_succeeded)
    events.payment_failed.connect(on_failed)
    yield seen
    events.payment_succeeded.disconnect(on_succeeded)
    events.payment_failed.disconnect(on_failed)


# --- payment_start -----------------------------------------------------------------------------


def test_payment_with_4242_succeeds_and_records_its_transition():
    payment = _start()

    assert payment.status == Payment.Status.SUCCEEDED
    assert (payment.amount, payment.currency, payment.card_last4) == (4990, "EUR", "4242")
    assert payment.gateway == "fake"
    assert payment.gateway_payment_id.startswith("pi_fake_")
    assert list(payment.transitions.values_list("from_status", "to_status", "source")) == [
        ("requires_payment_method", "succeeded", "payment_start")
    ]


def test_same_idempotency_key_twice_charges_once(counting_gateway):
    first = _start()

    again = _start()

    assert again.pk == first.pk
    assert Payment.objects.count() == 1
    assert FakeCharge.objects.count() == 1
    assert counting_gateway.calls == {"create_payment": 1}


def test_same_key_after_a_decline_returns_the_decline_without_charging_again(counting_gateway):
    first = _start(DECLINED)

    again = _start(VISA)

    assert again.pk == first.pk
    assert again.status == Payment.Status.FAILED
    assert counting_gateway.calls == {"create_payment": 1}


def test_decline_then_success_with_a_new_attempt_key():
    declined = _start(DECLINED, attempt=1)

    paid = _start(VISA, attempt=2)

    assert declined.status == Payment.Status.FAILED
    assert declined.error_code == "card_declined"
    assert declined.error_message == "Your card was declined."
    assert paid.status == Payment.Status.SUCCEEDED
    assert paid.pk != declined.pk
    assert Payment.objects.filter(reference="order:AG7K2M9Q").count() == 2


def test_invalid_card_number_is_a_failed_payment_with_a_clear_message():
    payment = _start("1234 5678")

    assert payment.status == Payment.Status.FAILED
    assert payment.error_code == "invalid_number"
    assert "card number is not valid" in payment.error_message
    assert payment.gateway_payment_id == ""


def test_same_key_for_another_amount_is_refused(counting_gateway):
    _start(amount=4990)

    with pytest.raises(DomainError) as excinfo:
        _start(amount=100)

    assert excinfo.value.code == PaymentError.IDEMPOTENCY_KEY_REUSED
    assert counting_gateway.calls == {"create_payment": 1}


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"amount": 0}, PaymentError.INVALID_AMOUNT),
        ({"amount": -5}, PaymentError.INVALID_AMOUNT),
        ({"currency": "E1R"}, PaymentError.INVALID_CURRENCY),
        ({"idempotency_key": ""}, PaymentError.INVALID_IDEMPOTENCY_KEY),
        ({"reference": ""}, PaymentError.INVALID_REFERENCE),
    ],
)
def test_payment_start_refuses_bad_input(kwargs, code):
    arguments = {
        "reference": "order:X",
        "amount": 100,
        "currency": "EUR",
        "idempotency_key": "order:X:attempt:1",
        "payment_method": VISA,
        **kwargs,
    }

    with pytest.raises(DomainError) as excinfo:
        services.payment_start(**arguments)

    assert excinfo.value.code == code
    assert not Payment.objects.exists()


def test_unreachable_gateway_keeps_nothing_and_the_same_key_can_be_sent_again(
    counting_gateway, monkeypatch
):
    def unreachable(**kwargs):
        counting_gateway._count("create_payment")
        raise GatewayUnavailable("connection refused")

    monkeypatch.setattr(counting_gateway, "create_payment", unreachable)
    with pytest.raises(DomainError) as excinfo:
        _start()
    monkeypatch.undo()

    payment = _start()

    assert excinfo.value.code == PaymentError.GATEWAY_UNAVAILABLE
    assert payment.status == Payment.Status.SUCCEEDED
    assert Payment.objects.count() == 1


def test_payment_left_waiting_without_an_answer_is_sent_again_with_the_same_key(
    counting_gateway,
):
    Payment.objects.create(
        gateway="fake",
        reference="order:AG7K2M9Q",
        idempotency_key="order:AG7K2M9Q:attempt:1",
        amount=4990,
        currency="EUR",
    )

    payment = _start()

    assert payment.status == Payment.Status.SUCCEEDED
    assert counting_gateway.calls == {"create_payment": 1}
    assert FakeCharge.objects.get().idempotency_key == "order:AG7K2M9Q:attempt:1"


# --- events on commit --------------------------------------------------------------------------


def test_payment_succeeded_is_sent_only_after_commit(django_capture_on_commit_callbacks, received):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        payment = _start()
    assert received == []

    for callback in callbacks:
        callback()

    assert received == [("succeeded", {"payment_id": payment.pk, "reference": "order:AG7K2M9Q"})]


def test_rolled_back_payment_sends_nothing(django_capture_on_commit_callbacks, received):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _start()
        raise RuntimeError("the order could not be saved")

    assert received == []
    assert not Payment.objects.exists()


def test_decline_sends_payment_failed(django_capture_on_commit_callbacks, received):
    with django_capture_on_commit_callbacks(execute=True):
        payment = _start(DECLINED)

    assert received == [("failed", {"payment_id": payment.pk, "reference": "order:AG7K2M9Q"})]


def test_returning_an_existing_payment_sends_nothing_again(
    django_capture_on_commit_callbacks, received
):
    with django_capture_on_commit_callbacks(execute=True):
        _start()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _start()

    assert callbacks == []
    assert len(received) == 1


# --- confirmation (3-D Secure) -----------------------------------------------------------------


def test_requires_action_then_confirm_succeeds(django_capture_on_commit_callbacks, received):
    payment = _start(THREE_D_SECURE)
    assert payment.status == Payment.Status.REQUIRES_ACTION
    assert payment.client_secret

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = services.payment_action_confirm(payment=payment)

    assert confirmed.status == Payment.Status.SUCCEEDED
    assert list(confirmed.transitions.values_list("to_status", "source")) == [
        ("requires_action", "payment_start"),
        ("succeeded", "payment_action_confirm"),
    ]
    assert [name for name, _ in received] == ["succeeded"]


def test_confirming_twice_changes_nothing_the_second_time(counting_gateway):
    payment = services.payment_action_confirm(payment=_start(THREE_D_SECURE))

    again = services.payment_action_confirm(payment=payment)

    assert again.status == Payment.Status.SUCCEEDED
    assert again.transitions.count() == 2
    assert counting_gateway.calls == {"create_payment": 1, "confirm": 1}


def test_confirming_a_payment_that_never_asked_is_refused():
    payment = Payment.objects.create(
        gateway="fake", reference="r", idempotency_key="k", amount=100, currency="EUR"
    )

    with pytest.raises(DomainError) as excinfo:
        services.payment_action_confirm(payment=payment)

    assert excinfo.value.code == PaymentError.NOT_CONFIRMABLE


def test_transition_backwards_is_refused():
    payment = _start()

    with pytest.raises(DomainError) as excinfo:
        services._payment_fail(
            payment=payment, source="test", error_code="card_declined", error_message="No."
        )

    assert excinfo.value.code == PaymentError.ILLEGAL_TRANSITION
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    assert PaymentTransition.objects.count() == 1


# --- refunds -----------------------------------------------------------------------------------


def test_full_refund():
    payment = _start(amount=4990)

    refund = services.payment_refund(payment=payment, amount=4990, idempotency_key="refund:1")

    payment.refresh_from_db()
    assert payment.amount_refunded == 4990
    assert payment.amount_refundable == 0
    assert refund.amount == 4990
    assert refund.gateway_refund_id.startswith("re_fake_")
    assert FakeCharge.objects.get().amount_refunded == 4990


def test_partial_refunds_add_up_and_stop_at_the_amount():
    payment = _start(amount=4990)
    services.payment_refund(payment=payment, amount=1000, idempotency_key="refund:1")
    services.payment_refund(payment=payment, amount=2990, idempotency_key="refund:2")

    with pytest.raises(DomainError) as excinfo:
        services.payment_refund(payment=payment, amount=1001, idempotency_key="refund:3")

    payment.refresh_from_db()
    assert excinfo.value.code == PaymentError.REFUND_TOO_LARGE
    assert excinfo.value.field == "amount"
    assert payment.amount_refunded == 3990
    assert Refund.objects.count() == 2


def test_refund_larger_than_the_payment_is_refused():
    payment = _start(amount=4990)

    with pytest.raises(DomainError) as excinfo:
        services.payment_refund(payment=payment, amount=5000, idempotency_key="refund:1")

    assert excinfo.value.code == PaymentError.REFUND_TOO_LARGE
    payment.refresh_from_db()
    assert payment.amount_refunded == 0
    assert not Refund.objects.exists()


def test_same_refund_key_twice_refunds_once(counting_gateway):
    payment = _start(amount=4990)
    first = services.payment_refund(payment=payment, amount=1000, idempotency_key="refund:1")

    again = services.payment_refund(payment=payment, amount=1000, idempotency_key="refund:1")

    payment.refresh_from_db()
    assert again.pk == first.pk
    assert payment.amount_refunded == 1000
    assert counting_gateway.calls["refund"] == 1


def test_failed_payment_is_not_refundable():
    payment = _start(DECLINED)

    with pytest.raises(DomainError) as excinfo:
        services.payment_refund(payment=payment, amount=100, idempotency_key="refund:1")

    assert excinfo.value.code == PaymentError.NOT_REFUNDABLE
    assert excinfo.value.field == "amount"


@pytest.mark.parametrize("amount", [0, -1])
def test_refund_of_nothing_is_refused(amount):
    payment = _start()

    with pytest.raises(DomainError) as excinfo:
        services.payment_refund(payment=payment, amount=amount, idempotency_key="refund:1")

    assert excinfo.value.code == PaymentError.INVALID_AMOUNT
