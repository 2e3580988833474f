"""Login throttling: login attempts are counted in the cache per account and per address.

Three fixed-window counters, each starting at the first attempt and expiring with the window
(`LOGIN_LOCKOUT_SECONDS`):
- one account from one address: `LOGIN_FAILURE_LIMIT` (a person mistyping, or guessing);
- one account from all addresses: 4× that (guessing one account from many machines);
- one address over all accounts: 6× that (password spraying from one machine).
Over either account limit the login is refused before the password is checked, so a right
guess during the lock-out does not get in. The address limit does not lock anyone out: an
office behind one NAT, or everyone behind a proxy not listed in `TRUSTED_PROXIES`, shares an
address. Past it, each attempt from that address waits before its password is checked, one
second at first and doubling every `LOGIN_FAILURE_LIMIT` further failures up to four; the right
password of an existing account still gets in, only later. Only one attempt per address waits
at a time (the others are told to retry in a few seconds), so the delay cannot tie up every
web worker. (Refusing just unknown usernames
instead would tell a guesser which usernames exist.)

An attempt takes its place in the counters with an atomic increment (cache.add + cache.incr,
atomic on Redis and locmem) before its password is checked, so N guesses at once cannot all
see the count below the limit: at most `LOGIN_FAILURE_LIMIT` of them are checked, and the
others are told to retry in a few seconds (not that the account is locked: they may be
colleagues signing in to one shared account). A failure keeps its place, a success clears the
account's counter for that address and gives back its places in the others, and an attempt
that is refused or checks no password gives its places back. Counters are keyed on the
username as Django's login matches it (case-sensitive, NFKC-normalised by the form), so
failures for `strasse` do not lock `straße`. The cache is shared by all processes in
production (Redis); while it is unreachable nothing is counted.
"""

from __future__ import annotations

import functools
import hashlib
import ipaddress
import math
import time
import unicodedata

from django.conf import settings
from django.core.cache import cache

_PREFIX = "login-fail"
ACCOUNT_FACTOR = 4  # failures for one account from all addresses, in LOGIN_FAILURE_LIMITs
ADDRESS_FACTOR = 6  # failures from one address over all accounts, in LOGIN_FAILURE_LIMITs
ADDRESS_DELAY_FIRST = 1.0  # seconds, once an address is past its limit
ADDRESS_DELAY_MAX = 4.0
_sleep = time.sleep  # replaced in tests


def _digest(value: str) -> str:
    # Usernames may hold characters a cache key must not (spaces, control characters).
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def account_key(username: str) -> str:
    """The counter identity of a username: the name Django's ModelBackend looks up (the login
    form NFKC-normalises it and the lookup is exact), not a case-folded one, so distinct
    accounts such as `strasse` and `straße` never share a counter."""
    return _digest(unicodedata.normalize("NFKC", username))


@functools.lru_cache(maxsize=8)
def _networks(
    proxies: tuple[str, ...],
) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(proxy.strip(), strict=False) for proxy in proxies)


def _ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        ip = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    mapped = getattr(ip, "ipv4_mapped", None)  # ::ffff:10.1.2.3 is 10.1.2.3
    return mapped or ip


def _trusted(ip, networks) -> bool:
    return any(ip.version == net.version and ip in net for net in networks)


def client_address(request) -> str:
    """The client's address. REMOTE_ADDR, unless it is one of `TRUSTED_PROXIES`: then the
    right-most X-Forwarded-For entry that is not itself a trusted proxy (entries further left
    were written by the client and prove nothing). Without trusted proxies X-Forwarded-For is
    ignored. gunicorn's --forwarded-allow-ips does not change REMOTE_ADDR; this setting does."""
    if request is None:
        return "unknown"
    remote = request.META.get("REMOTE_ADDR") or ""
    peer = _ip(remote)
    if peer is None:
        return remote or "unknown"
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    if not _trusted(peer, networks):
        return str(peer)
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        ip = _ip(hop)
        if ip is None:
            # Not an address (a proxy's "unknown", a port): stop at the last hop we trust
            # rather than count an arbitrary string as a client of its own.
            return str(peer)
        peer = ip
        if not _trusted(ip, networks):
            return str(ip)
    return str(peer)  # every hop is a trusted proxy: the furthest one is the client


# One integer per counter holds both what it counts: a failure adds _FAILED, an attempt whose
# password is being checked adds 1 until it ends. So one atomic increment both takes an
# attempt's place and tells how many failed or are being checked before it.
_FAILED = 1_000_000


