"""The storage quota and the change-rate limit: refused with a Chinese message that says what
to do, nothing changed, and the editor keeps the text typed on the page."""

import json

import pytest

from speechdraft.drafts import versions
from speechdraft.drafts.models import DraftItem, Revision
from speechdraft.drafts.services import (
    ItemEdit,
    draft_copy,
    draft_create,
    draft_item_save,
    draft_item_step,
    draft_trash,
)
from speechdraft.drafts.versions import (
    RevisionQuotaExceeded,
    TooManyChanges,
    revision_bytes_of,
)

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true", "HX-Target": "document"}
QUOTA = "请删除不用的讲话稿或联系管理员"
RATE = "操作过于频繁，请稍候再试。"


def last_part(draft):
    return draft.items.filter(numbered=True).order_by("position").last()


def up(draft, user):
    draft.refresh_from_db()
    draft_item_step(draft, user=user, version=draft.version, item_id=last_part(draft).pk, delta=-1)


def type_into(draft, user, item, text):
    draft.refresh_from_db()
    draft_item_save(draft, user=user, version=draft.version, edit=ItemEdit(item.pk, text))


# --- quota --------------------------------------------------------------------------------


def test_every_revision_counts_towards_its_owners_storage(draft, alice, bob):
    up(draft, alice)
    type_into(draft, alice, last_part(draft), "一段话")
    type_into(draft, alice, last_part(draft), "一段话接着写")  # rewrites the same revision
    draft.refresh_from_db()
    stored = sum(len(r.snapshot) for r in Revision.objects.filter(draft=draft))
    assert draft.revision_bytes == stored
    copy = draft_copy(draft, user=alice)
    assert revision_bytes_of(alice.pk) == stored + copy.revision_bytes
    assert revision_bytes_of(bob.pk) == 0


def test_over_the_quota_changes_are_refused_with_what_to_do(draft, alice, settings):
    settings.REVISION_QUOTA_BYTES = revision_bytes_of(alice.pk) - 1
    version = draft.version
    with pytest.raises(RevisionQuotaExceeded) as refused:
        up(draft, alice)
    assert refused.value.message.startswith("您的修改记录已占用 ")
    assert "超过上限" in refused.value.message and QUOTA in refused.value.message
    with pytest.raises(RevisionQuotaExceeded):
        type_into(draft, alice, last_part(draft), "新写的字")
    with pytest.raises(RevisionQuotaExceeded):
        draft_create(owner=alice, title="又一篇讲话稿")
    draft.refresh_from_db()
    assert draft.version == version and last_part(draft).body != "新写的字"


def test_the_quota_message_gives_the_sizes_in_megabytes(draft, alice, settings):
    settings.REVISION_QUOTA_BYTES = 200 * 1024 * 1024
    type(draft).objects.filter(pk=draft.pk).update(revision_bytes=250 * 1024 * 1024)
    with pytest.raises(RevisionQuotaExceeded) as refused:
        up(draft, alice)
    assert refused.value.message == (
        "您的修改记录已占用 250.0 MB，超过上限 200.0 MB：请删除不用的讲话稿或联系管理员。"
    )


def test_deleting_a_draft_makes_room(draft, alice, settings):
    other = draft_create(owner=alice, title="不用的讲话稿")
    settings.REVISION_QUOTA_BYTES = revision_bytes_of(alice.pk) - 1
    with pytest.raises(RevisionQuotaExceeded):
        up(draft, alice)
    draft_trash(other)  # the 回收站 empties itself; what is in it no longer counts
    up(draft, alice)


def test_the_quota_is_each_users_own(draft, alice, bob, settings):
    settings.REVISION_QUOTA_BYTES = revision_bytes_of(alice.pk) - 1
    bobs = draft_create(owner=bob, title="鲍勃的讲话")
    up(bobs, bob)


