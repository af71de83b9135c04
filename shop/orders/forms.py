"""Checkout and payment forms: they parse what a shopper typed, never decide prices or states."""

import re
from collections.abc import Iterable, Sequence

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from shop.core.money import money_format

# Where we ship: the European Union and its neighbours, plus North America. ISO 3166-1 alpha-2.
COUNTRIES: list[tuple[str, str]] = sorted(
    [
        ("AT", "Austria"),
        ("BE", "Belgium"),
        ("BG", "Bulgaria"),
        ("CA", "Canada"),
        ("CH", "Switzerland"),
        ("CY", "Cyprus"),
        ("CZ", "Czechia"),
        ("DE", "Germany"),
        ("DK", "Denmark"),
        ("EE", "Estonia"),
        ("ES", "Spain"),
        ("FI", "Finland"),
        ("FR", "France"),
        ("GB", "United Kingdom"),
        ("GR", "Greece"),
        ("HR", "Croatia"),
        ("HU", "Hungary"),
        ("IE", "Ireland"),
        ("IS", "Iceland"),
        ("IT", "Italy"),
        ("LI", "Liechtenstein"),
        ("LT", "Lithuania"),
        ("LU", "Luxembourg"),
        ("LV", "Latvia"),
        ("MT", "Malta"),
        ("NL", "Netherlands"),
        ("NO", "Norway"),
        ("PL", "Poland"),
        ("PT", "Portugal"),
        ("RO", "Romania"),
        ("SE", "Sweden"),
        ("SI", "Slovenia"),
        ("SK", "Slovakia"),
        ("US", "United States"),
    ],
    key=lambda pair: pair[1],
)
COUNTRY_NAMES = dict(COUNTRIES)
ADDRESS_FIELDS = ("full_name", "line1", "line2", "postal_code", "city", "country", "phone")
NEW_ADDRESS = "new"

_PHONE_RE = re.compile(r"^\+?[0-9 ().\-/]{4,40}$")
_EXPIRY_RE = re.compile(r"^(0?[1-9]|1[0-2])\s*/\s*([0-9]{2}|20[0-9]{2})$")
_CVC_RE = re.compile(r"^[0-9]{3,4}$")


def country_name(code: str) -> str:
    return COUNTRY_NAMES.get(code, code)


def address_one_line(address, *, with_name: bool = True) -> str:
    """'Ada Lovelace, 12 Rue des Lilas, 75011 Paris, France' (an Address or a dict)."""
    get = address.get if isinstance(address, dict) else lambda name: getattr(address, name)
    parts = [
        get("full_name") if with_name else "",
        get("line1"),
        get("line2"),
        f"{get('postal_code')} {get('city')}",
        country_name(get("country")),
    ]
    return ", ".join(part for part in parts if part)


