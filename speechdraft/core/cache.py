"""A Redis cache the site keeps working without.

Nothing stored in the cache is the only copy of anything (a version stamp, login counters), so
when Redis is down or hung a read is a miss and a write is dropped: editing and saving go on,
with a warning in the log instead of a 500 page. Configure short socket timeouts in OPTIONS, so
a hung Redis costs a fraction of a second per call rather than the request.
"""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
_WARN_EVERY = 60.0  # seconds: one warning per process per minute is enough during an outage
_last_warning = [float("-inf")]


@contextmanager
def _unless_down(operation: str):
    """Run the block; if Redis cannot be reached, log it and carry on after the block."""
    try:
        yield
    except (RedisConnectionError, RedisTimeoutError) as exc:
        now = time.monotonic()
        if now - _last_warning[0] >= _WARN_EVERY:
            _last_warning[0] = now
            logger.warning("cache unavailable (%s: %s); carrying on without it", operation, exc)


class FaultTolerantRedisCache(RedisCache):
    def get(self, key, default=None, version=None):
        with _unless_down("get"):
            return super().get(key, default, version)
        return default

    def get_many(self, keys, version=None):
        with _unless_down("get_many"):
            return super().get_many(keys, version)
        return {}

    def has_key(self, key, version=None):
        with _unless_down("has_key"):
            return super().has_key(key, version)
        return False

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        with _unless_down("add"):
            return super().add(key, value, timeout, version)
        return False

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        with _unless_down("set"):
            super().set(key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        with _unless_down("set_many"):
            return super().set_many(data, timeout, version)
        return list(data)  # the keys that were not stored

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        with _unless_down("touch"):
            return super().touch(key, timeout, version)
        return False

    def incr(self, key, delta=1, version=None):
        with _unless_down("incr"):
            return super().incr(key, delta, version)
        raise ValueError(f"Key '{key}' not found (the cache is unavailable)")  # as for a miss

    def delete(self, key, version=None):
        with _unless_down("delete"):
            return super().delete(key, version)
        return False

    def delete_many(self, keys, version=None):
        with _unless_down("delete_many"):
            super().delete_many(keys, version)

    def clear(self):
        with _unless_down("clear"):
            return super().clear()
        return False
