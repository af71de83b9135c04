from django.db import migrations

# The same three as services.SHIPPING_METHODS_DEFAULT (copied: a migration must not change
# when the code does). Existing rows with these codes are left as an operator edited them.
DEFAULTS = [
    {
        "code": "standard",
        "name": "Standard delivery",
        "description": "3-5 working days",
        "price": 490,
        "position": 1,
    },
    {
        "code": "express",
        "name": "Express delivery",
        "description": "Next working day",
        "price": 990,
        "position": 2,
    },
    {
        "code": "pickup",
        "name": "Pickup point",
        "description": "Collect it from a pickup point near you, free",
        "price": 0,
        "position": 3,
    },
]


def shipping_methods_add(apps, schema_editor):
    ShippingMethod = apps.get_model("orders", "ShippingMethod")
    for default in DEFAULTS:
        ShippingMethod.objects.get_or_create(
            code=default["code"], defaults={k: v for k, v in default.items() if k != "code"}
        )


class Migration(migrations.Migration):
    dependencies = [("orders", "0002_payment_expiry_refund_merchant_notifications")]

    operations = [migrations.RunPython(shipping_methods_add, migrations.RunPython.noop)]
