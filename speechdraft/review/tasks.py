import contextlib

from celery import shared_task
from django.conf import settings
from django.core.cache import cache

from speechdraft.review.services import items_index_pending_key, items_index_sync, review_run


@shared_task(name="review.run", acks_late=True, ignore_result=True)
def review_render(run_id: int) -> str:
    return review_run(run_id)


@shared_task(name="review.items_index", acks_late=True, ignore_result=True)
def items_index(owner_id: int) -> int:
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        # Changes from now on queue a run of their own.
        with contextlib.suppress(Exception):
            cache.delete(items_index_pending_key(owner_id))
    return items_index_sync(owner_id)
