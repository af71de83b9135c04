"""Create the "Merchant staff" group with its model permissions on the catalogue.

Permissions are normally created after all migrations (post_migrate), so they are created
here first for the catalogue app. The list is frozen here on purpose; the runtime copy is
services.MERCHANT_STAFF_PERMISSIONS (merchant_staff_group_ensure repairs the group).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Merchant staff"
PERMISSIONS = {
    "product": ("view", "add", "change", "delete"),
    "variant": ("view", "add", "change", "delete"),
    "productimage": ("view", "add", "change", "delete"),
    "merchant": ("view", "change"),
    "category": ("view",),
}


def group_create(apps, schema_editor):
    app_config = apps.get_app_config("catalog")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    codenames = [f"{action}_{model}" for model, actions in PERMISSIONS.items() for action in actions]
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="catalog", codename__in=codenames)
    )


def group_delete(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(group_create, group_delete)]
