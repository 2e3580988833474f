"""The GC tuning is the web server's: a worker, a management command or a test process that
loads the apps keeps Python's defaults; the WSGI module (gunicorn, runserver) applies it."""

import os
import subprocess
import sys

PROBE = """
import gc, os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "speechdraft.settings")
django.setup()
before = (gc.get_freeze_count(), gc.get_threshold()[0])
import speechdraft.wsgi
after = (gc.get_freeze_count(), gc.get_threshold()[0])
print(before[0], before[1], after[0], after[1])
"""


def test_only_the_wsgi_module_freezes_and_retunes_the_gc():
    env = {**os.environ, "DEBUG": "true"}
    out = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, check=True
    ).stdout.split()
    frozen_before, threshold_before, frozen_after, threshold_after = map(int, out)
    assert frozen_before == 0 and threshold_before == 700  # the apps alone: Python's defaults
    assert frozen_after > 10_000 and threshold_after == 20_000