def test_over_the_quota_the_editor_says_why_and_keeps_the_text(
    alice_client, alice, draft, settings
):
    settings.REVISION_QUOTA_BYTES = 1
    item = last_part(draft)
    saved = alice_client.post(
        f"/drafts/{draft.pk}/items/{item.pk}/save/",
        {"body": "我辛苦写的正文", "version": draft.version},
        headers=HX,
    )
    assert saved.status_code == 422 and QUOTA in saved.json()["error"]
    pending = json.dumps([{"id": item.pk, "body": "我辛苦写的正文"}])
    moved = alice_client.post(
        f"/drafts/{draft.pk}/items/{item.pk}/up/",
        {"current_version": draft.version, "pending": pending},
        headers=HX,
    )
    assert moved.status_code == 422
    assert moved.headers["HX-Reswap"] == "none"  # the page, and the text on it, stay as they are
    assert QUOTA in moved.content.decode()
    assert DraftItem.objects.get(pk=item.pk).body != "我辛苦写的正文"
    new = alice_client.post("/drafts/new/", {"title": "新讲话稿", "mode": "structure"})
    assert new.status_code == 422 and QUOTA in new.content.decode()


# --- change rate --------------------------------------------------------------------------


@pytest.fixture
def clock(monkeypatch):
    """The rate window's clock, at the start of a minute."""
    now = [1_800_000_000.0]
    monkeypatch.setattr(versions, "_clock", lambda: now[0])
    return now


def test_too_many_changes_a_minute_are_refused(draft, alice, settings, clock):
    settings.REVISION_RATE_PER_MINUTE = 3
    for _ in range(3):
        up(draft, alice)
    draft.refresh_from_db()
    version = draft.version
    with pytest.raises(TooManyChanges) as refused:
        up(draft, alice)
    assert refused.value.message == RATE
    draft.refresh_from_db()
    assert draft.version == version
    clock[0] += 60  # the next minute
    up(draft, alice)


def test_typing_that_goes_on_is_not_counted(draft, alice, settings, clock):
    settings.REVISION_RATE_PER_MINUTE = 3
    up(draft, alice)
    up(draft, alice)
    item = last_part(draft)
    for text in ("今", "今天", "今天我们", "今天我们召开", "今天我们召开会议"):
        type_into(draft, alice, item, text)  # one new revision, then the same one rewritten
    assert DraftItem.objects.get(pk=item.pk).body == "今天我们召开会议"
    with pytest.raises(TooManyChanges):
        up(draft, alice)


def test_the_limit_is_counted_per_user(draft, alice, bob, settings, clock):
    settings.REVISION_RATE_PER_MINUTE = 2
    up(draft, alice)
    up(draft, alice)
    bobs = draft_create(owner=bob, title="鲍勃的讲话")
    up(bobs, bob)
    with pytest.raises(TooManyChanges):
        up(draft, alice)


def test_with_the_cache_down_changes_are_not_limited(draft, alice, settings, clock, monkeypatch):
    settings.REVISION_RATE_PER_MINUTE = 1

    def unreachable(key, delta=1, version=None):
        raise ValueError("the cache is unavailable")

    monkeypatch.setattr(versions.cache, "incr", unreachable)
    for _ in range(3):
        up(draft, alice)


def test_too_fast_the_editor_says_so_and_keeps_the_text(
    alice_client, alice, draft, settings, clock
):
    settings.REVISION_RATE_PER_MINUTE = 1
    up(draft, alice)
    draft.refresh_from_db()
    item = last_part(draft)
    pending = json.dumps([{"id": item.pk, "body": "我辛苦写的正文"}])
    response = alice_client.post(
        f"/drafts/{draft.pk}/items/{item.pk}/up/",
        {"current_version": draft.version, "pending": pending},
        headers=HX,
    )
    assert response.status_code == 422 and response.headers["HX-Reswap"] == "none"
    assert RATE in response.content.decode()
    assert DraftItem.objects.get(pk=item.pk).body != "我辛苦写的正文"


def test_over_the_quota_a_copy_is_refused_with_the_message(alice_client, alice, draft, settings):
    from speechdraft.drafts.models import Draft

    settings.REVISION_QUOTA_BYTES = 1
    before = Draft.objects.filter(owner=alice).count()
    response = alice_client.post(f"/drafts/{draft.pk}/copy/", follow=True)
    assert response.status_code == 200 and QUOTA in response.content.decode()
    assert Draft.objects.filter(owner=alice).count() == before
