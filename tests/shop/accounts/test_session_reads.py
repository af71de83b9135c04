"""The session and user of a signed-in request are read as Django's ORM reads them, fresh.

shop.accounts.sessions and shop.accounts.backends read them with queries compiled once; a
session ended, a password changed, an account deactivated shows on the very next request.
"""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from shop.accounts import session_reads
from shop.accounts.models import User
from shop.accounts.services import profile_update
from shop.accounts.sessions import SessionStore
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.html import html

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def header(client: Client, url: str = "/products/") -> str:
    response = client.get(url)
    assert response.status_code == 200
    return html(response).one("header", cls="site-header").text


def test_a_session_is_read_as_the_orm_reads_it():
    client = signed_in(UserFactory())
    key = client.cookies[settings.SESSION_COOKIE_NAME].value

    data = session_reads.session_data_get(session_key=key)

    assert data == Session.objects.get(session_key=key).session_data


def test_an_expired_or_unknown_session_is_not_read():
    client = signed_in(UserFactory())
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )

    assert session_reads.session_data_get(session_key=key) is None
    assert session_reads.session_data_get(session_key="no-such-session-key") is None
    assert session_reads.session_data_get(session_key=None) is None


def test_a_user_is_read_as_the_orm_reads_it():
    user = UserFactory(display_name="Ada Byron", is_staff=True)
    user.last_login = timezone.now()
    user.save()

    read = session_reads.user_get(user_id=str(user.pk))

    expected = User.objects.get(pk=user.pk)
    fields = [field.attname for field in User._meta.concrete_fields]
    assert [getattr(read, name) for name in fields] == [getattr(expected, name) for name in fields]
    assert read.last_login.tzinfo is not None and read.is_staff is True
    assert (read._state.adding, read._state.db) == (False, "default")


@pytest.mark.parametrize("user_id", ["not-a-number", "", None, "987654"])
def test_an_id_that_names_no_user_reads_none(user_id):
    assert session_reads.user_get(user_id=user_id) is None


def test_logging_out_ends_the_session_for_every_copy_of_its_cookie():
    user = UserFactory(display_name="Ada Byron")
    browser = signed_in(user)
    copy = Client()
    copy.cookies = browser.cookies.copy()  # e.g. a stolen cookie, or a second tab
    assert "Ada Byron" in header(copy)

    browser.post("/accounts/logout/")

    assert "Log in" in header(copy)
    assert "Ada Byron" not in header(copy)


def test_a_password_change_signs_out_the_other_sessions_at_once():
    user = UserFactory(display_name="Ada Byron")
    here, elsewhere = signed_in(user), signed_in(user)
    assert "Ada Byron" in header(elsewhere)

    response = here.post(
        "/accounts/password/change/",
        {
            "oldpassword": DEFAULT_PASSWORD,
            "password1": "another-long-passphrase",
            "password2": "another-long-passphrase",
        },
    )

    assert response.status_code == 302
    assert "Log in" in header(elsewhere)
    assert "Ada Byron" in header(here)  # the session that changed it stays signed in


def test_a_deactivated_account_is_signed_out_at_once():
    user = UserFactory(display_name="Ada Byron")
    client = signed_in(user)
    assert "Ada Byron" in header(client)

    User.objects.filter(pk=user.pk).update(is_active=False)

    assert "Log in" in header(client)


def test_a_profile_edit_shows_in_the_header_of_a_cached_page_at_once():
    user = UserFactory(display_name="Ada Byron")
    client = signed_in(user)
    assert "Ada Byron" in header(client)

    profile_update(user=user, display_name="Ada Lovelace", bio="", avatar=None, remove_avatar=False)

    assert "Ada Lovelace" in header(client)
    assert "Ada Byron" not in header(client)


# --- the signature checked once per version of the data ---------------------------------------


def test_a_session_decoded_again_is_the_same_content_in_a_fresh_dict():
    client = signed_in(UserFactory())
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    data = Session.objects.get(session_key=key).session_data

    first, second = SessionStore(key).decode(data), SessionStore(key).decode(data)
    first["cart_count"] = 3  # a request changing its session in place

    assert second == SessionStore().decode(data) == Session.objects.get(pk=key).get_decoded()
    assert "cart_count" not in second and SessionStore(key).load() == second


def test_session_data_that_does_not_verify_is_refused_every_time():
    client = signed_in(UserFactory())
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    data = Session.objects.get(session_key=key).session_data
    assert SessionStore(key).decode(data)  # this process has checked the genuine data
    forged = data[:-3] + ("AAA" if data[-3:] != "AAA" else "BBB")  # another signature

    assert SessionStore(key).decode(forged) == {}
    assert SessionStore(key).decode(forged) == {}


def test_a_session_changed_by_a_request_is_read_with_its_change():
    user = UserFactory()
    client = signed_in(user)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    session = SessionStore(key)
    session["cart_count"] = 2
    session.save()

    assert SessionStore(key).load()["cart_count"] == 2
    session["cart_count"] = 5
    session.save()
    assert SessionStore(key).load()["cart_count"] == 5
