"""Discount codes in admin: for operators, with the figures that matter in the list."""

import pytest

from shop.cart.models import DiscountCode
from tests.factories import DiscountCodeFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/cart/discountcode/"


def test_the_list_shows_kind_value_min_spend_window_and_usage(operator_client):
    DiscountCodeFactory(code="FIVER", kind="fixed", value=500, min_subtotal=2500, usage_limit=10)

    content = operator_client.get(CHANGELIST).content.decode()

    for text in ["FIVER", "Fixed amount off", "€5.00 off", "€25.00", "always", "0 / 10"]:
        assert text in content


def test_an_operator_adds_a_code_with_a_minimum_spend_in_euros(operator_client):
    response = operator_client.post(
        "/admin/cart/discountcode/add/",
        {
            "code": " Spring ",
            "kind": "percent",
            "value": "15",
            "min_spend": "19.99",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    code = DiscountCode.objects.get()
    assert (code.code, code.value, code.min_subtotal) == ("Spring", 15, 1999)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"code": "SPRING"}, "There is already a code"),
        ({"value": "120"}, "A percentage is at most 100."),
        ({"min_spend": "abc"}, "Enter an amount in euros, e.g. 29.99."),
    ],
)
def test_a_bad_code_is_explained_on_the_form(operator_client, data, message):
    DiscountCodeFactory(code="spring")
    form = {"code": "NEW", "kind": "percent", "value": "10", "min_spend": "", "is_active": "on"}

    response = operator_client.post("/admin/cart/discountcode/add/", form | data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert DiscountCode.objects.count() == 1


def test_merchant_staff_cannot_see_discount_codes(client):
    client.force_login(UserFactory(is_staff=True))

    assert client.get(CHANGELIST).status_code == 403


def test_a_fixed_amount_off_is_typed_in_euros(operator_client):
    response = operator_client.post(
        "/admin/cart/discountcode/add/",
        {"code": "FIVER", "kind": "fixed", "value": "4,99", "min_spend": "€30", "is_active": "on"},
    )

    assert response.status_code == 302
    code = DiscountCode.objects.get()
    assert (code.value, code.min_subtotal) == (499, 3000)


def test_a_fixed_amount_off_is_shown_in_euros_and_a_percentage_as_a_percentage(operator_client):
    fixed = DiscountCodeFactory(code="FIVER", kind="fixed", value=500, min_subtotal=2500)
    percent = DiscountCodeFactory(code="TENOFF", kind="percent", value=10)

    fixed_page = operator_client.get(f"/admin/cart/discountcode/{fixed.pk}/change/").text
    percent_page = operator_client.get(f"/admin/cart/discountcode/{percent.pk}/change/").text

    assert 'name="value" value="5.00"' in fixed_page
    assert 'name="min_spend" value="25.00"' in fixed_page
    assert 'name="value" value="10"' in percent_page


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("fixed", "five", "Enter an amount in euros, e.g. 29.99."),
        ("fixed", "0", "Enter an amount above zero."),
        ("percent", "12.5", "Enter a whole percentage from 1 to 100, e.g. 15."),
    ],
)
def test_a_bad_value_is_explained_for_its_kind(operator_client, kind, value, message):
    form = {"code": "NEW", "kind": kind, "value": value, "min_spend": "", "is_active": "on"}

    response = operator_client.post("/admin/cart/discountcode/add/", form)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["value"] == [message]
    assert not DiscountCode.objects.exists()
