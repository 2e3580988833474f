"""Revisions stored as deltas: exactly the state the old full snapshots held, for any
sequence of changes; a move on a long draft stores its positions, not the text; rows written
before deltas stay readable; a broken chain fails loudly."""

import datetime
import json
import random
import zlib

import pytest
from django.db.models import Sum
from django.db.models.functions import Length
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from speechdraft.drafts import revisions
from speechdraft.drafts.models import DraftItem, Revision
from speechdraft.drafts.services import (
    Details,
    DraftError,
    ItemEdit,
    draft_create,
    draft_details_update,
    draft_item_delete,
    draft_item_indent,
    draft_item_insert,
    draft_item_move,
    draft_item_outdent,
    draft_item_save,
    draft_item_step,
    draft_item_update,
    draft_numbering_update,
    placement_for,
)
from speechdraft.drafts.snapshot import ITEM_FIELDS
from speechdraft.drafts.versions import (
    RevisionQuotaExceeded,
    TooManyChanges,
    draft_redo,
    draft_restore,
    draft_undo,
    revision_snapshot,
)

pytestmark = pytest.mark.django_db


def old_encoding(draft) -> dict:
    """What a revision of the draft as it is now held before deltas: the old _snapshot, bytes
    and all, read back (items in the database's order)."""
    state = {
        "title": draft.title,
        "meeting_name": draft.meeting_name,
        "speaker": draft.speaker,
        "date": draft.date.isoformat() if draft.date else None,
        "variables": draft.variables,
        "numbering": draft.numbering,
        "stage": draft.stage,
        "items": list(draft.items.values(*ITEM_FIELDS)),
    }
    return json.loads(
        zlib.decompress(zlib.compress(json.dumps(state, ensure_ascii=False).encode()))
    )


def in_order(state: dict) -> dict:
    """A state with its items in (position, id) order, the order deltas keep (the old
    encoding's order among equal positions was whatever the database returned)."""
    return {**state, "items": sorted(state["items"], key=lambda i: (i["position"], i["id"]))}


def stored_bytes(draft) -> int:
    return Revision.objects.filter(draft=draft).aggregate(n=Sum(Length("snapshot")))["n"]


def assert_history_exact(draft, expected: dict[int, dict]) -> None:
    """Every revision reads back as the old encoding stored its version, the chain read whole
    gives the same, and the draft's byte counter is what its revisions take."""
    rows = list(Revision.objects.filter(draft=draft).order_by("version"))
    assert rows and rows[0].kind == Revision.Kind.FULL
    for revision in rows:
        assert revision_snapshot(revision).state() == in_order(expected[revision.version]), revision
    whole = revisions.chain_states((r.version, r.snapshot) for r in rows)
    for version, state in whole:
        assert state == in_order(expected[version]), version
    draft.refresh_from_db()
    assert draft.revision_bytes == stored_bytes(draft)


TEXT = st.text(alphabet="同志们要坚持问题导向持续优化营商环境推动政策落地见效，。ab1", max_size=30)
OP = st.tuples(
    st.sampled_from(
        [
            "insert_part",
            "insert_point",
            "insert_paragraph",
            "type",
            "type",
            "edit",
            "up",
            "down",
            "move",
            "indent",
            "outdent",
            "delete",
            "undo",
            "undo",
            "redo",
            "restore",
            "details",
            "numbering",
            "pin",
            "pause",
        ]
    ),
    st.integers(min_value=0, max_value=40),
    st.integers(min_value=0, max_value=40),
    TEXT,
)


@hypothesis_settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(OP, min_size=5, max_size=40), full_every=st.sampled_from([1, 2, 3, 200]))
def test_any_changes_read_back_exactly_as_full_snapshots_held_them(alice, ops, full_every):
    with override_settings(REVISION_FULL_EVERY=full_every, REVISION_RATE_PER_MINUTE=0):
        draft = draft_create(owner=alice, title="在全市工作会议上的讲话", region="江城")
        expected = {draft.version: old_encoding(draft)}
        for op, a, b, text in ops:
            draft.refresh_from_db()
            v = draft.version
            try:
                target = apply_op(draft, alice, op, a, b, text)
            except (RevisionQuotaExceeded, TooManyChanges):
                raise
            except DraftError:
                target = None  # refused (nothing to undo, too deep…): nothing changed
            draft.refresh_from_db()
            if draft.version != v:
                expected[draft.version] = old_encoding(draft)
                if target is not None:
                    # Undo, redo and restore bring back exactly the text of that version.
                    assert in_order(expected[draft.version]) == in_order(expected[target])
        assert_history_exact(draft, expected)


def apply_op(draft, user, op: str, a: int, b: int, text: str) -> int | None:
    """Apply one generated operation; the version an undo, redo or restore must bring back
    exactly (None for the other operations)."""
    if op in ("undo", "redo", "restore"):
        return travel(draft, user, op, a)
    if op in ("details", "numbering", "pin", "pause"):
        change_settings(draft, user, op, a, b, text)
    else:
        edit_outline(draft, user, op, a, b, text)
    return None


