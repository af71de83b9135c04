"""The outbox in admin: the operator sees what is owed and can deliver it now; nobody else."""

import pytest
from django.core import mail

from shop.core.models import OutboxMessage
from tests.factories import UserFactory
from tests.shop.orders.conftest import cart_make, variant_make

pytestmark = pytest.mark.django_db

URL = "/admin/core/outboxmessage/"


def test_the_operator_delivers_an_unsent_email_now(client, place):
    place(cart_make((variant_make(), 1)))  # no on-commit work: its rows stay unsent
    email = OutboxMessage.objects.get(topic="email.order.placed")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    listing = client.get(f"{URL}?sent_at__isempty=1")
    response = client.post(
        URL, {"action": "deliver_now", "_selected_action": [email.pk]}, follow=True
    )

    assert listing.status_code == 200 and b"email.order.placed" in listing.content
    assert b"1 of 1 delivered." in response.content
    email.refresh_from_db()
    assert email.sent_at is not None
    assert len(mail.outbox) == 1


def test_merchant_staff_do_not_see_the_outbox(client):
    client.force_login(UserFactory(is_staff=True))

    assert client.get(URL).status_code == 403
