"""VAT included in prices: the one formula, in integers.

Prices in the catalogue, the cart and on orders include VAT at one store rate
(settings.STORE_VAT_RATE_BASIS_POINTS: 2100 is 21%). The VAT an amount holds is

    amount × rate / (10000 + rate), rounded half up to the cent

worked out once on the order's total (goods after the discount, plus shipping: delivery
charged with goods is taxed as the goods are, and the store has one rate), not per line:
per-line rounding would make the lines' VAT disagree with the total's by a cent or two.
selectors.checkout_totals applies it for the review page and services.order_place, which keeps
the rate and the amount on the order.
"""

BASIS_POINTS = 10_000


def vat_included(*, amount: int, rate: int) -> int:
    """Return the VAT within `amount` (minor units, VAT included) at `rate` basis points.

    Rounded half up (0.5 cent goes up): 1 cent at 21% holds 0.17 cent, so 0; 121 cents hold
    exactly 21; 3 cents at 20% hold 0.5, so 1. Integer arithmetic only.
    """
    if amount < 0 or rate < 0:
        raise ValueError("VAT is worked out on non-negative amounts and rates.")
    denominator = BASIS_POINTS + rate
    # round(amount * rate / denominator) half up == floor((2 * amount * rate + d) / (2 * d)).
    return (2 * amount * rate + denominator) // (2 * denominator)


def vat_rate_label(rate: int) -> str:
    """Return `rate` basis points as people write it: 2100 -> '21%', 550 -> '5.5%', 2025 ->
    '20.25%'."""
    whole, fraction = divmod(rate, 100)
    return f"{whole}.{fraction:02d}".rstrip("0").rstrip(".") + "%" if fraction else f"{whole}%"