def edit_outline(draft, user, op: str, a: int, b: int, text: str) -> None:
    """An operation on the items: insert, type, edit, move them about, delete."""
    items = list(draft.items.order_by("id"))
    pick = items[a % len(items)] if items else None
    other = items[b % len(items)] if items else None
    v = draft.version
    if op.startswith("insert_"):
        kind = op.removeprefix("insert_")
        draft_item_insert(
            draft,
            user=user,
            version=v,
            placement=placement_for(draft, kind, pick.pk if pick else None),
            numbered=kind != "paragraph",
            heading=text[:10] if kind != "paragraph" else "",
            body=text,
        )
    elif op == "type" and pick:  # autosave: a stretch of typing is one revision
        draft_item_save(draft, user=user, version=v, edit=ItemEdit(pick.pk, pick.body + text))
    elif op == "edit" and pick:
        draft_item_update(draft, user=user, version=v, item_id=pick.pk, heading="", body=text)
    elif op in ("up", "down") and pick:
        delta = -1 if op == "up" else 1
        draft_item_step(draft, user=user, version=v, item_id=pick.pk, delta=delta)
    elif op == "move" and pick:
        parent = other.pk if other and other.numbered and b % 2 else None
        draft_item_move(draft, user=user, version=v, item_id=pick.pk, parent_id=parent, position=b)
    elif op == "indent" and pick:
        draft_item_indent(draft, user=user, version=v, item_id=pick.pk)
    elif op == "outdent" and pick:
        draft_item_outdent(draft, user=user, version=v, item_id=pick.pk)
    elif op == "delete" and pick and len(items) > 1:
        draft_item_delete(draft, user=user, version=v, item_id=pick.pk)


def travel(draft, user, op: str, a: int) -> int | None:
    """Undo, redo or restore; the version it brings back."""
    v = draft.version
    if op == "undo":
        target = Revision.objects.get(draft=draft, version=v).parent_version
        draft_undo(draft, user=user, version=v)
    elif op == "redo":
        target = Revision.objects.get(draft=draft, version=v).redo_version
        draft_redo(draft, user=user, version=v)
    else:
        versions = list(Revision.objects.filter(draft=draft).values_list("version", flat=True))
        target = sorted(versions)[a % len(versions)]
        draft_restore(draft, user=user, version=v, revision_version=target)
    return target


def change_settings(draft, user, op: str, a: int, b: int, text: str) -> None:
    """The draft's details or numbering changed, a revision pinned, or a minute gone by."""
    v = draft.version
    if op == "details":
        stages = ["drafting", "revising", "final"]
        details = Details(
            title=(text or "标题")[:20],
            meeting_name=draft.meeting_name,
            stage=stages[a % 3],
            date=datetime.date(2024, 1 + b % 12, 1) if b % 2 else None,
            variables={"地区": text[:5], f"变量{b % 3}": text[5:9]},
        )
        draft_details_update(draft, user=user, version=v, details=details)
    elif op == "numbering":
        styles = [("一、", "（一）"), ("第一，", "一是"), ("第一个问题，", "一要")]
        first, second = styles[a % 3]
        draft_numbering_update(
            draft,
            user=user,
            version=v,
            numbering={"1": {"style": first}, "2": {"style": second}},
        )
    elif op == "pin":  # an export refers to this version: never folded away
        Revision.objects.filter(draft=draft, version=v).update(pinned=True)
    elif op == "pause":  # a minute later: the next typing is a change of its own
        Revision.objects.filter(draft=draft).update(
            started_at=timezone.now() - datetime.timedelta(minutes=2)
        )


def long_draft(user, *, parts: int, per_part: int, chars: int):
    """A draft of parts × per_part paragraphs of `chars` characters of varied text (it
    compresses as real text does), recorded by one change."""
    rng = random.Random(3)
    alphabet = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    draft = draft_create(owner=user, title="长篇讲话稿")
    draft.items.all().delete()
    DraftItem.objects.bulk_create(
        DraftItem(draft=draft, position=p, numbered=True, level=1, heading=f"第{p}部分")
        for p in range(parts)
    )
    DraftItem.objects.bulk_create(
        DraftItem(
            draft=draft, parent=head, position=i, body="".join(rng.choices(alphabet, k=chars))
        )
        for head in draft.items.order_by("position")
        for i in range(per_part)
    )
    draft_details_update(draft, user=user, version=draft.version, details=Details(title="长稿"))
    draft.refresh_from_db()
    return draft


