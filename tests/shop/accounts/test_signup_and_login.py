import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "ada@example.com",
    "username": "ada",
    "password1": "a-long-and-unusual-pass",
    "password2": "a-long-and-unusual-pass",
}


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_signup_sends_a_verification_email_after_the_commit(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post("/accounts/signup/", SIGNUP)
        assert mail.outbox == []  # nothing leaves before the signup is committed

    for callback in callbacks:
        callback()

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ada@example.com"]
    assert message.subject == "[Agora] Confirm your email address"
    assert "/accounts/confirm-email/" in link_in(message)


def test_verification_link_confirms_the_address_and_logs_in(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/signup/", SIGNUP)
    link = link_in(mail.outbox[0])

    page = client.get(link)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link)

    assert page.status_code == 200
    assert "<h1>Confirm your email address</h1>" in page.content.decode()
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="ada@example.com").verified
    assert is_logged_in(client)


def test_signup_page_has_a_labelled_field_for_each_input(client):
    page = client.get("/accounts/signup/").content.decode()

    for field, label in [
        ("email", "Email"),
        ("username", "Username"),
        ("password1", "Password"),
        ("password2", "Password again"),
    ]:
        assert f'<label for="id_{field}">{label}</label>' in page
    assert ">Sign up</button>" in page


@pytest.mark.parametrize(
    ("methods", "label"),
    [
        ({"email", "username"}, "Email or username"),
        ({"email"}, "Email"),
        ({"username"}, "Username"),
    ],
)
def test_login_field_is_labelled_with_what_log_in_accepts(client, settings, methods, label):
    settings.ACCOUNT_LOGIN_METHODS = methods

    page = client.get("/accounts/login/").content.decode()

    assert f'<label for="id_login">{label}</label>' in page
    login = re.search(r'<input[^>]*name="login"[^>]*>', page).group(0)
    password = re.search(r'<input[^>]*name="password"[^>]*>', page).group(0)
    assert 'autocomplete="username"' in login
    assert 'autocapitalize="none"' in login and 'spellcheck="false"' in login
    assert 'autocomplete="current-password"' in password


def test_the_store_logs_in_with_email_or_username():
    from django.conf import settings

    assert set(settings.ACCOUNT_LOGIN_METHODS) == {"email", "username"}


def test_unverified_user_cannot_log_in(client, django_capture_on_commit_callbacks):
    user = UserFactory(verified=False)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/login/", {"login": user.email, "password": DEFAULT_PASSWORD}, follow=True
        )

    assert not is_logged_in(client)
    assert "Check your email" in response.content.decode()
    assert mail.outbox[0].to == [user.email]  # a fresh link is sent


@pytest.mark.parametrize("login", ["email", "username"])
def test_verified_user_logs_in_with_email_or_username(client, login):
    user = UserFactory()

    response = client.post(
        "/accounts/login/", {"login": getattr(user, login), "password": DEFAULT_PASSWORD}
    )

    assert response.status_code == 302
    assert is_logged_in(client)


def test_wrong_password_is_refused_with_a_clear_message(client):
    user = UserFactory()

    response = client.post("/accounts/login/", {"login": user.email, "password": "wrong"})

    assert response.status_code == 200
    assert not is_logged_in(client)
    assert "The email address and/or password you specified are not correct." in (
        response.content.decode()
    )


def test_after_five_failed_logins_even_the_right_password_is_refused(client):
    user = UserFactory()
    for _ in range(5):
        client.post("/accounts/login/", {"login": user.email, "password": "wrong"})

    response = client.post("/accounts/login/", {"login": user.email, "password": DEFAULT_PASSWORD})

    assert not is_logged_in(client)
    assert "Too many failed login attempts. Try again later." in response.content.decode()


def test_failed_logins_of_another_account_do_not_lock_this_one(client):
    other, user = UserFactory(), UserFactory()
    for _ in range(5):
        client.post("/accounts/login/", {"login": other.email, "password": "wrong"})

    client.post("/accounts/login/", {"login": user.email, "password": DEFAULT_PASSWORD})

    assert is_logged_in(client)


def test_logout_needs_a_post(client):
    client.force_login(UserFactory())

    page = client.get("/accounts/logout/")
    client.post("/accounts/logout/")

    assert ">Log out</button>" in page.content.decode()
    assert not is_logged_in(client)


def test_password_reset_sends_a_link_that_sets_a_new_password(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": user.email})
    link = link_in(mail.outbox[0])
    form_url = client.get(link).url  # allauth moves the key out of the address first
    response = client.post(
        form_url, {"password1": "a-brand-new-passphrase", "password2": "a-brand-new-passphrase"}
    )

    assert mail.outbox[0].subject == "[Agora] Reset your password"
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-brand-new-passphrase")


def test_change_password_page_changes_the_password(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": DEFAULT_PASSWORD,
            "password1": "another-long-passphrase",
            "password2": "another-long-passphrase",
        },
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("another-long-passphrase")


def test_change_email_sends_a_confirmation_to_the_new_address(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory()
    client.force_login(user)

    page = client.get("/accounts/email/")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/email/", {"email": "new@example.com", "action_add": ""})

    assert '<label for="id_email">New email address</label>' in page.content.decode()
    assert mail.outbox[-1].to == ["new@example.com"]
    assert EmailAddress.objects.filter(user=user, email="new@example.com", verified=False).exists()
