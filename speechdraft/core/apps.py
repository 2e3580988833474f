from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "speechdraft.core"
    verbose_name = "基础"

    def ready(self) -> None:
        # Make the Celery app current in every Django process, so @shared_task binds to it.
        from speechdraft.celery import app  # noqa: F401