def _bump(key: str, delta: int) -> int | None:
    """Add `delta` to `key` atomically and return the new value (None: no such counter)."""
    try:
        value = cache.incr(key, delta)  # keeps the window's expiry
    except ValueError:  # the window ended, or the cache is unreachable
        return None
    if value < 0 or value % _FAILED > _FAILED // 2:
        # The key lapsed just before incr() and Redis made a new one from this delta alone,
        # without a timeout: drop it rather than keep a count that would never expire.
        cache.delete(key)
        return None
    return value


def _take(key: str) -> int | None:
    """Take one attempt's place in `key`; the new value (None: the cache is unreachable)."""
    window = settings.LOGIN_LOCKOUT_SECONDS
    cache.add(key, 0, timeout=window)  # starts the window; a no-op while it runs
    value = _bump(key, 1)
    if value is None:  # expired between add() and incr(), or the cache is down
        return 1 if cache.add(key, 1, timeout=window) else None
    if value == 1:
        # The first of a window (or all places given back): make sure it expires, even if the
        # key lapsed just before incr() and Redis recreated it without a timeout.
        cache.touch(key, timeout=window)
    return value


class LoginAttempt:
    """One login attempt, counted before its password is checked.

    `refused`: over an account limit, do not check the password (`busy`: only because that
    many attempts for the account are being checked right now). Otherwise call `wait()`, check
    the password, then exactly one of `failed()`, `succeeded()` or `abandoned()`.
    """

    def __init__(self, username: str, address: str) -> None:
        limit = settings.LOGIN_FAILURE_LIMIT
        account = account_key(username)
        self._pair = f"{_PREFIX}:pair:{account}:{_digest(address)}"
        self._account = f"{_PREFIX}:acct:{account}"
        self._address = f"{_PREFIX}:addr:{_digest(address)}"
        self._held: list[str] = []
        self.refused = self.busy = False
        self.delay = 0.0
        for key, key_limit in ((self._pair, limit), (self._account, limit * ACCOUNT_FACTOR)):
            value = _take(key)
            if value is None:  # cache unreachable: nothing is counted, nothing refused
                self._give_back_all()
                return
            self._held.append(key)
            failures, checking = divmod(value, _FAILED)  # `checking` includes this attempt
            if failures + checking > key_limit:
                self.refused, self.busy = True, failures < key_limit
                self._give_back_all()
                return
        value = _take(self._address)
        if value is not None:
            self._held.append(self._address)
            failures, checking = divmod(value, _FAILED)
            self.delay = address_delay(failures + checking - 1)

    @property
    def slowed(self) -> bool:
        return self.delay > 0

    def wait(self) -> bool:
        """Wait out the address's delay; False (do not check the password) when another
        attempt from the address is waiting already: one at a time, so a noisy address
        holds at most one web worker asleep, never all of them."""
        if not self.delay:
            return True
        waiting = f"{self._address}:waiting"
        try:
            alone = cache.add(waiting, 1, timeout=math.ceil(self.delay) + 1)
        except Exception:  # the cache went away between two calls: do not count on it
            alone = True
        if not alone:
            return False
        try:
            _sleep(self.delay)
        finally:
            cache.delete(waiting)
        return True

    def failed(self) -> None:
        for key in self._held:
            _bump(key, _FAILED - 1)  # from being checked to failed
        self._held = []

    def succeeded(self) -> None:
        if self._pair in self._held:
            self._held.remove(self._pair)
            cache.delete(self._pair)
        self._give_back_all()

    def abandoned(self) -> None:
        self._give_back_all()

    def _give_back_all(self) -> None:
        for key in self._held:
            _bump(key, -1)
        self._held = []


def address_delay(failures: int) -> float:
    """Seconds an attempt waits after `failures` failed (or pending) attempts from its address."""
    limit = settings.LOGIN_FAILURE_LIMIT
    past = failures - limit * ADDRESS_FACTOR
    if past < 0:
        return 0.0
    return min(ADDRESS_DELAY_MAX, ADDRESS_DELAY_FIRST * 2 ** min(past // limit, 32))


def lockout_message() -> str:
    minutes = max(1, math.ceil(settings.LOGIN_LOCKOUT_SECONDS / 60))
    return f"登录失败次数过多，已暂时锁定。请 {minutes} 分钟后再试，或联系管理员。"


def busy_message() -> str:
    return "此账号同时进行的登录尝试过多，请稍等几秒再试。"


def address_busy_message() -> str:
    return "此网络地址的登录尝试过于频繁，请稍等几秒再试。"


def slowed_message() -> str:
    return "此网络地址近期登录失败较多，每次登录需多等几秒；账号和密码正确仍可登录。"
