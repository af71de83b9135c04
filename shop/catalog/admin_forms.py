"""Forms of the catalogue admin.

Pictures arrive through VerifiedImageField, so a file that is not an image, too large or a
decompression bomb is refused with a message on the field; the services store our re-encoded
copy, never the upload. Prices are typed in euros (MoneyField, stored as cents); options and
attributes as name/value rows (NameValueField, stored as the same JSON object); categories
are chosen from the tree, indented ("Clothing", "— Jackets"), read in one query.
"""

from collections.abc import Iterable

from django import forms
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import BooleanField, ExpressionWrapper, Q

from shop.catalog.category_selectors import CategoryTree
from shop.catalog.models import Category, Merchant, Product, ProductImage, Variant
from shop.core.forms import VerifiedImageField
from shop.core.images import MERCHANT_LOGO, PRODUCT_IMAGE
from shop.core.money_fields import MoneyField, money_hint, money_input_name
from shop.core.name_value_fields import NameValueField, NameValueFormMixin

# --- categories as a tree -------------------------------------------------------------------

INDENT = "— "


def category_tree_rows(categories: Iterable[Category]) -> list[tuple[Category, int]]:
    """Return `categories` in tree order (parents before their children, siblings in their
    own order) with each one's depth. A category whose parent is not among them is shown as a
    root; one caught in a loop of parents is shown once, at the end."""
    tree = CategoryTree(categories=list(categories))
    roots = [c for c in tree.categories if c.parent_id is None or c.parent_id not in tree.by_id]
    rows: list[tuple[Category, int]] = []
    seen: set[int] = set()
    stack = [(category, 0) for category in reversed(roots)]
    while stack:
        category, depth = stack.pop()
        if category.pk in seen:
            continue
        seen.add(category.pk)
        rows.append((category, depth))
        children = tree.children.get(category.pk, [])
        stack.extend((child, depth + 1) for child in reversed(children))
    rows.extend((category, 0) for category in tree.categories if category.pk not in seen)
    return rows


def category_tree_label(category: Category, depth: int) -> str:
    return f"{INDENT * depth}{category.name}"


class _CategoryTreeIterator(forms.models.ModelChoiceIterator):
    """The field's choices in tree order, from one query however many categories."""

    def _rows(self) -> list[tuple[Category, int]]:
        if not hasattr(self, "_tree_rows"):
            rows = category_tree_rows(self.queryset)
            hidden = self.field.subtree_ids([category for category, _ in rows])
            self._tree_rows = [(c, depth) for c, depth in rows if c.pk not in hidden]
        return self._tree_rows

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for category, depth in self._rows():
            value = forms.models.ModelChoiceIteratorValue(
                self.field.prepare_value(category), category
            )
            yield (value, category_tree_label(category, depth))

    def __len__(self) -> int:
        return len(self._rows()) + (self.field.empty_label is not None)

    def __bool__(self) -> bool:
        return self.field.empty_label is not None or bool(self._rows())


class CategoryTreeChoiceField(forms.ModelChoiceField):
    """A category picked from the tree. `exclude_subtree_of` (a category) leaves out that
    category and everything below it: a category's parent cannot be itself or its child."""

    iterator = _CategoryTreeIterator

    def __init__(self, queryset=None, **kwargs):
        self.exclude_subtree_of: Category | None = None
        super().__init__(queryset if queryset is not None else Category.objects.all(), **kwargs)

    def subtree_ids(self, categories: list[Category]) -> set[int]:
        """Return the ids of `exclude_subtree_of` and the categories below it."""
        top = self.exclude_subtree_of
        if top is None or top.pk is None:
            return set()
        return set(CategoryTree(categories=categories).descendant_ids(top))

    def validate(self, value) -> None:
        super().validate(value)
        if value is None or self.exclude_subtree_of is None:
            return
        if value.pk in self.subtree_ids(list(self.queryset)):
            raise forms.ValidationError(
                "A category cannot sit under itself or one of its own subcategories.",
                code="category_loop",
            )


class CategoryTreeListFilter(admin.RelatedOnlyFieldListFilter):
    """A list filter on a category relation: the categories in use, with their parents, as
    an indented tree; choosing one shows what is in it or in any category below it."""

    def field_choices(self, field, request, model_admin):
        used = (
            model_admin.get_queryset(request)
            .distinct()
            .values_list(f"{self.field_path}__pk", flat=True)
        )
        categories = Category.objects.annotate(
            in_use=ExpressionWrapper(Q(pk__in=used), output_field=BooleanField())
        )
        rows = category_tree_rows(categories)
        self.tree = CategoryTree(categories=[category for category, _ in rows])
        shown = set()
        for category, _ in rows:
            if category.in_use:
                shown.add(category.pk)
                shown.update(parent.pk for parent in self.tree.ancestors(category))
        return [
            (category.pk, category_tree_label(category, depth))
            for category, depth in rows
            if category.pk in shown
        ]

    def queryset(self, request, queryset):
        if not self.lookup_val:
            return super().queryset(request, queryset)
        try:
            chosen = {int(value) for value in self.lookup_val}
        except (TypeError, ValueError):
            raise IncorrectLookupParameters("Not a category.") from None
        ids: set[int] = set()
        for pk in chosen:
            category = self.tree.by_id.get(pk)
            ids.update(self.tree.descendant_ids(category) if category else [pk])
        return queryset.filter(**{f"{self.field_path}__in": ids})


