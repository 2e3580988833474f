"""Ingestion tasks, on the corpus queue (settings.CELERY_TASK_ROUTES), so that no upload ever
holds an export.

An upload (or 重新导入) is one batch and one job, `ingest_batch`: its documents one after
another, in the order given, each within its own time limit (speechdraft/corpus/limits.py),
the outcome of each recorded on the batch for the upload page. A run hands the rest of the
batch over to a fresh run of itself, queued behind whatever came in meanwhile (another
curator's batch), once it has worked BATCH_SLICE_SECONDS: no run is long enough to outlast the
broker's visibility timeout, and the hard limit that kills a stuck process stays short.
"""

import logging
import time
from contextlib import AbstractContextManager, nullcontext

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded
from django.conf import settings

from speechdraft.core.deadline import deadline
from speechdraft.corpus import services
from speechdraft.corpus.limits import TIMEOUTS, document_fail_timeout, document_time_limit
from speechdraft.corpus.models import SourceDocument

logger = logging.getLogger(__name__)

# How long one run of a batch starts new documents; each has its full time limit besides.
BATCH_SLICE_SECONDS = 10


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


class BatchTask(IngestTask):
    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        # The hard limit killed the pool process mid-document: that document failed, the rest
        # of the batch goes on in a fresh process.
        if isinstance(exc, TimeLimitExceeded) and args:
            item = services.batch_processing_item(args[0])
            if item is not None:
                if item.document_id is not None:
                    document_fail_timeout(item.document_id)
                services.batch_item_fail(item.pk)
            services.batch_enqueue(args[0])


@shared_task(
    bind=True,
    base=BatchTask,
    name="corpus.ingest_batch",
    acks_late=True,
    ignore_result=True,
    # Backstops: each document has its own soft limit, started within the slice.
    soft_time_limit=settings.CORPUS_TASK_SOFT_TIME_LIMIT + BATCH_SLICE_SECONDS,
    time_limit=settings.CORPUS_TASK_TIME_LIMIT + BATCH_SLICE_SECONDS,
)
def ingest_batch(self, batch_id: int) -> str:
    """Ingest a batch's documents in order; the items' states are the source of truth."""
    in_worker = not self.request.is_eager
    started, ingested = time.monotonic(), 0
    while (item := services.batch_next_item(batch_id)) is not None:
        if in_worker and ingested and time.monotonic() - started >= BATCH_SLICE_SECONDS:
            services.batch_enqueue(batch_id)
            return "continued"
        ingested += 1
        try:
            with document_time_limit(settings.CORPUS_TASK_SOFT_TIME_LIMIT, signals=in_worker):
                services.batch_item_ingest(item)
        except TIMEOUTS as exc:
            logger.warning("ingest of document %s stopped at its time limit", item.document_id)
            if item.document_id is not None:
                document_fail_timeout(item.document_id)
            services.batch_item_fail(item.pk)
            if isinstance(exc, SoftTimeLimitExceeded):  # the run's own limit: hand over now
                services.batch_enqueue(batch_id)
                return "continued"
        except Exception:
            logger.exception("ingest of batch %s failed at item %s", batch_id, item.pk)
            services.batch_item_fail(item.pk, services.internal_error_message(item.file_name))
    services.batch_finish(batch_id)
    return "done"


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
    """One document by id: what uploads queued before batches existed (still in a queue when
    the site is upgraded). New uploads are batches."""
    document = SourceDocument.objects.filter(pk=document_id).first()
    if document is None:  # deleted while queued: nothing to do
        return "missing"
    try:
        with _time_limit(self):
            return services.document_ingest_uploaded(document).outcome
    except TIMEOUTS:
        logger.warning("ingest of document %s stopped at its time limit", document_id)
        document_fail_timeout(document_id)
        return "timeout"


def _time_limit(task: Task) -> AbstractContextManager:
    if task.request.is_eager:  # in the web process: no pool to enforce soft_time_limit
        return deadline(settings.CORPUS_TASK_SOFT_TIME_LIMIT)
    return nullcontext()