class CheckoutForm(forms.Form):
    """Who the order is for, where it goes and how.

    A signed-in shopper may pick one of their saved addresses instead of typing one; the email
    is then always their account's. A visitor checks out as a guest with any email.
    """

    email = forms.EmailField(
        label="Email",
        max_length=254,
        error_messages={"required": "Enter your email address: the confirmation goes there."},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text="We send the order confirmation and a link to your order here.",
    )
    address_choice = forms.ChoiceField(
        label="Ship to", widget=forms.RadioSelect, required=False, choices=()
    )
    full_name = forms.CharField(
        label="Full name",
        max_length=120,
        error_messages={"required": "Enter the name of the person receiving the parcel."},
        widget=forms.TextInput(attrs={"autocomplete": "shipping name"}),
    )
    line1 = forms.CharField(
        label="Address line 1",
        max_length=200,
        error_messages={"required": "Enter the street and number."},
        widget=forms.TextInput(attrs={"autocomplete": "shipping address-line1"}),
        help_text="Street and number.",
    )
    line2 = forms.CharField(
        label="Address line 2",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "shipping address-line2"}),
        help_text="Flat, floor, building (if any).",
    )
    postal_code = forms.CharField(
        label="Postal code",
        max_length=20,
        error_messages={"required": "Enter the postal code."},
        widget=forms.TextInput(attrs={"autocomplete": "shipping postal-code"}),
    )
    city = forms.CharField(
        label="City",
        max_length=100,
        error_messages={"required": "Enter the city."},
        widget=forms.TextInput(attrs={"autocomplete": "shipping address-level2"}),
    )
    country = forms.ChoiceField(
        label="Country",
        choices=[("", "Choose a country"), *COUNTRIES],
        error_messages={
            "required": "Choose the country to ship to.",
            "invalid_choice": "We do not ship there yet; choose one of the countries listed.",
        },
        widget=forms.Select(attrs={"autocomplete": "shipping country"}),
    )
    phone = forms.CharField(
        label="Phone",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "shipping tel", "type": "tel"}),
        help_text="Only for the courier, if they need to reach you.",
    )
    save_address = forms.BooleanField(label="Save this address", required=False)
    shipping_method = forms.ChoiceField(
        label="Shipping method",
        widget=forms.RadioSelect,
        choices=(),
        error_messages={
            "required": "Choose a shipping method.",
            "invalid_choice": "Choose one of the shipping methods offered.",
        },
    )

    def __init__(
        self,
        *args,
        user=None,
        addresses: Sequence = (),
        shipping_methods: Iterable = (),
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.user = user if user is not None and user.is_authenticated else None
        self.addresses = {str(address.pk): address for address in addresses}
        self.shipping_methods = {str(method.pk): method for method in shipping_methods}
        self.fields["shipping_method"].choices = [
            (key, f"{method.name} ({money_format(method.price)})")
            for key, method in self.shipping_methods.items()
        ]
        if self.user is not None and self.user.email:
            email = self.fields["email"]
            email.help_text = "Your account's email: the confirmation goes there."
            email.widget.attrs["readonly"] = True
            email.initial = self.user.email
            if self.is_bound:
                # Whatever was sent (or not sent), the account's email is the one used.
                self.data = self.data.copy()
                self.data["email"] = self.user.email
        if self.user is None:
            del self.fields["save_address"]
        if self.addresses:
            self.fields["address_choice"].choices = [
                *((key, address_one_line(address)) for key, address in self.addresses.items()),
                (NEW_ADDRESS, "Use a new address"),
            ]
            # The new-address fields are only needed when "Use a new address" is picked;
            # the browser must not insist on them when a saved address is.
            self.use_required_attribute = False
            if self.is_bound and self.data.get("address_choice") != NEW_ADDRESS:
                for name in ADDRESS_FIELDS:
                    self.fields[name].required = False
        else:
            del self.fields["address_choice"]

    def address_options(self) -> list[tuple[object, object, str]]:
        """(radio, saved address or None for "Use a new address", the address without the
        name) for the template."""
        if "address_choice" not in self.fields:
            return []
        options = []
        for radio in self["address_choice"]:
            address = self.addresses.get(str(radio.data["value"]))
            text = address_one_line(address, with_name=False) if address else ""
            options.append((radio, address, text))
        return options

    def shipping_options(self) -> list[tuple[object, object]]:
        """(radio, shipping method) for the template, which shows each one's description."""
        return [
            (radio, self.shipping_methods[str(radio.data["value"])])
            for radio in self["shipping_method"]
        ]

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and not _PHONE_RE.match(phone):
            raise ValidationError(
                "Enter a phone number with digits, spaces and + ( ) - only.", code="invalid"
            )
        return phone

    def clean(self):
        cleaned = super().clean()
        if self.addresses:
            choice = cleaned.get("address_choice") or ""
            if choice not in self.addresses and choice != NEW_ADDRESS:
                self.add_error("address_choice", "Choose a saved address or a new one.")
            elif choice in self.addresses:
                address = self.addresses[choice]
                for name in ADDRESS_FIELDS:
                    cleaned[name] = getattr(address, name)
                # It is saved already.
                cleaned["save_address"] = False
        return cleaned

    def checkout_data(self) -> dict[str, object]:
        """What the review page needs, in a form the session can store (JSON)."""
        data = self.cleaned_data
        return {
            "email": data["email"],
            "address_choice": data.get("address_choice") or NEW_ADDRESS,
            **{name: data[name] for name in ADDRESS_FIELDS},
            "save_address": bool(data.get("save_address")),
            "shipping_method_id": int(data["shipping_method"]),
        }


class CardForm(forms.Form):
    """A card, as the fake gateway (and Stripe's test mode) takes it. Nothing here is stored."""

    card_number = forms.CharField(
        label="Card number",
        max_length=30,
        error_messages={"required": "Enter the card number."},
        widget=forms.TextInput(
            attrs={"autocomplete": "cc-number", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )
    expiry = forms.CharField(
        label="Expiry date",
        max_length=7,
        error_messages={"required": "Enter the expiry date."},
        help_text="As printed on the card: MM/YY.",
        widget=forms.TextInput(attrs={"autocomplete": "cc-exp", "spellcheck": "false"}),
    )
    cvc = forms.CharField(
        label="Security code (CVC)",
        max_length=4,
        error_messages={"required": "Enter the security code."},
        help_text="The 3 or 4 digits on the back of the card.",
        widget=forms.TextInput(attrs={"autocomplete": "cc-csc", "inputmode": "numeric"}),
    )

    def clean_card_number(self) -> str:
        digits = re.sub(r"[\s-]", "", self.cleaned_data["card_number"])
        if not digits.isascii() or not digits.isdigit() or not 12 <= len(digits) <= 19:
            raise ValidationError(
                "Enter the 12 to 19 digits of the card number.", code="invalid_card_number"
            )
        if not _luhn_valid(digits):
            raise ValidationError(
                "This card number is not valid; check it for a typing mistake.",
                code="invalid_card_number",
            )
        return digits

    def clean_expiry(self) -> str:
        match = _EXPIRY_RE.match(self.cleaned_data["expiry"].strip())
        if match is None:
            raise ValidationError("Enter the expiry date as MM/YY, e.g. 04/29.", code="invalid")
        month, year = int(match.group(1)), int(match.group(2)[-2:]) + 2000
        today = timezone.localdate()
        if (year, month) < (today.year, today.month):
            raise ValidationError("This card has expired.", code="expired")
        return f"{month:02d}/{year % 100:02d}"

    def clean_cvc(self) -> str:
        cvc = self.cleaned_data["cvc"].strip()
        if not _CVC_RE.match(cvc):
            raise ValidationError("Enter the 3 or 4 digits of the security code.", code="invalid")
        return cvc


def _luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0
