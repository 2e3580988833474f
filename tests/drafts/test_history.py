"""The history a person reads: each change says in words what it did and where, one person's
run of changes to one thing is one version, and a drafter can name a version."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from speechdraft.drafts.history import GROUP_SECONDS, Step, group_steps
from speechdraft.drafts.models import Revision
from speechdraft.drafts.selectors import history_versions
from speechdraft.drafts.services import (
    ItemEdit,
    draft_item_delete,
    draft_item_insert,
    draft_item_move,
    draft_item_save,
    draft_item_step,
    placement_for,
)
from speechdraft.drafts.versions import draft_undo, revision_name
from speechdraft.text.outline import Node, block_labels, build_tree, render_blocks

T0 = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)


def step(version, minutes=0.0, *, user=1, key="item:7", **kwargs):
    return Step(version, user, T0 + datetime.timedelta(minutes=minutes), "修改", key, **kwargs)


# --- pure: places and grouping -----------------------------------------------------------


def test_places_name_parts_points_and_paragraphs_as_the_outline_numbers_them():
    nodes = [
        Node(1, None, 0, False, body="开场"),
        Node(2, None, 1, True, "形势"),
        Node(3, 2, 0, True, "一"),
        Node(4, 3, 0, True, "细"),
        Node(5, 2, 1, False, body="正文"),
        Node(6, None, 2, True, "任务"),
        Node(7, None, 3, False, body="过渡"),
        Node(8, None, 4, True, "作风"),
        Node(9, None, 5, False, body="结尾"),
    ]
    numbering = {"1": {"style": "一、"}, "2": {"style": "一是"}, "3": {"style": "1."}}
    assert block_labels(render_blocks(build_tree(nodes), numbering, {})) == {
        1: "开头",
        2: "第一部分",
        3: "第一部分一是",
        4: "第一部分一是1",
        5: "第一部分的正文",
        6: "第二部分",
        7: "第二部分之后的段落",
        8: "第三部分",
        9: "结尾",
    }


def test_one_persons_run_on_one_item_within_minutes_is_one_version():
    versions = group_steps([step(1), step(2, 1), step(3, 4.5), step(4, 9)])
    assert [[s.version for s in v.steps] for v in versions] == [[1, 2, 3], [4]]


@pytest.mark.parametrize(
    "second",
    [
        step(2, 1, user=2),  # someone else
        step(2, 1, key="item:8"),  # another item
        step(2, 1, key=""),  # a change that joins nothing
        step(2, GROUP_SECONDS / 60 + 0.1),  # too long after
        step(2, 1, stage_changed=True),  # a stage change stands alone
    ],
)
def test_a_run_ends_at_another_person_item_pause_or_stage(second):
    assert len(group_steps([step(1), second])) == 2


def test_a_named_version_ends_its_run():
    versions = group_steps([step(1), step(2, 1, name="送审稿"), step(3, 2)])
    assert [(v.version, v.name) for v in versions] == [(2, "送审稿"), (3, "")]


# --- services: the words each change leaves ----------------------------------------------


def parts(draft):
    return list(draft.items.filter(numbered=True, parent=None).order_by("position"))


def latest(draft) -> Revision:
    return draft.revisions.order_by("-version").first()


def type_into(draft, user, item, text):
    draft.refresh_from_db()
    draft_item_save(draft, user=user, version=draft.version, edit=ItemEdit(item.pk, text))


@pytest.mark.django_db
def test_each_change_says_what_it_did_and_where(draft, alice):
    second = parts(draft)[1]
    type_into(draft, alice, second, "加快发展。")
    assert latest(draft).label == "修改第二部分"

    draft.refresh_from_db()
    point = draft_item_insert(
        draft,
        user=alice,
        version=draft.version,
        placement=placement_for(draft, "child", second.pk),
        numbered=True,
        heading="抓好项目建设",
    )
    assert latest(draft).label == "添加第二部分（一）"

    type_into(draft, alice, point, "项目是发展的生命线。")
    assert latest(draft).label == "修改第二部分（一）"

    draft.refresh_from_db()
    draft_item_step(draft, user=alice, version=draft.version, item_id=parts(draft)[2].pk, delta=-1)
    assert latest(draft).label == "调整各部分顺序"

    draft.refresh_from_db()
    draft_item_delete(draft, user=alice, version=draft.version, item_id=point.pk)
    # The part moved down to third before the point was deleted.
    assert latest(draft).label == "删除第三部分（一）"

    draft.refresh_from_db()
    draft_undo(draft, user=alice, version=draft.version)
    assert latest(draft).label == "撤销“删除第三部分（一）”"


@pytest.mark.django_db
def test_points_reordered_under_a_part_name_the_part(draft, alice):
    first = parts(draft)[0]
    points = []
    for heading in ("甲", "乙"):
        draft.refresh_from_db()
        points.append(
            draft_item_insert(
                draft,
                user=alice,
                version=draft.version,
                placement=placement_for(draft, "child", first.pk),
                numbered=True,
                heading=heading,
            )
        )
    draft.refresh_from_db()
    draft_item_move(
        draft,
        user=alice,
        version=draft.version,
        item_id=points[1].pk,
        parent_id=first.pk,
        position=0,
    )
    assert latest(draft).label == "调整第一部分顺序"
    draft.refresh_from_db()
    draft_item_move(
        draft,
        user=alice,
        version=draft.version,
        item_id=points[1].pk,
        parent_id=parts(draft)[1].pk,
        position=0,
    )
    assert latest(draft).label == "把第一部分（一）移到第二部分（一）"


@pytest.mark.django_db
def test_history_groups_typing_but_undo_keeps_its_fine_steps(draft, alice):
    first = parts(draft)[0]
    for text in ("今", "今天", "今天我们"):
        type_into(draft, alice, first, text)
        # Each save past the typing window is a revision of its own, as after a pause.
        Revision.objects.filter(draft=draft).update(
            started_at=timezone.now() - datetime.timedelta(minutes=2)
        )
    shown = history_versions(draft)
    assert shown[0].label == "修改第一部分" and shown[0].count == 3
    draft.refresh_from_db()
    draft_undo(draft, user=alice, version=draft.version)
    first.refresh_from_db()
    assert first.body == "今天"  # one step back, not the whole run


# --- naming a version ----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_named_version_shows_in_history_and_is_not_folded_into_typing(client, draft, alice):
    first = parts(draft)[0]
    type_into(draft, alice, first, "今天")
    draft.refresh_from_db()
    named = draft.version
    client.force_login(alice)
    url = reverse("drafts:revision_name", args=[draft.pk, named])
    page = client.post(url, {"name": "送审稿"}, follow=True)
    assert f"第 {named} 版已命名为“送审稿”" in page.content.decode()
    type_into(draft, alice, first, "今天我们")  # within the typing window: would extend
    assert draft.revisions.get(version=named).name == "送审稿"
    history = client.get(reverse("drafts:history", args=[draft.pk])).content.decode()
    assert "送审稿" in history and "修改第一部分" in history


@pytest.mark.django_db
def test_a_name_is_checked_and_can_be_taken_away(client, draft, alice):
    client.force_login(alice)
    url = reverse("drafts:revision_name", args=[draft.pk, draft.version])
    page = client.post(url, {"name": "修" * 21}, follow=True).content.decode()
    assert "版本名称最多 20 个字" in page
    revision_name(draft, version=draft.version, name="定稿")
    first = parts(draft)[0]
    type_into(draft, alice, first, "今天")
    draft.refresh_from_db()
    page = client.post(
        reverse("drafts:revision_name", args=[draft.pk, draft.version]),
        {"name": "定稿"},
        follow=True,
    ).content.decode()
    assert "已叫“定稿”" in page
    page = client.post(url, {"name": ""}, follow=True).content.decode()
    assert "已取消" in page
    assert not draft.revisions.filter(name="定稿").exists()


@pytest.mark.django_db
def test_inserted_material_is_named_by_its_first_words(draft, alice):
    from speechdraft.corpus.models import Paragraph, Skeleton, SourceDocument, Status
    from speechdraft.drafts.services import material_insert

    skeleton = Skeleton.objects.create(
        document=SourceDocument.objects.create(file_name="a.txt", state="done"), title="讲话"
    )
    paragraph = Paragraph.objects.create(
        skeleton=skeleton,
        position=1,
        text="要压实安全生产责任，守住底线红线。",
        status=Status.APPROVED,
    )
    draft.refresh_from_db()
    material_insert(
        draft,
        user=alice,
        version=draft.version,
        placement=placement_for(draft, "paragraph", parts(draft)[0].pk),
        paragraph=paragraph,
    )
    assert latest(draft).label == "插入素材《要压实安全生产责任，守住…》"
