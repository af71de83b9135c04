"""FeedItem's primary key becomes (activity, owner), with no id column: one index fewer per
row a fan-out writes (the unique (activity, owner) was already there), and no sequence.

Django cannot alter a table's primary key into a composite one, so the old table is renamed
aside, the new one made, the items copied (feed items are derived data, but a feed kept is
better than one rebuilt), the page index built once over the copy, and the old table
dropped. Reversible the same way."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

COPY_FORWARD = """
    INSERT INTO feed_feeditem (activity_id, owner_id, created_at)
    SELECT activity_id, owner_id, created_at FROM feed_feeditemold
"""
COPY_BACKWARD = """
    INSERT INTO feed_feeditemold (owner_id, activity_id, created_at)
    SELECT owner_id, activity_id, created_at FROM feed_feeditem
"""


def _pkey_rename(schema_editor, old: str, new: str) -> None:
    # PostgreSQL keeps a renamed table's primary key name: move it aside, so the new table's
    # is feed_feeditem_pkey (SQLite names no constraints).
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER INDEX IF EXISTS {old} RENAME TO {new}")


def old_pkey_aside(apps, schema_editor) -> None:
    _pkey_rename(schema_editor, "feed_feeditem_pkey", "feed_feeditemold_pkey")


def old_pkey_back(apps, schema_editor) -> None:
    _pkey_rename(schema_editor, "feed_feeditemold_pkey", "feed_feeditem_pkey")


class Migration(migrations.Migration):
    dependencies = [
        ("feed", "0002_fanout_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(model_name="feeditem", name="feed_item_page"),
        migrations.RenameModel(old_name="FeedItem", new_name="FeedItemOld"),
        migrations.RunPython(old_pkey_aside, old_pkey_back, elidable=True),
        migrations.CreateModel(
            name="FeedItem",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "activity",
                        "owner",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                (
                    "activity",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="feed.activity",
                    ),
                ),
                (
                    "owner",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                ("created_at", models.DateTimeField()),
            ],
        ),
        migrations.RunSQL(COPY_FORWARD, COPY_BACKWARD, elidable=True),
        migrations.AddIndex(
            model_name="feeditem",
            index=models.Index(fields=["owner", "-created_at", "-activity"], name="feed_item_page"),
        ),
        migrations.DeleteModel(name="FeedItemOld"),
    ]
