"""Run the same call from several threads at once, each on its own database connection."""

import threading

from django.db import connections


def race(target, *, racers: int) -> list:
    """Run `target` in `racers` threads released together by a barrier.

    Returns each thread's result, or the exception it raised, for the test to judge. Every
    thread closes its own database connections, so the test database can be dropped.
    """
    barrier = threading.Barrier(racers)
    results: list = []

    def run():
        try:
            barrier.wait()
            results.append(target())
        except Exception as exc:  # noqa: BLE001 (reported to the test)
            results.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results
