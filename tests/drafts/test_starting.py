"""Starting a draft from a skeleton: its structure (the default) or a full copy; only from
approved, complete material, within the editor's limits; 参考原文 beside it."""

import pytest

from speechdraft.corpus.models import Paragraph, Section, Skeleton, Status
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
        for n in range(3000)
    )
    with pytest.raises(DraftError, match="超过一篇讲话稿 3000 段的上限"):
        draft_create(owner=alice, title="x", skeleton=big)


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
