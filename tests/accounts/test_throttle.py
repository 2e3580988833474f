"""Which address login throttling counts, and the TRUSTED_PROXIES setting that decides it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory

from speechdraft.accounts.throttle import client_address

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        # No trusted proxy: the peer is the client, whatever the header says.
        ([], "198.51.100.1", "203.0.113.5", "198.51.100.1"),
        (["10.0.0.1"], "198.51.100.1", "203.0.113.5", "198.51.100.1"),
        # From a trusted proxy: the entry it appended, not what the client wrote before it.
        (["10.0.0.1"], "10.0.0.1", "203.0.113.5", "203.0.113.5"),
        (["10.0.0.1"], "10.0.0.1", "6.6.6.6, 203.0.113.5", "203.0.113.5"),
        (["10.0.0.1"], "10.0.0.1", "6.6.6.6,203.0.113.5", "203.0.113.5"),
        # A chain of trusted proxies (networks): the right-most entry that is not one of them.
        (["10.0.0.0/8"], "10.0.0.1", "6.6.6.6, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        (["10.0.0.1", "172.16.0.0/12"], "10.0.0.1", "203.0.113.5, 172.17.0.3", "203.0.113.5"),
        # Nothing forwarded, only proxies forwarded, or a hop that is no address.
        (["10.0.0.1"], "10.0.0.1", "", "10.0.0.1"),
        (["10.0.0.0/8"], "10.0.0.1", "10.0.0.3, 10.0.0.2", "10.0.0.3"),
        (["10.0.0.1"], "10.0.0.1", "6.6.6.6, unknown", "10.0.0.1"),
        # IPv6, and IPv4 written as IPv6.
        (["fd00::/8"], "fd00::1", "2001:db8::5", "2001:db8::5"),
        (["10.0.0.1"], "::ffff:10.0.0.1", "203.0.113.5", "203.0.113.5"),
    ],
)
def test_the_client_address_believes_x_forwarded_for_only_from_trusted_proxies(
    settings, proxies, remote, forwarded, expected
):
    settings.TRUSTED_PROXIES = proxies
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR=remote)
    if forwarded:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    assert client_address(request) == expected


def trusted_proxies_setting(value: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "TRUSTED_PROXIES"}
    env.update(DEBUG="true", DJANGO_SETTINGS_MODULE="speechdraft.settings")
    if value is not None:
        env["TRUSTED_PROXIES"] = value
    code = (
        "from django.conf import settings; import json; print(json.dumps(settings.TRUSTED_PROXIES))"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_trusted_proxies_are_read_from_the_environment_and_checked():
    proxies = "10.0.0.1, 192.168.0.0/24"
    for value, expected in ((None, []), ("", []), (proxies, ["10.0.0.1", "192.168.0.0/24"])):
        proc = trusted_proxies_setting(value)
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout) == expected
    proc = trusted_proxies_setting("10.0.0.1,proxy.example")
    assert proc.returncode != 0
    assert "TRUSTED_PROXIES" in proc.stderr and "'proxy.example'" in proc.stderr
