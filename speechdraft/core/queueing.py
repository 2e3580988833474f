"""Queueing a background task: one way for every app.

Tasks are named (``@shared_task(name="exports.render")``) and looked up by that name, so a
service queues its own app's task without importing the tasks module (which imports the
service: the cycle that pushed these imports into functions). With the broker down the task
is not queued: the caller's `unavailable` marks its row failed with a message the user sees,
instead of leaving it 排队中 for ever.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from celery import current_app

logger = logging.getLogger(__name__)


def enqueue(name: str, *args, unavailable: Callable[[], None] | None = None) -> bool:
    """Queue task `name` with `args` (in-process mode: run it now). False when the broker
    could not be reached; `unavailable` has then been called."""
    if name not in current_app.tasks:
        # The apps' tasks modules are imported when a worker starts; elsewhere on first use.
        current_app.loader.import_default_modules()
    task = current_app.tasks[name]
    try:
        task.delay(*args)
    except Exception:  # kombu/redis connection errors: the broker is down
        logger.exception("could not queue %s%r", name, args)
        if unavailable is not None:
            unavailable()
        return False
    return True
