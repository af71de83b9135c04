"""pg_trgm and a trigram index on the product title: the "did you mean" of a search that
found nothing (suggestions.product_search_suggestion) asks it for similar titles.

PostgreSQL only; on SQLite both steps do nothing (the suggestion uses a cached vocabulary).
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEX = "catalog_product_title_trgm"


def index_create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON catalog_product USING gin (title gin_trgm_ops)"
        )


def index_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_admin_field_names")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(index_create, index_drop, elidable=False),
    ]
