"""Services behind writing on the page: autosave with its conflict check, text carried by
structure actions, typing as one undo step, redo, and actions that cannot apply."""

import datetime

import pytest
from django.utils import timezone

from speechdraft.drafts.models import DraftItem, Revision
from speechdraft.drafts.services import (
    DraftError,
    ItemConflict,
    ItemEdit,
    StaleDraft,
    draft_item_insert,
    draft_item_move,
    draft_item_save,
    draft_item_step,
    draft_items_update,
    pending_edits,
    placement_for,
    placement_for_material,
)
from speechdraft.drafts.versions import (
    TYPING_GROUP_SECONDS,
    draft_redo,
    draft_undo,
    history_state,
)

pytestmark = pytest.mark.django_db


def parts(draft):
    return list(draft.items.filter(numbered=True, parent=None).order_by("position"))


def body(item):
    item.refresh_from_db()
    return item.body


def save(draft, user, item, text, version=None, **kwargs):
    draft.refresh_from_db()
    return draft_item_save(
        draft,
        user=user,
        version=draft.version if version is None else version,
        edit=ItemEdit(item.pk, text),
        **kwargs,
    )


def test_typing_saved_again_and_again_is_one_change_to_undo(draft, alice):
    first = parts(draft)[0]
    start = draft.version
    for text in ("今", "今天", "今天我们"):
        save(draft, alice, first, text)
    draft.refresh_from_db()
    assert draft.version == start + 3  # every save is a version: other windows see it
    typing = Revision.objects.filter(draft=draft, action="修改段落")
    assert typing.count() == 1 and typing.get().version == draft.version
    draft_undo(draft, user=alice, version=draft.version)
    assert body(first) != "今天我们" and "今" not in body(first)


def test_a_pause_or_another_item_starts_a_new_change(draft, alice):
    first, second = parts(draft)[:2]
    save(draft, alice, first, "第一段")
    save(draft, alice, second, "第二段")
    save(draft, alice, first, "第一段又改")
    assert Revision.objects.filter(draft=draft, action="修改段落").count() == 3
    Revision.objects.filter(draft=draft).update(
        started_at=timezone.now() - datetime.timedelta(seconds=TYPING_GROUP_SECONDS + 1)
    )
    save(draft, alice, first, "过了一分钟再改")
    assert Revision.objects.filter(draft=draft, action="修改段落").count() == 4


def test_a_version_an_export_refers_to_is_never_folded_away(draft, alice):
    first = parts(draft)[0]
    save(draft, alice, first, "导出前")
    draft.refresh_from_db()
    Revision.objects.filter(draft=draft, version=draft.version).update(pinned=True)
    pinned = draft.version
    save(draft, alice, first, "导出后接着写")
    assert Revision.objects.filter(draft=draft, version=pinned).exists()


def test_undo_then_redo_walks_back_and_forward(draft, alice):
    first = parts(draft)[0]
    save(draft, alice, first, "甲")
    draft.refresh_from_db()
    draft_item_step(draft, user=alice, version=draft.version, item_id=parts(draft)[2].pk, delta=-1)
    order = [p.pk for p in parts(draft)]
    draft.refresh_from_db()
    assert history_state(draft) == (True, False)
    draft_undo(draft, user=alice, version=draft.version)
    draft_undo(draft, user=alice, version=draft.version)
    assert body(first) != "甲"
    assert history_state(draft) == (False, True)  # back at the new draft: only redo left
    draft_redo(draft, user=alice, version=draft.version)
    assert body(first) == "甲" and [p.pk for p in parts(draft)] != order
    draft_redo(draft, user=alice, version=draft.version)
    assert [p.pk for p in parts(draft)] == order
    assert history_state(draft) == (True, False)
    with pytest.raises(DraftError, match="没有可以重做的操作"):
        draft_redo(draft, user=alice, version=draft.version)
    # Undo after redo goes back one step again.
    draft_undo(draft, user=alice, version=draft.version)
    assert [p.pk for p in parts(draft)] != order


def test_a_new_change_after_undo_ends_redo(draft, alice):
    first = parts(draft)[0]
    save(draft, alice, first, "甲")
    draft.refresh_from_db()
    draft_undo(draft, user=alice, version=draft.version)
    save(draft, alice, first, "乙")
    draft.refresh_from_db()
    assert history_state(draft) == (True, False)


def test_an_autosave_on_an_older_version_lands_when_its_item_was_not_changed(draft, alice):
    first, second = parts(draft)[:2]
    draft.refresh_from_db()
    seen = draft.version
    save(draft, alice, second, "另一窗口改了第二部分")
    stale = save(draft, alice, first, "这个窗口改第一部分", version=seen)
    assert stale is True  # the page reloads the rest around its text
    assert body(first) == "这个窗口改第一部分"
    assert body(second) == "另一窗口改了第二部分"


