"""Curators upload files (and .zip batches) in the admin; each is ingested by a task."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from speechdraft.corpus.models import SourceDocument
from tests.conftest import wait_until

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "corpus"
SAMPLES = sorted(CORPUS.glob("*.txt"))
UPLOAD_URL = "/admin/corpus/sourcedocument/upload/"


def finished() -> bool:
    return not SourceDocument.objects.filter(state__in=["pending", "processing"]).exists()


@pytest.mark.django_db(transaction=True)
def test_upload_files_and_a_zip_each_get_a_status(client, editor, tasks_run):
    client.force_login(editor)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("batch/a.txt", SAMPLES[2].read_bytes())
        archive.writestr("batch/b.txt", "微信扫码\n领取福利\n".encode())
    files = [
        SimpleUploadedFile(SAMPLES[4].name, SAMPLES[4].read_bytes()),
        SimpleUploadedFile("batch.zip", buffer.getvalue()),
    ]
    response = client.post(UPLOAD_URL, {"files": files})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert wait_until(finished, timeout=90)

    states = dict(SourceDocument.objects.values_list("file_name", "state"))
    assert states == {SAMPLES[4].name: "done", "batch/a.txt": "done", "batch/b.txt": "failed"}
    failed = SourceDocument.objects.get(file_name="batch/b.txt")
    assert "batch/b.txt" in failed.error and failed.skeletons.count() == 0

    listing = client.get("/admin/corpus/sourcedocument/").content.decode()
    assert "上传讲话稿" in listing and "失败" in listing and "已完成" in listing


@pytest.mark.django_db
def test_a_dangerous_zip_is_refused_with_a_message(client, editor):
    client.force_login(editor)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../../evil.txt", b"x")
    response = client.post(UPLOAD_URL, {"files": [SimpleUploadedFile("e.zip", buffer.getvalue())]})
    assert response.status_code == 200
    assert "路径不安全" in response.content.decode()
    assert SourceDocument.objects.count() == 0


@pytest.mark.django_db
def test_drafters_cannot_upload(client, alice):
    client.force_login(alice)
    response = client.get(UPLOAD_URL)
    assert response.status_code == 302
    assert "/admin/login/" in response.headers["Location"]


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_uploads_are_kept_and_can_be_reimported(
    client, editor, tasks_run, monkeypatch
):
    """Redis down: the upload page does not fail; the files are stored, marked failed with
    a message, and 重新导入所选文件 imports them once the broker is back."""
    from kombu.exceptions import OperationalError

    from speechdraft.corpus import tasks

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    client.force_login(editor)
    with monkeypatch.context() as patch:
        patch.setattr(tasks.ingest_batch, "delay", broker_down)
        response = client.post(
            UPLOAD_URL,
            {"files": [SimpleUploadedFile(SAMPLES[0].name, SAMPLES[0].read_bytes())]},
        )
    assert response.status_code == 302
    document = SourceDocument.objects.get(file_name=SAMPLES[0].name)
    assert document.state == "failed" and "后台服务暂不可用" in document.error
    assert document.upload and document.skeletons.count() == 0
    listing = client.get("/admin/corpus/sourcedocument/").content.decode()
    assert "后台服务暂不可用" in listing and "重新导入所选文件" in listing

    response = client.post(
        "/admin/corpus/sourcedocument/",
        {"action": "reingest", "_selected_action": [document.pk]},
    )
    assert response.status_code == 302
    assert wait_until(finished, timeout=90)
    document.refresh_from_db()
    assert document.state == "done" and document.skeletons.count() >= 1
