"""The first run of a fresh checkout (issue 18): `make run`, the local commands, their messages.

`.ci/first-run` does the same from a fresh clone, with the real server; these are the quick ones.
"""

import io
import shlex
import subprocess
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
