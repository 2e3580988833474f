"""Stop a piece of work that runs past its time, in whatever thread runs it (no Django).

For tasks run in the web process (embedded mode), where Celery's time limits do not exist:
those are enforced by a prefork worker's pool with signals, and signals reach only a process's
main thread, while a request runs in one of runserver's threads. Here a timer thread raises
`DeadlineExceeded` inside the working thread instead (CPython's PyThreadState_SetAsyncExc).
It takes effect at the thread's next bytecode: busy Python code (parsing, segmenting, storing)
stops at once, but a single long call into C code returns first, a regular expression among
them (which a signal, in a worker, would interrupt: the regex engine checks for signals).
"""

import ctypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class DeadlineExceeded(Exception):
    """Raised inside the work when its deadline has passed."""


def _set_async_exc(thread_id: int, exc: type[BaseException] | None) -> None:
    """Have `exc` raised in the thread at its next bytecode; None takes a pending one back."""
    pending = ctypes.py_object(exc) if exc is not None else None  # None is passed as NULL
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), pending)


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Run the body for at most `seconds`, else raise DeadlineExceeded from where it is.

    Once the deadline has passed, whatever the body ends with is DeadlineExceeded: code that
    turns any error into its own (a parser's "file damaged") must not hide the real reason.
    """
    target = threading.get_ident()
    lock = threading.Lock()
    fired = threading.Event()
    done = False

    def fire() -> None:
        with lock:
            if not done:
                fired.set()
                _set_async_exc(target, DeadlineExceeded)

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    except BaseException as exc:
        if fired.is_set() and not isinstance(exc, DeadlineExceeded):
            raise DeadlineExceeded from exc
        raise
    finally:
        with lock:
            done = True
        timer.cancel()
        if fired.is_set():
            # The body may have ended after the timer fired but before the exception was
            # delivered: take it back, so that it cannot go off later in the caller's code.
            _set_async_exc(target, None)
    if fired.is_set():
        raise DeadlineExceeded
