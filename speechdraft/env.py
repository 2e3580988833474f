"""Typed readers for environment variables that fail loudly on malformed values.

Kept free of Django imports so settings.py (and tests) can use it before Django is set up.
"""

import os
import re
from pathlib import Path


class EnvError(ValueError):
    """A configuration variable is present but malformed, or required and missing."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip()


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise EnvError(f"{name}={raw!r} is not a boolean; use one of 1/0, true/false, yes/no, on/off")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise EnvError(f"{name}={raw!r} is not an integer") from None
    if minimum is not None and value < minimum:
        raise EnvError(f"{name}={value} must be at least {minimum}")
    return value


def env_float(
    name: str, default: float, *, minimum: float | None = None, maximum: float | None = None
) -> float:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = float(raw.strip())
    except ValueError:
        raise EnvError(f"{name}={raw!r} is not a number") from None
    if value != value:  # NaN
        raise EnvError(f"{name}={raw!r} is not a number")
    if minimum is not None and value < minimum:
        raise EnvError(f"{name}={value} must be at least {minimum}")
    if maximum is not None and value > maximum:
        raise EnvError(f"{name}={value} must be at most {maximum}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    items = [item.strip() for item in raw.split(",")]
    if any(not item for item in items):
        raise EnvError(f"{name}={raw!r} has an empty item; separate values with single commas")
    return items


def redis_url(name: str = "REDIS_URL") -> str | None:
    value = env_str(name)
    if not value:
        return None
    if not value.startswith(("redis://", "rediss://", "unix://")):
        raise EnvError(f"{name}={value!r} must start with redis://, rediss:// or unix://")
    return value


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def env_file_load(path: Path) -> list[str]:
    """Fill the environment from a file of NAME=value lines; a variable already set wins.

    For local runs (.env.local, written by `make setup`): blank lines and # comments are
    skipped, a leading `export ` is allowed and one pair of quotes around a value is removed.
    A missing file sets nothing. Returns the names it set.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    values: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, value = line.removeprefix("export ").partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not _NAME.fullmatch(name):
            raise EnvError(f"{path}:{number}: expected NAME=value, got {raw!r}")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[name] = value
    set_here = [name for name in values if name not in os.environ]
    for name in set_here:
        os.environ[name] = values[name]
    return set_here
