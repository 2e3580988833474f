"""Starting a draft from a skeleton: its structure (the default) or a full copy; only from
approved, complete material, within the editor's limits; 参考原文 beside it."""

import pytest

from speechdraft.corpus.models import Paragraph, Section, Skeleton, Status
from speechdraft.drafts.models import Draft
from speechdraft.drafts.selectors import draft_document
from speechdraft.drafts.services import (
    CLOSING_HINT,
    OPENING_HINT,
    ROLE_HINTS,
    DraftError,
    StartMode,
    draft_create,
    reference_insert,
    reference_keys,
    reference_of,
    skeleton_choices,
)
from tests.drafts.test_services import text_of

pytestmark = pytest.mark.django_db


def by_title(title):
    return Skeleton.objects.get(title=title)


def test_only_approved_skeletons_are_offered_and_incomplete_ones_wait(sample_library):
    offered = {s.title for s, _ in skeleton_choices()}
    page_two = Skeleton.objects.get(title__contains="三新三强")
    assert page_two.incomplete == [
        "从第二部分开始，前面的内容缺失",
        "来自分页网页的第 2 页（共 3 页）",
    ]
    assert page_two.status == Status.CANDIDATE and page_two.title not in offered
    assert "在全区领导干部大会上的讲话" in offered
    Skeleton.objects.filter(title="在全区领导干部大会上的讲话").update(status=Status.REJECTED)
    assert "在全区领导干部大会上的讲话" not in {s.title for s, _ in skeleton_choices()}


def test_a_draft_cannot_start_from_unapproved_or_too_large_material(alice, sample_library):
    page_two = Skeleton.objects.get(title__contains="三新三强")
    with pytest.raises(DraftError, match="尚未审核采用"):
        draft_create(owner=alice, title="x", skeleton=page_two)
    big = by_title("在全区领导干部大会上的讲话")
    section = big.sections.first()
    Section.objects.bulk_create(
        Section(skeleton=big, position=1000 + n, level=2, parent=section, heading=f"要点{n}")
        for n in range(10_000)
    )
    for mode in (StartMode.STRUCTURE, StartMode.FULL):
        with pytest.raises(DraftError, match="超过一篇讲话稿 3000 段的上限"):
            draft_create(owner=alice, title="x", skeleton=big, mode=mode)
    assert not Draft.objects.filter(owner=alice).exists()  # nothing half-made


def test_by_structure_the_draft_has_the_headings_and_empty_bodies(alice, sample_library):
    skeleton = by_title("在全区领导干部大会上的讲话")
    draft = draft_create(owner=alice, title="在全县安全生产工作会议上的讲话", skeleton=skeleton)
    roots = list(draft.items.filter(parent=None).order_by("position"))
    assert roots[0].body == "同志们：" and roots[1].hint == OPENING_HINT and not roots[1].body
    assert "{{ 部分数 }}点意见" in roots[2].body
    parts = [r for r in roots if r.numbered]
    sections = list(skeleton.sections.filter(level=1).order_by("position"))
    assert [p.heading for p in parts] == [s.heading for s in sections]
    assert all(not p.body for p in draft.items.filter(numbered=True))
    assert [p.hint for p in parts] == [ROLE_HINTS[s.role] for s in sections]
    assert roots[-1].hint == CLOSING_HINT and not roots[-1].body
    text = text_of(draft)
    assert "讲三点意见" in text
    # None of the other county's speech is in it.
    source = skeleton.paragraphs.filter(section__isnull=False).first().text
    assert source[:20] not in text


def test_in_full_the_whole_source_is_copied(alice, sample_library):
    skeleton = by_title("在全区领导干部大会上的讲话")
    draft = draft_create(owner=alice, title="改旧稿", skeleton=skeleton, mode=StartMode.FULL)
    source = skeleton.paragraphs.filter(section__isnull=False).first().text
    assert source[:20] in text_of(draft)
    with pytest.raises(DraftError, match="起草方式不正确"):
        draft_create(owner=alice, title="x", skeleton=skeleton, mode="copy-all")


