from urllib.parse import urlsplit

from django.conf import settings
from django.db import migrations


def site_name_set(apps, schema_editor):
    """Name the django.contrib.sites record after the store (allauth uses it in emails)."""
    Site = apps.get_model("sites", "Site")
    domain = urlsplit(settings.SITE_URL).netloc or "127.0.0.1:8000"
    Site.objects.update_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain, "name": settings.STORE_NAME}
    )


class Migration(migrations.Migration):
    dependencies = [("sites", "0002_alter_domain_unique")]

    operations = [migrations.RunPython(site_name_set, migrations.RunPython.noop)]
