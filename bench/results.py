"""Write one benchmark's section of bench/RESULTS.md, leaving the other sections alone."""

import platform
import re
from datetime import datetime
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
HEADER = "# Benchmark results\n\nWritten by `make bench`; each section is replaced by its own benchmark.\n"


def machine() -> str:
    import os

    return f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores"


def pct(values, p: float) -> float:
    """The p-th percentile of `values` (nearest rank)."""
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def write_section(name: str, body: str) -> None:
    text = RESULTS.read_text() if RESULTS.exists() else HEADER
    stamp = datetime.now().strftime("%Y-%m-%d %H:%M")
    block = f"<!-- {name} -->\n## {name}\n\n_{stamp}, {machine()}_\n\n{body.strip()}\n<!-- /{name} -->\n"
    pattern = re.compile(rf"<!-- {re.escape(name)} -->.*?<!-- /{re.escape(name)} -->\n", re.S)
    text = (
        pattern.sub(lambda _: block, text)
        if pattern.search(text)
        else text.rstrip() + "\n\n" + block
    )
    RESULTS.write_text(text)


def celery_worker_argv(queue: str, *, loglevel: str = "INFO") -> list[str]:
    """One solo-pool Celery worker consuming only `queue` (as tests/conftest.py starts it)."""
    import sys

    return [
        *(sys.executable, "-m", "celery", "-A", "speechdraft", "worker"),
        *("--pool=solo", "--concurrency=1", "-n", f"{queue}@localhost", "-Q", queue),
        *("--without-gossip", "--without-mingle", f"--loglevel={loglevel}"),
    ]


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname=%s", (name,)).fetchone():
            conn.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")


def setup_django(*, production_like: bool = True) -> None:
    """Django on the benchmark database (BENCH_DATABASE_URL), tasks in-process.

    DEBUG is on while settings load, so the development static-files storage (no
    collectstatic needed) is chosen; `production_like` then turns it off, as production runs:
    no query log, no template debug.
    """
    import os

    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/speechdraft_bench"
    )
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "speechdraft.settings")
    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    if production_like:
        from django.conf import settings

        settings.DEBUG = False
