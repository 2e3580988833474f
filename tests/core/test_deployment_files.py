"""docker-compose.yml, .env.example, the Makefile and .ci/run agree with the code.

Docker cannot run on these machines, so the production description is checked by reading it.
"""

import importlib
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKERS = ("worker-export", "worker-corpus")


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_the_services_with_healthchecks():
    services = compose()["services"]
    assert set(services) == {"web", "worker-export", "worker-corpus", "postgres", "redis"}
    for name, service in services.items():
        assert "healthcheck" in service, f"{name} has no healthcheck"


def test_web_and_worker_commands_point_at_real_code():
    services = compose()["services"]
    web = services["web"]["command"]
    module, attr = re.search(r"gunicorn ([\w.]+):(\w+)", web).groups()
    assert hasattr(importlib.import_module(module), attr)
    assert "healthz" in str(services["web"]["healthcheck"]["test"])
    for name in WORKERS:
        worker = services[name]["command"]
        app_name = re.search(r"celery -A (\w+) worker", worker).group(1)
        celery_module = importlib.import_module(f"{app_name}.celery")
        assert celery_module.app.main == "speechdraft"


def test_one_worker_per_queue_each_with_its_own_health_check():
    """The queue names are the settings' defaults; the corpus worker's pool enforces limits."""
    from django.conf import settings

    services = compose()["services"]
    queues = {
        "worker-export": ("CELERY_QUEUE", settings.CELERY_TASK_DEFAULT_QUEUE),
        "worker-corpus": ("CELERY_CORPUS_QUEUE", settings.CELERY_CORPUS_QUEUE),
    }
    for name, (variable, queue) in queues.items():
        command = services[name]["command"]
        assert f"-Q ${{{variable}:-{queue}}}" in command, command
        node = re.search(r"-n (\w+)@%h", command).group(1)
        assert f"-d {node}@$$HOSTNAME" in services[name]["healthcheck"]["test"][1]
    corpus = services["worker-corpus"]["command"]
    assert "--pool=prefork" in corpus and "--concurrency=1" in corpus


def test_app_services_read_env_file_and_reach_their_backends():
    services = compose()["services"]
    for name in ("web", *WORKERS):
        service = services[name]
        assert service["env_file"] == ".env"
        env = service["environment"]
        assert "@postgres:5432/" in env["DATABASE_URL"]
        assert env["REDIS_URL"].startswith("redis://redis:6379/")
        media_volume = [v for v in service["volumes"] if v.startswith("media:")]
        assert media_volume == [f"media:{env['MEDIA_ROOT']}"]
        assert set(service["depends_on"]) == {"postgres", "redis"}
    assert "media" in compose()["volumes"]


def test_production_never_reads_a_local_env_file():
    """make's .env.local (DEBUG on, a generated key) stays out of the image and is not read."""
    for name in ("web", *WORKERS):
        assert compose()["services"][name]["environment"]["LOCAL_ENV_FILE"] == ""
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    assert ".env" in ignored and ".env.*" in ignored


def test_env_example_lists_every_variable_the_settings_read():
    settings_src = (ROOT / "speechdraft" / "settings.py").read_text()
    read = set(re.findall(r'env_\w+\(\s*"([A-Z_]+)"', settings_src))
    read |= {"REDIS_URL"}  # read through redis_url()
    listed = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert read <= listed, f"missing from .env.example: {sorted(read - listed)}"


def test_makefile_and_ci_agree():
    makefile = (ROOT / "Makefile").read_text()
    for target in ("run:", "test:", "lint:"):
        assert re.search(rf"^{target}", makefile, re.M), target
    assert "manage.py migrate" in makefile
    assert "manage.py create_demo_users" in makefile
    assert "runserver $(HOST):$(PORT)" in makefile and "HOST ?= 127.0.0.1" in makefile
    for name in WORKERS:  # the same worker per queue as docker-compose.yml runs
        assert re.search(rf"^{name}:", makefile, re.M), name
        queue = re.search(r"-Q (\S+)", compose()["services"][name]["command"]).group(1)
        assert f"-Q ${queue}" in makefile, name  # make's $$ is the shell's $
    ci = (ROOT / ".ci" / "run").read_text()
    assert ci.count("make test") >= 2
    assert "DATABASE_URL=" in ci and "REDIS_URL=" in ci


def test_requirements_are_pinned_exactly():
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (ROOT / name).read_text().splitlines():
            line = line.strip()
            if line and not line.startswith(("#", "-r")):
                assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[\w.]+", line), line
