"""Load test: concurrent drafters against gunicorn, PostgreSQL, Redis and one Celery worker.

Each run starts from nothing: a fresh database (LOAD_DATABASE_URL, default speechdraft_load,
dropped and recreated), a private Redis database (LOAD_REDIS_URL, default db 15, flushed),
migrations, the demo accounts, the sample corpus ingested and approved into each of the demo
accounts' two units, and drafter01… with one password, alternately in one unit and the other. Then gunicorn and the worker start on loopback and each drafter logs in through
the login form, creates a draft through /drafts/new/ and, until the time is up, searches,
inserts, moves, edits, deletes and exports through the editor's own requests (see
bench/load_drafter.py). Afterwards every draft is checked against the drafter's log of accepted
operations (bench/load_check.py). Latencies are measured by the client, on the same machine,
and per request by gunicorn (its access log names the client's operation).

Run: .venv/bin/python bench/load.py [--seconds 180] [--users 50]   (or `make load`)
Exits 1 if any request failed or the integrity check did not pass.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load_drafter import Drafter, Http, Stats  # noqa: E402
from bench.results import celery_worker_argv, pct  # noqa: E402

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/speechdraft_load"
# CI's suite uses Redis databases 1-14 (.ci/run), developers 0: 15 is nobody's.
DEFAULT_REDIS = "redis://127.0.0.1:6379/15"
PASSWORD = "load-test-password-1"
OTHER_UNIT = "县发展和改革局"  # the demo accounts' second unit (create_demo_users)
OUT = ROOT / "bench" / "out" / "load"
SECTION = "Load: 50 drafters"
# Shorter runs (CI's smoke run) check for errors and integrity but leave RESULTS.md alone.
MIN_RECORDED_SECONDS = 120
OPERATIONS = (
    "login",
    "page",
    "create draft",
    "static",
    "search",
    "insert library",
    "insert",
    "edit form",
    "edit save",
    "review hints",
    "move up/down",
    "move drag",
    "delete",
    "stale (409 expected)",
    "export start",
    "export poll",
    "download",
)


# Status, time in the worker (ms: from the request's start to the response, so without the
# wait in the listen queue), the client's operation name, the request line.
ACCESS_FORMAT = "%(s)s|%(M)s|%({x-load-op}i)s|%(r)s"


def server_times() -> dict[str, list[float]]:
    times: dict[str, list[float]] = {}
    for line in (OUT / "access.log").read_text().splitlines():
        _, ms, op, _ = line.split("|", 3)
        if op != "-":
            times.setdefault(op, []).append(float(ms))
    return times


def database_recreate(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    # This database is dropped: refuse anything that is not obviously the load test's own.
    if "load" not in name or name.startswith("test_") or name == "speechdraft_bench":
        sys.exit(f"LOAD_DATABASE_URL must name a database of its own with 'load' in it: {name}")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")


def redis_flush(url: str) -> None:
    import redis

    if url.rstrip("/").rsplit("/", 1)[-1] in ("0", "6379"):
        sys.exit(f"LOAD_REDIS_URL must name a Redis database of its own (not 0): {url}")
    redis.Redis.from_url(url).flushdb()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Services:
    """gunicorn and the Celery worker, each in its own process group, always stopped."""

    def __init__(self, env: dict, port: int, web_workers: int) -> None:
        self.env, self.port, self.web_workers = env, port, web_workers
        self.procs: list[tuple[str, subprocess.Popen]] = []

    def _start(self, name: str, argv: list[str]) -> Path:
        path = OUT / f"{name}.log"
        # The child holds its own copy of the descriptor: the parent's can close at once.
        with open(path, "w") as log:
            proc = subprocess.Popen(
                argv,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.procs.append((name, proc))
        return path

    def start(self) -> None:
        queue = self.env["CELERY_QUEUE"]
        worker_log = self._start("celery", celery_worker_argv(queue))
        self._start(
            "gunicorn",
            [
                sys.executable,
                "-m",
                "gunicorn",
                "speechdraft.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.web_workers),
                "--timeout",
                "60",
                "--graceful-timeout",
                "10",
                # gunicorn 27 keeps one control socket per account: another gunicorn running
                # on the machine (make faults, a developer's server) would fight over it.
                "--no-control-socket",
                "--access-logfile",
                str(OUT / "access.log"),
                "--access-logformat",
                ACCESS_FORMAT,
            ],
        )
        deadline = time.monotonic() + 90
        web = worker = False
        while not (web and worker):
            for name, proc in self.procs:
                if proc.poll() is not None:
                    raise RuntimeError(
                        f"{name} exited early:\n{(OUT / f'{name}.log').read_text()[-3000:]}"
                    )
            if time.monotonic() > deadline:
                raise RuntimeError(
                    "gunicorn or the Celery worker not ready in 90 s (see bench/out/load/)"
                )
            worker = worker or "ready." in worker_log.read_text()
            if not web:
                try:
                    with urllib.request.urlopen(
                        f"http://127.0.0.1:{self.port}/healthz/", timeout=5
                    ) as r:
                        web = r.status == 200
                except OSError:
                    pass
            time.sleep(0.3)

    def stop(self) -> None:
        for name, proc in reversed(self.procs):
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    print(f"{name} did not stop in 20 s: killed")
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=5)
                except ProcessLookupError:
                    pass
        self.procs.clear()


def manage(env: dict, *args: str) -> None:
    path = OUT / "setup.log"
    with open(path, "a") as log:
        log.write(f"$ manage.py {' '.join(args)}\n")
        log.flush()
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{path.read_text()[-3000:]}")


def create_drafters(count: int) -> list[str]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    width = max(2, len(str(count)))
    names = [f"drafter{i:0{width}d}" for i in range(1, count + 1)]
    hashed = make_password(PASSWORD)  # one hash for all: 50 PBKDF2 runs would take half a minute
    get_user_model().objects.bulk_create(
        [get_user_model()(username=name, password=hashed) for name in names]
    )
    from speechdraft.units.models import Membership, Unit, default_unit_id

    units = [default_unit_id(), Unit.objects.get(name=OTHER_UNIT).pk]
    users = get_user_model().objects.filter(username__in=names).order_by("username")
    Membership.objects.bulk_create(
        Membership(user_id=pk, unit_id=units[i % 2])
        for i, pk in enumerate(users.values_list("pk", flat=True))
    )
    return names


def drive(args, port: int, names: list[str], stats: Stats) -> tuple[list[Drafter], float, float]:
    start = time.monotonic()
    deadline = start + args.seconds
    drafters = [
        Drafter(
            index=i,
            username=name,
            password=PASSWORD,
            http=Http("127.0.0.1", port, timeout=60),
            stats=stats,
            deadline=deadline,
            think=args.think,
            rng=random.Random(f"{args.seed}-{name}"),
        )
        for i, name in enumerate(names)
    ]
    threads = [threading.Thread(target=d.run, name=d.username, daemon=True) for d in drafters]
    ramp = min(args.ramp, args.seconds / 3)
    for i, thread in enumerate(threads):
        time.sleep(max(0.0, start + ramp * i / len(threads) - time.monotonic()))
        thread.start()
    # The last actions (an export polls for up to 90 s) finish after the deadline.
    for thread in threads:
        thread.join(timeout=max(1.0, deadline + 180 - time.monotonic()))
    hung = [t.name for t in threads if t.is_alive()]
    for name in hung:
        stats.error("client", f"{name} still running 180 s after the deadline")
    return drafters, start, time.monotonic()


def cpu_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def summarise(args, stats: Stats, drafters, report, run: dict) -> str:
    def ms(values: list[float], p: float | None = None) -> str:
        if not values:
            return "–"
        v = statistics.median(values) if p is None else pct(values, p)
        return f"{v:,.0f} ms" if v >= 100 else f"{v:.1f} ms"

    server = server_times()
    # After the last drafter got in: without the first minute's queue of 50 password checks.
    ready = max((d.ready_at for d in drafters if d.ready_at), default=run["start"])
    rows = []
    for op in [*OPERATIONS, *sorted(set(stats.latency) - set(OPERATIONS))]:
        values, failed = stats.latency.get(op, []), stats.failures.get(op, 0)
        steady = stats.since(op, ready)
        if values or failed:
            rows.append(
                f"| {op} | {len(values):,} | {failed} | {ms(values)} | {ms(values, 95)} | "
                f"{ms(values, 100)} | {ms(steady)} / {ms(steady, 95)} | "
                f"{ms(server.get(op, []))} / {ms(server.get(op, []), 95)} |"
            )
    exports = [v for d in drafters for v in d.export_ms]
    if exports:
        rows.append(
            f"| **export, click to download** | {len(exports)} | – | {ms(exports)} | "
            f"{ms(exports, 95)} | {ms(exports, 100)} | | |"
        )
    elapsed = run["elapsed"]
    errors = sum(stats.failures.values())
    deliberate = "; ".join(f"{what}: {n}" for what, n in sorted(stats.deliberate.items()))
    integrity = "passed" if report.ok else "FAILED"
    findings = "\n".join(f"- integrity: {f}" for f in report.findings[:20])
    first_errors = "\n".join(f"- error: `{e[:300]}`" for e in stats.errors[:10])
    ramp = min(args.ramp, args.seconds / 3)
    return f"""
{len(drafters)} drafters at once for {args.seconds} s (started over {ramp:.0f} s; a pause of
{args.think * 0.5:.1f}–{args.think * 1.5:.1f} s before each action), each logging in through the form,
creating a draft (blank frame or an ingested skeleton), then searching the library panel,
inserting library material and own paragraphs, editing (open, save, review hints), moving
(上移/下移 and drag), deleting and exporting to Word (click, poll every second, download), with
the requests the htmx editor makes. Server: gunicorn, {args.web_workers} sync workers (DEBUG off,
whitenoise), one Celery worker (solo pool) on Redis, PostgreSQL {run["postgres"]}; client,
server, database and worker share the machine's 2 cores over loopback (machine CPU
{run["busy"]:.0%} busy during the run, the client's own share {run["client_cpu"]:.0%} of it; load
average {run["load"]:.1f} just before it, from whatever else the machine was running).
Command: `make load` (`.venv/bin/python bench/load.py --seconds {args.seconds} --users {len(drafters)}`).

