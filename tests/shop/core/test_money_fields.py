"""Money typed in euros: what MoneyField accepts, what it refuses and why, and the round trip
from the stored cents to the input and back."""

import pytest
from django import forms
from django.core.exceptions import ValidationError

from shop.cart.models import DiscountCode
from shop.catalog.models import Variant
from shop.core.money_fields import (
    MoneyField,
    MoneyInput,
    money_formfield,
    money_input_text,
    money_parse,
)


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("29.99", 2999),
        ("29,99", 2999),
        ("€29.99", 2999),
        ("€ 29,99", 2999),
        ("29.99 €", 2999),
        ("29,99 EUR", 2999),
        ("eur 29.99", 2999),
        ("30", 3000),
        ("30.5", 3050),
        ("30.", 3000),
        (".99", 99),
        ("0.29", 29),  # 0.29 * 100 is 28.999999999999996 in floats
        ("0", 0),
        ("1,299.99", 129999),
        ("1.299,99", 129999),
        ("1 299,99", 129999),
        ("1\u00a0299,99", 129999),  # a no-break space, as a pasted price has
        ("1'299.99", 129999),
        ("1,299,000", 129900000),
        ("29.990", 2999),  # trailing zeros are still whole cents
        ("  12.50  ", 1250),
        ("-5", -500),
        ("€-5", -500),
        ("\u22125,00", -500),  # the typographic minus
    ],
)
def test_money_parse_reads_amounts_people_type(text, cents):
    assert money_parse(text) == cents


@pytest.mark.parametrize(
    "text",
    ["", "abc", "€", "12.34.56", "1,2,3", "1e5", "$29.99", "29.99 USD", "--5", "-€-5", "12 5"],
)
def test_money_parse_refuses_what_is_not_an_amount_in_euros(text):
    with pytest.raises(ValidationError) as error:
        money_parse(text)

    assert error.value.code == "invalid"
    assert error.value.messages == ["Enter an amount in euros, e.g. 29.99."]


@pytest.mark.parametrize("text", ["29.999", "1,299", "0.001"])
def test_money_parse_refuses_fractions_of_a_cent_rather_than_rounding(text):
    with pytest.raises(ValidationError) as error:
        money_parse(text)

    assert error.value.code == "decimals"
    assert error.value.messages == ["Enter at most two decimals (whole cents), e.g. 29.99."]


def test_money_parse_names_the_store_currency(settings):
    settings.STORE_CURRENCY = "GBP"

    assert money_parse("£4.50") == 450
    with pytest.raises(ValidationError, match="Enter an amount in pounds"):
        money_parse("€4.50")


@pytest.mark.parametrize(("cents", "text"), [(2999, "29.99"), (3000, "30.00"), (5, "0.05")])
def test_an_amount_is_shown_in_euros_and_reads_back_as_the_same_cents(cents, text):
    field = MoneyField()

    shown = field.prepare_value(cents)

    assert shown == money_input_text(cents) == text
    assert field.clean(shown) == cents


class PriceForm(forms.Form):
    price = MoneyField(label="Price")
    compare_at = MoneyField(label="Compare-at price", required=False)


def test_a_form_cleans_euros_to_integer_cents():
    form = PriceForm(data={"price": "€29,99", "compare_at": ""})

    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"price": 2999, "compare_at": None}
    assert isinstance(form.cleaned_data["price"], int)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "Enter an amount in euros, e.g. 29.99."),
        ("29.999", "Enter at most two decimals (whole cents), e.g. 29.99."),
        ("-1", "Enter an amount of zero or more: it cannot be negative."),
        ("10000000.01", "Enter an amount of at most €10,000,000.00."),
        ("", "This field is required."),
    ],
)
def test_a_bad_amount_is_explained_and_kept_as_typed(typed, message):
    form = PriceForm(data={"price": typed})

    assert not form.is_valid()
    assert form.errors["price"] == [message]
    assert f'value="{typed}"' in str(form["price"]) or typed == ""


def test_a_minimum_above_zero_is_named_in_euros():
    field = MoneyField(min_value=100)

    with pytest.raises(ValidationError, match="at least €1.00"):
        field.clean("0.99")


def test_the_input_shows_euros_with_the_sign_before_it_and_asks_for_a_decimal_keyboard():
    html = PriceForm(initial={"price": 2999})["price"].as_widget()

    assert 'value="29.99"' in html
    assert 'inputmode="decimal"' in html
    assert '<span class="agora-money__sign" aria-hidden="true">€</span>' in html


def test_an_unchanged_amount_is_not_a_change():
    field = MoneyField()

    assert not field.has_changed(2999, "29,99")
    assert field.has_changed(2999, "30")
    assert field.has_changed(2999, "oops")


def test_money_formfield_follows_the_model_field():
    price = money_formfield(Variant._meta.get_field("price"))
    compare_at = money_formfield(Variant._meta.get_field("compare_at_price"))
    min_spend = money_formfield(DiscountCode._meta.get_field("min_subtotal"))

    assert (price.required, price.label, price.min_value) == (True, "Price", 0)
    assert (compare_at.required, compare_at.clean("")) == (False, None)
    assert (min_spend.required, min_spend.label) == (True, "Minimum spend")
    with pytest.raises(ValidationError, match="required"):
        min_spend.clean("")
    assert isinstance(price.widget, MoneyInput)
    assert str(price.help_text) == "In euros, e.g. 29.99."
