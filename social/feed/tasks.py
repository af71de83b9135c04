"""Celery tasks of the feed: thin, take ids, call services, safe to run twice."""

from celery import shared_task

from social.feed import services


@shared_task
def activity_fanout(*, activity_id: int) -> int:
    """Deliver one activity to its audience's feeds (enqueued through the outbox)."""
    return services.activity_fanout(activity_id=activity_id)


@shared_task
def feed_rebuild(*, user_id: int) -> int:
    """Rebuild a returning person's feed (enqueued through the outbox at log-in)."""
    return services.feed_rebuild(user_id=user_id)


@shared_task
def feeds_trim() -> int:
    """Beat: cut every feed to its newest FEED_MAX_ITEMS."""
    return services.feeds_trim()


@shared_task
def fanouts_resume() -> int:
    """Beat: finish the fan-outs a killed worker or a lost task left half-done."""
    return services.fanouts_resume()
