"""Every state-changing request needs the CSRF token, htmx requests included."""

import pytest
from django.test import Client

from speechdraft.drafts.services import draft_create
from tests.security.test_access import OWNED, PERSONAL, path_for, site_urls

pytestmark = pytest.mark.django_db


@pytest.fixture
def csrf_client(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    return client


def post_urls(values):
    routes = dict(site_urls())
    for name, (methods, params) in OWNED.items():
        if "POST" in methods.split():
            v = dict(values)
            if "job" in params or "phrase" in params:
                v["pk"] = values["job"] if "job" in params else values["phrase"]
            yield name, path_for(routes[name], v)
    for name in PERSONAL:
        if name not in ("home", "library:search"):
            yield name, path_for(routes[name], values)


@pytest.fixture
def values(alice):
    draft = draft_create(owner=alice, title="在全市工作会议上的讲话")
    return {
        "pk": draft.pk,
        "item_id": draft.items.first().pk,
        "version": draft.version,
        "run_id": 1,
        "job": 1,
        "phrase": 1,
        "proposal_id": 1,
        "comment_id": 1,
        "draft": draft,
    }


def test_a_post_without_the_token_is_refused_everywhere(csrf_client, values):
    draft = values["draft"]
    for name, path in post_urls(values):
        for headers in ({}, {"HX-Request": "true", "HX-Target": "document"}):
            response = csrf_client.post(path, {"version": draft.version}, headers=headers)
            assert response.status_code == 403, (name, path, response.status_code)
            assert "请求未通过安全校验" in response.content.decode()
    draft.refresh_from_db()
    assert draft.version == values["version"] and draft.items.count() == 5


def test_a_token_from_another_session_is_refused(csrf_client, values, bob):
    other = Client(enforce_csrf_checks=True)
    other.force_login(bob)
    other.get("/")
    foreign = other.cookies["csrftoken"].value
    response = csrf_client.post(
        f"/drafts/{values['pk']}/undo/",
        {"version": values["version"]},
        headers={"HX-Request": "true", "X-CSRFToken": foreign},
    )
    assert response.status_code == 403


def test_the_token_the_page_gives_is_accepted(csrf_client, values):
    """The refusals above are about the token, not the request: with it, the change lands."""
    page = csrf_client.get(f"/drafts/{values['pk']}/")
    token = csrf_client.cookies["csrftoken"].value
    assert token and page.status_code == 200
    response = csrf_client.post(
        f"/drafts/{values['pk']}/items/",
        {"kind": "part", "current_version": values["version"]},
        headers={"HX-Request": "true", "HX-Target": "document", "X-CSRFToken": token},
    )
    assert response.status_code == 200
    values["draft"].refresh_from_db()
    assert values["draft"].version == values["version"] + 1


def test_admin_changes_need_the_token_too(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post(
        "/admin/library/phrase/add/", {"kind": "golden", "text": "无令牌提交的金句"}
    )
    assert response.status_code == 403
    from speechdraft.library.models import Phrase

    assert not Phrase.objects.filter(text="无令牌提交的金句").exists()
