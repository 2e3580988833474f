"""The in-process deadline: stops busy Python code in any thread, and never goes off late."""

import contextlib
import threading
import time

import pytest

from speechdraft.core.deadline import DeadlineExceeded, deadline


def busy(seconds: float) -> int:
    """Pure-Python work, like parsing: no sleeping, no long call into C."""
    end = time.monotonic() + seconds
    n = 0
    while time.monotonic() < end:
        n += 1
    return n


def test_busy_work_is_stopped_at_the_deadline():
    start = time.monotonic()
    with pytest.raises(DeadlineExceeded), deadline(0.3):
        busy(10)
    assert time.monotonic() - start < 2


def test_it_works_outside_the_main_thread_too():
    """A request in runserver (embedded mode) runs in a thread: no signals there."""
    outcome = {}

    def work():
        start = time.monotonic()
        try:
            with deadline(0.3):
                busy(10)
            outcome["result"] = "finished"
        except DeadlineExceeded:
            outcome["result"] = "stopped"
        outcome["seconds"] = time.monotonic() - start

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(timeout=10)
    assert outcome["result"] == "stopped" and outcome["seconds"] < 2


def test_work_done_in_time_is_left_alone_and_nothing_goes_off_later():
    with deadline(0.3):
        value = busy(0.05)
    assert value > 0
    busy(0.6)  # past the deadline: the cancelled timer raises nothing here


def test_an_error_made_of_the_stop_is_reported_as_the_stop():
    """Code that turns any error into its own (decode: "文件可能已损坏") must not hide it."""
    with pytest.raises(DeadlineExceeded) as info, deadline(0.3):
        try:
            busy(10)
        except Exception as exc:
            raise ValueError("文件可能已损坏") from exc
    assert isinstance(info.value.__cause__, ValueError)


def test_an_error_before_the_deadline_stays_what_it_is():
    with pytest.raises(KeyError), deadline(5):
        raise KeyError("x")


def test_a_body_that_swallows_the_stop_still_ends_stopped():
    # The body (innermost) swallows every exception, the stop included.
    with pytest.raises(DeadlineExceeded), deadline(0.3), contextlib.suppress(Exception):
        busy(10)
