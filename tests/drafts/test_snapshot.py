"""The Snapshot type (speechdraft/drafts/snapshot.py): a revision's stored bytes read into one
plain value and written back to the same bytes; the same snapshot whether a revision was
stored whole or as a chain of deltas; its nodes the outline the draft had at that version."""

import datetime
import json
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from speechdraft.drafts import revisions
from speechdraft.drafts.snapshot import ITEM_FIELDS, Snapshot
from speechdraft.text.outline import tree_from_rows

ROOT = Path(__file__).resolve().parents[2]


def row(pk, parent, position, *, numbered=False, heading="", body="", **more):
    item = dict.fromkeys(ITEM_FIELDS)
    item.update(
        id=pk,
        parent_id=parent,
        position=position,
        level=1 if numbered else 0,
        numbered=numbered,
        heading=heading,
        body=body,
        hint="",
    )
    item.update(more)
    return item


def state(**fields):
    base = {
        "title": "在全县工作会议上的讲话",
        "meeting_name": "全县工作会议",
        "speaker": "张三",
        "date": "2024-03-05",
        "variables": {"地区": "东山县", "单位": "县委办"},
        "numbering": {"1": {"style": "一、", "run_in": False}, "2": {"style": "（一）"}},
        "stage": "drafting",
        "items": [
            row(1, None, 0, body="同志们：今天我们召开{{ 会议名称 }}。"),
            row(2, None, 1, numbered=True, heading="提高站位", body="形势"),
            row(3, 2, 0, numbered=True, heading="{{ 地区 }}的任务", body="一段正文"),
            row(4, None, 2, numbered=True, heading="强化保障", hint="本部分写作风"),
            row(5, None, 3, body="同志们，让我们一起努力！"),
        ],
    }
    return {**base, **fields}


def test_bytes_read_into_a_snapshot_write_back_to_the_same_bytes():
    blob = revisions.encode_full(state())
    snapshot = Snapshot.from_bytes(blob)
    assert snapshot.title == "在全县工作会议上的讲话"
    assert snapshot.date == datetime.date(2024, 3, 5)
    assert [item["id"] for item in snapshot.items] == [1, 2, 3, 4, 5]
    assert snapshot.to_bytes() == blob
    assert Snapshot.from_bytes(snapshot.to_bytes()) == snapshot
    assert snapshot.state() == state()


def test_a_state_without_a_date_and_rows_of_an_older_shape_read_back_as_stored():
    old = state(date=None)
    for item in old["items"]:
        del item["hint"], item["source_section_id"]  # rows written before hints
    blob = zlib.compress(json.dumps(old, ensure_ascii=False).encode(), 3)
    snapshot = Snapshot.from_bytes(blob)
    assert snapshot.date is None
    assert snapshot.state() == old
    assert snapshot.to_bytes() == blob


def test_a_revision_rebuilt_from_a_delta_chain_equals_the_full_one():
    first = state()
    second = state(title="新的标题", variables={"地区": "西山县"})
    second["items"] = [
        {**i, "body": "改过的正文"} if i["id"] == 3 else i for i in first["items"] if i["id"] != 5
    ] + [row(6, 4, 0, numbered=True, heading="新要点")]
    second["items"].sort(key=revisions.item_order)  # the order a state keeps its items in
    swapped = [
        {**i, "position": 1 - i["position"]} if i["id"] in (1, 2) else i for i in second["items"]
    ]
    third = {**second, "items": sorted(swapped, key=revisions.item_order)}  # a move
    rows, before = [], None
    for version, each in enumerate((first, second, third), start=1):
        _, blob = revisions.encode(each, before=before, full_every=200)
        rows.append((version, blob))
        before = revisions.replay(rows)
    assert [revisions.is_delta(revisions.decode(b)) for _, b in rows] == [False, True, True]

    rebuilt = Snapshot.from_chain(rows)
    assert rebuilt == Snapshot.from_bytes(revisions.encode_full(third))
    assert rebuilt.to_bytes() == revisions.encode_full(third)
    assert Snapshot.from_chain(rows[:2]) == Snapshot.from_state(second)


def test_a_delta_alone_is_refused_rather_than_read_as_a_draft():
    _, blob = revisions.encode(
        state(title="改"),
        before=revisions.replay([(1, revisions.encode_full(state()))]),
        full_every=200,
    )
    with pytest.raises(revisions.BrokenChain):
        Snapshot.from_bytes(blob)


def test_nodes_are_the_outline_of_its_rows():
    snapshot = Snapshot.from_state(state())
    roots = snapshot.nodes()
    assert roots == tree_from_rows(state()["items"])
    assert [n.id for n in roots] == [1, 2, 4, 5]
    assert [c.id for c in roots[1].children] == [3]
    assert roots[2].hint == "本部分写作风"


def test_slot_variables_come_from_its_fields_and_its_own_variables():
    snapshot = Snapshot.from_state(state(variables={"地区": "东山县", "讲话人": "李四"}))
    assert snapshot.slot_variables() == {
        "地区": "东山县",
        "讲话人": "李四",  # its own value is kept over the speaker field
        "会议名称": "全县工作会议",
        "日期": "2024年3月5日",
    }


def test_fields_handed_back_to_a_draft_are_copies():
    snapshot = Snapshot.from_state(state())
    fields = snapshot.draft_fields()
    fields["variables"]["地区"] = "别处"
    fields["numbering"]["1"]["style"] = "第一，"
    assert snapshot.variables["地区"] == "东山县"
    assert snapshot.numbering["1"]["style"] == "一、"
    assert fields["date"] == datetime.date(2024, 3, 5)


