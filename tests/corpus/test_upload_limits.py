"""Upload limits hold per request and stop the work early (issue "Hardening", finding 1).

What is measured is what was read: bytes taken from the request body, bytes decompressed from
zip members, memory held while unpacking, never the time it took.
"""

import random
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.test.client import FakePayload

from speechdraft.corpus.models import SourceDocument, UploadBatch
from speechdraft.corpus.services import document_ingest_uploaded
from speechdraft.corpus.uploads import Budget, size_text, unpack
from tests.corpus.batches import TOPICS, UPLOAD_URL, make_zip, speech, upload_file

MB = 1024 * 1024


@pytest.fixture
def body_read(monkeypatch):
    """Bytes the server read of the request body (the test client's wsgi.input), and the
    largest single read: a refused body is drained in chunks, never held."""
    counter = {"bytes": 0, "largest": 0}
    read = FakePayload.read

    def counted(self, *args, **kwargs):
        data = read(self, *args, **kwargs)
        counter["bytes"] += len(data)
        counter["largest"] = max(counter["largest"], len(data))
        return data

    monkeypatch.setattr(FakePayload, "read", counted)
    return counter


@pytest.fixture
def kept(monkeypatch):
    """Bytes of the request written to temporary files (Django's handler stores them)."""
    counter = {"bytes": 0}
    receive = TemporaryFileUploadHandler.receive_data_chunk

    def counted(self, raw_data, start):
        counter["bytes"] += len(raw_data)
        return receive(self, raw_data, start)

    monkeypatch.setattr(TemporaryFileUploadHandler, "receive_data_chunk", counted)
    return counter


@pytest.fixture
def unzipped(monkeypatch):
    """Bytes decompressed from zip members, anywhere."""
    counter = {"bytes": 0}
    read = zipfile.ZipExtFile.read

    def counted(self, *args, **kwargs):
        data = read(self, *args, **kwargs)
        counter["bytes"] += len(data)
        return data

    monkeypatch.setattr(zipfile.ZipExtFile, "read", counted)
    return counter


def text_bytes(size: int, seed: int) -> bytes:
    """Chinese text that compresses like a speech (a few times, not a hundred)."""
    rng = random.Random(seed)
    words = [w for topic in TOPICS for w in speech(topic).replace("\n", "。").split("，")]
    out = bytearray()
    while len(out) < size:
        out += rng.choice(words).encode() + "，".encode()
    return bytes(out[:size])


def nothing_stored(media_root) -> bool:
    sources = media_root / "sources"
    files = [p for p in sources.rglob("*") if p.is_file()] if sources.exists() else []
    return not SourceDocument.objects.exists() and not UploadBatch.objects.exists() and not files


@pytest.fixture
def clean_media(media_root):
    import shutil

    shutil.rmtree(media_root / "sources", ignore_errors=True)
    return media_root


def refused_page(response, status: int = 200) -> str:
    assert response.status_code == status, response.content.decode()[:2000]
    page = response.content.decode()
    assert 'class="errornote"' in page
    return page


@pytest.mark.django_db
def test_a_request_over_the_size_limit_is_refused_before_any_of_it_is_parsed_or_kept(
    client, editor, settings, body_read, kept, clean_media
):
    settings.UPLOAD_MAX_REQUEST_BYTES = 1 * MB
    client.force_login(editor)
    files = [upload_file(f"{n}.txt", text_bytes(400_000, n)) for n in range(3)]
    response = client.post(UPLOAD_URL, {"files": files})
    page = refused_page(response, status=413)
    assert "超过单次上传 1 MB 的上限，未接收任何文件。请分批上传。" in page
    assert "本次上传共 1.1 MB" in page  # the request's real size
    # Drained so that a browser still sending gets this page, in chunks, nothing kept.
    assert kept["bytes"] == 0 and body_read["largest"] <= 64 * 1024
    assert nothing_stored(clean_media)


@pytest.mark.django_db
def test_a_request_far_over_the_size_limit_is_not_even_read(
    client, editor, settings, body_read, kept, clean_media
):
    settings.UPLOAD_MAX_REQUEST_BYTES = 100 * 1024
    client.force_login(editor)
    files = [upload_file(f"{n}.txt", text_bytes(400_000, n)) for n in range(3)]
    page = refused_page(client.post(UPLOAD_URL, {"files": files}), status=413)
    assert "超过单次上传 100 KB 的上限" in page
    assert body_read["bytes"] == 0 and kept["bytes"] == 0
    assert nothing_stored(clean_media)


