"""Redis down or hung: the cache misses instead of failing (core/cache.py) and queueing a task
fails within seconds (settings), so editing goes on and an export can offer 重试 at once.

No Redis is needed: a closed port stands for a stopped server, a socket that accepts and never
answers for a hung one. `make faults` plays the same outages against a real stack."""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.cache import caches

from speechdraft.core.cache import FaultTolerantRedisCache
from tests.conftest import PASSWORD, redis_mode

ROOT = Path(__file__).resolve().parents[2]
TIMEOUTS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


@pytest.fixture
def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens there once the socket is closed


@pytest.fixture
def hung_port():
    """Connections are accepted by the kernel (listen backlog) and never answered."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(16)
        yield s.getsockname()[1]


def backend(port: int) -> FaultTolerantRedisCache:
    return FaultTolerantRedisCache(f"redis://127.0.0.1:{port}/0", {"OPTIONS": TIMEOUTS})


def in_redis_mode(code: str, port: int) -> dict:
    """Run `code` in a fresh process whose settings point REDIS_URL at 127.0.0.1:`port`; it
    prints one JSON value."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DEBUG="1",
        REDIS_URL=f"redis://127.0.0.1:{port}/0",
        DJANGO_SETTINGS_MODULE="speechdraft.settings",
    )
    proc = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


# --- the cache ----------------------------------------------------------------------------


MISSES = {
    "get": "默认",
    "get_many": {},
    "has_key": False,
    "add": False,
    "set": None,
    "set_many": ["a", "b"],
    "touch": False,
    "delete": False,
    "delete_many": None,
    "get_or_set": "算出来的",
    "clear": False,
}


def every_operation(cache) -> dict:
    for call in (cache.incr, cache.decr):
        with pytest.raises(ValueError):  # as for a key that is not there
            call("counter")
    return {
        "get": cache.get("k", "默认"),
        "get_many": cache.get_many(["a", "b"]),
        "has_key": cache.has_key("k"),
        "add": cache.add("k", 1),
        "set": cache.set("k", 1),
        "set_many": cache.set_many({"a": 1, "b": 2}),
        "touch": cache.touch("k"),
        "delete": cache.delete("k"),
        "delete_many": cache.delete_many(["a", "b"]),
        "get_or_set": cache.get_or_set("k", "算出来的"),
        "clear": cache.clear(),
    }


def test_a_stopped_redis_reads_as_misses_and_drops_writes(closed_port, caplog):
    started = time.monotonic()
    assert every_operation(backend(closed_port)) == MISSES
    assert time.monotonic() - started < 2
    warnings = [r for r in caplog.records if "cache unavailable" in r.getMessage()]
    assert len(warnings) <= 1  # one line a minute, not one per call


def test_a_hung_redis_costs_the_socket_timeout_per_call(hung_port):
    cache = backend(hung_port)
    started = time.monotonic()
    assert cache.get("k", "默认") == "默认"
    assert cache.add("k", 1) is False
    assert time.monotonic() - started < 2.5


def test_other_redis_errors_still_raise(closed_port, monkeypatch):
    from redis.exceptions import ResponseError

    cache = backend(closed_port)

    def wrong_type(*args, **kwargs):
        raise ResponseError("WRONGTYPE Operation against a key holding the wrong kind of value")

    monkeypatch.setattr(cache._cache, "get", wrong_type)
    with pytest.raises(ResponseError):
        cache.get("k")


@pytest.mark.skipif(not redis_mode(), reason="needs REDIS_URL: a real Redis to round-trip")
def test_with_redis_up_it_is_an_ordinary_redis_cache():
    cache = caches["default"]
    assert isinstance(cache, FaultTolerantRedisCache)
    cache.set("outage-probe", "在", timeout=30)
    assert cache.get("outage-probe") == "在"
    cache.delete("outage-probe")
    assert cache.get("outage-probe") is None


@pytest.mark.django_db
def test_login_editing_and_library_go_on_with_the_cache_down(client, alice, settings, closed_port):
    """The cache holds login-failure counters and the term version stamp: without it a
    drafter still logs in, saves and searches (each was a 500 page with Django's RedisCache)."""
    from speechdraft.drafts.services import draft_create

    settings.CACHES = {
        "default": {
            "BACKEND": "speechdraft.core.cache.FaultTolerantRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port}/0",
            "OPTIONS": TIMEOUTS,
        }
    }
    wrong = client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
    assert wrong.status_code == 200  # refused as usual
    right = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert right.status_code == 302
    draft = draft_create(owner=alice, title="缓存停了也能写")
    item = draft.items.filter(numbered=False).first()
    saved = client.post(
        f"/drafts/{draft.pk}/items/{item.pk}/edit/",
        {"heading": "", "body": "照常保存。", "version": draft.version},
        headers={"HX-Request": "true"},
    )
    assert saved.status_code == 200
    item.refresh_from_db()
    assert item.body == "照常保存。"
    assert client.get(f"/drafts/{draft.pk}/library/", {"q": "发展"}).status_code == 200


# --- queueing tasks -----------------------------------------------------------------------

PUBLISH = """
import json, time
from django.conf import settings
from speechdraft.core.tasks import ping
from speechdraft.exports.tasks import export_render
took = {"cache": settings.CACHES["default"]}
for name, publish in (("export", lambda: export_render.delay(1)), ("ping", ping.delay)):
    started = time.monotonic()
    try:
        publish()
        took[name] = "queued"
    except Exception:  # kombu's OperationalError: what job_enqueue turns into 重试
        took[name] = round(time.monotonic() - started, 2)
print(json.dumps(took))
"""


@pytest.mark.parametrize("server", ["closed_port", "hung_port"])
def test_with_redis_down_or_hung_queueing_fails_within_seconds(server, request):
    """Without bounds the Redis result backend alone retried for 19 s (then told the app to
    restart), and a publish to a hung Redis waited for ever."""
    took = in_redis_mode(PUBLISH, request.getfixturevalue(server))
    assert isinstance(took["export"], float) and took["export"] < 4, took
    assert isinstance(took["ping"], float) and took["ping"] < 5, took
    # And the settings of Redis mode put the cache above in front of it, with short timeouts.
    assert took["cache"]["BACKEND"] == "speechdraft.core.cache.FaultTolerantRedisCache"
    assert took["cache"]["OPTIONS"]["socket_connect_timeout"] <= 1
    assert took["cache"]["OPTIONS"]["socket_timeout"] <= 1
