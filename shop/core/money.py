"""Money is an integer count of minor units in the store currency; this module only formats it."""

from django.conf import settings

_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£"}


def money_symbol(currency: str | None = None) -> str:
    """Return the sign written before amounts of `currency` (the store's), or its code."""
    currency = currency or settings.STORE_CURRENCY
    return _SYMBOLS.get(currency, currency)


def money_format(amount: int | None, *, currency: str | None = None) -> str:
    """Return `amount` minor units as a display string, e.g. 1999 -> '€19.99'."""
    if amount is None:
        return ""
    currency = currency or settings.STORE_CURRENCY
    sign = "-" if amount < 0 else ""
    major, minor = divmod(abs(int(amount)), 100)
    symbol = _SYMBOLS.get(currency)
    number = f"{major:,}.{minor:02d}"
    return f"{sign}{symbol}{number}" if symbol else f"{sign}{number} {currency}"


def money_parse_major(value: str) -> int:
    """Parse a price typed in major units ('12', '12.5', '12,50') into minor units.

    Raises ValueError for anything that is not a non-negative amount with at most 2 decimals.
    """
    text = value.strip().replace(",", ".")
    if not text or text.count(".") > 1:
        raise ValueError("not an amount")
    major, _, minor = text.partition(".")
    if not (major or minor) or not (major or "0").isdigit() or (minor and not minor.isdigit()):
        raise ValueError("not an amount")
    if len(minor) > 2:
        raise ValueError("too many decimals")
    return int(major or "0") * 100 + int((minor + "00")[:2])
