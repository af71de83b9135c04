from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "shop.catalog"
    label = "catalog"
    verbose_name = "Catalogue"