def test_the_snapshot_module_needs_no_django():
    code = (
        "import sys\n"
        "from speechdraft.drafts.snapshot import Snapshot\n"
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, timeout=120)


# --- against the database: what the services record reads back as the draft was ------------


def live_outline(draft):
    """The draft's outline as the editor reads it now (the live rows, not a revision)."""
    from speechdraft.drafts.selectors import draft_nodes

    return draft_nodes(draft)


def changes(draft, alice):
    """A run of changes of every kind, each followed by what the draft was after it: (version,
    live nodes, live snapshot)."""
    from speechdraft.drafts import services, versions

    def seen():
        draft.refresh_from_db()
        return draft.version, live_outline(draft), versions.draft_snapshot(draft)

    parts = list(draft.items.filter(numbered=True).order_by("position"))
    yield seen()
    services.draft_details_update(
        draft,
        user=alice,
        version=draft.version,
        details=services.Details(
            title="新的标题",
            meeting_name="全县大会",
            speaker="张三",
            date=datetime.date(2024, 3, 5),
            variables={"地区": "东山县"},
        ),
    )
    yield seen()
    services.draft_item_insert(
        draft,
        user=alice,
        version=draft.version,
        placement=services.placement_for(draft, "point", parts[0].pk),
        numbered=True,
        heading="新的要点",
        body="{{ 地区 }}的正文",
    )
    yield seen()
    for text in ("今", "今天我们"):  # one stretch of typing: one revision, rewritten
        services.draft_item_save(
            draft, user=alice, version=draft.version, edit=services.ItemEdit(parts[1].pk, text)
        )
    yield seen()
    services.draft_item_step(
        draft, user=alice, version=draft.version, item_id=parts[2].pk, delta=-1
    )
    yield seen()
    services.draft_numbering_update(
        draft, user=alice, version=draft.version, numbering={"1": {"style": "第一，"}}
    )
    yield seen()
    versions.draft_undo(draft, user=alice, version=draft.version)
    yield seen()
    versions.draft_redo(draft, user=alice, version=draft.version)
    yield seen()
    services.draft_item_delete(draft, user=alice, version=draft.version, item_id=parts[0].pk)
    yield seen()
    versions.draft_restore(draft, user=alice, version=draft.version, revision_version=2)
    yield seen()


@pytest.mark.django_db
def test_nodes_of_every_revision_are_the_live_drafts_nodes_at_that_version(draft, alice):
    from speechdraft.drafts import versions

    seen = {version: (nodes, live) for version, nodes, live in changes(draft, alice)}
    revisions_read = 0
    for revision in draft.revisions.order_by("version"):
        nodes, live = seen[revision.version]
        snapshot = versions.revision_snapshot(revision)
        assert snapshot.nodes() == nodes, revision
        assert snapshot == live, revision
        assert snapshot.to_bytes() == live.to_bytes(), revision
        revisions_read += 1
    assert revisions_read == len(seen)
    assert {r.kind for r in draft.revisions.all()} == {"full", "delta"}


@pytest.mark.django_db
def test_a_revision_rebuilt_from_its_delta_chain_equals_its_state_stored_whole(draft, alice):
    from speechdraft.drafts import versions
    from speechdraft.drafts.models import Revision

    list(changes(draft, alice))
    deltas = 0
    for revision in draft.revisions.order_by("version"):
        replayed = versions.revision_snapshot(revision)
        whole = Snapshot.from_bytes(replayed.to_bytes())
        assert whole == replayed
        if revision.kind == Revision.Kind.DELTA:
            deltas += 1
            # Stored whole instead, the same revision reads back the same.
            Revision.objects.filter(pk=revision.pk).update(
                snapshot=replayed.to_bytes(), kind=Revision.Kind.FULL
            )
            revision.refresh_from_db()
            assert versions.revision_snapshot(revision) == replayed
    assert deltas >= 5


@pytest.mark.django_db
def test_the_history_page_and_the_export_read_a_version_as_it_was(draft, alice, client):
    from django.urls import reverse

    from speechdraft.drafts import services
    from speechdraft.exports.services import export_document

    first_title = draft.title
    services.draft_details_update(
        draft,
        user=alice,
        version=draft.version,
        details=services.Details(
            title="后来的标题", speaker="李四", date=datetime.date(2024, 5, 1)
        ),
    )
    draft.refresh_from_db()
    client.force_login(alice)
    html = client.get(reverse("drafts:revision", args=[draft.pk, 1])).content.decode()
    assert f"<title>预览 · {first_title}" in html
    assert f'<h2 class="doc-title">{first_title}</h2>' in html
    assert "李四" not in html  # the speaker came later
    assert f'name="version" value="{draft.version}"' in html  # restore from the live version
    old = export_document(draft, 1, placeholders=True)
    new = export_document(draft, draft.version, placeholders=True)
    assert (old.title, old.speaker, old.date) == (first_title, None, None)
    assert (new.title, new.speaker, new.date) == ("后来的标题", "李四", datetime.date(2024, 5, 1))
    # Slots are filled from the version's own fields: the meeting was named then, not now.
    assert "召开全市工作会议" in old.blocks[0].body
    assert "召开×××" in new.blocks[0].body