**{stats.requests:,} requests in {elapsed:.0f} s: {stats.requests / elapsed:.1f} requests/s,
{report.changes:,} changes accepted ({report.changes / elapsed:.1f}/s). Errors: {errors}.
Integrity: {integrity}.**

Latency as the client saw it (waiting for a free worker included); the same once every drafter
had logged in and created its draft ({ready - run["start"]:.0f} s into the run: {len(drafters)} logins at
once queue behind one another's PBKDF2 password checks); and the worker's own time, from
gunicorn's access log:

| operation | requests | errors | p50 | p95 | max | after logins p50 / p95 | server p50 / p95 |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
{chr(10).join(rows)}

Deliberate refusals, not errors: {deliberate or "none"}.

Integrity, read from the database after the run: {report.verified} of {report.drafts} drafts replayed
from their logs of accepted operations ({report.changes:,} changes, {report.items:,} items now). Every
item is where the log puts it (parent, position, level) with the text it last saved (heading,
body, source paragraph); none lost, none extra; positions contiguous; version = 1 + accepted
changes, one revision per version (a stretch of typing in one item is one), the last revision's snapshot equal to the items; the
editor's final page equal to the database; each of the {report.markers:,} surviving edit markers
found exactly once; one draft per drafter; {report.exports} downloaded exports done, no job left pending.
{findings}
{first_errors}
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=180, help="how long the drafters work")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between actions (s)")
    parser.add_argument(
        "--ramp", type=float, default=10.0, help="seconds over which drafters start"
    )
    parser.add_argument("--web-workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--seed", default="load")
    parser.add_argument("--no-write", action="store_true", help="do not update bench/RESULTS.md")
    args = parser.parse_args()

    database = os.environ.get("LOAD_DATABASE_URL") or DEFAULT_DATABASE
    redis_url = os.environ.get("LOAD_REDIS_URL") or DEFAULT_REDIS
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    scratch = Path(tempfile.mkdtemp(prefix="speechdraft-load-"))
    env = dict(
        os.environ,
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(40),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_COOKIES="false",
        DATABASE_URL=database,
        REDIS_URL=redis_url,
        CELERY_QUEUE=f"load-{secrets.token_hex(4)}",
        MEDIA_ROOT=str(scratch / "media"),
        LOAD_STATIC_ROOT=str(scratch / "static"),
        DJANGO_SETTINGS_MODULE="bench.load_settings",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    env.pop("CSRF_TRUSTED_ORIGINS", None)
    services = Services(env, free_port(), args.web_workers)
    # A SIGTERM (CI's timeout) unwinds through the finally below like Ctrl+C.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        t0 = time.monotonic()
        database_recreate(database)
        redis_flush(redis_url)
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        manage(env, "create_demo_users")
        manage(env, "ingest", "--approve", "fixtures/corpus")
        # A second unit with the same speeches in its own library (issue 19): half the drafters
        # work there, and the check finds nothing drawn across units.
        manage(env, "ingest", "--approve", "--unit", OTHER_UNIT, "fixtures/corpus")
        os.environ.update(env)
        import django

        django.setup()
        names = create_drafters(args.users)
        services.start()
        setup_s = time.monotonic() - t0
        print(
            f"set up in {setup_s:.0f} s; {args.users} drafters for {args.seconds} s on port {services.port}"
        )

        stats = Stats()
        load = os.getloadavg()[0]
        busy0, total0 = cpu_ticks()
        client0 = time.process_time()
        drafters, start, end = drive(args, services.port, names, stats)
        busy1, total1 = cpu_ticks()
        client = (time.process_time() - client0) * os.sysconf("SC_CLK_TCK")
        services.stop()

        from django.db import connection

        from bench.load_check import check

        with open(OUT / "operations.jsonl", "w") as log:
            for d in drafters:
                for entry in d.log:
                    log.write(
                        json.dumps({"drafter": d.username, **entry}, ensure_ascii=False) + "\n"
                    )
        report = check(drafters, _users(names))
        version = connection.cursor().connection.info.server_version
        run = {
            "start": start,
            "elapsed": end - start,
            "load": load,
            "postgres": f"{version // 10000}.{version % 100}",
            "busy": (busy1 - busy0) / max(1, total1 - total0),
            "client_cpu": client / max(1, busy1 - busy0),
        }
        body = summarise(args, stats, drafters, report, run)
        print(body)
        if args.seconds >= MIN_RECORDED_SECONDS and not args.no_write:
            from bench.results import write_section

            write_section(SECTION, body)
            print("written to bench/RESULTS.md")
        errors = sum(stats.failures.values())
        print(f"errors: {errors}; integrity: {'passed' if report.ok else 'FAILED'}; logs in {OUT}")
        return 0 if errors == 0 and report.ok else 1
    finally:
        services.stop()
        shutil.rmtree(scratch, ignore_errors=True)


def _users(names: list[str]):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(username__in=names)


if __name__ == "__main__":
    sys.exit(main())
