"""Comparing two versions of a draft: the items paired, their kinds, the word-level ops and
the numbers each version had."""

import datetime

import pytest

from speechdraft.drafts.compare import compare_snapshots, runs
from speechdraft.drafts.models import default_numbering
from speechdraft.drafts.services import (
    Details,
    Placement,
    draft_details_update,
    draft_item_delete,
    draft_item_insert,
    draft_item_move,
    draft_item_update,
)
from speechdraft.drafts.snapshot import Snapshot
from speechdraft.drafts.versions import draft_restore, revision_snapshot
from speechdraft.text.diff import Op, new_text, old_text

pytestmark = pytest.mark.django_db

POINTS = [
    ("压实安全责任", "要层层压实责任。"),
    ("排查重大隐患", "要加快推进隐患排查整治。"),
    ("强化应急管理", "要完善应急预案。"),
]


def snapshot_at(draft, version):
    return revision_snapshot(draft.revisions.get(version=version))


def by_heading(comparison, heading):
    return next(e for e in comparison.entries if e.side.heading == heading)


@pytest.fixture
def speech(draft, alice):
    """The blank frame with three points under part 二."""
    second = draft.items.filter(numbered=True).order_by("position")[1]
    for n, (heading, body) in enumerate(POINTS):
        draft.refresh_from_db()
        draft_item_insert(
            draft,
            user=alice,
            version=draft.version,
            placement=Placement(second.pk, n),
            numbered=True,
            heading=heading,
            body=body,
        )
    draft.refresh_from_db()
    return draft


def edited(speech, alice):
    """A word changed in a paragraph, a point added above the others, a point deleted and
    part 三 moved to the top."""
    item = speech.items.get(heading="排查重大隐患")
    draft_item_update(
        speech,
        user=alice,
        version=speech.version,
        item_id=item.pk,
        heading=item.heading,
        body="要全面推进隐患排查整治。",
    )
    second = speech.items.filter(numbered=True, parent=None).order_by("position")[1]
    draft_item_insert(
        speech,
        user=alice,
        version=speech.version,
        placement=Placement(second.pk, 0),
        numbered=True,
        heading="健全责任体系",
        body="要明确各方责任。",
    )
    gone = speech.items.get(heading="强化应急管理")
    draft_item_delete(speech, user=alice, version=speech.version, item_id=gone.pk)
    third = speech.items.filter(numbered=True, parent=None).order_by("position")[2]
    draft_item_move(
        speech, user=alice, version=speech.version, item_id=third.pk, parent_id=None, position=1
    )
    speech.refresh_from_db()
    return speech


def test_a_word_changed_a_point_added_one_deleted_and_a_part_moved(speech, alice):
    before = speech.version
    draft = edited(speech, alice)
    comparison = compare_snapshots(snapshot_at(draft, before), snapshot_at(draft, draft.version))

    changed = by_heading(comparison, "排查重大隐患")
    assert changed.kind == "changed" and not changed.moved
    assert changed.body == [
        Op("equal", "要"),
        Op("delete", "加快"),
        Op("insert", "全面"),
        Op("equal", "推进隐患排查整治。"),
    ]
    assert changed.heading == [Op("equal", "排查重大隐患")]
    # Part 三 moved above part 一: part 二 is now 三, its point （二） now （三）.
    assert (changed.old.number, changed.new.number) == ("（二）", "（三）")
    assert (changed.old.label, changed.new.label) == ("第二部分（二）", "第三部分（三）")
    assert changed.renumbered

    added = by_heading(comparison, "健全责任体系")
    assert added.kind == "added" and added.old is None
    assert added.new.number == "（一）" and added.new.label == "第三部分（一）"
    assert added.body == [Op("insert", "要明确各方责任。")]

    deleted = by_heading(comparison, "强化应急管理")
    assert deleted.kind == "deleted" and deleted.new is None
    assert deleted.old.number == "（三）" and deleted.old.label == "第二部分（三）"
    assert deleted.heading == [Op("delete", "强化应急管理")]

    moved = by_heading(comparison, "强化作风保障，确保各项部署落到实处")
    assert moved.kind == "moved" and moved.kinds == ("moved",)
    assert (moved.old.label, moved.new.label) == ("第三部分", "第一部分")
    assert (moved.old.number, moved.new.number) == ("三、", "一、")

    # Shifted by the move, not moved: parts 一 and 二 and the points that kept their order.
    kept = by_heading(comparison, "压实安全责任")
    assert kept.kind == "same" and kept.renumbered
    assert by_heading(comparison, "提高政治站位，深刻认识做好工作的重要意义").kind == "same"

    # Reading order of the new version, the deleted point where it stood (after its sibling).
    headings = [e.side.heading for e in comparison.entries if e.side.heading]
    assert headings == [
        "强化作风保障，确保各项部署落到实处",
        "提高政治站位，深刻认识做好工作的重要意义",
        "突出工作重点，全力推动各项任务落地见效",
        "健全责任体系",
        "压实安全责任",
        "排查重大隐患",
        "强化应急管理",
    ]
    assert deleted.depth == 1 and moved.depth == 0
    assert comparison.counts == {"added": 1, "deleted": 1, "changed": 1, "moved": 1}
    assert not comparison.identical


