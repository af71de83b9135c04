"""Run a task for many people at the same moment, as the contention benchmarks do.

Each call runs in its own thread with its own database connection (closed when it ends), and
all start together behind a barrier, so they meet at the same rows.
"""

import threading
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

from django.db import connection

T = TypeVar("T")


def run_at_once(task: Callable[[T], str], items: Sequence[T]) -> tuple[list[str], float]:
    """Run TASK(item) for every item of ITEMS at once, one thread each. TASK returns its
    outcome; a DomainError it raises counts as its code, and any other exception as
    "error:<type>: <message>" (a finding, not a crash of the bench). Returns the outcomes (in
    the order they ended) and the seconds taken."""
    from shop.core.errors import DomainError

    barrier = threading.Barrier(len(items))
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(item: T) -> None:
        barrier.wait()
        try:
            result = task(item)
        except DomainError as exc:
            result = str(exc.code)
        except Exception as exc:  # a database error is a finding, not a crash of the bench
            result = f"error:{type(exc).__name__}: {exc}"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    started = time.perf_counter()
    threads = [threading.Thread(target=attempt, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes, time.perf_counter() - started
