"""Production settings: `check --deploy` is clean and responses carry the security headers.

Settings are read once per process, so each case runs a fresh interpreter with a
production environment (DEBUG off, a real secret, HTTPS cookies by default).
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HOST = "speech.example.gov.cn"


def production_env(**extra: str) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SECURE_", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "TRUST_"))
        # Not the test run's own switches (the browser tests allow sync ORM calls).
        and k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        DJANGO_SETTINGS_MODULE="speechdraft.settings",
    )
    env.update(extra)
    return env


def check_deploy(**extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(**extra),
        capture_output=True,
        text=True,
    )


def test_check_deploy_is_clean_with_the_production_environment():
    proc = check_deploy()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "no issues" in proc.stdout


def test_check_deploy_notices_when_https_protection_is_switched_off():
    # The same command is not blind: without HSTS and the HTTPS redirect it fails.
    proc = check_deploy(SECURE_HSTS_SECONDS="0", SECURE_SSL_REDIRECT="false")
    assert proc.returncode != 0
    assert "W004" in proc.stderr + proc.stdout and "W008" in proc.stderr + proc.stdout


PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
# No collectstatic in a test run: plain static storage instead of the hashed manifest.
settings.STORAGES = {**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
c = Client(HTTP_HOST=%(host)r)
plain = c.get("/accounts/login/")
secure = c.get("/accounts/login/", secure=True)
health = c.get("/healthz/")
print(json.dumps({
    "plain_status": plain.status_code, "plain_location": plain.headers.get("Location", ""),
    "health_status": health.status_code,
    "headers": {k: v for k, v in secure.headers.items()},
    "cookies": {k: {"secure": bool(m["secure"]), "httponly": bool(m["httponly"]),
                    "samesite": m["samesite"]} for k, m in secure.cookies.items()},
}))
"""


def test_production_responses_carry_security_headers():
    proc = subprocess.run(
        [sys.executable, "-c", PROBE % {"host": HOST}],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    seen = json.loads(proc.stdout.strip().splitlines()[-1])
    assert seen["plain_status"] == 301 and seen["plain_location"].startswith("https://")
    assert seen["health_status"] == 200  # the container health check speaks plain HTTP
    headers = seen["headers"]
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    csrf = seen["cookies"]["csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax"


def test_default_password_hasher_is_a_slow_salted_hash(django_user_model, db):
    user = django_user_model.objects.create_user("hashcheck", password="correct-horse-battery")
    algorithm, iterations, salt, _digest = user.password.split("$")
    assert algorithm in {"pbkdf2_sha256", "argon2", "bcrypt_sha256", "scrypt"}
    assert int(iterations) >= 600_000 and salt and "correct-horse" not in user.password
