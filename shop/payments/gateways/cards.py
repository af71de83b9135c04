"""Card numbers typed by a person: spaces and dashes allowed, 13 to 19 digits, Luhn checked.

The one home of these rules: the gateways refuse what fails them, and the pay page's form
checks with the same functions before anything reaches a gateway (so a number the form lets
through is never refused by the gateway as malformed, which would count a payment attempt).

Only test cards ever reach this code: the fake gateway, and the Stripe gateway in test mode
(live payments carry a "pm_..." id made by Stripe.js; card numbers never touch our server).
"""

INVALID_NUMBER_CODE = "invalid_number"
INVALID_NUMBER_MESSAGE = "This card number is not valid: check the digits and try again."
# ISO/IEC 7812 card numbers as the card networks issue them (Stripe's shortest test card,
# Diners Club, has 14 digits).
CARD_NUMBER_MIN_DIGITS = 13
CARD_NUMBER_MAX_DIGITS = 19


def card_number_digits(raw: str) -> str | None:
    """Return the digits of a typed card number (spaces and dashes dropped), or None unless
    there are 13 to 19 of them (ASCII digits only). The Luhn check is not made here."""
    digits = "".join(str(raw).replace("-", " ").split())
    if not (digits.isascii() and digits.isdigit()):
        return None
    if not CARD_NUMBER_MIN_DIGITS <= len(digits) <= CARD_NUMBER_MAX_DIGITS:
        return None
    return digits


def card_number_luhn_valid(digits: str) -> bool:
    """Return whether the digits pass the Luhn checksum every card number carries."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def card_number_normalize(raw: str) -> str | None:
    """Return the card number's digits, or None unless it is 13-19 digits passing Luhn."""
    digits = card_number_digits(raw)
    return digits if digits is not None and card_number_luhn_valid(digits) else None
