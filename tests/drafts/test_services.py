import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from speechdraft.drafts.errors import STALE_MESSAGE
from speechdraft.drafts.models import DraftItem
from speechdraft.drafts.selectors import draft_nodes
from speechdraft.drafts.services import (
    Details,
    DraftError,
    Placement,
    StaleDraft,
    draft_details_update,
    draft_item_delete,
    draft_item_indent,
    draft_item_insert,
    draft_item_move,
    draft_item_outdent,
    draft_item_step,
    draft_item_update,
    draft_numbering_update,
)
from speechdraft.drafts.snapshot import draft_variables
from speechdraft.drafts.versions import (
    draft_restore,
    draft_undo,
)
from speechdraft.text.outline import reading_paragraphs, render_blocks, slot_values
from tests.drafts.conftest import outline

pytestmark = pytest.mark.django_db


def parts(draft):
    return [(n, h) for n, h in outline(draft) if n]


def text_of(draft):
    roots = draft_nodes(draft)
    blocks = render_blocks(roots, draft.numbering, slot_values(roots, draft_variables(draft)))
    return "\n".join(reading_paragraphs(blocks))


def add_part(draft, user, heading, after=None):
    from speechdraft.drafts.services import placement_after

    draft.refresh_from_db()
    return draft_item_insert(
        draft,
        user=user,
        version=draft.version,
        placement=placement_after(draft, after),
        numbered=True,
        heading=heading,
    )


def test_blank_frame_has_three_parts_and_the_count(draft):
    assert [n for n, _ in parts(draft)] == ["一、", "二、", "三、"]
    assert "我讲三点意见" in text_of(draft)


def test_the_blank_frame_puts_no_stand_in_text_into_the_speech(draft):
    """Kept as it is, the blank frame reads as a speech: no …… or bracketed guidance to replace
    (one forgotten would reach the 定稿 and its Word file); what a part is for is a hint."""
    text = text_of(draft)
    assert "……" not in text and "…" not in text
    assert not re.search(r"[（【\[][^）】\]]*[）】\]]", text)
    assert all(
        hint
        for _, hint in DraftItem.objects.filter(draft=draft, numbered=True).values_list(
            "id", "hint"
        )
    )


def test_adding_a_fourth_part_updates_numbers_and_announcement(draft, alice):
    add_part(draft, alice, "持续深化改革")
    assert [n for n, _ in parts(draft)] == ["一、", "二、", "三、", "四、"]
    assert parts(draft)[-1][1] == "持续深化改革"
    assert "我讲四点意见" in text_of(draft)
    # The closing paragraph stays last: a new part goes before it.
    assert outline(draft)[-1][0] == ""


def test_moving_renumbers(draft, alice):
    third = DraftItem.objects.get(draft=draft, numbered=True, position=3)
    draft_item_move(
        draft, user=alice, version=draft.version, item_id=third.pk, parent_id=None, position=1
    )
    draft.refresh_from_db()
    assert parts(draft)[0] == ("一、", third.heading)
    assert [n for n, _ in parts(draft)] == ["一、", "二、", "三、"]


def test_children_number_within_their_parent_and_follow_the_style(draft, alice):
    first = DraftItem.objects.get(draft=draft, numbered=True, position=1)
    for heading in ("以上率下示范干", "对标管理比着干"):
        draft.refresh_from_db()
        draft_item_insert(
            draft,
            user=alice,
            version=draft.version,
            placement=Placement(first.pk, 99),
            numbered=True,
            heading=heading,
            body="正文。",
        )
    assert ("（一）", "以上率下示范干") in outline(draft)
    assert ("（二）", "对标管理比着干") in outline(draft)
    draft.refresh_from_db()
    draft_numbering_update(
        draft,
        user=alice,
        version=draft.version,
        numbering={"1": {"style": "第一，"}, "2": {"style": "一要"}},
    )
    draft.refresh_from_db()
    assert ("一要", "以上率下示范干") in outline(draft)
    assert parts(draft)[0][0] == "第一，"
    assert "一要以上率下示范干。正文。" in text_of(draft)


def test_indent_outdent_and_step(draft, alice):
    second = DraftItem.objects.get(draft=draft, numbered=True, position=2)
    draft_item_indent(draft, user=alice, version=draft.version, item_id=second.pk)
    draft.refresh_from_db()
    assert [n for n, _ in parts(draft)] == ["一、", "（一）", "二、"]
    draft_item_outdent(draft, user=alice, version=draft.version, item_id=second.pk)
    draft.refresh_from_db()
    assert [n for n, _ in parts(draft)] == ["一、", "二、", "三、"]
    draft_item_step(draft, user=alice, version=draft.version, item_id=second.pk, delta=-1)
    draft.refresh_from_db()
    assert parts(draft)[0][1] == second.heading


