"""Page numbers from the query string, clamped: a bad or huge page is never a 500."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator


@dataclass(frozen=True)
class PageRequest:
    number: int
    size: int


def page_number_parse(raw: str | None) -> int:
    try:
        number = int(raw or 1)
    except (TypeError, ValueError):
        return 1
    return max(1, min(number, 100_000))


def paginate(queryset, *, number: int, size: int) -> Page:
    """Return the asked page, or the last page when the number is past the end."""
    paginator = Paginator(queryset, size)
    return paginator.get_page(number)
