"""The time limit of one document's ingestion: what stops it, and what the curator reads.

A batch's documents are ingested one after another in one task (speechdraft.corpus.tasks), so
each document's CORPUS_TASK_SOFT_TIME_LIMIT is its own timer, `document_time_limit`: in a worker
(the pool process's main thread) a SIGALRM whose handler raises DeadlineExceeded, which also
interrupts a long regular expression, as Celery's own soft limit would; in embedded mode, where
the task runs in one of the web process's threads, speechdraft.core.deadline. A process stuck
where neither reaches is killed by the task's hard limit (CORPUS_TASK_TIME_LIMIT plus the time
a task gives to the batch before handing over). Either way the document ends 失败 with the same
message, and nothing of it is stored: the store step is one transaction, rolled back by the
exception.
"""

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import DatabaseError, connection

from speechdraft.core.deadline import DeadlineExceeded, deadline
from speechdraft.corpus.models import SourceDocument

# What is raised inside the work when the soft limit passes, in a worker or in-process.
TIMEOUTS = (SoftTimeLimitExceeded, DeadlineExceeded)


def timeout_message(file_name: str, seconds: int) -> str:
    return (
        f"处理超时：文件“{file_name}”处理超过 {seconds} 秒，已停止。"
        "请检查文件是否为正常的讲话稿文本，或拆分后重新上传。"
    )


def document_fail_timeout(document_id: int) -> None:
    """Mark a document whose ingestion was stopped. One stored meanwhile stays done; one marked
    failed on the way out (an error caused by the stop itself) gets the real reason."""

    def mark() -> None:
        document = SourceDocument.objects.filter(pk=document_id).first()
        if document is None:
            return
        message = timeout_message(document.file_name, settings.CORPUS_TASK_SOFT_TIME_LIMIT)
        SourceDocument.objects.filter(
            pk=document_id,
            state__in=[
                SourceDocument.State.PENDING,
                SourceDocument.State.PROCESSING,
                SourceDocument.State.FAILED,
            ],
        ).update(state=SourceDocument.State.FAILED, error=message)

    try:
        mark()
    except DatabaseError:
        # The limit can strike in the middle of a query, leaving the connection unusable.
        connection.close()
        mark()


@contextmanager
def document_time_limit(seconds: float, *, signals: bool) -> Iterator[None]:
    """Run the body for at most `seconds`, else raise DeadlineExceeded from where it is.

    `signals`: use SIGALRM (a worker's pool process; only its main thread can take signals).
    As with speechdraft.core.deadline, once the time is up whatever the body ends with is
    DeadlineExceeded: a parser's "file damaged" must not hide the real reason.
    """
    if not (signals and threading.current_thread() is threading.main_thread()):
        with deadline(seconds):
            yield
        return
    fired = done = False

    def on_alarm(signum, frame) -> None:
        nonlocal fired
        if not done:
            fired = True
            raise DeadlineExceeded

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        try:
            yield
        finally:
            done = True  # an alarm from here on is too late to stop anything
    except BaseException as exc:
        if fired and not isinstance(exc, DeadlineExceeded):
            raise DeadlineExceeded from exc
        raise
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    if fired:
        raise DeadlineExceeded
