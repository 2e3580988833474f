"""What the exports app puts into the document besides the text: properties, subtitle, marks."""

from __future__ import annotations

import datetime
import io

import pytest
from django.utils import timezone
from docx import Document

from speechdraft.exports.services import export_request, job_run, render_bytes
from tests.exports.test_jobs import filled_draft


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
    assert props.author == props.last_modified_by == "丽 艾"
    created = props.created.replace(tzinfo=datetime.UTC)
    assert before <= created <= timezone.now()
    assert props.modified == props.created
    # Without a full name: the username.
    other = filled_draft(bob)
    data = render_bytes(other, other.version, profile="gongwen", placeholders=False)
    assert Document(io.BytesIO(data)).core_properties.author == "bob"
