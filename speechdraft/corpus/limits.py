"""The time limit of one document's ingestion: what stops it, and what the curator reads.

In a worker, Celery enforces CORPUS_TASK_SOFT_TIME_LIMIT (SoftTimeLimitExceeded, raised in the
pool process by a signal) and CORPUS_TASK_TIME_LIMIT (the process is killed). In embedded mode
the task runs in the web process, where neither exists: speechdraft.core.deadline bounds it.
Either way the document ends 失败 with the same message, and nothing of it is stored: the store
step is one transaction, rolled back by the exception.
"""

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import DatabaseError, connection

from speechdraft.core.deadline import DeadlineExceeded
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
