"""Storefront forms of the catalogue."""

from collections.abc import Iterable

from django import forms

from shop.catalog.category_selectors import CategoryTree
from shop.catalog.models import Category, Merchant
from shop.catalog.product_filters import SORTS


def _checked(value) -> bool:
    return str(value).strip().lower() in ("1", "true", "on", "yes")


class _EchoCheckboxInput(forms.CheckboxInput):
    """A checkbox bound to the parameter as typed (CheckboxInput reads "0" as checked)."""

    def value_from_datadict(self, data, files, name):
        return data.get(name, "")


class ProductFilterForm(forms.Form):
    """The product-list filter controls (a GET form that works without JavaScript).

    The form only renders and echoes what the visitor typed: product_filters.product_filters_parse
    reads and checks the parameters, and the view attaches its messages with `add_error`, so
    the rules live in one place for the pages and the API. Every field is a plain CharField
    for that reason (a ChoiceField would add a second, differently worded message).
    """

    q = forms.CharField(required=False, widget=forms.HiddenInput)
    category = forms.CharField(label="Category", required=False, widget=forms.Select)
    merchant = forms.CharField(label="Shop", required=False, widget=forms.Select)
    brand = forms.CharField(label="Brand", required=False, widget=forms.Select)
    min_price = forms.CharField(
        label="Min price",
        required=False,
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "autocomplete": "off", "size": 7, "placeholder": "0"}
        ),
    )
    max_price = forms.CharField(
        label="Max price",
        required=False,
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "autocomplete": "off", "size": 7, "placeholder": "any"}
        ),
    )
    in_stock = forms.CharField(
        label="In stock only",
        required=False,
        widget=_EchoCheckboxInput(attrs={"value": "1"}, check_test=_checked),
    )
    # Rendered in the results toolbar, outside the <form> element, hence the form attribute.
    sort = forms.CharField(
        label="Sort by", required=False, widget=forms.Select(attrs={"form": "product-filters"})
    )

    def __init__(
        self,
        data,
        *,
        tree: CategoryTree,
        brands: Iterable[str],
        merchants: Iterable[Merchant] | None,
        currency: str,
        sort: str,
        scoped_to_category: bool = False,
    ) -> None:
        """Bind the query parameters; `sort` is the order actually used (shown selected).

        The default order's option sends no value, so a form sent as it came (by its button,
        or by htmx on a change) leaves `sort` out of the address.
        """
        values = {key: data.get(key, "") for key in self.base_fields}
        default_sort = "relevance" if values["q"].strip() else "newest"
        values["sort"] = "" if sort == default_sort else sort
        super().__init__(values, label_suffix="")
        if scoped_to_category:
            del self.fields["category"]
        else:
            self.fields["category"].widget.choices = [
                ("", "All categories"),
                *_category_choices(tree),
            ]
        if merchants is None:
            del self.fields["merchant"]
        else:
            self.fields["merchant"].widget.choices = [
                ("", "All shops"),
                *((merchant.slug, merchant.name) for merchant in merchants),
            ]
        brand_choices = [("", "All brands"), *((brand, brand) for brand in brands)]
        chosen_brand = self.data.get("brand", "").strip()
        if chosen_brand and chosen_brand not in {value for value, _ in brand_choices}:
            brand_choices.append((chosen_brand, chosen_brand))
        self.fields["brand"].widget.choices = brand_choices
        # Relevance only means something when there is a search.
        self.fields["sort"].widget.choices = [
            ("" if value == default_sort else value, label)
            for value, label in SORTS.items()
            if value != "relevance" or values["q"].strip()
        ]
        for name in ("min_price", "max_price"):
            self.fields[name].label = f"{self.fields[name].label} ({currency})"
        self.is_valid()  # nothing here can fail; it prepares the errors add_messages fills

    def add_messages(self, messages: dict[str, str]) -> None:
        """Show the selectors' per-parameter messages on the fields they concern."""
        for name, message in messages.items():
            self.add_error(name if name in self.fields else None, message)


def _category_choices(tree: CategoryTree) -> list[tuple[str, str]]:
    """Every category, depth-first, indented under its parent (non-breaking spaces)."""
    choices: list[tuple[str, str]] = []
    seen: set[int] = set()

    def walk(nodes: list[Category], depth: int) -> None:
        for node in nodes:
            if node.pk in seen:
                continue
            seen.add(node.pk)
            choices.append((node.slug, "\u00a0\u00a0\u00a0" * depth + node.name))
            walk(tree.children.get(node.pk, []), depth + 1)

    walk(tree.roots, 0)
    return choices