def test_stale_version_is_refused_and_nothing_changes(draft, alice):
    item = DraftItem.objects.filter(draft=draft, numbered=True).first()
    old = draft.version
    draft_item_update(draft, user=alice, version=old, item_id=item.pk, heading="新标题", body="")
    with pytest.raises(StaleDraft) as excinfo:
        draft_item_update(
            draft, user=alice, version=old, item_id=item.pk, heading="另一个", body=""
        )
    assert excinfo.value.message == STALE_MESSAGE
    item.refresh_from_db()
    assert item.heading == "新标题"


def test_undo_walks_back_and_history_restores(draft, alice):
    start = outline(draft)
    add_part(draft, alice, "第四部分")
    add_part(draft, alice, "第五部分")
    draft.refresh_from_db()
    draft_undo(draft, user=alice, version=draft.version)
    draft.refresh_from_db()
    assert len(parts(draft)) == 4
    draft_undo(draft, user=alice, version=draft.version)
    draft.refresh_from_db()
    assert outline(draft) == start
    with pytest.raises(DraftError, match="没有可以撤销"):
        draft.refresh_from_db()
        draft_undo(draft, user=alice, version=draft.version)
    five = draft.revisions.get(action="添加部分", version=3)
    draft_restore(draft, user=alice, version=draft.version, revision_version=five.version)
    draft.refresh_from_db()
    assert len(parts(draft)) == 5
    assert [r.action for r in draft.revisions.order_by("version")][-1] == "恢复到第 3 版"


def test_details_variables_and_stage(draft, alice):
    draft_details_update(
        draft,
        user=alice,
        version=draft.version,
        details=Details(
            title="新标题",
            meeting_name="全县大会",
            stage="revising",
            variables={"地区": "某县", "书记": "张三"},
        ),
    )
    draft.refresh_from_db()
    assert draft.variables == {"地区": "某县", "书记": "张三"}
    assert draft_variables(draft)["会议名称"] == "全县大会"
    latest = draft.revisions.first()
    assert latest.stage_changed and latest.action == "阶段改为“修改”"
    with pytest.raises(DraftError, match="部分数"):
        draft_details_update(
            draft,
            user=alice,
            version=draft.version,
            details=Details(title="x", variables={"部分数": "五"}),
        )


def test_bad_slot_syntax_is_refused(draft, alice):
    item = DraftItem.objects.filter(draft=draft).first()
    with pytest.raises(DraftError, match="不能访问属性"):
        draft_item_update(
            draft,
            user=alice,
            version=draft.version,
            item_id=item.pk,
            heading="",
            body="{{ ''.__class__ }}",
        )


def test_cannot_nest_deeper_than_four_levels_or_into_itself(draft, alice):
    parent = DraftItem.objects.filter(draft=draft, numbered=True).first()
    chain = [parent]
    for _ in range(3):
        draft.refresh_from_db()
        chain.append(
            draft_item_insert(
                draft,
                user=alice,
                version=draft.version,
                placement=Placement(chain[-1].pk, 0),
                numbered=True,
                heading="x",
            )
        )
    draft.refresh_from_db()
    with pytest.raises(DraftError, match="最多四级"):
        draft_item_insert(
            draft,
            user=alice,
            version=draft.version,
            placement=Placement(chain[-1].pk, 0),
            numbered=True,
            heading="y",
        )
    with pytest.raises(DraftError, match="自己的下级"):
        draft_item_move(
            draft,
            user=alice,
            version=draft.version,
            item_id=parent.pk,
            parent_id=chain[2].pk,
            position=0,
        )
    assert [n for n, _ in outline(draft) if n][:4] == ["一、", "（一）", "1.", "（1）"]


# --- property test: any sequence of operations keeps the outline consistent -------------

OPS = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "insert_part",
                "insert_child",
                "insert_para",
                "move",
                "delete",
                "indent",
                "outdent",
                "up",
                "down",
                "undo",
            ]
        ),
        st.integers(min_value=0, max_value=50),
        st.integers(min_value=0, max_value=50),
    ),
    min_size=1,
    max_size=25,
)