@pytest.mark.django_db
def test_too_many_files_keep_nothing_past_the_first_one_over_the_count(
    client, editor, settings, kept, clean_media
):
    settings.UPLOAD_MAX_FILES = 3
    client.force_login(editor)
    files = [upload_file(f"{n}.txt", text_bytes(100_000, n)) for n in range(10)]
    response = client.post(UPLOAD_URL, {"files": files})
    page = refused_page(response)
    assert "一次最多上传 3 个文件（压缩包内的文件也计入），本次超过了这个数量" in page
    # Three files written to temporary files, not the ten of them (1 MB); all removed.
    assert kept["bytes"] == 300_000
    assert nothing_stored(clean_media)


@pytest.mark.django_db
def test_files_in_zips_count_towards_the_request_before_any_member_is_decompressed(
    client, editor, settings, unzipped, clean_media
):
    """40 zips of 500 tiny members made 20,000 documents and as many tasks in one request."""
    settings.UPLOAD_MAX_FILES = 50
    client.force_login(editor)
    zips = [
        upload_file(
            f"{z}.zip", make_zip({f"{z}/{n}.txt": f"第{z}-{n}篇".encode() for n in range(20)})
        )
        for z in range(5)
    ]
    page = refused_page(client.post(UPLOAD_URL, {"files": zips}))
    assert "本次上传共有 100 个文件（含压缩包内的文件），超过单次上传 50 个的上限" in page
    assert "未接收任何文件" in page
    assert unzipped["bytes"] == 0
    assert nothing_stored(clean_media)


@pytest.mark.django_db
def test_the_unzipped_total_is_per_request_and_checked_before_decompressing(
    client, editor, settings, unzipped, clean_media
):
    """Zips each within every limit, too much together (12 such zips took 2.4 GB of memory)."""
    settings.UPLOAD_MAX_TOTAL_UNZIPPED_BYTES = 2 * MB
    client.force_login(editor)
    zips = [
        upload_file(f"{z}.zip", make_zip({"讲话.txt": text_bytes(900_000, z)})) for z in range(4)
    ]
    page = refused_page(client.post(UPLOAD_URL, {"files": zips}))
    total = size_text(4 * 900_000)
    assert f"本次上传的文件解压后共 {total}，超过单次上传解压后 2 MB 的上限" in page
    assert unzipped["bytes"] == 0
    assert nothing_stored(clean_media)


def test_members_are_streamed_never_held_in_memory():
    members = {f"{n}.txt": text_bytes(3 * MB, n) for n in range(3)}
    upload = SimpleUploadedFile("大批.zip", make_zip(members))
    budget = Budget(request_bytes=50 * MB, file_bytes=20 * MB, unzipped_bytes=200 * MB, files=500)
    tracemalloc.start()
    try:
        result = unpack([upload], budget)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [(name, f.size) for name, f in result.files] == [(n, 3 * MB) for n in members]
    assert result.files[2][1].read() == members["2.txt"]
    result.close()
    assert peak < 1 * MB, f"peak {peak / MB:.1f} MB while unpacking 9 MB"


@pytest.mark.django_db
def test_a_file_over_the_per_file_limit_is_refused_at_upload_saying_its_real_size(
    client, editor, clean_media
):
    """A 49 MB .txt was stored, then refused at ingestion as "20.0 MB". The limit is the one
    ingestion applies, in the same words."""
    client.force_login(editor)
    big = b"x" * (21 * MB + 300 * 1024)
    response = client.post(
        UPLOAD_URL,
        {"files": [upload_file("大.txt", big), upload_file("好.txt", speech(TOPICS[0]))]},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(response.headers["Location"]).content.decode()
    assert "文件“大.txt”太大（21.3 MB），超过单个文件 20 MB 的上限，已跳过" in page
    assert set(SourceDocument.objects.values_list("file_name", flat=True)) == {"好.txt"}
    stored = [p for p in (clean_media / "sources").rglob("*") if p.is_file()]
    assert len(stored) == 1 and stored[0].stat().st_size < MB


@pytest.mark.django_db
def test_ingestion_refuses_a_stored_file_over_the_limit_with_its_real_size(settings):
    """One stored before the upload page checked sizes (or by an older version)."""
    from django.core.files.base import ContentFile

    settings.UPLOAD_MAX_FILE_BYTES = 1 * MB
    document = SourceDocument(file_name="旧.txt")
    document.upload.save("old.txt", ContentFile(b"x" * (2 * MB + MB // 2)), save=True)
    result = document_ingest_uploaded(document)
    document.refresh_from_db()
    assert result.outcome == "failed" and document.state == "failed"
    assert document.error == "文件“旧.txt”太大（2.5 MB），超过单个文件 1 MB 的上限，未导入"


@pytest.mark.django_db
def test_the_upload_page_states_the_limits(client, editor):
    client.force_login(editor)
    page = client.get(UPLOAD_URL).content.decode()
    assert (
        "单个文件不超过 20 MB；一次最多 500 个文件（含压缩包内的文件），合计不超过 50 MB，"
        "解压后合计不超过 200 MB。"
    ) in page
