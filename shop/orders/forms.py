"""Checkout and payment forms: they parse what a shopper typed, never decide prices or states."""

import re
from collections.abc import Iterable, Sequence

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from shop.core.errors import DomainError
from shop.core.forms import form_add_domain_error
from shop.core.money import money_format
from shop.core.validators import TextCharactersValidator
from shop.orders.addresses import (
    ADDRESS_FIELDS,
    ADDRESS_RULES,
    COUNTRIES,
    COUNTRY_MESSAGE,
    AddressInput,
    address_input_clean,
    address_one_line,
)
from shop.payments.gateways.cards import (
    CARD_NUMBER_MAX_DIGITS,
    CARD_NUMBER_MIN_DIGITS,
    card_number_digits,
    card_number_luhn_valid,
)

NEW_ADDRESS = "new"

# "04/29", "4 / 29", "04/2029"; or the digits alone ("0429", "042029"), as a phone's number
# keypad (which has no slash) types them.
_EXPIRY_RE = re.compile(r"^(?:(0?[1-9]|1[0-2])\s*/\s*|(0[1-9]|1[0-2]))([0-9]{2}|20[0-9]{2})$")
_CVC_RE = re.compile(r"^[0-9]{3,4}$")


def _address_max_length(name: str) -> int:
    return ADDRESS_RULES[name][1]


class CheckoutForm(forms.Form):
    """Who the order is for, where it goes and how.

    A signed-in shopper may pick one of their saved addresses instead of typing one; the email
    is then always their account's. A visitor checks out as a guest with any email. A shopper
    buying a friend's gift may pick the friend's hidden address (DESTINATIONS, from
    shop.orders.destinations): they read its label, never the address.
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
        max_length=_address_max_length("full_name"),
        validators=[TextCharactersValidator()],
        error_messages={"required": "Enter the name of the person receiving the parcel."},
        widget=forms.TextInput(attrs={"autocomplete": "shipping name"}),
    )
    line1 = forms.CharField(
        label="Address line 1",
        max_length=_address_max_length("line1"),
        validators=[TextCharactersValidator()],
        error_messages={"required": "Enter the street and number."},
        widget=forms.TextInput(attrs={"autocomplete": "shipping address-line1"}),
        help_text="Street and number.",
    )
    line2 = forms.CharField(
        label="Address line 2",
        max_length=_address_max_length("line2"),
        validators=[TextCharactersValidator()],
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "shipping address-line2"}),
        help_text="Flat, floor, building (if any).",
    )
    postal_code = forms.CharField(
        label="Postal code",
        max_length=_address_max_length("postal_code"),
        validators=[TextCharactersValidator()],
        error_messages={"required": "Enter the postal code."},
        widget=forms.TextInput(attrs={"autocomplete": "shipping postal-code"}),
    )
    city = forms.CharField(
        label="City",
        max_length=_address_max_length("city"),
        validators=[TextCharactersValidator()],
        error_messages={"required": "Enter the city."},
        widget=forms.TextInput(attrs={"autocomplete": "shipping address-level2"}),
    )
    country = forms.ChoiceField(
        label="Country",
        choices=[("", "Choose a country"), *COUNTRIES],
        error_messages={
            "required": "Choose the country to ship to.",
            "invalid_choice": COUNTRY_MESSAGE,
        },
        widget=forms.Select(attrs={"autocomplete": "shipping country"}),
    )
    phone = forms.CharField(
        label="Phone",
        max_length=_address_max_length("phone"),
        validators=[TextCharactersValidator()],
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
        destinations: Sequence = (),
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.user = user if user is not None and user.is_authenticated else None
        self.addresses = {str(address.pk): address for address in addresses}
        self.destinations = {
            destination.key: destination for destination in destinations if self.user is not None
        }
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
        if self.addresses or self.destinations:
            self.fields["address_choice"].choices = [
                *((key, destination.label) for key, destination in self.destinations.items()),
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
        """(radio, saved address or None, the text under its title) for the template: the
        address without the name; what a hidden address means; "Fill in the fields below."."""
        if "address_choice" not in self.fields:
            return []
        options = []
        for radio in self["address_choice"]:
            value = str(radio.data["value"])
            address = self.addresses.get(value)
            if address is not None:
                text = address_one_line(address, with_name=False)
            elif value in self.destinations:
                text = "We ship it there; the address stays private, you will not see it."
            else:
                text = "Fill in the fields below."
            options.append((radio, address, text))
        return options

    def shipping_options(self) -> list[tuple[object, object]]:
        """(radio, shipping method) for the template, which shows each one's description."""
        return [
            (radio, self.shipping_methods[str(radio.data["value"])])
            for radio in self["shipping_method"]
        ]

    def clean(self):
        cleaned = super().clean()
        if self.addresses or self.destinations:
            choice = cleaned.get("address_choice") or ""
            if choice in self.destinations:
                # The address is the resolver's, read again when the order is placed: none
                # of it goes through the form, the session or the page.
                for name in ADDRESS_FIELDS:
                    self.errors.pop(name, None)
                    cleaned[name] = ""
                cleaned["save_address"] = False
                return cleaned
            if choice not in self.addresses and choice != NEW_ADDRESS:
                self.add_error("address_choice", "Choose a saved address or a new one.")
            elif choice in self.addresses:
                address = self.addresses[choice]
                for name in ADDRESS_FIELDS:
                    cleaned[name] = getattr(address, name)
                # It is saved already.
                cleaned["save_address"] = False
        if not any(name in self.errors for name in ADDRESS_FIELDS):
            self._address_check(cleaned)
        return cleaned

    def _address_check(self, cleaned: dict) -> None:
        """Apply the order's address rules (services.order_place applies the same ones)."""
        try:
            address = address_input_clean(AddressInput.from_mapping(cleaned))
        except DomainError as exc:
            form_add_domain_error(self, exc)
        else:
            cleaned.update(vars(address))

    def checkout_data(self) -> dict[str, object]:
        """What the review page needs, in a form the session can store (JSON)."""
        data = self.cleaned_data
        choice = data.get("address_choice") or NEW_ADDRESS
        if choice in self.destinations:
            return {
                "email": data["email"],
                "address_choice": choice,
                "destination": choice,
                "destination_label": self.destinations[choice].label,
                "save_address": False,
                "shipping_method_id": int(data["shipping_method"]),
            }
        return {
            "email": data["email"],
            "address_choice": data.get("address_choice") or NEW_ADDRESS,
            **{name: data[name] for name in ADDRESS_FIELDS},
            "save_address": bool(data.get("save_address")),
            "shipping_method_id": int(data["shipping_method"]),
        }


