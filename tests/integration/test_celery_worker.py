"""A real Celery worker takes the shop's tasks from the Redis broker and runs them.

Everywhere else tests run tasks eagerly in-process; here eager mode is off, tasks travel
through Redis (REDIS_URL, as in CI and production) and an embedded worker thread executes
them. The thread runs in this process, so the locmem email backend's outbox shows what
the worker sent.
"""

import os
import uuid

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.core import mail

from config.celery import app as celery_app
from shop.core.tasks import email_message_send

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"), reason="needs a real Redis broker: set REDIS_URL"
    ),
]

TIMEOUT = 20


@pytest.fixture
def broker_queue():
    """Send tasks to a queue of this test's own through Redis, not eagerly.

    A fresh queue name keeps a parallel run, or any other worker on the same Redis database,
    from taking this test's messages (and this test's worker from taking theirs).
    """
    import celery.contrib.testing.tasks  # noqa: F401  (registers celery.ping for the ping check)

    conf = celery_app.conf
    saved = (conf.task_always_eager, conf.task_default_queue, conf.worker_hijack_root_logger)
    queue = f"agora-test-{uuid.uuid4().hex}"
    conf.task_always_eager = False
    conf.task_default_queue = queue
    conf.worker_hijack_root_logger = False  # leave pytest's log capture alone
    yield queue
    conf.task_always_eager, conf.task_default_queue, conf.worker_hijack_root_logger = saved
    # start_worker(queues=...) narrowed the app's queue selection; build it afresh.
    celery_app.amqp.queues = conf.task_queues
    client = redis.Redis.from_url(conf.broker_url)
    client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    client.close()


def _waiting_messages(queue: str) -> int:
    client = redis.Redis.from_url(celery_app.conf.broker_url)
    try:
        return client.llen(queue)
    finally:
        client.close()


def test_broker_is_redis():
    assert celery_app.conf.broker_url.startswith("redis://")
    assert celery_app.conf.result_backend.startswith("redis://")


def test_worker_sends_email_enqueued_with_delay(broker_queue):
    with start_worker(celery_app, queues=[broker_queue], perform_ping_check=True):
        result = email_message_send.delay(
            subject="Your order has shipped", body="It is on its way.", to=["ada@example.com"]
        )

        result.get(timeout=TIMEOUT)

    assert result.successful()
    (message,) = mail.outbox
    assert message.subject == "Your order has shipped"
    assert message.to == ["ada@example.com"]


def test_task_waits_in_redis_until_a_worker_takes_it(broker_queue):
    result = email_message_send.delay(
        subject="Welcome", body="Hello.", to=["grace@example.com"], html_body="<p>Hello.</p>"
    )

    assert _waiting_messages(broker_queue) == 1
    assert result.state == "PENDING"
    assert mail.outbox == []

    with start_worker(celery_app, queues=[broker_queue], perform_ping_check=False):
        result.get(timeout=TIMEOUT)

    assert _waiting_messages(broker_queue) == 0
    (message,) = mail.outbox
    assert message.alternatives[0].content == "<p>Hello.</p>"
