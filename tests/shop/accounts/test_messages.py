"""Messages after account actions name the person as others see them (display name)."""

import html

import pytest
from django.contrib.messages import get_messages

from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def messages_of(response) -> list[str]:
    return [html.unescape(str(m)) for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("login", ["email", "username"])
def test_log_in_message_uses_the_display_name(client, login):
    user = UserFactory(username="dana", display_name="Dana Shopper")

    response = client.post(
        "/accounts/login/", {"login": getattr(user, login), "password": DEFAULT_PASSWORD}
    )

    assert messages_of(response) == ["Logged in as Dana Shopper."]


def test_log_in_message_uses_the_username_when_there_is_no_display_name(client):
    user = UserFactory(username="dana", display_name="")

    response = client.post("/accounts/login/", {"login": user.email, "password": DEFAULT_PASSWORD})

    assert messages_of(response) == ["Logged in as dana."]


def test_log_out_message_says_goodbye_by_display_name(client):
    client.force_login(UserFactory(display_name="Dana Shopper"))

    response = client.post("/accounts/logout/")

    assert messages_of(response) == ["You have logged out. See you soon, Dana Shopper."]


def test_password_changed_message_uses_the_display_name(client):
    client.force_login(UserFactory(display_name="Dana Shopper"))

    response = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": DEFAULT_PASSWORD,
            "password1": "another-long-passphrase",
            "password2": "another-long-passphrase",
        },
    )

    assert messages_of(response) == ["Dana Shopper, your password is changed."]


def test_profile_saved_message_names_the_new_display_name(client):
    client.force_login(UserFactory(display_name="Dana"))

    response = client.post("/accounts/profile/", {"display_name": "Dana Shopper", "bio": ""})

    assert messages_of(response) == ["Your profile is saved. Others now see you as Dana Shopper."]


def test_profile_saved_without_display_name_names_the_username(client):
    client.force_login(UserFactory(username="dana", display_name="Dana"))

    response = client.post("/accounts/profile/", {"display_name": "", "bio": ""})

    assert messages_of(response) == ["Your profile is saved. Others now see you as dana."]
