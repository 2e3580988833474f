"""Services queue their tasks by name (speechdraft.core.queueing.enqueue)."""

import subprocess
import sys

import pytest

from speechdraft.core.queueing import enqueue


def test_a_fresh_process_finds_every_task_by_name_without_importing_it():
    probe = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'speechdraft.settings');"
        "django.setup(); import sys;"
        "from speechdraft.core.queueing import enqueue;"
        "assert 'speechdraft.exports.tasks' not in sys.modules;"
        "from celery import current_app; current_app.conf.task_always_eager = False;"
        "current_app.conf.broker_url = 'redis://127.0.0.1:1/0';"
        "current_app.conf.broker_connection_retry = False;"
        "current_app.conf.broker_transport_options = {'max_retries': 0};"
        "failed = [];"
        "ok = enqueue('exports.render', 0, unavailable=lambda: failed.append(1));"
        "print(ok, failed, 'speechdraft.exports.tasks' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env={"DEBUG": "true", "PATH": "/usr/bin:/bin"},
        timeout=60,
    )
    assert out.stdout.split() == ["False", "[1]", "True"], out.stderr[-2000:]


def test_an_unknown_task_name_is_an_error_not_a_silent_drop():
    with pytest.raises(KeyError):
        enqueue("exports.no_such_task", 1)
