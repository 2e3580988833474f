"""Crafted Word files through both front doors: the admin upload and `manage.py ingest`.

The refusals themselves are tested in tests/text/test_decode_attacks.py; here they must
reach the curator as a failed document with the Chinese reason, never as a crash.
"""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from speechdraft.corpus.models import SourceDocument
from tests.conftest import wait_until
from tests.text.crafted import XXE, huge_part_docx, passwd_lines, with_dtd

UPLOAD_URL = "/admin/corpus/sourcedocument/upload/"


def finished() -> bool:
    return not SourceDocument.objects.filter(state__in=["pending", "processing"]).exists()


@pytest.mark.django_db(transaction=True)
def test_crafted_word_files_uploaded_in_the_admin_fail_with_the_reason(
    client, editor, tasks_run, monkeypatch
):
    client.force_login(editor)
    files = [
        SimpleUploadedFile("xxe.docx", with_dtd(XXE, "同志们：&e;今天开会。")),
        SimpleUploadedFile("bomb.docx", huge_part_docx(monkeypatch, 300 * 1024 * 1024)),
    ]
    response = client.post(UPLOAD_URL, {"files": files})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert wait_until(finished, timeout=90)

    errors = dict(SourceDocument.objects.values_list("file_name", "error"))
    states = set(SourceDocument.objects.values_list("state", flat=True))
    assert states == {"failed"}
    assert "实体" in errors["xxe.docx"] and "已拒绝" in errors["xxe.docx"]
    assert "压缩炸弹" in errors["bomb.docx"]
    assert not any(line in errors["xxe.docx"] for line in passwd_lines())


@pytest.mark.django_db
def test_the_ingest_command_reports_a_crafted_word_file(tmp_path):
    path = tmp_path / "xxe.docx"
    path.write_bytes(with_dtd(XXE, "同志们：&e;今天开会。"))
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("ingest", str(path), dry_run=True, json=True, stdout=out, stderr=err)
    assert exit_info.value.code == 1
    report = json.loads(out.getvalue())
    assert report["outcome"] == "failed" and "实体" in report["error"]
    assert SourceDocument.objects.count() == 0
