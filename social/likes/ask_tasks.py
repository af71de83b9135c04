"""Beat's task of "ask my friends" (config/settings.py CELERY_BEAT_SCHEDULE). Thin."""

from celery import shared_task

from social.likes import ask_services


@shared_task(name="social.likes.ask_tasks.asks_expire")
def asks_expire() -> int:
    """Close the asks whose 7 days are over. Safe to run twice."""
    return ask_services.asks_expire()