def test_an_autosave_over_an_item_changed_elsewhere_is_a_conflict(draft, alice):
    first = parts(draft)[0]
    draft.refresh_from_db()
    seen = draft.version
    save(draft, alice, first, "另一窗口写的")
    with pytest.raises(ItemConflict) as conflict:
        save(draft, alice, first, "这个窗口写的", version=seen)
    assert conflict.value.body == "另一窗口写的"
    assert body(first) == "另一窗口写的"
    save(draft, alice, first, "这个窗口写的", version=seen, force=True)
    assert body(first) == "这个窗口写的"


def test_carried_text_needs_the_current_version_and_checks_each_item(draft, alice):
    first, second = parts(draft)[:2]
    draft.refresh_from_db()
    seen = draft.version
    with pytest.raises(StaleDraft):
        draft_items_update(
            draft, user=alice, version=seen - 1, edits=[ItemEdit(first.pk, "过时的版本")]
        )
    save(draft, alice, second, "另一窗口")
    draft.refresh_from_db()
    with pytest.raises(ItemConflict):
        draft_items_update(
            draft,
            user=alice,
            version=draft.version,
            edits=[ItemEdit(second.pk, "打在旧内容上的字", base_version=seen)],
        )
    draft_items_update(
        draft,
        user=alice,
        version=draft.version,
        edits=[ItemEdit(first.pk, "第一部分", base_version=seen), ItemEdit(second.pk, "第二部分")],
    )
    assert (body(first), body(second)) == ("第一部分", "第二部分")


def test_pending_text_from_the_page_is_read_or_refused_in_chinese():
    edits = pending_edits('[{"id": 3, "heading": null, "body": "正文", "base": 7}]')
    assert edits == [ItemEdit(3, "正文", None, 7)]
    with pytest.raises(DraftError, match="未保存的文字格式不正确"):
        pending_edits("not json")
    with pytest.raises(DraftError):
        pending_edits('[{"body": "没有编号"}]')


def test_moves_that_cannot_apply_say_why_and_record_nothing(draft, alice):
    first = parts(draft)[0]
    draft.refresh_from_db()
    before = Revision.objects.filter(draft=draft).count()
    opening = draft.items.filter(parent=None).order_by("position").first()
    with pytest.raises(DraftError, match="已是同级第一项"):
        draft_item_step(draft, user=alice, version=draft.version, item_id=opening.pk, delta=-1)
    closing = draft.items.filter(parent=None).order_by("position").last()
    with pytest.raises(DraftError, match="已是同级最后一项"):
        draft_item_step(draft, user=alice, version=draft.version, item_id=closing.pk, delta=1)
    # Dropped where it was: nothing to record.
    draft_item_move(
        draft,
        user=alice,
        version=draft.version,
        item_id=first.pk,
        parent_id=None,
        position=first.position,
    )
    assert Revision.objects.filter(draft=draft).count() == before


def test_where_parts_points_and_paragraphs_go(draft, alice):
    first, second, third = parts(draft)
    opening = draft.items.filter(parent=None).order_by("position").first()
    # 添加部分 from inside part 一 goes right after it; from the opening, after the last part.
    assert placement_for(draft, "part", first.pk).position == first.position + 1
    assert placement_for(draft, "part", opening.pk).position == third.position + 1
    # 添加要点 on a part: its last point; on a point: the next point after it.
    on_part = placement_for(draft, "point", second.pk)
    assert (on_part.parent_id, on_part.position) == (second.pk, 0)
    point = draft_item_insert(
        draft,
        user=alice,
        version=draft.version,
        placement=on_part,
        numbered=True,
        heading="第一个要点",
    )
    after_point = placement_for(draft, "point", point.pk)
    assert (after_point.parent_id, after_point.position) == (second.pk, 1)
    with pytest.raises(DraftError, match="请先点选一个部分"):
        placement_for(draft, "point", opening.pk)
    with pytest.raises(DraftError, match="请先点选一个部分或要点"):
        placement_for(draft, "point", None)
    # 添加段落 on a part with points: straight under its heading.
    under = placement_for(draft, "paragraph", second.pk)
    assert (under.parent_id, under.position) == (second.pk, 0)
    beside = placement_for(draft, "paragraph", first.pk)
    assert (beside.parent_id, beside.position) == (None, first.position + 1)
    # A library paragraph with a heading becomes a point; one without, body text.
    assert placement_for_material(draft, second.pk, has_heading=True).parent_id == second.pk
    assert placement_for_material(draft, second.pk, has_heading=False) == under
    assert DraftItem.objects.filter(pk=point.pk).exists()
