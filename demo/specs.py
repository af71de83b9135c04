"""The demo shop's word lists, read from the TOML files in demo/data into frozen records.

The files are the place to change what the demo sells; this module only gives them types
and checks that they agree with each other (every colour named exists, every kind has a
picture), so a typo fails `manage.py demo_data` at once instead of drawing a wrong shop.
"""

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class DemoAddress:
    """A saved shipping address (the fields of shop.orders.AddressInput)."""

    full_name: str
    line1: str
    postal_code: str
    city: str
    country: str
    line2: str = ""
    phone: str = ""


@dataclass(frozen=True)
class DemoDeliveredOrder:
    """A past order, delivered: one line from each of the first `merchants` merchants."""

    merchants: int
    carrier: str
    days_ago: int


@dataclass(frozen=True)
class DemoAccount:
    role: str
    username: str
    email: str
    password: str
    display_name: str
    merchant_slug: str = ""
    superuser: bool = False
    address: DemoAddress | None = None
    delivered_order: DemoDeliveredOrder | None = None


@dataclass(frozen=True)
class MerchantSpec:
    slug: str
    name: str
    code: str  # SKU prefix
    description: str
    brands: tuple[str, ...]
    logo_colour: RGB
    staff: DemoAccount


@dataclass(frozen=True)
class KindSpec:
    """A kind of product (a mug, a tent): what it is made of, its colours, price, picture."""

    noun: str
    picture: str
    materials: tuple[str, ...]
    colours: tuple[str, ...]
    price: tuple[int, int]  # whole euros
    about: tuple[str, ...]
    axis: str
    weight: tuple[int, int] | None = None  # grams, for gear where weight matters
    material_colours: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def colours_for(self, material: str) -> tuple[str, ...]:
        """Return the colours the kind comes in when made of `material`."""
        return dict(self.material_colours).get(material, self.colours)


@dataclass(frozen=True)
class CategorySpec:
    slug: str
    name: str
    description: str = ""
    parent: str = ""  # parent slug; "" for a root
    merchant: str = ""  # slug of the merchant selling in this (leaf) category
    care: tuple[str, ...] = ()
    kinds: tuple[KindSpec, ...] = ()


@dataclass(frozen=True)
class Words:
    adjectives: tuple[str, ...]
    origins: tuple[str, ...]
    benefits: tuple[str, ...]
    material_sentences: tuple[str, ...]
    colours: dict[str, RGB]
    axes: dict[str, tuple]


@dataclass(frozen=True)
class DiscountSpec:
    code: str
    kind: str  # "percent" | "fixed"
    value: int
    min_subtotal: int


def _load(name: str) -> dict:
    with (DATA_DIR / name).open("rb") as file:
        return tomllib.load(file)


@cache
def words() -> Words:
    """Return the adjectives, colours, sentences and variant axes of demo/data/words.toml."""
    data = _load("words.toml")
    return Words(
        adjectives=tuple(data["adjectives"]),
        origins=tuple(data["origins"]),
        benefits=tuple(data["benefits"]),
        material_sentences=tuple(data["material_sentences"]),
        colours={name: tuple(rgb) for name, rgb in data["colours"].items()},
        axes={
            name: tuple(tuple(v) if isinstance(v, list) else v for v in values)
            for name, values in data["axes"].items()
        },
    )


@cache
def accounts() -> tuple[DemoAccount, ...]:
    """Return the operator and shopper accounts (merchant staff come with merchants())."""
    return tuple(_account(fields) for fields in _load("accounts.toml")["accounts"])


def _account(fields: dict) -> DemoAccount:
    fields = dict(fields)  # _load's result is cached: leave it as read
    address = fields.pop("address", None)
    order = fields.pop("delivered_order", None)
    return DemoAccount(
        **fields,
        address=DemoAddress(**address) if address else None,
        delivered_order=DemoDeliveredOrder(**order) if order else None,
    )


def account(username: str) -> DemoAccount:
    """Return the demo account called `username` (any of them, staff included)."""
    everyone = [*accounts(), *(merchant.staff for merchant in merchants())]
    return next(a for a in everyone if a.username == username)


@cache
def merchants() -> tuple[MerchantSpec, ...]:
    """Return the demo merchants with their staff accounts."""
    data = _load("merchants.toml")
    password = _load("accounts.toml")["merchant_password"]
    colours = words().colours
    return tuple(
        MerchantSpec(
            slug=m["slug"],
            name=m["name"],
            code=m["code"],
            description=m["description"],
            brands=tuple(m["brands"]),
            logo_colour=colours[m["logo_colour"]],
            staff=DemoAccount(
                role="merchant staff",
                password=password,
                merchant_slug=m["slug"],
                **m["staff"],
            ),
        )
        for m in data["merchants"]
    )


def _kind(fields: dict, *, axis: str) -> KindSpec:
    return KindSpec(
        noun=fields["noun"],
        picture=fields["picture"],
        materials=tuple(fields["materials"]),
        colours=tuple(fields["colours"]),
        price=tuple(fields["price"]),
        about=tuple(fields["about"]),
        axis=fields.get("axis", axis),
        weight=tuple(fields["weight"]) if "weight" in fields else None,
        material_colours=tuple(
            (material, tuple(names))
            for material, names in fields.get("material_colours", {}).items()
        ),
    )


@cache
def categories() -> tuple[CategorySpec, ...]:
    """Return the category tree, parents first, each leaf with the kinds it sells."""
    result = []
    for c in _load("catalogue.toml")["categories"]:
        kinds = tuple(_kind(k, axis=c.get("axis", "colour")) for k in c.get("kinds", ()))
        result.append(
            CategorySpec(
                slug=c["slug"],
                name=c["name"],
                description=c.get("description", ""),
                parent=c.get("parent", ""),
                merchant=c.get("merchant", ""),
                care=tuple(c.get("care", ())),
                kinds=kinds,
            )
        )
    _check(tuple(result))
    return tuple(result)


def leaf_categories() -> tuple[CategorySpec, ...]:
    """Return the categories products are sold in (those with a parent)."""
    return tuple(spec for spec in categories() if spec.parent)


def _check(tree: tuple[CategorySpec, ...]) -> None:
    known = words()
    merchant_slugs = {m.slug for m in merchants()}
    for spec in tree:
        if spec.parent and (spec.merchant not in merchant_slugs or not spec.kinds):
            raise ValueError(f"Category {spec.slug}: a known merchant and kinds are needed.")
        for kind in spec.kinds:
            if kind.axis not in (*known.axes, "colour"):
                raise ValueError(f"{kind.noun}: unknown axis {kind.axis!r}.")
            for material in kind.materials:
                for colour in kind.colours_for(material):
                    if colour not in known.colours:
                        raise ValueError(f"{kind.noun}: unknown colour {colour!r}.")


@cache
def discounts() -> tuple[DiscountSpec, ...]:
    """Return the demo discount codes."""
    return tuple(DiscountSpec(**fields) for fields in _load("discounts.toml")["codes"])
