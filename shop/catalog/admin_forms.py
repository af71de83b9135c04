"""Forms of the catalogue admin. Pictures arrive through VerifiedImageField, so a file that is
not an image, too large or a decompression bomb is refused with a message on the field;
the services store our re-encoded copy, never the upload."""

from django import forms

from shop.catalog.models import Merchant, Product, ProductImage, Variant
from shop.core.forms import VerifiedImageField
from shop.core.images import MERCHANT_LOGO, PRODUCT_IMAGE


class ProductAdminForm(forms.ModelForm):
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


class VariantInlineForm(forms.ModelForm):
    """One row of the variants table. Table cells have no <label>, so each input names itself."""

    class Meta:
        model = Variant
        fields = ["sku", "name", "options", "price", "compare_at_price", "stock", "position"]
        widgets = {
            "sku": forms.TextInput(attrs={"aria-label": "SKU", "size": 10}),
            "name": forms.TextInput(attrs={"aria-label": "Variant name", "size": 10}),
            "options": forms.TextInput(
                attrs={"aria-label": "Options", "size": 14, "placeholder": '{"size": "M"}'}
            ),
            "price": forms.NumberInput(attrs={"aria-label": "Price in cents", **_NUMBER}),
            "compare_at_price": forms.NumberInput(
                attrs={"aria-label": "Compare-at price in cents", **_NUMBER}
            ),
            "stock": forms.NumberInput(attrs={"aria-label": "Stock", **_NUMBER}),
            "position": forms.NumberInput(attrs={"aria-label": "Position", **_NUMBER}),
        }
        labels = {"price": "Price (cents)", "compare_at_price": "Compare-at (cents)"}


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
