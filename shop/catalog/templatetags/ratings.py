"""Stars of a product's rating: {% load ratings %} {{ product|rating_average }},
{% for kind in average|star_kinds %} (full, half or empty, five of them)."""

from django import template

register = template.Library()


@register.filter
def rating_average(product) -> float | None:
    """The plain average of PRODUCT's kept ratings, to one decimal; None without any."""
    count = getattr(product, "rating_count", 0)
    return round(product.rating_sum / count, 1) if count else None


@register.filter
def star_kinds(average) -> list[str]:
    """Five of "full", "half", "empty" for AVERAGE (rounded to the nearest half star)."""
    halves = round(float(average or 0) * 2)
    return [
        "full" if halves >= 2 * star else "half" if halves == 2 * star - 1 else "empty"
        for star in range(1, 6)
    ]
