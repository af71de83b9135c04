"""The product page's main picture at 1x and 2x (ProductImage.display, display_2x).

Images stored before this get theirs made here from their stored picture (our own WebP).
A file that cannot be read is left without them: the page then shows the picture itself.
The sizes are frozen here on purpose (services.DISPLAY_SIZE is the runtime copy).
"""

import io
import secrets

from django.core.files.base import ContentFile
from django.db import migrations, models

import shop.catalog.models

DISPLAY_SIZE = 640


def _webp(image, size: int) -> ContentFile:
    copy = image.copy()
    copy.thumbnail((size, size))
    out = io.BytesIO()
    copy.save(out, "WEBP", quality=82, method=4)
    return ContentFile(out.getvalue(), name=f"{secrets.token_hex(16)}.webp")


def displays_make(apps, schema_editor):
    from PIL import Image

    ProductImage = apps.get_model("catalog", "ProductImage")
    for row in ProductImage.objects.filter(display="").exclude(image="").iterator():
        try:
            with row.image.open("rb") as file:
                image = Image.open(io.BytesIO(file.read()))
                image.load()
        except Exception:  # a missing or unreadable file: the page keeps showing `image`
            continue
        image = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB")
        display = _webp(image, DISPLAY_SIZE)
        row.display.save(display.name, display, save=False)
        if max(image.size) > DISPLAY_SIZE:
            display_2x = _webp(image, 2 * DISPLAY_SIZE)
            row.display_2x.save(display_2x.name, display_2x, save=False)
        row.save(update_fields=["display", "display_2x"])


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_product_title_trigram")]

    operations = [
        migrations.AddField(
            model_name="productimage",
            name="display",
            field=models.ImageField(
                blank=True, editable=False, upload_to=shop.catalog.models.catalog_upload_to
            ),
        ),
        migrations.AddField(
            model_name="productimage",
            name="display_2x",
            field=models.ImageField(
                blank=True, editable=False, upload_to=shop.catalog.models.catalog_upload_to
            ),
        ),
        migrations.RunPython(displays_make, migrations.RunPython.noop, elidable=True),
    ]
