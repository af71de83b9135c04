"""The default shipping methods: added by a data migration, and again by a command."""

import importlib

import pytest
from django.apps import apps
from django.core.management import call_command

from shop.orders.models import ShippingMethod

pytestmark = pytest.mark.django_db


def test_the_data_migration_adds_standard_express_and_pickup():
    # Called directly: a transactional test elsewhere may have flushed what it added when
    # the test database was migrated.
    migration = importlib.import_module("shop.orders.migrations.0003_default_shipping_methods")
    ShippingMethod.objects.all().delete()

    migration.shipping_methods_add(apps, None)
    migration.shipping_methods_add(apps, None)

    prices = dict(ShippingMethod.objects.values_list("code", "price"))
    assert prices == {"standard": 490, "express": 990, "pickup": 0}


def test_the_command_adds_missing_defaults_and_keeps_edited_ones(capsys):
    call_command("shipping_methods_default")
    ShippingMethod.objects.filter(code="pickup").delete()
    ShippingMethod.objects.filter(code="express").update(price=1290)

    call_command("shipping_methods_default")

    prices = dict(ShippingMethod.objects.values_list("code", "price"))
    assert prices == {"standard": 490, "express": 1290, "pickup": 0}
    assert "pickup: Pickup point, €0.00" in capsys.readouterr().out
