"""Money typed by people: a form field that shows and accepts amounts in the store currency
("29.99", "29,99", "€29.99", "1.299,00", "30") and cleans to integer minor units (cents).

The admin uses it for every money field (prices, compare-at prices, shipping prices, discount
amounts, refunds), so nobody types cents. Parsing is done on the text and Decimal, never float:
"0.29" is 29 cents, not 28.999... An amount with more than two decimals is refused rather than
rounded, and a lone separator followed by three digits ("1,299") is read as decimals and
refused, never guessed to be a thousands separator.
"""

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.text import capfirst

from shop.core.money import money_format, money_symbol

# Well inside a PositiveIntegerField on every database (PostgreSQL's integer stops at
# 2,147,483,647): 10,000,000.00 in the store currency.
MONEY_MAX = 1_000_000_000

# What the messages call the currency ("Enter an amount in euros").
_CURRENCY_WORDS = {"EUR": "euros", "USD": "dollars", "GBP": "pounds"}

_GROUPED = re.compile(r"\d{1,3}(?:[ ]\d{3})+|\d{1,3}(?:,\d{3})+|\d{1,3}(?:\.\d{3})+")


def money_currency_words(currency: str | None = None) -> str:
    """Return how messages name `currency` (the store's): 'euros', or its code."""
    currency = currency or settings.STORE_CURRENCY
    return _CURRENCY_WORDS.get(currency, currency)


def _money_hint(example: str = "29.99") -> str:
    return f"In {money_currency_words()}, e.g. {example}."


def _money_input_name(label: str) -> str:
    return f"{label} in {money_currency_words()}"


# Lazy: forms are declared at import time, before settings (the currency) may be read.
money_hint = lazy(_money_hint, str)
money_input_name = lazy(_money_input_name, str)


def money_input_text(amount: int | None) -> str:
    """Return minor units as an input shows them: 2999 -> '29.99', None -> ''."""
    if amount is None:
        return ""
    sign = "-" if amount < 0 else ""
    major, minor = divmod(abs(int(amount)), 100)
    return f"{sign}{major}.{minor:02d}"


def _invalid(currency: str) -> ValidationError:
    return ValidationError(
        "Enter an amount in %(words)s, e.g. 29.99.",
        code="invalid",
        params={"words": money_currency_words(currency)},
    )


def _number_split(number: str) -> tuple[str, str] | None:
    """Split '1.299,99' into ('1299', '99'): whole part without grouping, and decimals.

    The decimal separator is the last of '.' and ',' when both appear; a separator that
    appears more than once (or spaces, or apostrophes) groups thousands; a single '.' or ','
    is the decimal separator. Return None if the groups are not of three digits.
    """
    number = number.replace("'", " ")
    if "," in number and "." in number:
        decimal_mark = "," if number.rfind(",") > number.rfind(".") else "."
    elif number.count(",") == 1 and "." not in number:
        decimal_mark = ","
    elif number.count(".") == 1 and "," not in number:
        decimal_mark = "."
    else:
        decimal_mark = ""
    whole, fraction = number, ""
    if decimal_mark:
        whole, _, fraction = number.rpartition(decimal_mark)
    if whole and not whole.isdigit():
        if not _GROUPED.fullmatch(whole):
            return None
        whole = re.sub(r"[ ,.]", "", whole)
    if fraction and not fraction.isdigit():
        return None
    if not (whole or fraction):
        return None
    return whole, fraction


def money_parse(text: str, *, currency: str | None = None) -> int:
    """Return the minor units of an amount typed in `currency` (the store's by default).

    Accepts the currency's sign or code before or after the number ("€29.99", "29,99 EUR"),
    a leading minus, ',' or '.' as the decimal mark and ' ', ',', '.' or "'" grouping
    thousands ("1 299,99", "1,299.99"). Raises ValidationError with code "invalid" for
    anything else and "decimals" for more than two decimals (other than trailing zeros).
    """
    currency = currency or settings.STORE_CURRENCY
    symbol = money_symbol(currency)
    # NFKC turns no-break and thin spaces into plain ones; U+2212 is the typographic minus.
    cleaned = unicodedata.normalize("NFKC", text).replace("\u2212", "-").strip()
    marks = "|".join(re.escape(mark) for mark in dict.fromkeys([symbol, currency]))
    match = re.fullmatch(
        rf"(?P<sign>[-+]?)\s*(?:{marks})?\s*(?P<sign_after>[-+]?)\s*"
        rf"(?P<number>[\d][\d.,' ]*|[.,]\d+)\s*(?:{marks})?",
        cleaned,
        flags=re.IGNORECASE,
    )
    if match is None or (match["sign"] and match["sign_after"]):
        raise _invalid(currency)
    parts = _number_split(match["number"].strip())
    if parts is None:
        raise _invalid(currency)
    whole, fraction = parts
    try:
        cents = Decimal(f"{whole or '0'}.{fraction or '0'}") * 100
    except InvalidOperation:  # pragma: no cover - the digits were checked above
        raise _invalid(currency) from None
    if cents != cents.to_integral_value():
        raise ValidationError(
            "Enter at most two decimals (whole cents), e.g. 29.99.", code="decimals"
        )
    negative = "-" in (match["sign"], match["sign_after"])
    return -int(cents) if negative else int(cents)


