"""Garbage in any parameter of any URL is a clear answer (4xx, or a page with a message),
never a server error.

Which parameters a view reads is found by watching it: each URL of the access test's list is
requested once by its owner, the QueryDict keys the view looks at are recorded, and then
every one of them is sent each garbage value in turn (the others kept plausible), until no
new key shows up.
"""

from __future__ import annotations

import pytest
from django.http import QueryDict
from django.test import Client

from tests.security.test_access import OWNED, PERSONAL, PUBLIC, path_for, site_urls, world  # noqa: F401

pytestmark = pytest.mark.django_db

GARBAGE = [
    "abc",
    "²",
    "１２",
    "-1",
    "1.5",
    "99999999999999999999999999",
    "",
    "\x00",
    "{{ " + "(" * 3000 + "地区" + ")" * 3000 + " }}",
    "{{- 地区 -}}",
    "字" * 20_000,
]
# Last, so that what they remove or end does not hide the other URLs' parameters.
LAST = ("drafts:delete", "library:phrase_delete", "accounts:logout")


@pytest.fixture
def watched(monkeypatch):
    """The QueryDict keys views read, as they read them."""
    keys: set[str] = set()
    for name in ("__getitem__", "get", "getlist", "__contains__"):
        original = getattr(QueryDict, name)

        def spy(self, key, *args, _original=original, **kwargs):
            if isinstance(key, str):
                keys.add(key)
            return _original(self, key, *args, **kwargs)

        monkeypatch.setattr(QueryDict, name, spy)
    return keys


def _targets(world):  # noqa: F811
    routes = dict(site_urls())
    names = sorted(set(OWNED) | PERSONAL | PUBLIC, key=lambda n: (n in LAST, n))
    for name in names:
        methods = OWNED[name][0] if name in OWNED else "GET POST"
        params = OWNED[name][1] if name in OWNED else []
        values = dict(world)
        if "job" in params or "phrase" in params:
            values["pk"] = world["job"] if "job" in params else world["phrase"]
        route = routes[name]
        for key in ("job", "phrase"):
            route = route.replace(f"<int:{key}>", str(values.get(key, 0)))
        yield name, methods.split(), path_for(route, values)


def test_no_parameter_of_any_url_makes_a_server_error(alice, world, watched):  # noqa: F811
    client = Client(raise_request_exception=False)
    version = world["version"]
    baseline = {"version": version, "current_version": version}
    errors: set[tuple] = set()
    for name, methods, path in _targets(world):
        for method in methods:
            send = client.get if method == "GET" else client.post
            seen: set[str] = set()
            tried: set[str] = set()
            watched.clear()
            client.force_login(alice)
            send(path, baseline, headers={"HX-Request": "true"})
            seen |= watched
            while seen - tried:
                key = sorted(seen - tried)[0]
                tried.add(key)
                for i, value in enumerate(GARBAGE):
                    # The others plausible, then (once per value) every parameter garbage.
                    tries = [{**baseline, key: value}]
                    if len(tried) == 1:
                        tries.append(dict.fromkeys(seen, value))
                    for data in tries:
                        watched.clear()
                        client.force_login(alice)
                        headers = {"HX-Request": "true"} if i % 2 else {}
                        response = send(path, data, headers=headers)
                        seen |= watched
                        if response.status_code >= 500:
                            errors.add((name, method, key, GARBAGE.index(value)))
    assert not errors, "\n".join(map(str, sorted(errors)))


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/drafts/{pk}/material/", {"paragraph": "abc"}),
        ("/drafts/{pk}/material/", {"version": "abc"}),
        ("/drafts/{pk}/material/", {"anchor": "abc"}),
        ("/drafts/{pk}/", {"edit": "²"}),
        ("/drafts/new/", {"skeleton": "²"}),
    ],
)
def test_the_reported_ones(client, alice, world, path, data):  # noqa: F811
    client.force_login(alice)
    url = path.format(pk=world["pk"])
    for send in (client.get, client.post):
        response = send(url, data)
        assert response.status_code < 500
