"""Every wish has its price when added (0003 filled it in), from now on required. A migration
of its own: PostgreSQL alters the column in a transaction after the one that filled it."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("wishlists", "0003_wishlistitem_price_when_added"),
    ]

    operations = [
        migrations.AlterField(
            model_name="wishlistitem",
            name="price_when_added",
            field=models.PositiveIntegerField(),
        ),
    ]
