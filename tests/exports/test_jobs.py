"""Export jobs end to end: request, render (real worker in Redis mode), status, download."""

import datetime
import io
from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from docx import Document

from speechdraft.drafts.models import DraftItem
from speechdraft.drafts.services import (
    Details,
    draft_create,
    draft_details_update,
    draft_item_delete,
    draft_item_insert,
    draft_item_update,
    placement_after,
)
from speechdraft.exports.models import ExportJob
from speechdraft.exports.services import ExportRefused, export_request, job_run
from tests.conftest import wait_until

HX = {"HX-Request": "true"}


def filled_draft(user, **kwargs):
    draft = draft_create(
        owner=user,
        title="在全市经济工作会议上的讲话",
        meeting_name="全市经济工作会议",
        speaker="市长 张三",
        date=datetime.date(2024, 3, 5),
        **kwargs,
    )
    draft_details_update(
        draft,
        user=user,
        version=draft.version,
        details=Details(
            title=draft.title,
            meeting_name=draft.meeting_name,
            speaker=draft.speaker,
            date=draft.date,
            variables={"地区": "江城"},
        ),
    )
    draft.refresh_from_db()
    return draft


def docx_texts(data: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs]


def finished(job):
    job.refresh_from_db()
    return job.finished


@pytest.mark.django_db(transaction=True)
def test_export_flow_status_and_download(client, alice, tasks_run):
    draft = filled_draft(alice)
    client.force_login(alice)
    response = client.post(f"/drafts/{draft.pk}/export/", {"profile": "gongwen"}, headers=HX)
    assert response.status_code in (200, 286)
    job = ExportJob.objects.get()
    assert wait_until(lambda: finished(job), timeout=60)
    assert job.status == "done", job.error
    status = client.get(f"/exports/{job.pk}/status/", headers=HX)
    assert status.status_code == 286  # htmx stops polling
    assert "下载" in status.content.decode()

    download = client.get(f"/exports/{job.pk}/download/")
    assert download.status_code == 200
    disposition = download.headers["Content-Disposition"]
    assert "filename*=utf-8''" in disposition.lower()
    assert unquote(disposition.split("''")[1]) == "在全市经济工作会议上的讲话.docx"
    texts = docx_texts(b"".join(download.streaming_content))
    assert texts[0].startswith("在全市经济工作会议")
    assert "同志们：" in texts
    assert any(t.startswith("一、提高政治站位") for t in texts)
    assert any("我讲三点意见" in t for t in texts)
    assert not any("{{" in t for t in texts)


@pytest.mark.django_db
def test_unfilled_slots_refuse_export_unless_draft_for_comment(client, alice):
    draft = draft_create(owner=alice, title="未填写的稿子")
    client.force_login(alice)
    response = client.post(f"/drafts/{draft.pk}/export/", {"profile": "gongwen"}, headers=HX)
    html = response.content.decode()
    assert response.status_code == 422
    assert "还有 2 处未填写：会议名称、地区" in html and "征求意见稿" in html
    assert not ExportJob.objects.exists()
    job = export_request(draft=draft, user=alice, profile="gongwen", placeholders=True)
    job_run(job.pk)
    job.refresh_from_db()
    texts = docx_texts(job.file.read())
    assert any("×××" in t for t in texts)
    assert job.download_name() == "未填写的稿子（征求意见稿）.docx"


@pytest.mark.django_db
def test_same_version_and_profile_reuses_the_file(alice):
    draft = filled_draft(alice)
    first = export_request(draft=draft, user=alice, profile="gongwen")
    job_run(first.pk)
    again = export_request(draft=draft, user=alice, profile="gongwen")
    assert again.pk == first.pk
    large = export_request(draft=draft, user=alice, profile="large")
    assert large.pk != first.pk
    item = draft.items.filter(numbered=True).first()
    draft_item_update(
        draft, user=alice, version=draft.version, item_id=item.pk, heading="改过的标题", body=""
    )
    draft.refresh_from_db()
    assert export_request(draft=draft, user=alice, profile="gongwen").pk != first.pk


@pytest.mark.django_db
def test_a_job_renders_the_version_it_was_asked_for(alice):
    draft = filled_draft(alice)
    job = export_request(draft=draft, user=alice, profile="gongwen")
    item = draft.items.filter(numbered=True).first()
    draft_item_update(
        draft, user=alice, version=draft.version, item_id=item.pk, heading="之后才改的标题", body=""
    )
    job_run(job.pk)
    job.refresh_from_db()
    texts = docx_texts(job.file.read())
    assert not any("之后才改的标题" in t for t in texts)


