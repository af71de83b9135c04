"""Celery tasks of likes, shares and asks: thin, take ids, call services, safe to run twice."""

from celery import shared_task

from social.likes import services


@shared_task
def like_bought_friends_notify(*, like_id: int) -> int:
    """Tell the liker's friends who bought the product (enqueued through the outbox)."""
    return services.like_bought_friends_notify(like_id=like_id)
