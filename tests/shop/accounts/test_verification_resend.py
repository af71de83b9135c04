"""The check-your-email page after a sign-up, and its "Send the email again" button."""

import html
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache

from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "ada@example.com",
    "username": "ada",
    "password1": "a-long-and-unusual-pass",
    "password2": "a-long-and-unusual-pass",
}
CHECK_EMAIL = "/accounts/confirm-email/"
RESEND = "/accounts/confirm-email/resend/"


def text(response) -> str:
    return html.unescape(response.content.decode())


def links_to(address: str) -> list[str]:
    """The confirmation links emailed to ADDRESS, oldest first."""
    found = (
        re.search(r"https?://\S+/accounts/confirm-email/\S+", m.body)
        for m in mail.outbox
        if m.to == [address]
    )
    return [match.group(0) for match in found if match]


@pytest.fixture
def signed_up(client, django_capture_on_commit_callbacks):
    """A client that has just signed up as ada@example.com and waits for the email."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/signup/", SIGNUP)
    assert response.url == CHECK_EMAIL
    return client


def rate_limit_window_passes():
    # allauth keeps its rate-limit counters in the cache (confirm_email: 1 email / 3 minutes).
    cache.clear()


def test_check_your_email_page_names_the_address_and_offers_to_send_it_again(signed_up):
    page = text(signed_up.get(CHECK_EMAIL))

    assert "<h1>Check your email</h1>" in page
    assert "We have sent a link to <strong" in page and "ada@example.com</strong>" in page
    assert f'action="{RESEND}"' in page
    assert ">Send the email again</button>" in page


def test_send_again_sends_a_new_link_that_confirms_the_address(
    signed_up, django_capture_on_commit_callbacks
):
    rate_limit_window_passes()

    with django_capture_on_commit_callbacks(execute=True):
        response = signed_up.post(RESEND, follow=True)

    assert response.redirect_chain == [(CHECK_EMAIL, 302)]
    assert "We have sent a new link to ada@example.com" in text(response)
    assert len(links_to("ada@example.com")) == 2
    with django_capture_on_commit_callbacks(execute=True):
        signed_up.post(links_to("ada@example.com")[-1])
    assert EmailAddress.objects.get(email="ada@example.com").verified


def test_send_again_right_after_signing_up_sends_nothing_and_says_to_wait(
    signed_up, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_up.post(RESEND, follow=True)

    assert "We sent a link to ada@example.com a moment ago" in text(response)
    assert "We have sent a new link" not in text(response)
    assert len(links_to("ada@example.com")) == 1


def test_send_again_twice_in_a_row_sends_one_email(signed_up, django_capture_on_commit_callbacks):
    rate_limit_window_passes()

    with django_capture_on_commit_callbacks(execute=True):
        signed_up.post(RESEND)
        second = signed_up.post(RESEND, follow=True)

    assert len(links_to("ada@example.com")) == 2  # the sign-up's and one more
    assert "a moment ago" in text(second)


def test_send_again_without_a_waiting_signup_asks_to_log_in(client):
    response = client.post(RESEND, follow=True)

    assert response.redirect_chain == [("/accounts/login/", 302)]
    assert "Log in with your email and password" in text(response)
    assert mail.outbox == []


def test_check_your_email_page_without_a_waiting_signup_has_no_button(client):
    page = text(client.get(CHECK_EMAIL))

    assert "<h1>Check your email</h1>" in page
    assert "Send the email again" not in page


def test_send_again_after_the_address_was_confirmed_elsewhere_says_to_log_in(signed_up):
    EmailAddress.objects.filter(email="ada@example.com").update(verified=True)
    rate_limit_window_passes()

    response = signed_up.post(RESEND, follow=True)

    assert response.redirect_chain == [("/accounts/login/", 302)]
    assert "ada@example.com is already confirmed: you can log in." in text(response)
    assert len(links_to("ada@example.com")) == 1


def test_send_again_needs_a_post(signed_up):
    assert signed_up.get(RESEND).status_code == 405


def test_send_again_after_logging_in_unconfirmed_sends_a_new_link(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory(verified=False)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/login/", {"login": user.username, "password": DEFAULT_PASSWORD})
    rate_limit_window_passes()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RESEND, follow=True)

    assert f"We have sent a new link to {user.email}" in text(response)
    assert len(links_to(user.email)) == 2


def test_send_again_for_an_address_another_account_has_looks_the_same_and_sends_no_link(
    client, django_capture_on_commit_callbacks
):
    # allauth's enumeration prevention: signing up with a taken address shows the same page
    # and emails the address's owner instead of a link; sending again must not tell them apart.
    UserFactory(email="ada@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/signup/", {**SIGNUP, "username": "not-ada"})
    rate_limit_window_passes()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RESEND, follow=True)

    assert "We have sent a new link to ada@example.com" in text(response)
    assert links_to("ada@example.com") == []
    assert [m.to for m in mail.outbox] == [["ada@example.com"], ["ada@example.com"]]


def test_signing_up_adds_no_message_that_repeats_the_page(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/signup/", SIGNUP, follow=True)

    assert 'class="message' not in text(response)
    assert "ada@example.com</strong>" in text(response)
