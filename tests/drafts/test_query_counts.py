"""The editor's hot paths make a fixed number of queries, however long the draft: an N+1
(a query per item, per part, per slot) fails here. Each request is made on a short and on a
long draft and the counts compared, so the test pins the shape, not a number that any new
feature would have to update."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from speechdraft.drafts import services
from speechdraft.drafts.services import draft_create

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true", "HX-Target": "document"}


def _draft(owner, points_per_part: int):
    """Three parts of `points_per_part` numbered points, each with a body and a slot."""
    draft = draft_create(owner=owner, title="在全市工作会议上的讲话", meeting_name="全市工作会议")
    for part in range(3):
        head = services.draft_item_insert(
            draft,
            user=owner,
            version=None,
            placement=services.placement_for(draft, "part", None),
            numbered=True,
            heading=f"第{part}部分",
        )
        for n in range(points_per_part):
            services.draft_item_insert(
                draft,
                user=owner,
                version=None,
                placement=services.placement_after(draft, head.pk, as_child=True),
                numbered=True,
                heading=f"要点{n}",
                body=f"{{{{ 地区 }}}}要抓好第{n}项工作，确保取得实效。",
            )
    draft.refresh_from_db()
    return draft


def _count(client, method: str, path: str, data=None, headers=None) -> int:
    send = client.get if method == "GET" else client.post
    with CaptureQueriesContext(connection) as queries:
        response = send(path, data or {}, headers=headers or {})
    assert response.status_code in (200, 302), (path, response.status_code)
    return len(queries)


def _requests(draft):
    """(what, method, path, data, headers) of the editor's frequent requests on `draft`."""
    last = draft.items.filter(numbered=True, parent__isnull=False).order_by("-id").first()
    base = f"/drafts/{draft.pk}/"
    return [
        ("open the editor", "GET", base, None, None),
        ("reload the outline", "GET", f"{base}document/", None, HX),
        (
            "autosave typed text",
            "POST",
            f"{base}items/{last.pk}/save/",
            {"heading": last.heading, "body": last.body + "再补一句。", "version": draft.version},
            None,
        ),
        (
            "add a paragraph",
            "POST",
            f"{base}items/",
            {"kind": "paragraph", "anchor": last.pk, "version": draft.version + 1},
            HX,
        ),
        (
            "move a point up",
            "POST",
            f"{base}items/{last.pk}/up/",
            {"version": draft.version + 2},
            HX,
        ),
        ("search the panel", "GET", f"{base}library/", {"q": "工作", "anchor": last.pk}, HX),
        ("hints after a save", "GET", f"/drafts/{draft.pk}/review/items/{last.pk}/", None, HX),
    ]


def test_the_editors_requests_do_not_grow_with_the_draft(client, alice):
    client.force_login(alice)
    short, long = _draft(alice, 2), _draft(alice, 12)
    counts = {}
    for draft in (short, long):
        for what, method, path, data, headers in _requests(draft):
            counts.setdefault(what, []).append(_count(client, method, path, data, headers))
    grown = {what: pair for what, pair in counts.items() if pair[1] > pair[0]}
    assert grown == {}, f"queries per request, short vs long draft: {grown}"
