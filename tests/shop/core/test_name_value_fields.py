"""Name/value rows for a JSON object: what the widget shows, what a submit cleans to, and the
messages for rows that cannot be stored."""

import pytest
from django import forms
from django.http import QueryDict

from shop.catalog.admin_forms import ProductAdminForm
from shop.core.name_value_fields import NameValueField, NameValueWidget
from tests.factories import ProductFactory


class OptionsForm(forms.Form):
    options = NameValueField(label="Options", noun="option", extra=2)


def _post(*rows: tuple[str, str], field: str = "options") -> QueryDict:
    """The POST a browser sends for `rows`: every name, then every value, under one name each."""
    data = QueryDict(mutable=True)
    for name, value in rows:
        data.appendlist(f"{field}-name", name)
        data.appendlist(f"{field}-value", value)
    return data


def test_the_widget_shows_each_entry_as_a_row_plus_empty_rows_to_fill():
    html = OptionsForm(initial={"options": {"size": "M", "colour": "moss green"}})[
        "options"
    ].as_widget()

    assert html.count("data-pairs-row") == 2 + 2
    assert 'name="options-name" id="id_options_0_name" value="size"' in html
    assert 'value="moss green" aria-label="Option 2 value"' in html
    assert 'aria-label="Option 4 name"' in html
    assert "Add a row" in html


def test_the_field_label_points_at_the_first_name():
    form = OptionsForm()

    assert 'for="id_options_0_name"' in form["options"].label_tag()


def test_rows_clean_to_the_same_json_object_in_their_order():
    stored = {"size": "M", "colour": "moss green", "fit": "regular"}
    form = OptionsForm(initial={"options": stored}, data=_post(*stored.items(), ("", "")))

    assert form.is_valid(), form.errors
    assert form.cleaned_data["options"] == stored
    assert list(form.cleaned_data["options"]) == ["size", "colour", "fit"]
    assert not form.has_changed()


def test_names_and_values_are_trimmed_and_empty_rows_dropped():
    form = OptionsForm(data=_post(("  size ", " M "), ("", ""), ("  ", ""), ("colour", "red")))

    assert form.is_valid(), form.errors
    assert form.cleaned_data["options"] == {"size": "M", "colour": "red"}


def test_no_rows_is_an_empty_object():
    form = OptionsForm(data=_post(("", "")))

    assert form.is_valid()
    assert form.cleaned_data["options"] == {}


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ((("", "M"),), "Row 1: give the value “M” a name."),
        (
            (("size", "M"), ("colour", "")),
            "Row 2: give “colour” a value, or empty the row to remove it.",
        ),
        ((("size", "M"), ("Size", "L")), "“Size” is named twice: each name once, please."),
        ((("n" * 61, "x"),), "Row 1: a name has at most 60 characters."),
        ((("size", "x" * 301),), "Row 1: a value has at most 300 characters."),
    ],
)
def test_a_row_that_cannot_be_stored_is_explained(rows, message):
    form = OptionsForm(data=_post(*rows))

    assert not form.is_valid()
    assert message in form.errors["options"]


def test_a_failed_submit_shows_the_rows_as_typed():
    form = OptionsForm(data=_post(("size", "M"), ("size", "L")))
    assert not form.is_valid()

    html = form["options"].as_widget()

    assert 'value="M"' in html and 'value="L"' in html
    assert html.count('value="size"') == 2


def test_the_widget_reads_a_plain_dict_too():
    widget = NameValueWidget()

    rows = widget.value_from_datadict(
        {"options-name": ["a", "b"], "options-value": ["1"]}, {}, "options"
    )

    assert rows == [("a", "1"), ("b", "")]


def test_the_widget_brings_its_script():
    assert "js/admin-name-value.js" in str(OptionsForm().media)


@pytest.mark.django_db
def test_a_stored_value_that_is_not_text_keeps_its_type_when_left_alone():
    product = ProductFactory(attributes={"material": "wool", "sizes": ["S", "M"], "vegan": True})
    form = ProductAdminForm(instance=product)
    shown = form["attributes"].as_widget()
    assert 'value="[&quot;S&quot;, &quot;M&quot;]"' in shown
    data = {
        "merchant": product.merchant_id,
        "category": product.category_id,
        "title": product.title,
        "slug": product.slug,
        "brand": product.brand,
        "description": "",
    }
    post = _post(
        ("material", "merino"), ("sizes", '["S", "M"]'), ("vegan", "no"), field="attributes"
    )
    post.update(data)

    form = ProductAdminForm(data=post, instance=product)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["attributes"] == {
        "material": "merino",
        "sizes": ["S", "M"],
        "vegan": "no",
    }
