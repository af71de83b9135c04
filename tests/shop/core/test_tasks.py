"""The shared email task (shop.core.tasks.email_message_send)."""

from django.core import mail

from shop.core.tasks import email_message_send


def test_an_email_goes_to_its_addresses():
    email_message_send(subject="Hello", body="Text", to=["ana@example.com"], html_body="<p>T</p>")

    [message] = mail.outbox
    assert message.to == ["ana@example.com"]
    assert message.alternatives[0][1] == "text/html"


def test_a_deleted_accounts_placeholder_address_is_left_out():
    email_message_send(
        subject="Shipped", body="Text", to=["deleted-customer@deleted.invalid", "ben@example.com"]
    )
    email_message_send(subject="Shipped", body="Text", to=["Deleted <x@Deleted.INVALID>"])

    [message] = mail.outbox
    assert message.to == ["ben@example.com"]