def test_reference_offers_the_source_part_by_part_and_inserts_one(alice, sample_library, bob):
    skeleton = by_title("在全区领导干部大会上的讲话")
    draft = draft_create(owner=alice, title="新稿", skeleton=skeleton)
    groups = reference_of(draft)
    first_part = draft.items.filter(numbered=True, parent=None).order_by("position").first()
    key = reference_keys(draft)[str(first_part.pk)]
    group = next(g for g in groups if g.key == key)
    assert group.title.endswith(first_part.heading) and group.paragraphs
    # Into the empty body of the part the drafter is in …
    paragraph = group.paragraphs[0]
    draft.refresh_from_db()
    item = reference_insert(
        draft, user=alice, version=draft.version, anchor_id=first_part.pk, paragraph=paragraph
    )
    assert item.pk == first_part.pk
    first_part.refresh_from_db()
    assert first_part.body == paragraph.text
    # … and below it once that has text.
    draft.refresh_from_db()
    second = reference_insert(
        draft,
        user=alice,
        version=draft.version,
        anchor_id=first_part.pk,
        paragraph=group.paragraphs[-1],
    )
    assert second.pk != first_part.pk and second.body == group.paragraphs[-1].text
    # Only from the draft's own skeleton, never rejected material.
    other = Paragraph.objects.exclude(skeleton=skeleton).first()
    with pytest.raises(DraftError, match="不属于本稿所用的骨架"):
        reference_insert(draft, user=alice, version=None, anchor_id=None, paragraph=other)
    Paragraph.objects.filter(pk=paragraph.pk).update(status=Status.REJECTED)
    paragraph.refresh_from_db()
    with pytest.raises(DraftError):
        reference_insert(draft, user=alice, version=None, anchor_id=None, paragraph=paragraph)
    assert paragraph not in next(g for g in reference_of(draft) if g.key == key).paragraphs


def test_blanks_of_a_kind_fill_one_by_one_or_all_at_once(alice_client, alice, sample_library):
    skeleton = by_title("在全区领导干部大会上的讲话")
    draft = draft_create(owner=alice, title="新稿", skeleton=skeleton, mode=StartMode.FULL)
    doc = draft_document(draft)
    kinds = dict(doc.blanks)
    people = [u.name for u in kinds["姓名"]]
    assert people == ["姓名1", "姓名2", "姓名3"] and "【姓名1】" in kinds["姓名"][0].context
    panel = alice_client.get(f"/drafts/{draft.pk}/").content.decode()
    assert "姓名（3 处，各自填写）" in panel and "全部填为同一值" in panel
    counties = [u.name for u in kinds["县区名"]]
    post = {"title": "新稿", "stage": "drafting", "current_version": draft.version}
    post |= {f"var_{n}": "" for n in people + counties}
    post |= {"var_姓名1": "王强", "var_姓名2": "李明", "all_县区名": "东山县"}
    response = alice_client.post(
        f"/drafts/{draft.pk}/details/", post, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.variables["姓名1"] == "王强" and draft.variables["姓名2"] == "李明"
    assert "姓名3" not in draft.variables
    assert all(draft.variables[n] == "东山县" for n in counties)


def test_a_value_that_doubles_its_suffix_is_refused(alice, sample_library):
    from speechdraft.drafts.services import Details, draft_details_update

    draft = draft_create(owner=alice, title="旧式填空")
    item = draft.items.filter(numbered=False).first()
    item.body = "{{ 地区 }}县要带头。"  # text of the earlier scheme: the suffix is outside
    item.save()
    with pytest.raises(DraftError, match="会读成“东山县县”"):
        draft_details_update(
            draft,
            user=alice,
            version=draft.version,
            details=Details(title="x", variables={"地区": "东山县"}),
        )
    draft_details_update(
        draft,
        user=alice,
        version=draft.version,
        details=Details(title="x", variables={"地区": "东山"}),
    )


def test_library_material_gets_blank_names_of_its_own(alice, sample_library):
    from speechdraft.drafts.services import material_insert, placement_for

    skeleton = by_title("在全区领导干部大会上的讲话")
    draft = draft_create(owner=alice, title="新稿", skeleton=skeleton, mode=StartMode.FULL)
    paragraph = Paragraph.objects.filter(
        text__contains="{{ 姓名1 }}", status=Status.APPROVED
    ).first()
    item = material_insert(
        draft,
        user=alice,
        version=draft.version,
        placement=placement_for(draft, "paragraph", None),
        paragraph=paragraph,
    )
    assert "{{ 姓名1 }}" not in item.body and "{{ 姓名4 }}" in item.body
