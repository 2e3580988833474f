"""PDF beside Word: the export job lays the very .docx out with LibreOffice headless; the
option is offered only where LibreOffice is, and a failed conversion says so and can be retried."""

import re
import shutil
import subprocess
from urllib.parse import unquote

import pytest
from lxml import etree

from speechdraft.exports import pdf
from speechdraft.exports.models import ExportJob
from speechdraft.exports.services import ExportRefused, export_request, job_run
from speechdraft.ooxml.model import FontSettings
from tests.conftest import skip_missing, wait_until
from tests.exports.test_jobs import HX, filled_draft, finished

SOFFICE = pdf.program_for("")


def needs_libreoffice():
    if SOFFICE is None:
        skip_missing("LibreOffice")
    if not shutil.which("pdftotext"):
        skip_missing("poppler-utils")


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_program_setting_finds_turns_off_or_names_libreoffice():
    assert pdf.program_for("off") is None
    assert pdf.program_for("OFF") is None
    assert pdf.program_for("no-such-office-program") is None
    assert pdf.program_for("") == (shutil.which("soffice") or shutil.which("libreoffice"))


def test_every_face_the_writer_names_falls_back_to_a_cjk_face_of_its_kind():
    faces = pdf.substitutes()
    for fonts in (FontSettings(), FontSettings.system()):
        assert fonts.names() - {fonts.latin} <= faces.keys()
    assert faces["黑体"] == pdf.SANS and faces["仿宋_GB2312"] == pdf.SERIF
    tree = etree.fromstring(pdf.fonts_conf(faces).encode())
    # Fallback only: a machine with the real face uses it.
    assert tree.findall("alias/accept") and not tree.findall("alias/prefer")


@pytest.mark.django_db(transaction=True)
def test_a_pdf_export_is_the_word_file_laid_out(client, alice, tasks_run, tmp_path):
    needs_libreoffice()
    draft = filled_draft(alice)
    client.force_login(alice)
    editor = client.get(f"/drafts/{draft.pk}/").content.decode()
    assert "导出PDF" in editor
    response = client.post(
        f"/drafts/{draft.pk}/export/", {"profile": "gongwen", "format": "pdf"}, headers=HX
    )
    assert response.status_code in (200, 286)
    job = ExportJob.objects.get()
    assert wait_until(lambda: finished(job), timeout=180)
    assert job.status == "done", job.error
    status = client.get(f"/exports/{job.pk}/status/", headers=HX).content.decode()
    assert "PDF 文件已生成" in status
    download = client.get(f"/exports/{job.pk}/download/")
    assert download["Content-Type"] == "application/pdf"
    name = unquote(download.headers["Content-Disposition"].split("''")[1])
    assert name == "在全市经济工作会议上的讲话.pdf"
    data = b"".join(download.streaming_content)
    assert data.startswith(b"%PDF")
    text = pdf_text(data, tmp_path)
    assert "同志们" in text and "我讲三点意见" in text
    assert re.search(r"—\s*1\s*—", text)  # the page number, as the Word file sets it


@pytest.mark.django_db
def test_word_and_pdf_of_one_version_are_two_files(alice, settings):
    settings.EXPORT_PDF_PROGRAM = "true"  # a program that is there; nothing is rendered here
    draft = filled_draft(alice)
    word = export_request(draft=draft, user=alice, profile="gongwen")
    pdf_job = export_request(draft=draft, user=alice, profile="gongwen", format="pdf")
    assert word.pk != pdf_job.pk
    assert export_request(draft=draft, user=alice, profile="gongwen", format="pdf").pk == pdf_job.pk


@pytest.mark.django_db
def test_without_libreoffice_pdf_is_not_offered_and_a_request_is_refused(client, alice, settings):
    settings.EXPORT_PDF_PROGRAM = "off"
    draft = filled_draft(alice)
    client.force_login(alice)
    editor = client.get(f"/drafts/{draft.pk}/").content.decode()
    assert "导出Word" in editor and "导出PDF" not in editor
    response = client.post(
        f"/drafts/{draft.pk}/export/", {"profile": "gongwen", "format": "pdf"}, headers=HX
    )
    assert response.status_code == 422
    assert "服务器未安装 LibreOffice" in response.content.decode()
    assert not ExportJob.objects.exists()
    with pytest.raises(ExportRefused, match="文件类型不正确"):
        export_request(draft=draft, user=alice, profile="gongwen", format="odt")


@pytest.mark.django_db
def test_a_failed_conversion_fails_the_job_with_a_retry(client, alice, settings):
    settings.EXPORT_PDF_PROGRAM = "false"  # runs and fails at once
    draft = filled_draft(alice)
    job = export_request(draft=draft, user=alice, profile="gongwen", format="pdf")
    assert job_run(job.pk) == "failed"
    job.refresh_from_db()
    assert job.error == pdf.FAILED and not job.file
    client.force_login(alice)
    status = client.get(f"/exports/{job.pk}/status/", headers=HX).content.decode()
    assert "PDF 生成失败" in status and "重试" in status
