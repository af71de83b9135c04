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
        ({"min_spend": "abc"}, "Enter an amount such as 25 or 19.99."),
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
