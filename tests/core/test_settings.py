"""Settings are driven by the environment and refuse malformed values loudly.

Each case starts a fresh interpreter, because settings are read once per process.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import django, json; from django.conf import settings; django.setup();"
    "print(json.dumps({'engine': settings.DATABASES['default']['ENGINE'],"
    "'eager': settings.CELERY_TASK_ALWAYS_EAGER, 'broker': settings.CELERY_BROKER_URL,"
    "'debug': settings.DEBUG, 'hosts': settings.ALLOWED_HOSTS, 'media': str(settings.MEDIA_ROOT),"
    "'lang': settings.LANGUAGE_CODE, 'tz': settings.TIME_ZONE}))"
)


def run_settings(**env: str) -> subprocess.CompletedProcess:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    # Never the developer's own .env.local: only what each case gives.
    base.update({"LOCAL_ENV_FILE": ""}, **env, DJANGO_SETTINGS_MODULE="speechdraft.settings")
    return subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=base, capture_output=True, text=True
    )


def test_embedded_defaults():
    import json

    proc = run_settings(DEBUG="1")
    assert proc.returncode == 0, proc.stderr
    values = json.loads(proc.stdout)
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["eager"] is True
    assert values["lang"] == "zh-hans" and values["tz"] == "Asia/Shanghai"


def test_production_values_are_read():
    import json

    proc = run_settings(
        DEBUG="false",
        SECRET_KEY="x" * 50,
        DATABASE_URL="postgres://u:p@db:5432/speech",
        REDIS_URL="redis://cache:6379/2",
        ALLOWED_HOSTS="speech.example.gov.cn,10.0.0.5",
        MEDIA_ROOT="/srv/media",
    )
    assert proc.returncode == 0, proc.stderr
    values = json.loads(proc.stdout)
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["eager"] is False and values["broker"] == "redis://cache:6379/2"
    assert values["debug"] is False
    assert values["hosts"] == ["speech.example.gov.cn", "10.0.0.5"]
    assert values["media"] == "/srv/media"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "false"}, "SECRET_KEY is required"),
        ({"DEBUG": "maybe"}, "DEBUG='maybe' is not a boolean"),
        ({"DEBUG": "1", "DATABASE_URL": "nonsense"}, "DATABASE_URL is malformed"),
        ({"DEBUG": "1", "DATABASE_URL": "postgres://host:5432/"}, "must name a database"),
        ({"DEBUG": "1", "REDIS_URL": "localhost:6379"}, "REDIS_URL='localhost:6379' must start"),
        ({"DEBUG": "1", "ALLOWED_HOSTS": "a,,b"}, "ALLOWED_HOSTS='a,,b' has an empty item"),
        ({"DEBUG": "1", "SESSION_COOKIE_AGE": "soon"}, "SESSION_COOKIE_AGE='soon' is not an int"),
        ({"DEBUG": "1", "PHRASE_MIN_QUALITY": "high"}, "PHRASE_MIN_QUALITY='high' is not a numb"),
        ({"DEBUG": "1", "PHRASE_MIN_QUALITY": "1.5"}, "PHRASE_MIN_QUALITY=1.5 must be at most"),
    ],
)
def test_malformed_values_fail_loudly(env, message):
    proc = run_settings(**env)
    assert proc.returncode != 0
    assert message in proc.stderr


def test_a_local_env_file_fills_in_what_the_environment_leaves_unset(tmp_path):
    import json

    local = tmp_path / "local.env"
    local.write_text("# local\n\nexport SECRET_KEY='from-the-file'\nDEBUG=false\n")
    proc = run_settings(LOCAL_ENV_FILE=str(local))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["debug"] is False
    proc = run_settings(LOCAL_ENV_FILE=str(local), DEBUG="true")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["debug"] is True  # the environment wins


def test_a_malformed_local_env_file_names_the_file_and_line(tmp_path):
    local = tmp_path / "local.env"
    local.write_text("DEBUG=true\nSECRET KEY=x\n")
    proc = run_settings(LOCAL_ENV_FILE=str(local))
    assert proc.returncode != 0
    assert f"{local}:2: expected NAME=value" in proc.stderr


def test_text_core_imports_neither_django_nor_celery():
    code = (
        "import sys, pkgutil, importlib, speechdraft.text as t\n"
        "for m in pkgutil.walk_packages(t.__path__, 'speechdraft.text.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in ('django', 'celery'))\n"
        "print(bad)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
