"""Card numbers typed by a person: spaces and dashes allowed, 13 to 19 digits, Luhn checked.

Only test cards ever reach this code: the fake gateway, and the Stripe gateway in test mode
(live payments carry a "pm_..." id made by Stripe.js; card numbers never touch our server).
"""

INVALID_NUMBER_CODE = "invalid_number"
INVALID_NUMBER_MESSAGE = "This card number is not valid: check the digits and try again."


def card_number_normalize(raw: str) -> str | None:
    """Return the card number's digits, or None unless it is 13-19 digits passing Luhn."""
    digits = "".join(str(raw).replace("-", " ").split())
    if not (digits.isascii() and digits.isdigit() and 13 <= len(digits) <= 19):
        return None
    return digits if _luhn_valid(digits) else None


def _luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0