def test_a_move_on_a_million_character_draft_stores_its_positions_not_the_text(alice):
    draft = long_draft(alice, parts=50, per_part=20, chars=1000)
    assert draft.char_count >= 1_000_000
    whole = len(revision_snapshot(draft.revisions.first()).to_bytes())
    assert whole > 1_000_000  # what every click stored before: the whole text, compressed
    part = draft.items.filter(parent=None).order_by("position")[7]
    paragraph = draft.items.get(parent=part, position=5)
    start = draft.revision_bytes

    draft_item_step(draft, user=alice, version=draft.version, item_id=paragraph.pk, delta=-1)
    move = draft.revisions.get(version=draft.version)
    assert move.kind == Revision.Kind.DELTA
    assert len(move.snapshot) < 500  # two positions changed
    assert draft.revision_bytes - start == len(move.snapshot)
    assert revision_snapshot(move).state() == in_order(old_encoding(draft))

    draft_undo(draft, user=alice, version=draft.version)
    undo = draft.revisions.get(version=draft.version)
    assert len(undo.snapshot) < 500
    paragraph.refresh_from_db()
    assert paragraph.position == 5
    before = revision_snapshot(draft.revisions.get(version=move.version - 1)).state()
    assert dict(draft.items.values_list("id", "position")) == {
        i["id"]: i["position"] for i in before["items"]
    }

    for n in range(30):  # a run of 上移/下移: bytes for positions, no full snapshot in between
        draft_item_step(
            draft, user=alice, version=draft.version, item_id=paragraph.pk, delta=1 - 2 * (n % 2)
        )
    assert draft.revision_bytes - start < 32 * 500


def test_typing_that_goes_on_rewrites_its_delta_and_the_chain_stays_right(draft, alice):
    expected = {draft.version: old_encoding(draft)}
    first, second = list(draft.items.filter(numbered=True).order_by("position"))[:2]

    def record():
        draft.refresh_from_db()
        expected[draft.version] = old_encoding(draft)

    for text in ("今", "今天", "今天我们召开"):
        draft_item_save(draft, user=alice, version=draft.version, edit=ItemEdit(first.pk, text))
        record()
    streak = draft.revisions.get(version=draft.version)
    assert streak.kind == Revision.Kind.DELTA and streak.item_id == first.pk
    draft_item_step(draft, user=alice, version=draft.version, item_id=second.pk, delta=-1)
    record()
    for text in ("再写", "再写一句"):
        draft_item_save(draft, user=alice, version=draft.version, edit=ItemEdit(first.pk, text))
        record()
    assert Revision.objects.filter(draft=draft).count() == 4  # created, typing, move, typing
    assert_history_exact(draft, expected)
    draft_undo(draft, user=alice, version=draft.version)
    first.refresh_from_db()
    assert first.body == "今天我们召开"


def test_revisions_written_before_deltas_stay_readable(draft, alice):
    # A row as old code wrote it: a full snapshot, from before hints and source sections.
    state = old_encoding(draft)
    for item in state["items"]:
        del item["hint"], item["source_section_id"]
    old = zlib.compress(json.dumps(state, ensure_ascii=False).encode(), 3)
    Revision.objects.filter(draft=draft, version=1).update(snapshot=old, kind="full")
    assert revision_snapshot(draft.revisions.get(version=1)).state() == state

    item = draft.items.filter(numbered=True).first()
    draft_item_update(
        draft, user=alice, version=draft.version, item_id=item.pk, heading="新", body=""
    )
    after = draft.revisions.get(version=draft.version)
    assert after.kind == Revision.Kind.DELTA
    assert revision_snapshot(after).state() == in_order(old_encoding(draft))
    draft_undo(draft, user=alice, version=draft.version)
    item.refresh_from_db()
    assert item.heading != "新"


def test_a_missing_revision_fails_loudly_rather_than_read_as_another_text(draft, alice):
    for n in range(3):
        item = draft.items.filter(numbered=True).first()
        draft_item_update(
            draft, user=alice, version=draft.version, item_id=item.pk, heading=f"第{n}稿", body=""
        )
    Revision.objects.filter(draft=draft, version=3).delete()
    with pytest.raises(revisions.BrokenChain):
        revision_snapshot(draft.revisions.get(version=4))


def test_a_change_that_rewrites_most_of_the_draft_is_stored_whole(draft, alice):
    for item in draft.items.all():
        item.body = "全部重写的一段正文。" * 100
        item.save()
    draft_item_update(
        draft,
        user=alice,
        version=draft.version,
        item_id=draft.items.first().pk,
        heading="",
        body="最后一段也改了。",
    )
    revision = draft.revisions.get(version=draft.version)
    assert revision.kind == Revision.Kind.FULL
    assert revision_snapshot(revision).state() == in_order(old_encoding(draft))


def test_the_counter_of_drafts_written_before_it_is_filled_in_by_the_migration(draft, alice):
    import importlib

    from django.apps import apps

    from speechdraft.drafts.models import Draft

    migration = importlib.import_module(
        "speechdraft.drafts.migrations.0006_revision_deltas_and_quota"
    )
    item = draft.items.first()
    draft_item_update(
        draft, user=alice, version=draft.version, item_id=item.pk, heading="", body="改"
    )
    Draft.objects.update(revision_bytes=0)
    migration.count_revision_bytes(apps, None)
    draft.refresh_from_db()
    assert draft.revision_bytes == stored_bytes(draft) > 0
