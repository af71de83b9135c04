"""WishlistItem.price_when_added: the variant's price when the wish was made. Wishes made
before it existed take the price of their variant now (no drop shown for them yet)."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def price_when_added_backfill(apps, schema_editor):
    WishlistItem = apps.get_model("wishlists", "WishlistItem")
    Variant = apps.get_model("catalog", "Variant")
    WishlistItem.objects.update(
        price_when_added=Subquery(
            Variant.objects.filter(pk=OuterRef("variant_id")).values("price")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0006_merchant_policies_product_ratings"),
        ("wishlists", "0002_asks"),
    ]

    operations = [
        migrations.AddField(
            model_name="wishlistitem",
            name="price_when_added",
            field=models.PositiveIntegerField(null=True),
        ),
        migrations.RunPython(price_when_added_backfill, migrations.RunPython.noop),
    ]
