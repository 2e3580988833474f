"""Login throttling: failed logins are counted in the cache per account and address.

Three fixed-window counters, each starting at the first failure and expiring with the window:
- one account from one address: `LOGIN_FAILURE_LIMIT` (a person mistyping, or guessing);
- one address over all accounts: 6× that (password spraying from one machine);
- one account from all addresses: 4× that (guessing one account from many machines).
While any counter is over its limit the login is refused before the password is checked, so a
right guess during the lock-out does not get in. A successful login clears the account's
counter for that address. The cache is shared by all processes in production (Redis).
"""

from __future__ import annotations

import hashlib
import math

from django.conf import settings
from django.core.cache import cache

_PREFIX = "login-fail"


def _digest(value: str) -> str:
    # Usernames may hold characters a cache key must not (spaces, control characters).
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def _counters(username: str, address: str) -> list[tuple[str, int]]:
    limit = settings.LOGIN_FAILURE_LIMIT
    account = _digest(username.strip().casefold())
    return [
        (f"{_PREFIX}:pair:{account}:{_digest(address)}", limit),
        (f"{_PREFIX}:addr:{_digest(address)}", limit * 6),
        (f"{_PREFIX}:acct:{account}", limit * 4),
    ]


def client_address(request) -> str:
    """The peer's address. Behind a reverse proxy, configure it to set REMOTE_ADDR
    (e.g. gunicorn's --forwarded-allow-ips); X-Forwarded-For is not trusted here."""
    return (request.META.get("REMOTE_ADDR") or "unknown") if request is not None else "unknown"


def login_locked(username: str, address: str) -> bool:
    counters = _counters(username, address)
    counts = cache.get_many([key for key, _ in counters])
    return any(counts.get(key, 0) >= limit for key, limit in counters)


def login_failure_record(username: str, address: str) -> None:
    for key, _ in _counters(username, address):
        # add() starts the window only on the first failure; incr() keeps its expiry.
        cache.add(key, 0, timeout=settings.LOGIN_LOCKOUT_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr(): start a new window
            cache.set(key, 1, timeout=settings.LOGIN_LOCKOUT_SECONDS)


def login_success(username: str, address: str) -> None:
    key, _ = _counters(username, address)[0]
    cache.delete(key)


def lockout_message() -> str:
    minutes = max(1, math.ceil(settings.LOGIN_LOCKOUT_SECONDS / 60))
    return f"登录失败次数过多，已暂时锁定。请 {minutes} 分钟后再试，或联系管理员。"
