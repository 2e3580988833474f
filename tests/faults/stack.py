"""A private production-like stack for the fault scenarios: PostgreSQL, Redis, gunicorn and one
Celery worker, each on a free port in a throwaway folder, stopped and restarted at will.

Never the shared servers on 5432/6379: other test runs use those. No Django import here: the
stack is driven from outside, like an operator would.
"""

from __future__ import annotations

import contextlib
import glob
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not within {timeout} s")
        time.sleep(interval)


def port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def _spawn(argv: list[str], log: Path, **kwargs) -> subprocess.Popen:
    """Start argv in a session of its own, its output appended to log.

    The child holds its own copy of the log's descriptor: ours closes once it is started.
    """
    with open(log, "a") as out:
        return subprocess.Popen(
            argv, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, **kwargs
        )


def _stop(proc: subprocess.Popen | None, sig=signal.SIGTERM, timeout: float = 15) -> None:
    """Stop a process started with its own session, and everything it forked."""
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


class Postgres:
    """A throwaway cluster: trust auth, TCP on 127.0.0.1 only, no fsync."""

    def __init__(self, root: Path) -> None:
        self.dir = root / "pg"
        self.data = self.dir / "data"
        self.log = self.dir / "server.log"
        self.port = free_port()
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
        self.bin = Path(bins[-1]) if bins else Path(shutil.which("pg_ctl") or "pg_ctl").parent
        # initdb refuses to run as root: the cluster then belongs to the postgres account.
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, *args: str, timeout: float = 60) -> None:
        subprocess.run([*self.as_user, *args], check=True, capture_output=True, timeout=timeout)

    def init(self) -> None:
        self.dir.mkdir()
        if self.as_user:
            shutil.chown(self.dir, "postgres", "postgres")
        self._run(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options,
            "-w", "-t", "30", "start",
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        """fast: open sessions are cut off, as in a restart; immediate: as in a crash."""
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists() and port_open(self.port)

    def url(self, name: str = "speechdraft") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def sql(self, statement: str, *params, name: str = "speechdraft") -> list[tuple]:
        import psycopg

        with psycopg.connect(self.url(name), autocommit=True, connect_timeout=5) as conn:
            cursor = conn.execute(statement, params or None)
            return cursor.fetchall() if cursor.description else []


class Redis:
    def __init__(self, root: Path) -> None:
        self.port = free_port()
        self.dir = root / "redis"
        self.log = self.dir / "server.log"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.dir.mkdir(exist_ok=True)
        self.proc = _spawn(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", str(self.dir)],
            self.log,
        )  # fmt: skip
        wait_for(lambda: port_open(self.port), 10, "redis-server")

    def stop(self) -> None:
        _stop(self.proc, signal.SIGKILL)  # as in a crash: nothing is saved anyway
        wait_for(lambda: not port_open(self.port), 5, "redis-server stopped")

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"


class Stack:
    """PostgreSQL + Redis + gunicorn + a Celery worker, all private to one test session."""

    def __init__(self, *, stale_seconds: int = 10, web_workers: int = 3) -> None:
        # Not under pytest's tmp folder: that is private to root, and postgres needs to enter.
        self.root = Path(tempfile.mkdtemp(prefix="speechdraft-faults-"))
        self.root.chmod(0o755)
        self.pg = Postgres(self.root)
        self.redis = Redis(self.root)
        self.web_port = free_port()
        self.web_workers = web_workers
        self.web: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None
        self.worker_log = self.root / "worker.log"
        self.worker_faults: dict[str, str] = {}
        self.faults_dir = self.root / "faults"  # the worker's render hook reports here
        self.faults_dir.mkdir()
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("PG", "DJANGO_"))},
            "DJANGO_SETTINGS_MODULE": "speechdraft.settings",
            "DATABASE_URL": self.pg.url(),
            "REDIS_URL": self.redis.url(),
            "CELERY_QUEUE": f"faults-{secrets.token_hex(4)}",
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_COOKIES": "false",
            # The scenarios change drafts far faster than a person (the limit has its own tests).
            "REVISION_RATE_PER_MINUTE": "0",
            "MEDIA_ROOT": str(self.root / "media"),
            "STATIC_ROOT": str(self.root / "static"),
            "EXPORT_STALE_SECONDS": str(stale_seconds),
            "LOG_LEVEL": "WARNING",
            "FAULTS_DIR": str(self.faults_dir),
        }

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def manage(self, *args: str) -> str:
        proc = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        if proc.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{proc.stderr[-4000:]}")
        return proc.stdout

    def setup(self) -> None:
        self.pg.init()
        self.pg.start()
        self.pg.sql("CREATE DATABASE speechdraft", name="postgres")
        self.redis.start()
        self.manage("migrate", "--noinput")
        self.manage("collectstatic", "--noinput")
        self.manage("create_demo_users")
        self.start_web()
        self.start_worker()

    # --- web ----------------------------------------------------------------------------

    def start_web(self) -> None:
        self.web = _spawn(
            [str(VENV_BIN / "gunicorn"), "speechdraft.wsgi:application",
             "--bind", f"127.0.0.1:{self.web_port}", "--workers", str(self.web_workers),
             "--timeout", "30", "--graceful-timeout", "5",
             # gunicorn 27's control socket sits at one path per account: not ours to take.
             "--no-control-socket"],
            self.root / "web.log", cwd=ROOT, env=self.env,
        )  # fmt: skip
        wait_for(self._web_ready, 60, "gunicorn")

    def _web_ready(self) -> bool:
        if self.web is not None and self.web.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{(self.root / 'web.log').read_text()[-4000:]}")
        import urllib.request

        try:
            with urllib.request.urlopen(f"{self.base_url}/healthz/", timeout=2) as r:
                return r.status == 200
        except OSError:
            return False

    # --- worker -------------------------------------------------------------------------

    def start_worker(self, **faults: str) -> None:
        """One prefork worker with a single pool process: the one a render runs in.

        `faults` go to the render hook in tests/faults/worker.py (e.g. render_delay="5").
        """
        self.worker_faults = faults
        env = dict(self.env, **{f"FAULTS_{k.upper()}": v for k, v in faults.items()})
        self.worker_log.write_text("")
        self.worker = _spawn(
            [sys.executable, "-m", "tests.faults.worker", "-A", "speechdraft", "worker",
             "--pool=prefork", "--concurrency=1", "-Q", self.env["CELERY_QUEUE"],
             "-n", f"{self.env['CELERY_QUEUE']}@localhost", "--without-gossip",
             "--without-mingle", "--without-heartbeat", "--loglevel=INFO"],
            self.worker_log, cwd=ROOT, env=env,
        )  # fmt: skip
        wait_for(self._worker_ready, 60, "celery worker")

    def _worker_ready(self) -> bool:
        if self.worker is not None and self.worker.poll() is not None:
            raise RuntimeError(f"worker exited:\n{self.worker_log.read_text()[-4000:]}")
        return "ready." in self.worker_log.read_text()

    def stop_worker(self, sig=signal.SIGTERM) -> None:
        _stop(self.worker, sig)
        self.worker = None

    def render_started(self) -> dict | None:
        """What the render hook wrote when a render began: the draft and the child's pid."""
        path = self.faults_dir / "render-started"
        text = path.read_text() if path.exists() else ""
        if not text.endswith("\n"):
            return None
        draft, pid = text.split()
        return {"draft": int(draft), "pid": int(pid)}

    def clear_render_started(self) -> None:
        (self.faults_dir / "render-started").unlink(missing_ok=True)

    def restore(self) -> None:
        """Everything running again, as it was after setup, whatever a scenario broke."""
        if not self.pg.running():
            self.pg.start()
        if self.redis.proc is None or self.redis.proc.poll() is not None:
            self.redis.start()
        else:
            self.redis.proc.send_signal(signal.SIGCONT)  # in case a scenario froze it
        if self.web is None or self.web.poll() is not None:
            self.start_web()
        if self.worker is None or self.worker.poll() is not None or self.worker_faults:
            self.stop_worker(signal.SIGKILL)  # a warm shutdown would wait for a slowed render
            self.start_worker()
        self.clear_render_started()

    # --- teardown -----------------------------------------------------------------------

    def close(self) -> None:
        _stop(self.web)
        self.stop_worker(signal.SIGKILL)  # throwaway: no need to wait for a slowed render
        _stop(self.redis.proc, signal.SIGKILL)
        if (self.pg.data / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.SubprocessError):
                self.pg.stop("immediate")
        if not os.environ.get("FAULTS_KEEP"):
            shutil.rmtree(self.root, ignore_errors=True)