def check_invariants(draft):
    items = list(DraftItem.objects.filter(draft=draft))
    by_parent = {}
    for item in items:
        by_parent.setdefault(item.parent_id, []).append(item.position)
    for parent_id, positions in by_parent.items():
        assert sorted(positions) == list(range(len(positions))), parent_id
    roots = draft_nodes(draft)
    blocks = render_blocks(roots, draft.numbering, slot_values(roots, {}))
    assert len(blocks) == len(items)
    counters = {}
    digits = "一二三四五六七八九十"
    for block in blocks:
        if not block.number:
            continue
        counters[block.parent_id] = n = counters.get(block.parent_id, 0) + 1
        assert 1 <= block.level <= 4
        if n <= 10:
            cn = digits[n - 1]
            expected = {1: f"{cn}、", 2: f"（{cn}）", 3: f"{n}.", 4: f"（{n}）"}[block.level]
            assert block.number == expected, (block.number, expected)
    announced = sum(1 for r in roots if r.numbered)
    if 0 < announced <= 10:
        assert slot_values(roots, {})["部分数"] == digits[announced - 1]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=OPS)
def test_any_sequence_of_operations_keeps_positions_and_numbers_right(draft, alice, ops):
    for op, a, b in ops:
        draft.refresh_from_db()
        items = list(DraftItem.objects.filter(draft=draft).order_by("id"))
        pick = items[a % len(items)] if items else None
        other = items[b % len(items)] if items else None
        v = draft.version
        try:
            if op == "insert_part":
                draft_item_insert(
                    draft,
                    user=alice,
                    version=v,
                    placement=Placement(None, b),
                    numbered=True,
                    heading="部分",
                )
            elif op == "insert_child" and pick:
                draft_item_insert(
                    draft,
                    user=alice,
                    version=v,
                    placement=Placement(pick.pk, b),
                    numbered=True,
                    heading="下级",
                )
            elif op == "insert_para":
                parent = pick.pk if pick and a % 2 else None
                draft_item_insert(
                    draft,
                    user=alice,
                    version=v,
                    placement=Placement(parent, b),
                    numbered=False,
                    body="段落",
                )
            elif op == "move" and pick:
                target = other.pk if other and a % 3 else None
                draft_item_move(
                    draft, user=alice, version=v, item_id=pick.pk, parent_id=target, position=b
                )
            elif op == "delete" and pick:
                draft_item_delete(draft, user=alice, version=v, item_id=pick.pk)
            elif op == "indent" and pick:
                draft_item_indent(draft, user=alice, version=v, item_id=pick.pk)
            elif op == "outdent" and pick:
                draft_item_outdent(draft, user=alice, version=v, item_id=pick.pk)
            elif op in ("up", "down") and pick:
                draft_item_step(
                    draft, user=alice, version=v, item_id=pick.pk, delta=-1 if op == "up" else 1
                )
            elif op == "undo":
                draft_undo(draft, user=alice, version=v)
        except DraftError:
            pass  # refused operations (too deep, nothing to undo…) must leave things intact
        draft.refresh_from_db()
        check_invariants(draft)


def test_control_characters_are_removed_from_user_text(draft, alice):
    item = DraftItem.objects.filter(draft=draft).first()
    draft_item_update(
        draft,
        user=alice,
        version=draft.version,
        item_id=item.pk,
        heading="标\x00题",
        body="第一段\r\n第二\x07段\ufffe",
    )
    item.refresh_from_db()
    assert (item.heading, item.body) == ("标题", "第一段\n第二段")


def test_the_drafts_own_fields_are_cleaned_as_its_text_is(alice):
    """A title pasted with a right-to-left override or controls is stored, shown and named
    as plain text (讲话稿\u202excod.exe would read as 讲话稿exe.docx on screen)."""
    from speechdraft.drafts.services import draft_create
    from speechdraft.exports.models import ExportJob

    draft = draft_create(
        owner=alice,
        title="讲话稿\u202excod.exe\x07",
        meeting_name="全县\x00大会\n",
        speaker="张\u2066三",
        region="东山\x1b县",
    )
    assert (draft.title, draft.meeting_name, draft.speaker) == (
        "讲话稿xcod.exe",
        "全县大会",
        "张三",
    )
    assert draft.variables == {"地区": "东山县"}
    draft_details_update(
        draft,
        user=alice,
        version=draft.version,
        details=Details(
            title="第二稿\u202e\x85",
            meeting_name="全县\u2028大会",
            speaker="李四\x9f",
            variables={"地区": "西山\u202d县", "书记": "王\x0b五"},
        ),
    )
    draft.refresh_from_db()
    assert (draft.title, draft.meeting_name, draft.speaker) == ("第二稿", "全县 大会", "李四")
    assert draft.variables == {"地区": "西山县", "书记": "王 五"}
    assert ExportJob(title="稿\u202e子\x07/2", draft_version=1).download_name() == "稿子2.docx"
