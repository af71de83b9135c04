"""The admin site itself: its log-in (email or username), its favicon, and its sections."""

import pytest
from django.urls import reverse

from shop.catalog.services import merchant_staff_add
from tests.factories import DEFAULT_PASSWORD, MerchantFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"


def _sections(response) -> dict[str, list[str]]:
    return {
        str(app["name"]): [str(model["name"]) for model in app["models"]]
        for app in response.context["app_list"]
    }


def test_the_index_has_one_accounts_section(operator_client):
    response = operator_client.get("/admin/")

    sections = _sections(response)
    names = [name.casefold() for name in sections]
    assert names.count("accounts") == 1
    assert sections["Accounts"] == ["Email addresses", "Groups", "Tokens", "Users"]
    assert "Authentication and Authorization" not in sections
    assert "Auth Token" not in sections
    assert response.content.decode().count(">Accounts</a>") == 1


def test_the_accounts_page_lists_the_merged_section(operator_client):
    for label in ["accounts", "account"]:  # an email address's breadcrumbs lead to the second
        response = operator_client.get(reverse("admin:app_list", args=[label]))

        assert response.status_code == 200
        assert _sections(response) == {"Accounts": ["Email addresses", "Groups", "Tokens", "Users"]}


def test_merchant_staff_see_their_sections_only(client):
    staff = UserFactory(username="olivia")
    merchant_staff_add(merchant=MerchantFactory(), user=staff)
    client.force_login(staff)

    sections = _sections(client.get("/admin/"))

    assert sections == {
        "Catalogue": ["Categories", "Merchants", "Products", "Variants"],
        # The shares of their products, for their analytics (social.likes, read-only).
        "Likes, shares and asks": ["Shares"],
        "Orders": ["Orders"],
        # Their products' questions to answer and reviews to reply to (reviews).
        "Questions and answers": ["Questions"],
        "Reviews": ["Reviews"],
    }


def test_the_log_in_asks_for_an_email_or_a_username_and_has_the_favicon(client):
    page = client.get(LOGIN).content.decode()

    assert '<label for="id_username" class="required">Email or username:</label>' in page
    assert 'autocomplete="username"' in page
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in page


def test_the_log_in_says_username_when_the_shop_takes_no_email(client, settings):
    settings.ACCOUNT_LOGIN_METHODS = {"username"}

    page = client.get(LOGIN).content.decode()

    assert '<label for="id_username" class="required">Username:</label>' in page


@pytest.mark.parametrize("login", ["olivia", "olivia@example.com", "OLIVIA@example.com"])
def test_staff_log_in_with_their_email_or_their_username(client, login):
    UserFactory(username="olivia", email="olivia@example.com", is_staff=True)

    response = client.post(
        f"{LOGIN}?next=/admin/", {"username": login, "password": DEFAULT_PASSWORD}
    )

    assert response.status_code == 302
    assert response.url == "/admin/"
    assert client.get("/admin/").context["user"].username == "olivia"


def test_a_wrong_password_names_both_ways_to_log_in(client):
    UserFactory(username="olivia", email="olivia@example.com", is_staff=True)

    response = client.post(LOGIN, {"username": "olivia@example.com", "password": "wrong"})

    assert response.status_code == 200
    assert "Please enter the correct email or username and password" in response.content.decode()


def test_failed_admin_log_ins_meet_the_shops_limit(client, settings):
    """Five wrong passwords for one account in five minutes (ACCOUNT_RATE_LIMITS), then the
    right one is refused too until the limit passes: the admin's door is no open guess."""
    assert settings.ACCOUNT_RATE_LIMITS["login_failed"].endswith("5/5m/key")
    UserFactory(username="olivia", email="olivia@example.com", is_staff=True)
    for _ in range(5):
        wrong = client.post(LOGIN, {"username": "olivia", "password": "wrong"})
        assert "Please enter the correct email or username" in wrong.content.decode()

    response = client.post(
        f"{LOGIN}?next=/admin/", {"username": "olivia", "password": DEFAULT_PASSWORD}
    )

    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_every_money_field_in_admin_is_typed_in_euros(rf):
    """Any admin form field named like an amount of money is a MoneyField (not cents)."""
    from django.contrib import admin

    from shop.core.money_fields import MoneyField

    request = rf.get("/admin/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    money_words = ("price", "amount", "total", "spend", "subtotal")
    checked = []
    for model_admin in admin.site._registry.values():
        for each in [model_admin, *model_admin.get_inline_instances(request)]:
            inline = hasattr(each, "parent_model")
            form = each.get_formset(request).form if inline else each.get_form(request)
            for name, field in form.base_fields.items():
                if any(word in name for word in money_words):
                    checked.append(f"{each.model.__name__}.{name}")
                    assert isinstance(field, MoneyField), f"{each.model.__name__}.{name} is cents"

    assert {"Variant.price", "Variant.compare_at_price", "ShippingMethod.price"} <= set(checked)
    assert "DiscountCode.min_spend" in checked
