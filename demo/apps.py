from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo shop `make run` loads. It builds data for every app, so nothing imports it."""

    name = "demo"
    verbose_name = "Demo shop"
