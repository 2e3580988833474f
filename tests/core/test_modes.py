"""Prove which backends a run really uses: PostgreSQL + Redis + a real worker, or embedded."""

import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from speechdraft.core.tasks import ping
from tests.conftest import postgres_mode, redis_mode


@pytest.mark.django_db
def test_database_is_the_one_configured():
    with connection.cursor() as cursor:
        if postgres_mode():
            cursor.execute("SELECT version()")
            assert "PostgreSQL" in cursor.fetchone()[0]
        else:
            cursor.execute("SELECT sqlite_version()")
            assert cursor.fetchone()[0]
    assert connection.vendor == ("postgresql" if postgres_mode() else "sqlite")


@pytest.mark.skipif(redis_mode(), reason="embedded mode only (REDIS_URL is set)")
def test_embedded_mode_runs_tasks_in_process():
    assert settings.CELERY_TASK_ALWAYS_EAGER is True
    result = ping.delay().get(timeout=5)
    assert result["eager"] is True
    assert result["pid"] == os.getpid()


@pytest.mark.skipif(not redis_mode(), reason="needs REDIS_URL: Redis broker and real worker")
def test_task_is_consumed_from_redis_by_a_real_worker(celery_worker):
    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    result = ping.delay().get(timeout=30)
    assert result["eager"] is False
    assert result["pid"] == celery_worker["pid"] != os.getpid()
    assert result["worker"] == celery_worker["node"]
    assert result["queue"] == celery_worker["queue"]
    assert "core.ping" in celery_worker["log"].read_text()


@pytest.mark.skipif(not redis_mode(), reason="needs REDIS_URL: the cache is Redis only then")
def test_cache_is_redis_when_configured():
    import redis

    cache.set("mode-probe", "是", timeout=30)
    assert cache.get("mode-probe") == "是"
    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    assert any(b"mode-probe" in key for key in client.keys("*mode-probe*"))
