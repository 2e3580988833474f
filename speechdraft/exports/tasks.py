from celery import shared_task
from django.db import DatabaseError

from speechdraft.exports.services import MAX_ATTEMPTS, job_fail, job_run


@shared_task(
    bind=True,
    name="exports.render",
    acks_late=True,  # a worker killed mid-render leaves the message to be delivered again
    reject_on_worker_lost=True,
    max_retries=MAX_ATTEMPTS - 1,
    ignore_result=True,  # the job row holds the outcome; no result backend round trip to fail
)
def export_render(self, job_id: int) -> str:
    try:
        return job_run(job_id)
    except (DatabaseError, OSError) as exc:  # transient: database or storage hiccup
        if self.request.retries >= self.max_retries:
            job_fail(job_id, "导出失败（服务暂时出错），请点“重试”。")
            raise
        raise self.retry(exc=exc, countdown=min(30, 2**self.request.retries)) from exc
