"""Enqueue a Celery task without letting the broker fail or slow down the request.

Every task the code base sends goes through task_enqueue (never `.delay()`): it returns
whether the task was handed to the broker (or, in eager mode, ran) and never raises. What
must not be lost when it returns False is recorded in the outbox first (shop.core.outbox),
whose delivery uses this function and keeps the row unsent until it returns True.

The broker is asked once, with the short timeouts of settings.CELERY_BROKER_TRANSPORT_OPTIONS
and no publish retries, and the result backend not at all (these tasks are fire and
forget). After a failure a circuit breaker skips the broker for BROKER_BREAKER_SECONDS, so
a down broker costs one request one refused connection, not every request a timeout.
"""

import logging

from celery import Task

from shop.core.breaker import breaker_get

logger = logging.getLogger(__name__)

BROKER_BREAKER_SECONDS = 5.0


def _broker_breaker(task: Task):
    return breaker_get(
        name=f"Celery broker {task.app.conf.broker_url}", reset_after=BROKER_BREAKER_SECONDS
    )


def task_enqueue(task: Task, **kwargs) -> bool:
    """Send `task` with keyword arguments `kwargs`; return whether it was sent.

    In eager mode (local default, tests) the task runs here and now; an exception it
    raises is logged and gives False, like a broker that is down.
    """
    if task.app.conf.task_always_eager:
        try:
            task.apply_async(kwargs=kwargs)
        except Exception:
            logger.exception("Task %s failed (eager)", task.name)
            return False
        return True
    breaker = _broker_breaker(task)
    if not breaker.allows():
        return False
    try:
        task.apply_async(kwargs=kwargs, ignore_result=True, retry=False)
    except Exception as exc:  # kombu, redis-py and socket errors differ by transport
        breaker.failed(exc)
        return False
    breaker.succeeded()
    return True
