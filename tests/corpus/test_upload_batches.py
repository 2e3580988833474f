"""A submission is one batch: what the upload page accepts, skips and renames, and how the one
job that ingests it in order reports its progress (issue "Hardening", findings 1 and 2)."""

import warnings
import zipfile

import pytest
from celery import Celery
from celery.exceptions import TimeLimitExceeded
from django.conf import settings

from speechdraft.corpus import services, tasks
from speechdraft.corpus.models import BatchItem, SourceDocument, UploadBatch
from tests.conftest import wait_until
from tests.corpus.batches import (
    TOPICS,
    UPLOAD_URL,
    batch_finished,
    latest_batch,
    make_zip,
    speech,
    states,
    upload_file,
)
from tests.corpus.large import long_speech


def post(client, files):
    return client.post(UPLOAD_URL, {"files": files})


def batch_page(client, batch) -> str:
    response = client.get(f"{UPLOAD_URL}{batch.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def finished_page(client, response) -> tuple[UploadBatch, str]:
    """After a successful upload: the batch once ingested, and its page as the curator sees it."""
    assert response.status_code == 302, response.content.decode()[:3000]
    batch = latest_batch()
    assert response.headers["Location"] == f"{UPLOAD_URL}{batch.pk}/"
    assert wait_until(lambda: batch_finished(batch), timeout=120)
    return batch, batch_page(client, batch)


def corrupt_first_member(data: bytes) -> bytes:
    """Flip bytes inside the first member's compressed data: that member is damaged, the zip's
    directory and the other members are intact."""
    name_length = int.from_bytes(data[26:28], "little")
    extra_length = int.from_bytes(data[28:30], "little")
    size = int.from_bytes(data[18:22], "little")
    start = 30 + name_length + extra_length
    damaged = bytearray(data)
    for at in range(start + size // 3, start + size // 3 + 8):
        damaged[at] ^= 0x5A
    return bytes(damaged)


# ------------------------------------------------------------------ finding 2: edge cases


@pytest.mark.django_db(transaction=True)
def test_a_corrupt_zip_is_reported_and_the_good_files_beside_it_are_imported(
    client, editor, tasks_run
):
    client.force_login(editor)
    damaged = make_zip({"坏/甲.txt": speech(TOPICS[0]), "坏/乙.txt": speech(TOPICS[1])})
    half_good = corrupt_first_member(
        make_zip({"半/丙.txt": speech(TOPICS[2]) * 3, "半/丁.txt": speech(TOPICS[3])})
    )
    response = post(
        client,
        [
            upload_file("单独.txt", speech(TOPICS[4])),
            upload_file("坏.zip", damaged[: len(damaged) // 2]),  # truncated: no directory
            upload_file("半.zip", half_good),
        ],
    )
    batch, page = finished_page(client, response)

    assert states() == {"单独.txt": "done", "半/丁.txt": "done"}
    assert [item.file_name for item in batch.items.all()] == ["单独.txt", "半/丁.txt"]
    assert "坏.zip：不是有效的 zip 压缩包" in page
    assert "半.zip：半/丙.txt 无法解压" in page
    assert "已处理 <strong>2 / 2</strong> 个文件" in page
    assert "有 2 项需要注意" in page


@pytest.mark.django_db(transaction=True)
def test_duplicate_names_are_both_kept_the_later_one_renamed_and_reported(
    client, editor, tasks_run
):
    client.force_login(editor)
    first = make_zip({"讲话.txt": speech(TOPICS[1]), "2023/讲话.txt": speech(TOPICS[2])})
    second = make_zip({"讲话.txt": speech(TOPICS[3]), "2023/讲话.txt": speech(TOPICS[4])})
    response = post(
        client,
        [
            upload_file("讲话.txt", speech(TOPICS[0])),
            upload_file("一.zip", first),
            upload_file("二.zip", second),
        ],
    )
    batch, page = finished_page(client, response)

    expected = {
        "讲话.txt": TOPICS[0],
        "讲话（2）.txt": TOPICS[1],
        "2023/讲话.txt": TOPICS[2],
        "讲话（3）.txt": TOPICS[3],
        "2023/讲话（2）.txt": TOPICS[4],
    }
    documents = {d.file_name: d for d in SourceDocument.objects.all()}
    assert set(documents) == set(expected)
    for name, topic in expected.items():
        assert documents[name].state == "done", (name, documents[name].error)
        assert f"全县{topic}工作会议" in documents[name].clean_text, name
    assert [i.file_name for i in batch.items.all()] == list(expected)
    assert (
        "一.zip：讲话.txt 与本次上传的另一个文件同名，两个都已保留，这一个改名为“讲话（2）.txt”"
        in page
    )
    assert (
        "二.zip：讲话.txt 与本次上传的另一个文件同名，两个都已保留，这一个改名为“讲话（3）.txt”"
        in page
    )
    assert "二.zip：2023/讲话.txt 与本次上传的另一个文件同名" in page


@pytest.mark.django_db(transaction=True)
def test_a_name_twice_in_one_zip_keeps_both(client, editor, tasks_run):
    """Before, the second entry silently replaced the first."""
    client.force_login(editor)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile: "Duplicate name"
        archive = make_zip(
            [
                ("讲话.txt", speech(TOPICS[0])),
                ("讲话.txt", speech(TOPICS[1])),
                ("讲话（2）.txt", speech(TOPICS[2])),  # taken: the copy becomes 讲话（3）.txt
            ]
        )
    batch, page = finished_page(client, post(client, [upload_file("同名.zip", archive)]))
    documents = {d.file_name: d for d in SourceDocument.objects.all()}
    assert set(documents) == {"讲话.txt", "讲话（2）.txt", "讲话（3）.txt"}
    assert f"全县{TOPICS[0]}工作会议" in documents["讲话.txt"].clean_text
    assert f"全县{TOPICS[1]}工作会议" in documents["讲话（3）.txt"].clean_text
    assert f"全县{TOPICS[2]}工作会议" in documents["讲话（2）.txt"].clean_text
    assert (
        "同名.zip：讲话.txt 与本次上传的另一个文件同名，两个都已保留，这一个改名为“讲话（3）.txt”"
        in page
    )
    assert batch.notes == [
        "同名.zip：讲话.txt 与本次上传的另一个文件同名，两个都已保留，这一个改名为“讲话（3）.txt”"
    ]


@pytest.mark.django_db(transaction=True)
def test_members_that_are_not_speeches_are_skipped_and_reported_at_upload(
    client, editor, tasks_run
):
    client.force_login(editor)
    nested = make_zip({"里面.txt": speech(TOPICS[1])})
    archive = make_zip(
        {
            "材料/讲话.txt": speech(TOPICS[0]),
            "材料/网页.html": f"<html><body><p>{speech(TOPICS[2])}</p></body></html>",
            "材料/setup.exe": b"MZ\x90\x00" + bytes(200),
            "材料/照片.png": b"\x89PNG\r\n\x1a\n" + bytes(200),
            "材料/更多.zip": nested,
            "材料/说明": "没有扩展名的文件".encode(),
            "材料/Thumbs.db": bytes(50),
        }
    )
    response = post(client, [upload_file("材料.zip", archive), upload_file("工具.exe", b"MZ")])
    batch, page = finished_page(client, response)

    assert states() == {"材料/讲话.txt": "done", "材料/网页.html": "done"}
    assert batch.items.count() == 2
    for shown in (
        "材料.zip：材料/setup.exe 不是可导入的讲话稿文件（只接受 .txt、.docx、.html），已跳过",
        "材料.zip：材料/照片.png 不是可导入的讲话稿文件",
        "材料.zip：材料/更多.zip 是压缩包中的压缩包，不会展开，已跳过",
        "材料.zip：材料/说明 不是可导入的讲话稿文件",
        "“工具.exe” 不是可导入的讲话稿文件",
    ):
        assert shown in page, shown
    assert "Thumbs.db" not in page  # clutter from Windows Explorer: left out without a word
    assert len(batch.notes) == 5


@pytest.mark.django_db
def test_a_submission_with_nothing_to_import_is_refused_with_each_reason(client, editor):
    client.force_login(editor)
    response = post(
        client,
        [
            upload_file("照片.png", b"\x89PNG\r\n\x1a\n"),
            upload_file("空.txt", b""),
            upload_file("bz2.zip", make_zip({"a.txt": b"x"}, compression=zipfile.ZIP_BZIP2)),
        ],
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "本次上传没有可导入的文件，未接收任何文件" in page
    assert "“照片.png” 不是可导入的讲话稿文件" in page
    assert "“空.txt” 是空文件，已跳过" in page
    assert "bz2.zip：a.txt 使用了不支持的压缩方式" in page
    assert not SourceDocument.objects.exists() and not UploadBatch.objects.exists()


# ------------------------------------------------------------------ finding 1: one job


def settings_router():
    app = Celery("probe", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    return app


def test_the_batch_job_runs_on_the_corpus_queue_beside_no_export():
    router = settings_router().amqp.router
    assert router.route({}, "corpus.ingest_batch")["queue"].name == settings.CELERY_CORPUS_QUEUE
    assert router.route({}, "exports.render")["queue"].name != settings.CELERY_CORPUS_QUEUE


@pytest.mark.django_db(transaction=True)
def test_one_submission_is_one_job_that_ingests_its_files_in_order_with_progress(
    client, editor, tasks_run, monkeypatch
):
    """Five documents from two files and a zip: one task queued, not five; the page shows the
    batch's progress, each file's outcome and why one failed."""
    queued = []
    delay = tasks.ingest_batch.delay

    def counted(*args, **kwargs):
        queued.append(args)
        return delay(*args, **kwargs)

    monkeypatch.setattr(tasks.ingest_batch, "delay", counted)
    client.force_login(editor)
    archive = make_zip(
        [
            ("批/丙.txt", speech(TOPICS[2])),
            ("批/丁.txt", "微信扫码\n领取福利\n"),
            ("批/戊.txt", speech(TOPICS[4])),
        ]
    )
    response = post(
        client,
        [
            upload_file("甲.txt", speech(TOPICS[0])),
            upload_file("乙.txt", speech(TOPICS[1])),
            upload_file("批.zip", archive),
        ],
    )
    batch, page = finished_page(client, response)

    assert queued == [(batch.pk,)]
    order = ["甲.txt", "乙.txt", "批/丙.txt", "批/丁.txt", "批/戊.txt"]
    items = list(batch.items.select_related("document"))
    assert [i.file_name for i in items] == order
    assert [i.state for i in items] == ["done", "done", "done", "failed", "done"]
    # Ingested one after another, in the order given.
    finished = [i.document.updated_at for i in items]
    assert finished == sorted(finished)
    failed = items[3]
    assert failed.message and failed.message == failed.document.error
    assert "已处理 <strong>5 / 5</strong> 个文件，其中 <strong>1</strong> 个失败" in page
    assert "导入完成" in page and failed.message in page
    assert "篇讲话" in items[0].message and items[0].message in page
    assert '<meta http-equiv="refresh"' not in page  # finished: no more refreshing
    assert batch.created_by == editor

    listing = client.get(UPLOAD_URL).content.decode()
    assert f"批次 {batch.pk}</a>" in listing and "5 / 5，1 个失败" in listing


@pytest.mark.django_db
def test_a_batch_being_ingested_shows_where_it_is_and_refreshes(client, editor):
    client.force_login(editor)
    batch = UploadBatch.objects.create(
        created_by=editor, notes=["“照片.png” 不是可导入的讲话稿文件"]
    )
    for position, (name, state) in enumerate(
        [("a.txt", "done"), ("b.txt", "failed"), ("c.txt", "processing"), ("d.txt", "pending")]
    ):
        BatchItem.objects.create(batch=batch, position=position, file_name=name, state=state)
    page = batch_page(client, batch)
    assert "正在依次导入" in page and "已处理 <strong>2 / 4</strong> 个文件" in page
    assert '<meta http-equiv="refresh" content="3">' in page
    assert "处理中" in page and "排队中" in page and "“照片.png” 不是可导入的讲话稿文件" in page


@pytest.mark.django_db
def test_a_run_hands_the_rest_of_its_batch_over_and_each_document_has_its_own_limit(
    editor, monkeypatch, settings
):
    """As in a worker (the task called, not applied eagerly): each document has its own time
    limit, and past the slice the run queues the rest of the batch instead of going on."""
    settings.CORPUS_TASK_SOFT_TIME_LIMIT = 1
    from django.core.files.uploadedfile import SimpleUploadedFile

    files = [
        ("长.txt", SimpleUploadedFile("长.txt", long_speech(400_000).encode())),
        ("短.txt", SimpleUploadedFile("短.txt", speech(TOPICS[0]).encode())),
        ("再.txt", SimpleUploadedFile("再.txt", speech(TOPICS[1]).encode())),
    ]
    handed_over = []
    monkeypatch.setattr(services, "batch_enqueue", handed_over.append)
    monkeypatch.setattr(tasks, "BATCH_SLICE_SECONDS", 0)
    batch = services.documents_upload(files, user=editor)

    assert tasks.ingest_batch(batch.pk) == "continued"  # one document, then hands over
    assert handed_over == [batch.pk]
    long_item = batch.items.get(position=0)
    assert long_item.state == "failed" and long_item.message.startswith("处理超时：")
    assert "超过 1 秒" in long_item.message and not long_item.document.skeletons.exists()
    assert batch.items.get(position=1).state == "pending"

    assert tasks.ingest_batch(batch.pk) == "continued"
    assert tasks.ingest_batch(batch.pk) == "done"
    assert list(batch.items.values_list("state", flat=True)) == ["failed", "done", "done"]
    batch.refresh_from_db()
    assert batch.finished_at is not None


@pytest.mark.django_db
def test_a_process_killed_at_the_hard_limit_fails_its_document_and_the_batch_goes_on(
    editor, monkeypatch
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    handed_over = []
    monkeypatch.setattr(services, "batch_enqueue", handed_over.append)
    files = [(n, SimpleUploadedFile(n, speech(t).encode())) for n, t in [("a.txt", TOPICS[0])]]
    files.append(("b.txt", SimpleUploadedFile("b.txt", speech(TOPICS[1]).encode())))
    batch = services.documents_upload(files, user=editor)
    stuck = batch.items.get(position=0)
    BatchItem.objects.filter(pk=stuck.pk).update(state="processing")
    SourceDocument.objects.filter(pk=stuck.document_id).update(state="processing")

    tasks.ingest_batch.on_failure(TimeLimitExceeded(160), "task-id", [batch.pk], {}, None)

    stuck.refresh_from_db()
    assert stuck.state == "failed" and stuck.message.startswith("处理超时：")
    assert stuck.document.state == "failed" and stuck.document.error == stuck.message
    assert batch.items.get(position=1).state == "pending"
    assert handed_over == [batch.pk]  # the rest goes on in a fresh process
