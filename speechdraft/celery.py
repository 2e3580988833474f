"""The Celery app, configured from Django settings (CELERY_ namespace).

Loaded by speechdraft.core's AppConfig rather than speechdraft/__init__.py, so that importing
the pure text package (speechdraft.text) never pulls in Celery or Django.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "speechdraft.settings")

app = Celery("speechdraft")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