@pytest.mark.django_db
def test_other_users_get_404(client, alice, bob):
    draft = filled_draft(alice)
    job = export_request(draft=draft, user=alice, profile="gongwen")
    job_run(job.pk)
    client.force_login(bob)
    for url in (f"/exports/{job.pk}/status/", f"/exports/{job.pk}/download/"):
        assert client.get(url).status_code == 404
    assert client.post(f"/exports/{job.pk}/retry/").status_code == 404
    assert client.post(f"/drafts/{draft.pk}/export/", {"profile": "gongwen"}).status_code == 404


@pytest.mark.django_db
def test_deleted_draft_and_lost_job_end_with_a_message_and_retry(client, alice, settings):
    draft = filled_draft(alice)
    job = export_request(draft=draft, user=alice, profile="gongwen")
    draft.delete()
    assert job_run(job.pk) == "failed"
    job.refresh_from_db()
    assert job.error == "讲话稿已被删除，无法导出。"

    draft = filled_draft(alice)
    lost = ExportJob.objects.create(
        draft=draft, draft_version=draft.version, title=draft.title, user=alice, status="running"
    )
    ExportJob.objects.filter(pk=lost.pk).update(
        started_at=lost.created_at - datetime.timedelta(hours=1)
    )
    client.force_login(alice)
    html = client.get(f"/exports/{lost.pk}/status/", headers=HX).content.decode()
    assert "导出超时" in html and "重试" in html
    client.post(f"/exports/{lost.pk}/retry/", headers=HX)
    lost.refresh_from_db()
    assert lost.status in ("queued", "done")


@pytest.mark.django_db
def test_hostile_text_and_large_or_empty_drafts_still_export(alice):
    draft = filled_draft(alice)
    item = draft.items.filter(numbered=False).first()
    nasty = "控制字符\x00\x01\x07\ufffe之后" + "正文内容。" * 4000
    draft_item_update(
        draft, user=alice, version=draft.version, item_id=item.pk, heading="", body=nasty[:20000]
    )
    draft.refresh_from_db()
    for extra in DraftItem.objects.filter(draft=draft, numbered=True):
        draft.refresh_from_db()
        draft_item_update(
            draft,
            user=alice,
            version=draft.version,
            item_id=extra.pk,
            heading=extra.heading,
            body="正文内容。" * 4000,
        )
    draft.refresh_from_db()
    for _ in range(2):  # two more paragraphs: 100,000 characters and more in all
        draft_item_insert(
            draft,
            user=alice,
            version=draft.version,
            placement=placement_after(draft, None),
            numbered=False,
            body="正文内容。" * 4000,
        )
        draft.refresh_from_db()
    job = export_request(draft=draft, user=alice, profile="gongwen")
    assert job_run(job.pk) == "done"
    job.refresh_from_db()
    texts = docx_texts(job.file.read())
    assert sum(len(t) for t in texts) > 100_000
    assert any(t.startswith("控制字符之后") for t in texts)

    empty = draft_create(owner=alice, title="空稿")
    for item in list(empty.items.filter(parent=None)):
        empty.refresh_from_db()
        draft_item_delete(empty, user=alice, version=empty.version, item_id=item.pk)
    empty.refresh_from_db()
    job = export_request(draft=empty, user=alice, profile="gongwen")
    assert job_run(job.pk) == "done"


@pytest.mark.django_db
def test_management_command(alice, tmp_path):
    draft = filled_draft(alice)
    out = tmp_path / "speech.docx"
    call_command(
        "export_docx", str(draft.pk), "--out", str(out), "--profile", "large", stdout=io.StringIO()
    )
    assert "一、提高政治站位，深刻认识做好工作的重要意义" in docx_texts(out.read_bytes())
    with pytest.raises(Exception, match="找不到编号为 999999 的讲话稿"):
        call_command("export_docx", "999999", "--out", str(out))


@pytest.mark.django_db
def test_office_reference_upload_is_checked(client, editor):
    from speechdraft.exports.models import OfficeReference
    from speechdraft.ooxml.builtin_reference import REFERENCE_PATH

    editor.is_superuser = True
    editor.save()
    client.force_login(editor)
    plain = io.BytesIO()
    Document().save(plain)
    response = client.post(
        "/admin/exports/officereference/add/",
        {
            "name": "本单位",
            "is_default": "on",
            "file": SimpleUploadedFile("x.docx", plain.getvalue()),
        },
    )
    assert (
        "参考文档缺少样式：" in response.content.decode()
        and "讲话稿正文" in response.content.decode()
    )
    response = client.post(
        "/admin/exports/officereference/add/",
        {
            "name": "本单位",
            "is_default": "on",
            "file": SimpleUploadedFile("ok.docx", REFERENCE_PATH.read_bytes()),
        },
    )
    assert response.status_code == 302
    assert OfficeReference.objects.get().is_default


def test_refused_error_type_is_a_value_error():
    assert issubclass(ExportRefused, ValueError)
