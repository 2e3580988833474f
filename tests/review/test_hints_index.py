"""The on-save hints find text reused from the drafter's earlier drafts through an index kept
by the worker on write; the hint request itself hashes only the item saved, and writes nothing."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from speechdraft.drafts.models import DraftItem
from speechdraft.drafts.services import (
    Placement,
    draft_create,
    draft_item_insert,
    draft_item_update,
)
from speechdraft.review import services
from speechdraft.review.models import ItemBand, ItemSignature
from speechdraft.review.services import draft_review, items_index_sync
from tests.conftest import redis_mode, wait_until

HX = {"HX-Request": "true"}
REUSED = (
    "要把优化营商环境作为一号改革工程，深入推进审批服务便民化，让企业办事像网购一样方便，"
    "切实做到无事不扰、有求必应。"
)


def _other_drafts(owner, count: int, items_each: int = 10) -> None:
    for n in range(count):
        draft = draft_create(owner=owner, title=f"旧稿{n}")
        rows = [
            DraftItem(
                draft=draft,
                position=100 + i,
                body=f"第{n}稿第{i}段：我们要坚持稳中求进工作总基调，推动第{i}项工作取得新成效。",
            )
            for i in range(items_each)
        ]
        DraftItem.objects.bulk_create(rows)


def _add(draft, user, body: str) -> DraftItem:
    draft.refresh_from_db()
    item = draft_item_insert(
        draft,
        user=user,
        version=draft.version,
        placement=Placement(parent_id=None, position=0),
        numbered=False,
        body=body,
    )
    return item


def _reuse(draft, item) -> list[str]:
    report = draft_review(draft, changed_ids=[item.pk])
    return [f["message"] for f in report.findings if f["check"] == "reuse"]


@pytest.mark.django_db
def test_text_from_an_earlier_draft_is_found_with_that_drafts_title(alice, bob):
    old = draft_create(owner=alice, title="去年的营商环境讲话")
    _add(old, alice, REUSED)
    items_index_sync(alice.pk)  # as the worker does after the change
    new = draft_create(owner=alice, title="今年的讲话")
    item = _add(new, alice, REUSED)
    assert any("《去年的营商环境讲话》" in m for m in _reuse(new, item))
    # Another user's drafts are not this drafter's earlier work.
    theirs = draft_create(owner=bob, title="鲍勃的讲话")
    mine = _add(theirs, bob, REUSED)
    items_index_sync(bob.pk)
    assert not any("去年的营商环境讲话" in m for m in _reuse(theirs, mine))


@pytest.mark.django_db
def test_the_index_follows_edits_and_deletions(alice):
    old = draft_create(owner=alice, title="旧稿")
    kept = _add(old, alice, REUSED)
    items_index_sync(alice.pk)
    new = draft_create(owner=alice, title="新稿")
    item = _add(new, alice, REUSED)
    assert _reuse(new, item)
    old.refresh_from_db()
    draft_item_update(
        old,
        user=alice,
        version=old.version,
        item_id=kept.pk,
        heading="",
        body="完全不同的一段文字，讲的是乡村振兴和农业农村现代化，和营商环境没有关系。" * 2,
    )
    assert items_index_sync(alice.pk) >= 1
    assert not [m for m in _reuse(new, item) if "《旧稿》" in m]
    assert items_index_sync(alice.pk) == 0  # nothing changed since: nothing hashed again
    kept.delete()
    assert not ItemSignature.objects.filter(item_id=kept.pk).exists()
    assert not ItemBand.objects.filter(item_id=kept.pk).exists()


@pytest.mark.django_db
def test_the_hint_request_hashes_only_the_saved_item_and_writes_nothing(client, alice, monkeypatch):
    _other_drafts(alice, 30)  # 300 earlier items
    items_index_sync(alice.pk)
    draft = draft_create(owner=alice, title="新稿")
    item = _add(draft, alice, REUSED)
    hashed = []
    real = services.HASHER.signature
    monkeypatch.setattr(
        services.HASHER, "signature", lambda text: hashed.append(text) or real(text)
    )
    client.force_login(alice)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/drafts/{draft.pk}/review/items/{item.pk}/", headers=HX)
    assert response.status_code == 200
    assert hashed == [REUSED]
    writes = [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []


@pytest.mark.django_db
def test_a_change_puts_the_drafters_items_in_the_index(alice, django_capture_on_commit_callbacks):
    if redis_mode():
        pytest.skip("with a broker the worker indexes: see the transactional test below")
    cache.delete(f"review:items-index:{alice.pk}")  # no run due from an earlier test
    draft = draft_create(owner=alice, title="旧稿")
    with django_capture_on_commit_callbacks(execute=True):
        item = _add(draft, alice, REUSED)
    assert ItemSignature.objects.filter(item_id=item.pk).exists()
    assert ItemBand.objects.filter(item_id=item.pk, owner=alice).exists()


@pytest.mark.django_db(transaction=True)
def test_with_a_broker_the_worker_indexes_after_a_change(alice, tasks_run):
    if not redis_mode():
        pytest.skip("embedded: the index is kept in-process (test above)")
    cache.delete(f"review:items-index:{alice.pk}")
    draft = draft_create(owner=alice, title="旧稿")
    item = _add(draft, alice, REUSED)
    assert wait_until(lambda: ItemSignature.objects.filter(item_id=item.pk).exists(), timeout=30)


@pytest.mark.django_db
def test_the_hint_compares_each_line_with_a_bounded_number_of_candidates(alice, monkeypatch):
    """Boilerplate shares a band with many earlier paragraphs: the hint reads and scores only
    those sharing the most bands, and the copy of the line is still found; the full review
    compares with all of them."""
    for n in range(6):
        old = draft_create(owner=alice, title=f"近似稿{n}")
        # Same opening as REUSED, different ending: each shares some bands with it.
        _add(old, alice, REUSED[:30] + f"第{n}个不同的结尾，说的是另一件事情，与本段无关。" * 2)
    source = draft_create(owner=alice, title="原文所在的讲话")
    _add(source, alice, REUSED)
    items_index_sync(alice.pk)
    new = draft_create(owner=alice, title="今年的讲话")
    item = _add(new, alice, REUSED)
    monkeypatch.setattr(services, "HINT_CANDIDATES_PER_LINE", 2)
    read = []
    real = services._DbIndex.keys
    monkeypatch.setattr(services._DbIndex, "keys", lambda self: read.append(real(self)) or read[-1])
    assert any("《原文所在的讲话》" in m for m in _reuse(new, item))
    assert len(read[-1]) <= 2  # the texts read for the hint
    draft_review(new)  # the whole draft, as the worker's 审稿 does
    assert len(read[-1]) >= 3
