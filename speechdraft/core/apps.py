import gc

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "speechdraft.core"
    verbose_name = "基础"

    def ready(self) -> None:
        # Make the Celery app current in every Django process, so @shared_task binds to it.
        from speechdraft.celery import app  # noqa: F401

        # Everything loaded so far (Django, the apps, their modules) lives as long as the
        # process: move it out of the cyclic GC's sight. Full collections otherwise walked some
        # 170,000 such objects and paused requests for 30-60 ms (measured in bench/editor.py).
        gc.collect()
        gc.freeze()
        # A request allocates tens of thousands of short-lived objects (rows, segments, HTML
        # pieces); collecting the young generation less often triggers far fewer full passes.
        gc.set_threshold(20_000, 20, 20)