# --- products and variants ------------------------------------------------------------------


def _price_field(label: str, *, required: bool, in_table: bool = False) -> MoneyField:
    field = MoneyField(label=label, required=required, help_text=money_hint())
    field.widget.attrs["size"] = 8
    if in_table:  # table cells have no <label>: the input names itself, currency included
        field.widget.attrs["aria-label"] = money_input_name(label)
    return field


class _VariantPricesMixin:
    """A variant's prices in euros; the compare-at price must be above the price."""

    def clean(self):
        cleaned = super().clean()
        price, compare_at = cleaned.get("price"), cleaned.get("compare_at_price")
        if price is not None and compare_at is not None and compare_at <= price:
            self.add_error(
                "compare_at_price",
                forms.ValidationError(
                    "The compare-at price (the former price, shown struck through) must be "
                    "above the price. Leave it empty for none.",
                    code="compare_at_not_above_price",
                ),
            )
        return cleaned


class ProductAdminForm(NameValueFormMixin, forms.ModelForm):
    attributes = NameValueField(
        label="Attributes",
        noun="attribute",
        extra=3,
        help_text="Shown on the product page, e.g. material: cotton. Empty a row to remove it.",
    )

    class Meta:
        model = Product
        fields = [
            "merchant",
            "category",
            "title",
            "slug",
            "brand",
            "description",
            "attributes",
            "is_published",
            "is_featured",
        ]


# Narrow number cells (the admin's own class) keep the variants table inside the page.
_NUMBER = {"min": 0, "class": "vIntegerField"}


def _options_field(extra: int) -> NameValueField:
    return NameValueField(
        label="Options",
        noun="option",
        extra=extra,
        help_text="What tells this variant apart, e.g. size: M. Empty a row to remove it.",
    )


class VariantInlineForm(NameValueFormMixin, _VariantPricesMixin, forms.ModelForm):
    """One row of the variants table. Table cells have no <label>, so each input names itself."""

    options = _options_field(extra=2)
    price = _price_field("Price", required=True, in_table=True)
    compare_at_price = _price_field("Compare-at price", required=False, in_table=True)

    class Meta:
        model = Variant
        fields = ["sku", "name", "options", "price", "compare_at_price", "stock", "position"]
        widgets = {
            "sku": forms.TextInput(attrs={"aria-label": "SKU", "size": 10}),
            "name": forms.TextInput(attrs={"aria-label": "Variant name", "size": 10}),
            "stock": forms.NumberInput(attrs={"aria-label": "Stock", **_NUMBER}),
            "position": forms.NumberInput(attrs={"aria-label": "Position", **_NUMBER}),
        }


class VariantAdminForm(NameValueFormMixin, _VariantPricesMixin, forms.ModelForm):
    """A variant's own page (its product is fixed there)."""

    options = _options_field(extra=3)
    price = _price_field("Price", required=True)
    compare_at_price = _price_field("Compare-at price", required=False)

    class Meta:
        model = Variant
        fields = ["sku", "name", "options", "price", "compare_at_price", "stock", "position"]


class ProductImageInlineForm(forms.ModelForm):
    """A product picture: a verified upload (required for a new row) and its alt text."""

    upload = VerifiedImageField(
        profile=PRODUCT_IMAGE,
        label="Image",
        required=False,
        help_text="JPEG, PNG, WebP or GIF. Stored re-encoded; leave empty to keep the current one.",
    )

    class Meta:
        model = ProductImage
        fields = ["upload", "alt_text", "position"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None and not cleaned.get("upload") and "upload" not in self.errors:
            self.add_error("upload", "Choose an image file for the new picture.")
        return cleaned


class CategoryAdminForm(forms.ModelForm):
    """A category; its parent is chosen from the tree, less the category and its subtree."""

    class Meta:
        model = Category
        fields = ["name", "slug", "parent", "description", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parent = self.fields.get("parent")
        if isinstance(parent, CategoryTreeChoiceField) and self.instance.pk is not None:
            parent.exclude_subtree_of = self.instance


class MerchantAdminForm(forms.ModelForm):
    logo_upload = VerifiedImageField(
        profile=MERCHANT_LOGO,
        label="Logo",
        required=False,
        help_text="JPEG, PNG, WebP or GIF. Leave empty to keep the current logo.",
    )

    class Meta:
        model = Merchant
        fields = ["name", "slug", "description", "logo_upload", "staff"]


class VariantStockForm(forms.ModelForm):
    """The editable stock cell of the variants list."""

    class Meta:
        model = Variant
        fields = ["stock"]
        widgets = {"stock": forms.NumberInput(attrs={"aria-label": "Stock", **_NUMBER})}
