"""task_enqueue: a task is sent or not, never an exception or a wait in the request."""

import logging
import time

import pytest
from celery import shared_task

from config.celery import app as celery_app
from shop.core.breaker import breakers_reset
from shop.core.enqueue import task_enqueue

CLOSED = "redis://127.0.0.1:6399/0"
ran = []


@shared_task
def _record(*, value: int) -> None:
    ran.append(value)


@shared_task
def _broken() -> None:
    raise RuntimeError("template missing")


@pytest.fixture
def broker_down(settings):
    """The settings' broker options, a broker that refuses connections, eager mode off."""
    conf = celery_app.conf
    saved = (conf.task_always_eager, conf.broker_url, conf.result_backend)
    conf.task_always_eager = False
    conf.broker_url = conf.result_backend = CLOSED
    _reset()
    yield
    conf.task_always_eager, conf.broker_url, conf.result_backend = saved
    _reset()


def _reset():
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    celery_app._local.__dict__.pop("backend", None)
    breakers_reset()


def test_an_eager_task_runs_and_counts_as_sent():
    ran.clear()

    assert task_enqueue(_record, value=7) is True
    assert ran == [7]


def test_an_eager_task_that_fails_is_logged_and_counts_as_not_sent(caplog):
    with caplog.at_level(logging.ERROR, logger="shop.core.enqueue"):
        assert task_enqueue(_broken) is False

    assert "template missing" in caplog.text


def test_a_broker_that_is_down_gives_false_at_once(broker_down, settings, caplog):
    settings_options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    celery_app.conf.broker_transport_options = settings_options
    celery_app.conf.task_publish_retry = settings.CELERY_TASK_PUBLISH_RETRY

    # At WARNING whatever an earlier test left: a Celery test worker sets the root logger to ERROR.
    caplog.set_level(logging.WARNING, logger="shop.core.breaker")

    started = time.monotonic()
    sent = [task_enqueue(_record, value=value) for value in range(5)]
    seconds = time.monotonic() - started

    assert sent == [False] * 5
    assert seconds < 0.5  # one refused connection, then the breaker; it was ~19 s
    warnings = [r.getMessage() for r in caplog.records if r.name == "shop.core.breaker"]
    assert len(warnings) == 1 and "Celery broker" in warnings[0]


def test_the_settings_make_publishing_fail_fast(settings):
    assert settings.CELERY_TASK_PUBLISH_RETRY is False
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    assert options["max_retries"] == 0
    assert options["socket_connect_timeout"] <= 0.5
