"""The first run of a fresh checkout (issue 18): `make run`, the local commands, their messages.

`.ci/first-run` does the same from a fresh clone, with the real server; these are the quick ones.
"""

import io
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


def make_dry_run(*args: str) -> list[str]:
    """The commands `make` would run (none is run)."""
    proc = subprocess.run(
        ["make", "-n", *args], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return proc.stdout.splitlines()


@pytest.mark.django_db
def test_make_run_on_another_port_prints_the_login_address_with_that_port():
    line = next(c for c in make_dry_run("run", "PORT=8011") if "create_demo_users" in c)
    args = shlex.split(line)
    out = io.StringIO()
    call_command(*args[args.index("create_demo_users") :], stdout=out)
    assert "登录地址 http://127.0.0.1:8011/accounts/login/" in out.getvalue()
    assert "8000" not in out.getvalue()


def manage(*args: str, cwd: Path = ROOT, **env: str) -> subprocess.CompletedProcess:
    """manage.py as a newcomer runs it: nothing of the test run's environment but PATH."""
    base = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), **env}
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=cwd,
        env=base,
        capture_output=True,
        text=True,
    )


def test_make_writes_a_local_key_once_and_manage_py_then_works_without_debug(tmp_path):
    subprocess.run(["make", "-s", "-f", str(ROOT / "Makefile"), ".env.local"], cwd=tmp_path)
    local = tmp_path / ".env.local"
    assert local.stat().st_mode & 0o077 == 0  # the key is the owner's alone
    key = re.search(r"^SECRET_KEY=(\S{50,})$", local.read_text(), re.M).group(1)
    subprocess.run(["make", "-s", "-f", str(ROOT / "Makefile"), ".env.local"], cwd=tmp_path)
    assert key in local.read_text()  # written once: sessions survive the next make run

    proc = manage("check", LOCAL_ENV_FILE=str(local))
    assert proc.returncode == 0, proc.stderr
    proc = manage("check", LOCAL_ENV_FILE=str(tmp_path / "missing"))
    assert proc.returncode != 0
    assert "make setup" in proc.stderr


EACH_COMMAND = """
import sys
import traceback
from django.core.management import execute_from_command_line

for argv in sys.argv[1:]:
    print("== " + argv, file=sys.stderr, flush=True)
    try:
        execute_from_command_line(["manage.py", *argv.split()])
    except SystemExit as exc:
        print("exit", exc.code, file=sys.stderr, flush=True)
    except Exception:
        traceback.print_exc()
        print("exit traceback", file=sys.stderr, flush=True)
    else:
        print("exit 0", file=sys.stderr, flush=True)
"""


def test_commands_on_a_database_not_migrated_yet_say_to_migrate_first(tmp_path):
    commands = [
        f"ingest --dry-run {ROOT / 'fixtures' / 'corpus'}",
        "search 营商环境",
        f"export_docx 1 --out {tmp_path / 'out.docx'}",
        "create_demo_users",
    ]
    # One interpreter runs each command as manage.py does (settings load once: a second).
    proc = subprocess.run(
        [sys.executable, "-c", EACH_COMMAND, *commands],
        cwd=ROOT,
        env={
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "speechdraft.settings",
            "DEBUG": "true",
            "LOCAL_ENV_FILE": "",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'new.sqlite3'}",
        },
        capture_output=True,
        text=True,
    )
    outputs = proc.stderr.split("== ")[1:]
    assert len(outputs) == len(commands), proc.stderr
    for command, output in zip(commands, outputs, strict=True):
        assert "请先运行 make run 或 manage.py migrate" in output, command
        assert "Traceback" not in output, output
        assert output.rstrip().endswith("exit 1"), output
    assert not (tmp_path / "out.docx").exists()


def test_a_run_without_chromium_and_libreoffice_says_what_it_skipped_and_how_to_install():
    # A fresh machine: no chromium, and a PATH with nothing but this interpreter's directory.
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "PATH", "CHROMIUM_PATH"}
    }
    env.update(
        PATH=str(Path(sys.executable).parent),
        CHROMIUM_PATH=str(ROOT / "no-chromium-here"),
        DEBUG="true",
        LOCAL_ENV_FILE="",
    )
    files = ["tests/e2e/test_login.py", "tests/ooxml/test_visual.py"]
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *files],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    browser = sum(1 for line in lines if "chromium not installed" in line)
    visual = sum(1 for line in lines if "LibreOffice not installed" in line)
    assert browser and visual, proc.stdout
    [line] = [line for line in lines if line.startswith("未运行")]
    assert line == (
        f"未运行 {browser + visual} 个测试：浏览器测试 {browser} 个（缺少 chromium）、"
        f"Word 版式检查 {visual} 个（缺少 LibreOffice）。"
        "安装：apt-get install chromium libreoffice-writer-nogui poppler-utils fonts-noto-cjk pandoc"
        " python3-uno"
    )
