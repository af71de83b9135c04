"""What the catalogue admin's tests post: the product form with its inline formsets, a
variant's row, an uploaded picture."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shop.catalog.models import Product
from tests.factories import image_bytes

CHANGELIST = "/admin/catalog/product/"
ADD = "/admin/catalog/product/add/"


def change_url(product: Product) -> str:
    return reverse("admin:catalog_product_change", args=[product.pk])


def product_form(
    *, merchant, category, title="Trail Runner", slug="trail-runner", variants=(), images=()
) -> dict:
    """POST data of the product add form with its two inline formsets."""
    data = {
        "merchant": merchant.pk,
        "category": category.pk,
        "title": title,
        "slug": slug,
        "brand": "Acme",
        "description": "Light and quick.",
        "attributes-name": "",
        "attributes-value": "",
        "is_published": "on",
        "variants-TOTAL_FORMS": len(variants),
        "variants-INITIAL_FORMS": 0,
        "variants-MIN_NUM_FORMS": 0,
        "variants-MAX_NUM_FORMS": 1000,
        "images-TOTAL_FORMS": len(images),
        "images-INITIAL_FORMS": 0,
        "images-MIN_NUM_FORMS": 0,
        "images-MAX_NUM_FORMS": 1000,
    }
    for index, variant in enumerate(variants):
        data.update({f"variants-{index}-{key}": value for key, value in variant.items()})
    for index, image in enumerate(images):
        data.update({f"images-{index}-{key}": value for key, value in image.items()})
    return data


def png(name="shoe.png", size=(60, 40)) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes(size=size), content_type="image/png")


VARIANT = {
    "sku": "TR-42",
    "name": "42",
    "options-name": "size",
    "options-value": "42",
    "price": "89.00",
    "compare_at_price": "",
    "stock": "7",
    "position": "0",
}
