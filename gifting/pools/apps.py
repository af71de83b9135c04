from django.apps import AppConfig


class PoolsConfig(AppConfig):
    """Group gift pools: friends chip in towards one gift, collected up to its target."""

    name = "gifting.pools"
    label = "pools"
    verbose_name = "Gift pools"
