"""Ingestion tasks: on the corpus queue (settings.CELERY_TASK_ROUTES), one document at a time,
each within its time limit (see speechdraft/corpus/limits.py)."""

import logging
from contextlib import AbstractContextManager, nullcontext

from celery import Task, shared_task
from celery.exceptions import TimeLimitExceeded
from django.conf import settings

from speechdraft.core.deadline import deadline
from speechdraft.corpus.limits import TIMEOUTS, document_fail_timeout
from speechdraft.corpus.models import SourceDocument
from speechdraft.corpus.services import document_ingest_uploaded

logger = logging.getLogger(__name__)


class IngestTask(Task):
    def apply_async(self, args=None, kwargs=None, **options):
        # Celery would put the sender's limits into the message, and they would win over the
        # worker's: the limits are the corpus worker's own settings, set where it runs.
        options.setdefault("soft_time_limit", None)
        options.setdefault("time_limit", None)
        return super().apply_async(args, kwargs, **options)

    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        # The hard limit killed the pool process mid-document: the worker's main process runs
        # this, and the document would otherwise stay 处理中 for ever.
        if isinstance(exc, TimeLimitExceeded) and args:
            document_fail_timeout(args[0])


@shared_task(
    bind=True,
    base=IngestTask,
    name="corpus.ingest_document",
    acks_late=True,
    ignore_result=True,
    soft_time_limit=settings.CORPUS_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CORPUS_TASK_TIME_LIMIT,
)
def ingest_document(self, document_id: int) -> str:
    """Ingest one uploaded document by id; the row's state is the source of truth."""
    document = SourceDocument.objects.filter(pk=document_id).first()
    if document is None:  # deleted while queued: nothing to do
        return "missing"
    try:
        with _time_limit(self):
            return document_ingest_uploaded(document).outcome
    except TIMEOUTS:
        logger.warning("ingest of document %s stopped at its time limit", document_id)
        document_fail_timeout(document_id)
        return "timeout"


def _time_limit(task: Task) -> AbstractContextManager:
    if task.request.is_eager:  # in the web process: no pool to enforce soft_time_limit
        return deadline(settings.CORPUS_TASK_SOFT_TIME_LIMIT)
    return nullcontext()
