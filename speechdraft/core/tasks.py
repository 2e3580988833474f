import os
import socket

from celery import shared_task


@shared_task(bind=True, name="core.ping")
def ping(self) -> dict:
    """Report who executed the task: proves whether a real worker consumed it from the broker."""
    return {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "worker": self.request.hostname,
        "eager": bool(self.request.is_eager),
        "queue": (self.request.delivery_info or {}).get("routing_key"),
    }
