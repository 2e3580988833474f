"""The Celery app, configured from Django settings (CELERY_ namespace).

Loaded by speechdraft.core's AppConfig rather than speechdraft/__init__.py, so that importing
the pure text package (speechdraft.text) never pulls in Celery or Django.
"""

import os

from celery import Celery
from celery.signals import celeryd_after_setup

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "speechdraft.settings")

app = Celery("speechdraft")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@celeryd_after_setup.connect
def consume_exports_beside_default_queue(sender, instance, conf, **kwargs) -> None:
    """A worker consuming the default queue (`-Q $CELERY_QUEUE`: worker-export in
    docker-compose.yml and the Makefile) consumes the export queue too.

    Exports still have a queue of their own: the broker alternates between a worker's queues,
    so a backlog of review or re-indexing tasks never stands in front of an export, and a
    worker of its own (`-Q $CELERY_EXPORT_QUEUE`) can be added for exports alone. A worker
    for the corpus queue only is left as it is.
    """
    from django.conf import settings

    queues = instance.app.amqp.queues
    consumed = queues.consume_from
    if (
        settings.CELERY_TASK_DEFAULT_QUEUE in consumed
        and settings.CELERY_EXPORT_QUEUE not in consumed
    ):
        queues.select_add(settings.CELERY_EXPORT_QUEUE)
