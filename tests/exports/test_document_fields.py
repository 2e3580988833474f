"""What the exports app puts into the document besides the text: properties, subtitle, marks."""

from __future__ import annotations

import datetime
import io

import pytest
from django.utils import timezone
from docx import Document

from speechdraft.drafts.services import Details, draft_details_update
from speechdraft.exports.services import export_document, export_request, job_run, render_bytes
from tests.exports.test_jobs import docx_texts, filled_draft


@pytest.mark.django_db
def test_the_file_names_the_drafter_and_the_export_time(alice, bob):
    alice.first_name, alice.last_name = "丽", "艾"
    alice.save()
    draft = filled_draft(alice)
    before = timezone.now().replace(microsecond=0)
    job = export_request(draft=draft, user=alice, profile="gongwen")
    job_run(job.pk)
    job.refresh_from_db()
    props = Document(io.BytesIO(job.file.read())).core_properties
    assert props.author == props.last_modified_by == "艾丽"  # 姓名, as Chinese writes it
    created = props.created.replace(tzinfo=datetime.UTC)
    assert before <= created <= timezone.now()
    assert props.modified == props.created
    # Without a full name: the username.
    other = filled_draft(bob)
    data = render_bytes(other, other.version, profile="gongwen", placeholders=False)
    assert Document(io.BytesIO(data)).core_properties.author == "bob"


def _retitle(draft, user, title: str):
    draft_details_update(
        draft,
        user=user,
        version=draft.version,
        details=Details(
            title=title,
            meeting_name=draft.meeting_name,
            speaker=draft.speaker,
            date=draft.date,
        ),
    )
    draft.refresh_from_db()
    return draft


@pytest.mark.django_db
def test_a_theme_title_gets_the_meeting_name_as_subtitle(alice, settings):
    draft = _retitle(filled_draft(alice), alice, "奋力开创高质量发展新局面")
    doc = export_document(draft, draft.version, placeholders=False)
    assert doc.subtitle == "——在全市经济工作会议上的讲话"
    data = render_bytes(draft, draft.version, profile="gongwen", placeholders=False)
    assert docx_texts(data)[:2] == ["奋力开创高质量发展新局面", "——在全市经济工作会议上的讲话"]


@pytest.mark.django_db
def test_a_title_naming_the_meeting_gets_a_subtitle_only_if_always(alice, settings):
    draft = filled_draft(alice)  # 在全市经济工作会议上的讲话
    assert export_document(draft, draft.version, placeholders=False).subtitle is None
    settings.EXPORT_ALWAYS_SUBTITLE = True
    doc = export_document(draft, draft.version, placeholders=False)
    assert doc.subtitle == "——在全市经济工作会议上的讲话"


@pytest.mark.django_db
def test_a_draft_for_comment_is_marked_on_its_first_page(alice):
    draft = filled_draft(alice)
    marked = render_bytes(draft, draft.version, profile="gongwen", placeholders=True)
    assert docx_texts(marked)[:2] == ["征求意见稿", "在全市经济工作会议上的讲话"]
    final = render_bytes(draft, draft.version, profile="gongwen", placeholders=False)
    assert "征求意见稿" not in docx_texts(final)
