"""`celery` with a fault hook in the Word render, for the fault scenarios only.

Production code has no test switch: this wrapper patches the render in the worker it starts.
  FAULTS_RENDER_DELAY  seconds each render waits once its job is marked running, so a test can
                       kill the worker mid-render
  FAULTS_RENDER_CRASH  "1": each render kills its own pool process (a job that always crashes)
When a render begins, "<draft id> <pid>" is written to $FAULTS_DIR/render-started.
"""

import os
import signal
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "speechdraft.settings")
django.setup()

from celery.__main__ import main  # noqa: E402

from speechdraft.exports import services  # noqa: E402

_render_bytes = services.render_bytes


def render_bytes(draft, version, **kwargs):
    path = os.path.join(os.environ["FAULTS_DIR"], "render-started")
    with open(path + ".tmp", "w") as f:
        f.write(f"{draft.pk} {os.getpid()}\n")
    os.replace(path + ".tmp", path)
    if os.environ.get("FAULTS_RENDER_CRASH") == "1":
        os.kill(os.getpid(), signal.SIGKILL)
    time.sleep(float(os.environ.get("FAULTS_RENDER_DELAY") or 0))
    return _render_bytes(draft, version, **kwargs)


services.render_bytes = render_bytes

if __name__ == "__main__":
    sys.argv[0] = "celery"
    sys.exit(main())
