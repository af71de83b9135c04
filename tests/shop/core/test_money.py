import pytest

from shop.core.money import money_format, money_parse_major


@pytest.mark.parametrize(
    ("amount", "shown"),
    [(0, "€0.00"), (1999, "€19.99"), (123456789, "€1,234,567.89"), (-50, "-€0.50")],
)
def test_money_format_shows_minor_units_as_euros(amount, shown):
    assert money_format(amount) == shown


@pytest.mark.parametrize(
    ("text", "minor"), [("12", 1200), ("12.5", 1250), ("12,50", 1250), (".99", 99)]
)
def test_money_parse_major_reads_prices_people_type(text, minor):
    assert money_parse_major(text) == minor


@pytest.mark.parametrize("text", ["", "abc", "-1", "1.234", "1.2.3", "1e5", "."])
def test_money_parse_major_refuses_what_is_not_a_price(text):
    with pytest.raises(ValueError):
        money_parse_major(text)
