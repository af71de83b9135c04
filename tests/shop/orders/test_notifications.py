"""Order emails go out from tasks, once each however often the task runs."""

import pytest
from django.core import mail

from shop.orders import tasks
from shop.orders.models import OrderNotification
from tests.shop.orders.conftest import cart_make, variant_make

pytestmark = pytest.mark.django_db


def test_the_placed_notify_task_run_twice_sends_one_email(place):
    order = place(cart_make((variant_make(), 1)))

    tasks.order_placed_notify.delay(order_id=order.pk)
    tasks.order_placed_notify.delay(order_id=order.pk)

    assert len(mail.outbox) == 1
    assert OrderNotification.objects.filter(order=order, kind="placed").count() == 1


def test_the_emails_have_a_text_and_an_html_version(place):
    order = place(cart_make((variant_make(title="Brass lamp"), 2)))

    tasks.order_placed_notify.delay(order_id=order.pk)

    message = mail.outbox[0]
    assert "2 × Brass lamp" in message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html" and order.number in html


def test_a_send_that_fails_is_not_recorded_and_can_be_retried(place, monkeypatch):
    order = place(cart_make((variant_make(), 1)))

    def refused(self, *args, **kwargs):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refused)
    with pytest.raises(OSError):
        tasks.order_paid_notify.run(order_id=order.pk)
    monkeypatch.undo()

    assert not OrderNotification.objects.exists()
    assert tasks.order_paid_notify.run(order_id=order.pk) is True
    assert len(mail.outbox) == 1


def test_a_task_for_an_order_that_is_gone_does_nothing():
    assert tasks.order_placed_notify.delay(order_id=999999).get() is False
    assert tasks.order_shipped_notify.delay(fulfilment_id=999999).get() is False
    assert mail.outbox == []
