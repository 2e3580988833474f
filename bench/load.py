"""Load test: concurrent drafters against gunicorn, PostgreSQL, Redis and one Celery worker.

Each run starts from nothing: a fresh database (LOAD_DATABASE_URL, default speechdraft_load,
dropped and recreated), a private Redis database (LOAD_REDIS_URL, default db 15, flushed),
migrations, the demo accounts, the sample corpus ingested and approved into each of the demo
accounts' two units, and drafter01… with one password, alternately in one unit and the other
(the first of each unit its 签发人). Then gunicorn and the worker start on loopback and each
drafter logs in through the login form, creates a draft through /drafts/new/, shares it on its
共享 page with the next drafter of its unit as 协作起草 and the one after as 审阅 (but every
fourth draft, which stays its owner's alone) and, until the time is up, searches, inserts,
moves, edits, deletes and exports through the editor's own requests, in its own draft and in
the one shared with it, reads the one it reviews (and tries to save in it), and sends its draft
through 送审 → 审核 (→ 定稿) (see bench/load_drafter.py). Afterwards every draft is checked
against the merged logs of accepted operations of everyone who changed it, and its history
against the roles and the flow (bench/load_check.py). Latencies are measured by the client, on
the same machine, and per request by gunicorn (its access log names the client's operation).

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
import textwrap
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
    "sharing page",
    "share",
    "shared list",
    "refresh",
    "reviewer write (403 expected)",
    "flow submit",
    "flow withdraw",
    "flow return",
    "flow approve",
    "flow finalize",
)
# Every fourth draft of a unit stays its owner's alone: the unshared path is measured too.
UNSHARED_EVERY = 4
# For the last fifth of the run the 签发人 marks approved drafts 定稿 instead of returning them.
ENDGAME = 0.2
CONFLICT_KEPT = "conflicts: the other drafter's text kept"


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


def create_drafters(count: int) -> tuple[list[str], dict[str, tuple[tuple[str, str], ...]]]:
    """drafter01…, alternately in the default unit and OTHER_UNIT, the first of each unit its
    签发人; and who shares with whom (share_plan)."""
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
        Membership(user_id=pk, unit_id=units[i % 2], is_signer=i < 2)
        for i, pk in enumerate(users.values_list("pk", flat=True))
    )
    return names, share_plan(names)


def share_plan(names: list[str]) -> dict[str, tuple[tuple[str, str], ...]]:
    """In each unit (every other drafter), each drafter shares its draft with the next one as
    协作起草 and the one after as 审阅, but every UNSHARED_EVERY-th, whose draft stays its own."""
    plan: dict[str, tuple[tuple[str, str], ...]] = {}
    for unit in (names[0::2], names[1::2]):
        k = len(unit)
        for j, name in enumerate(unit):
            shares = []
            if j % UNSHARED_EVERY != UNSHARED_EVERY - 1:
                if k >= 2:
                    shares.append((unit[(j + 1) % k], "edit"))
                if k >= 3:
                    shares.append((unit[(j + 2) % k], "review"))
            plan[name] = tuple(shares)
    return plan


def drive(
    args, port: int, names: list[str], plan: dict, stats: Stats
) -> tuple[list[Drafter], float, float]:
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
            share_with=plan[name],
            endgame=deadline - ENDGAME * args.seconds,
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
    end = time.monotonic()
    # Once nobody changes anything any more: each drafter's last look at its own draft.
    for d in drafters:
        if d.username not in hung:
            d.finish()
    return drafters, start, end


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
    sharing = sharing_summary(stats, report)
    return f"""
{len(drafters)} drafters at once for {args.seconds} s (started over {ramp:.0f} s; a pause of
{args.think * 0.5:.1f}–{args.think * 1.5:.1f} s before each action), in two units, each logging in through the form,
creating a draft (blank frame or an ingested skeleton) and sharing it on its 共享 page with the
next drafter of its unit as 协作起草 and the one after as 审阅 (every {UNSHARED_EVERY}th draft stays
unshared), then searching the library panel, inserting library material and own paragraphs,
editing (open, save, review hints), moving (上移/下移 and drag), deleting and exporting to Word
(click, poll every second, download), with the requests the htmx editor makes: in its own draft
and, about a third of the time, in the one shared with it, both windows reloading and trying
again when the other's change got in first (409, as editor.js does); reading the draft it
reviews (and trying to save in it: 403); sending its draft for 审核 (送审), which its 审阅 then
returns or approves, and the unit's 签发人 (the first drafter of each unit) returns, or in the
last {ENDGAME:.0%} of the run marks 定稿. Server: gunicorn, {args.web_workers} sync workers (DEBUG off,
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

{sharing}

Integrity, read from the database after the run: {report.verified} of {report.drafts} drafts replayed
from their logs of accepted operations ({report.changes:,} changes, {report.items:,} items now). Every
item is where the log puts it (parent, position, level) with the text it last saved (heading,
body, source paragraph); none lost, none extra; positions contiguous; version = 1 + accepted
changes, one revision per version (a stretch of typing in one item is one), the last revision's snapshot equal to the items; the
editor's final page equal to the database; each of the {report.markers:,} surviving edit markers
found exactly once; one draft per drafter; {report.exports} downloaded exports done, no job left pending.
A shared draft is replayed from the merged logs of its owner and its 协作起草, in the order of
the versions the server answered: every version one accepted change or one flow step, none
twice. Every share within the draft's unit and as the owners set it; each of the
{report.revisions:,} revisions by the owner or a 协作起草, or a flow step by whom the flow allowed
then (steps: {steps_text(report)}), and no text changed between a 送审 and its 撤回 or 退回修改
(nor after 审核通过 or 定稿); each draft's flow state what its steps say.
{findings}
{first_errors}
"""


def steps_text(report) -> str:
    from bench.load_drafter import FLOW_NAMES

    steps = [f"{name} {report.steps[a]}" for a, name in FLOW_NAMES.items() if report.steps[a]]
    return ", ".join(steps) or "none"


def sharing_summary(stats: Stats, report) -> str:
    """What happened on the shared drafts, from the drafters' counts and the check."""

    def n(what: str) -> str:
        return f"{stats.counts.get(what, 0):,}"

    text = (
        f"Shared drafts: {report.shared} of {report.drafts} drafts shared "
        f"({n('shares as 协作起草')} as 协作起草, {n('shares as 审阅')} as 审阅). "
        f"**{report.shared_changes:,} changes accepted in them, {report.codrafter_changes:,} "
        f"by a 协作起草 alongside the owner; {n('conflicts (409)')} conflicts (409: another "
        f"window's change got in first), after which the page reloaded and the change was made "
        f"again {n('conflicts: done again after reloading')} times, or, for text saved over "
        f"text the other drafter had changed, 仍然保存我的修改 {n('conflicts: 仍然保存我的修改')} "
        f"times and the other's text kept {n(CONFLICT_KEPT)} times; "
        f"{n('reviewer writes refused (403)')} saves and moves by a 审阅 refused (403), none "
        f"accepted.** {n('reviewer reads')} reads by a 审阅; "
        f"{n('changes refused on a locked draft (422)')} changes refused while the draft was "
        f"with its reviewer or signer or 定稿 (422); "
        f"{n('changes on an item another drafter had deleted (404/422)')} on an item another "
        f"drafter had deleted (404, or 422 as an anchor). Flow steps: {steps_text(report)}."
    )
    return textwrap.fill(text, width=100, break_long_words=False, break_on_hyphens=False)


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
        names, plan = create_drafters(args.users)
        services.start()
        setup_s = time.monotonic() - t0
        print(
            f"set up in {setup_s:.0f} s; {args.users} drafters for {args.seconds} s on port {services.port}"
        )

        stats = Stats()
        load = os.getloadavg()[0]
        busy0, total0 = cpu_ticks()
        client0 = time.process_time()
        drafters, start, end = drive(args, services.port, names, plan, stats)
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
        counts = stats.counts
        print(
            f"errors: {errors}; integrity: {'passed' if report.ok else 'FAILED'}; "
            f"shared-draft changes {report.shared_changes} ({report.codrafter_changes} by 协作起草), "
            f"conflicts {counts.get('conflicts (409)', 0)}, "
            f"reviewer writes refused {counts.get('reviewer writes refused (403)', 0)}, "
            f"flow steps {sum(report.steps.values())}; logs in {OUT}"
        )
        return 0 if errors == 0 and report.ok else 1
    finally:
        services.stop()
        shutil.rmtree(scratch, ignore_errors=True)


def _users(names: list[str]):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(username__in=names)


if __name__ == "__main__":
    sys.exit(main())