def test_every_entry_gives_both_versions_texts_back(speech, alice):
    before = speech.version
    draft = edited(speech, alice)
    old, new = snapshot_at(draft, before), snapshot_at(draft, draft.version)
    comparison = compare_snapshots(old, new)
    olds = {(e.old.heading, e.old.body) for e in comparison.entries if e.old}
    news = {(e.new.heading, e.new.body) for e in comparison.entries if e.new}
    assert olds == {(i["heading"], i["body"]) for i in old.items}
    assert news == {(i["heading"], i["body"]) for i in new.items}
    for e in comparison.entries:
        assert old_text(e.body) == (e.old.body if e.old else "")
        assert new_text(e.body) == (e.new.body if e.new else "")


def test_the_same_version_is_identical_and_folds_into_one_run(speech):
    snapshot = snapshot_at(speech, speech.version)
    comparison = compare_snapshots(snapshot, snapshot)
    assert comparison.identical and comparison.fields == []
    assert {e.kind for e in comparison.entries} == {"same"}
    assert runs(comparison.entries) == [(True, comparison.entries)]


def test_the_drafts_fields_are_compared(draft, alice):
    before = draft.version
    draft_details_update(
        draft,
        user=alice,
        version=draft.version,
        details=Details(
            title="在全市安全工作会议上的讲话",
            meeting_name="全市工作会议",
            speaker="张三",
            date=datetime.date(2024, 3, 5),
        ),
    )
    comparison = compare_snapshots(snapshot_at(draft, before), snapshot_at(draft, draft.version))
    fields = {f.name: f for f in comparison.fields}
    assert set(fields) == {"title", "speaker", "date"}
    assert fields["title"].label == "标题"
    assert Op("insert", "安全") in fields["title"].ops
    assert (fields["date"].old, fields["date"].new) == ("", "2024年3月5日")
    assert fields["speaker"].ops == [Op("insert", "张三")]


def test_a_restored_version_keeps_its_items_ids(speech, alice):
    before = speech.version
    draft = edited(speech, alice)
    draft_restore(draft, user=alice, version=draft.version, revision_version=before)
    draft.refresh_from_db()
    comparison = compare_snapshots(snapshot_at(draft, before), snapshot_at(draft, draft.version))
    assert comparison.identical


def test_an_item_indented_under_another_is_moved_and_can_be_edited_too():
    old = snapshot([part(1, 0, "一个部分"), part(2, 1, "另一个部分"), point(3, 2, 0, "要点")])
    new = snapshot([part(1, 0, "一个部分"), point(3, 1, 0, "改过的要点"), part(2, 1, "另一个部分")])
    entry = next(e for e in compare_snapshots(old, new).entries if e.side.id == 3)
    assert entry.kinds == ("moved", "changed") and entry.kind == "moved"
    assert (entry.old.label, entry.new.label) == ("第二部分（一）", "第一部分（一）")


def test_items_under_other_ids_are_paired_by_their_text():
    old = snapshot([part(1, 0, "提高政治站位"), para(2, 1, "要切实增强责任感和使命感。")])
    new = snapshot([part(11, 0, "提高政治站位"), para(12, 1, "要切实增强责任感、使命感。")])
    comparison = compare_snapshots(old, new)
    assert [e.kind for e in comparison.entries] == ["same", "changed"]
    assert comparison.entries[1].old.id == 2 and comparison.entries[1].new.id == 12
    unlike = snapshot([part(11, 0, "提高政治站位"), para(12, 1, "全然不同的另一段话。")])
    kinds = [e.kind for e in compare_snapshots(old, unlike).entries]
    assert sorted(kinds) == ["added", "deleted", "same"]


def test_a_deleted_subtree_stays_together_where_it_stood():
    old = snapshot(
        [para(1, 0, "开头。"), part(2, 1, "部分一"), point(3, 2, 0, "要点"), part(4, 2, "部分二")]
    )
    new = snapshot([para(1, 0, "开头。"), part(4, 1, "部分二")])
    entries = compare_snapshots(old, new).entries
    assert [(e.side.id, e.kind, e.depth) for e in entries] == [
        (1, "same", 0),
        (2, "deleted", 0),
        (3, "deleted", 1),
        (4, "same", 0),
    ]
    assert entries[3].renumbered and (entries[3].old.number, entries[3].new.number) == (
        "二、",
        "一、",
    )
    assert entries[0].old.label == "开头"


def test_a_swap_marks_one_item_moved_not_both():
    a, b, c = part(1, 0, "甲"), part(2, 1, "乙"), part(3, 2, "丙")
    moved = [
        e.side.id
        for e in compare_snapshots(
            snapshot([a, b, c]), snapshot([dict(c, position=0), a, b])
        ).entries
        if e.moved
    ]
    assert moved == [3]


# --- plain snapshots ----------------------------------------------------------------------


def snapshot(items):
    return Snapshot(
        title="讲话",
        meeting_name="",
        speaker="",
        date=None,
        variables={},
        numbering=default_numbering(),
        stage="drafting",
        items=tuple(items),
    )


def row(id_, parent_id, position, numbered, heading, body=""):
    return {
        "id": id_,
        "parent_id": parent_id,
        "position": position,
        "level": 1 if numbered else 0,
        "numbered": numbered,
        "heading": heading,
        "body": body,
        "source_paragraph_id": None,
        "source_section_id": None,
        "hint": "",
    }


def part(id_, position, heading):
    return row(id_, None, position, True, heading)


def point(id_, parent_id, position, heading):
    return row(id_, parent_id, position, True, heading, "正文。")


def para(id_, position, body):
    return row(id_, None, position, False, "", body)