class MoneyInput(forms.TextInput):
    """A text input for an amount, the currency's sign before it (shown, not read out)."""

    def __init__(self, attrs: dict | None = None, *, currency: str | None = None):
        self.currency = currency
        defaults = {"inputmode": "decimal", "autocomplete": "off", "class": "agora-money__input"}
        super().__init__(attrs={**defaults, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return money_input_text(value)
        return super().format_value(value)

    def render(self, name, value, attrs=None, renderer=None):
        field = super().render(name, value, attrs, renderer)
        return format_html(
            '<span class="agora-money"><span class="agora-money__sign" aria-hidden="true">'
            "{}</span>{}</span>",
            money_symbol(self.currency),
            field,
        )


class MoneyField(forms.Field):
    """An amount typed in major units of the store currency, cleaned to integer minor units.

    `min_value` and `max_value` are minor units (0 by default: no negative amounts, as
    PositiveIntegerField wants); an empty optional field cleans to `empty_value`.
    """

    widget = MoneyInput
    default_error_messages = {
        "min_value": "Enter an amount of at least %(limit)s.",
        "negative": "Enter an amount of zero or more: it cannot be negative.",
        "max_value": "Enter an amount of at most %(limit)s.",
    }

    def __init__(
        self,
        *,
        min_value: int | None = 0,
        max_value: int | None = MONEY_MAX,
        empty_value: int | None = None,
        currency: str | None = None,
        **kwargs,
    ):
        self.min_value = min_value
        self.max_value = max_value
        self.empty_value = empty_value
        self.currency = currency
        kwargs.setdefault("widget", MoneyInput(currency=currency))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return money_input_text(value)
        return value

    def to_python(self, value) -> int | None:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if value in self.empty_values or not str(value).strip():
            return self.empty_value
        return money_parse(str(value), currency=self.currency)

    def validate(self, value) -> None:
        super().validate(value)
        if value is None:
            return
        if self.min_value is not None and value < self.min_value:
            if self.min_value == 0:
                raise ValidationError(self.error_messages["negative"], code="min_value")
            raise ValidationError(
                self.error_messages["min_value"],
                code="min_value",
                params={"limit": money_format(self.min_value, currency=self.currency)},
            )
        if self.max_value is not None and value > self.max_value:
            raise ValidationError(
                self.error_messages["max_value"],
                code="max_value",
                params={"limit": money_format(self.max_value, currency=self.currency)},
            )

    def has_changed(self, initial, data) -> bool:
        if self.disabled:
            return False
        try:
            data = self.to_python(data)
        except ValidationError:
            return True
        initial = None if initial in (None, "") else self.to_python(initial)
        return (initial if initial is not None else self.empty_value) != data


def money_formfield(db_field: models.Field, **kwargs) -> MoneyField:
    """Return the MoneyField for a model field holding minor units (a ModelAdmin's or a
    ModelForm's formfield for it): its label, whether it is required (not blank), no negative
    amount for a PositiveIntegerField, and an empty optional field cleaned to None (a NULL
    column) or to the field's default."""
    kwargs.pop("widget", None)  # a number input for cents would defeat the point
    kwargs.pop("form_class", None)
    positive = isinstance(db_field, models.PositiveIntegerField | models.PositiveBigIntegerField)
    # An optional field left empty: NULL if the column takes it, else the field's default.
    empty_value = None
    if db_field.blank and not db_field.null and db_field.has_default():
        empty_value = db_field.get_default()
    defaults = {
        "label": capfirst(db_field.verbose_name),
        "required": not db_field.blank,
        "min_value": 0 if positive else None,
        "empty_value": empty_value,
        "help_text": money_hint(),
    }
    return MoneyField(**{**defaults, **kwargs})
