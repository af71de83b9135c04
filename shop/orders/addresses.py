"""The shipping address an order is placed with, and the rules it must meet.

One input type for every caller of services.order_place: the checkout form, the checkout API,
and later ones (a gift pool shipping to its recipient, a wishlist shipping to an address its
giver never sees). address_input_clean holds every rule (which countries we ship to, the phone
format, the lengths the order stores); forms and serializers only parse and call it.
"""

import re
from dataclasses import dataclass, fields

from shop.core.errors import DomainError
from shop.core.validators import text_clean
from shop.orders.errors import OrderError

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
COUNTRY_MESSAGE = "We do not ship there yet; choose one of the countries listed."
PHONE_MESSAGE = "Enter a phone number with digits, spaces and + ( ) - only."
_PHONE_RE = re.compile(r"^\+?[0-9 ().\-/]{4,40}$")


@dataclass(frozen=True)
class AddressInput:
    full_name: str
    line1: str
    line2: str
    postal_code: str
    city: str
    country: str
    phone: str = ""

    @classmethod
    def from_mapping(cls, data) -> "AddressInput":
        """Take the address fields out of a form's or serializer's cleaned data (or a dict)."""
        return cls(**{name: data.get(name) or "" for name in ADDRESS_FIELDS})

    @classmethod
    def from_saved(cls, address) -> "AddressInput":
        """The fields of a saved address (an address book's Address)."""
        return cls(**{name: getattr(address, name) or "" for name in ADDRESS_FIELDS})


ADDRESS_FIELDS = tuple(field.name for field in fields(AddressInput))
# (label in messages, longest value the order stores, required): the order's ship_* columns.
ADDRESS_RULES: dict[str, tuple[str, int, bool]] = {
    "full_name": ("full name", 120, True),
    "line1": ("address", 200, True),
    "line2": ("second address line", 200, False),
    "postal_code": ("postal code", 20, True),
    "city": ("city", 100, True),
    "country": ("country", 2, True),
    "phone": ("phone number", 40, False),
}


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


def address_input_clean(address: AddressInput) -> AddressInput:
    """Return `address` stripped, its country upper-cased, if an order may ship to it.

    Raises INVALID_ADDRESS on the field at fault: a required field empty, a value longer than
    the order stores or holding control characters, a country we do not ship to, a phone
    number that is not one.
    """
    values = {
        name: text_clean(
            getattr(address, name),
            field=name,
            label=label,
            # The country is checked against the list below, whatever its length.
            max_length=max_length if name != "country" else 100,
            required=required,
            code=OrderError.INVALID_ADDRESS,
        )
        for name, (label, max_length, required) in ADDRESS_RULES.items()
    }
    values["country"] = values["country"].upper()
    if values["country"] not in COUNTRY_NAMES:
        raise DomainError(COUNTRY_MESSAGE, code=OrderError.INVALID_ADDRESS, field="country")
    if values["phone"] and not _PHONE_RE.match(values["phone"]):
        raise DomainError(PHONE_MESSAGE, code=OrderError.INVALID_ADDRESS, field="phone")
    return AddressInput(**values)