class CardForm(forms.Form):
    """A card, as the fake gateway takes it (test mode: Stripe mode uses Stripe.js instead).

    The number may be typed with spaces or dashes (static/js/card-form.js groups it as typed);
    only its digits go on, to the gateway, which keeps the last four. The expiry date and the
    security code are checked here and go nowhere.
    """

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
        widget=forms.TextInput(
            attrs={
                "autocomplete": "cc-exp",
                "inputmode": "numeric",
                "placeholder": "MM/YY",
                "spellcheck": "false",
            }
        ),
    )
    cvc = forms.CharField(
        label="Security code (CVC)",
        max_length=4,
        error_messages={"required": "Enter the security code."},
        help_text="The 3 or 4 digits on the back of the card.",
        widget=forms.TextInput(attrs={"autocomplete": "cc-csc", "inputmode": "numeric"}),
    )

    def clean_card_number(self) -> str:
        digits = card_number_digits(self.cleaned_data["card_number"])
        if digits is None:
            raise ValidationError(
                f"Enter the {CARD_NUMBER_MIN_DIGITS} to {CARD_NUMBER_MAX_DIGITS} digits of the "
                "card number.",
                code="invalid_card_number",
            )
        if not card_number_luhn_valid(digits):
            raise ValidationError(
                "This card number is not valid; check it for a typing mistake.",
                code="invalid_card_number",
            )
        return digits

    def clean_expiry(self) -> str:
        match = _EXPIRY_RE.match(self.cleaned_data["expiry"].strip())
        if match is None:
            raise ValidationError("Enter the expiry date as MM/YY, e.g. 04/29.", code="invalid")
        month = int(match.group(1) or match.group(2))
        year = int(match.group(3)[-2:]) + 2000
        today = timezone.localdate()
        if (year, month) < (today.year, today.month):
            raise ValidationError("This card has expired.", code="expired")
        return f"{month:02d}/{year % 100:02d}"

    def clean_cvc(self) -> str:
        cvc = self.cleaned_data["cvc"].strip()
        if not _CVC_RE.match(cvc):
            raise ValidationError("Enter the 3 or 4 digits of the security code.", code="invalid")
        return cvc
