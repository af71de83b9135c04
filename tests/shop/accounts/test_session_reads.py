"""The session and user of a signed-in request are read as Django's ORM reads them, fresh.

shop.accounts.sessions and shop.accounts.backends read them with queries compiled once; a
session ended, a password changed, an account deactivated shows on the very next request.
"""

from datetime import timedelta
from importlib import import_module
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shop.accounts import session_reads
from shop.accounts.models import Session, User
from shop.accounts.services import profile_update
from shop.accounts.sessions import NOT_READ, SessionStore, authenticating, session_user
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


def test_a_sessions_data_is_read_as_the_orm_reads_it():
    client = signed_in(UserFactory())
    key = client.cookies[settings.SESSION_COOKIE_NAME].value

    data, _, _ = session_reads.session_read(session_key=key)

    assert data == Session.objects.get(session_key=key).session_data


def test_an_expired_or_unknown_session_is_not_read():
    client = signed_in(UserFactory())
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )

    assert session_reads.session_read(session_key=key) is None
    assert session_reads.session_read(session_key="no-such-session-key") is None
    assert session_reads.session_read(session_key=None) is None


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


# --- the session and its person in one query ----------------------------------------------------


def test_a_signed_in_request_reads_its_session_and_person_in_one_query():
    user = UserFactory(display_name="Ada Byron")
    client = signed_in(user)

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/me")

    assert response.status_code == 200 and response.json()["display_name"] == "Ada Byron"
    assert len(queries) == 1
    sql = queries[0]["sql"]
    assert "accounts_session" in sql and "accounts_user" in sql


def test_the_session_row_names_the_person_it_signs_in_and_nobody_else():
    user = UserFactory()
    client = signed_in(user)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert Session.objects.get(pk=key).user_id == user.pk

    visitor = SessionStore()
    visitor["cart_count"] = 1
    visitor.create()
    assert Session.objects.get(pk=visitor.session_key).user_id is None

    client.post("/accounts/logout/")
    assert not Session.objects.filter(pk=key).exists()


def test_the_person_read_with_the_session_is_the_row_the_orm_reads():
    user = UserFactory(display_name="Ada Byron", is_staff=True)
    client = signed_in(user)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value

    data, user_id, read = session_reads.session_read(session_key=key)

    expected = User.objects.get(pk=user.pk)
    fields = [field.attname for field in User._meta.concrete_fields]
    assert user_id == user.pk and data == Session.objects.get(pk=key).session_data
    assert [getattr(read, name) for name in fields] == [getattr(expected, name) for name in fields]
    assert (read._state.adding, read._state.db) == (False, "default")


def test_a_session_whose_person_is_gone_reads_as_signed_out():
    user = UserFactory(display_name="Ada Byron")
    client = signed_in(user)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    user_id = user.pk

    user.delete()

    assert session_reads.session_read(session_key=key)[1:] == (user_id, None)
    assert "Log in" in header(client)


def test_a_session_row_that_names_nobody_still_signs_in_from_its_data():
    # A row written before its person was recorded beside it (or by other code): the backend
    # reads the person itself, as Django's does.
    user = UserFactory(display_name="Ada Byron")
    client = signed_in(user)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(pk=key).update(user=None)

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/me")

    assert response.json()["display_name"] == "Ada Byron"
    assert len(queries) == 2


def test_the_person_read_with_a_session_serves_only_that_session_and_that_person():
    user, other = UserFactory(), UserFactory()
    key = signed_in(user).cookies[settings.SESSION_COOKIE_NAME].value
    session = SessionStore(key)
    session.load()

    assert session_user(user.pk) is NOT_READ  # no session being authenticated
    with authenticating(session):
        assert session_user(str(user.pk)) == user
        assert session_user(other.pk) is NOT_READ
    assert session_user(user.pk) is NOT_READ


def test_the_migration_keeps_everyone_signed_in():
    from django.apps import apps
    from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
    from django.contrib.sessions.models import Session as DjangoSession

    user = UserFactory()
    old = DjangoSessionStore()
    old[SESSION_KEY], old[BACKEND_SESSION_KEY] = str(user.pk), settings.AUTHENTICATION_BACKENDS[0]
    old[HASH_SESSION_KEY] = user.get_session_auth_hash()
    old.create()
    visitor = DjangoSessionStore()
    visitor["cart_count"] = 1
    visitor.create()
    migration = import_module("shop.accounts.migrations.0004_session")

    migration.copy_sessions(apps, SimpleNamespace(connection=connection))

    assert DjangoSession.objects.count() == 2
    copied = {row.session_key: row for row in Session.objects.all()}
    assert copied[old.session_key].user_id == user.pk
    assert copied[visitor.session_key].user_id is None
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = old.session_key
    assert client.get("/api/v1/me").json()["id"] == user.pk


def test_request_user_is_the_user_itself_once_read():
    from django.test import RequestFactory
    from django.utils.functional import SimpleLazyObject

    from shop.accounts.middleware import AuthenticationMiddleware

    user = UserFactory()
    key = signed_in(user).cookies[settings.SESSION_COOKIE_NAME].value
    request = RequestFactory().get("/")
    request.session = SessionStore(key)
    AuthenticationMiddleware(lambda request: None).process_request(request)
    assert isinstance(request.user, SimpleLazyObject)

    assert request.user.pk == user.pk  # read on first use
    assert type(request.user) is User and request.user == user


def test_expired_sessions_are_deleted_by_beat_and_live_ones_kept():
    from shop.accounts.tasks import sessions_expired_delete

    live = signed_in(UserFactory()).cookies[settings.SESSION_COOKIE_NAME].value
    gone = signed_in(UserFactory()).cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(pk=gone).update(expire_date=timezone.now() - timedelta(seconds=1))

    assert sessions_expired_delete.delay().get() == 1
    assert sessions_expired_delete.delay().get() == 0
    assert list(Session.objects.values_list("pk", flat=True)) == [live]
    assert settings.CELERY_BEAT_SCHEDULE["sessions-expired-delete"]["task"] == (
        "shop.accounts.tasks.sessions_expired_delete"
    )
