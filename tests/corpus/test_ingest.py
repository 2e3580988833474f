"""Ingestion through the CLI and the storage service, on the real database."""

import io
import json
import time
from pathlib import Path

import pytest
from django.core.management import call_command

from speechdraft.corpus.models import Paragraph, Section, Skeleton, SourceDocument, Term
from speechdraft.corpus.services import document_ingest
from speechdraft.library.models import Phrase, PhraseSource

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "corpus"
SAMPLES = sorted(CORPUS.glob("*.txt"))


def run_ingest(*args, **options) -> tuple[str, str, int]:
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("ingest", *args, stdout=out, stderr=err, **options)
    except SystemExit as exc:
        code = exc.code
    return out.getvalue(), err.getvalue(), code


def counts() -> tuple[int, ...]:
    return tuple(
        m.objects.count() for m in (SourceDocument, Skeleton, Section, Paragraph, PhraseSource)
    )


def check_section(section: dict, level: int) -> None:
    assert set(section) == {"number", "heading", "role", "paragraphs", "children"}
    assert section["number"] is None or isinstance(section["number"], str)
    assert isinstance(section["heading"], str) and section["heading"]
    if level == 1:
        assert section["role"] in {"situation", "tasks", "style", "other"}
    else:
        assert section["role"] is None
    assert all(isinstance(p, str) and p for p in section["paragraphs"])
    for child in section["children"]:
        check_section(child, level + 1)


def test_dry_run_json_matches_the_schema_and_writes_nothing():
    out, err, code = run_ingest(str(CORPUS), dry_run=True, json=True)
    assert code == 0, err
    lines = out.strip().splitlines()
    assert len(lines) == len(SAMPLES)
    for line, path in zip(lines, SAMPLES, strict=True):
        doc = json.loads(line)
        assert set(doc) == {"file", "encoding", "script", "removed", "speeches"}
        assert doc["file"] == path.name
        assert doc["script"] in {"simplified", "traditional"}
        assert all(isinstance(r, str) for r in doc["removed"])
        assert doc["speeches"]
        for speech in doc["speeches"]:
            assert set(speech) == {
                "title",
                "speaker",
                "date",
                "salutation",
                "opening",
                "sections",
                "closing",
                "incomplete",
            }
            assert all(isinstance(r, str) and r for r in speech["incomplete"])
            assert speech["title"]
            assert all(isinstance(p, str) for p in speech["opening"] + speech["closing"])
            for section in speech["sections"]:
                check_section(section, 1)
    assert counts() == (0, 0, 0, 0, 0)


def test_ingest_stores_skeletons_paragraphs_and_phrases():
    out, err, code = run_ingest(str(CORPUS))
    assert code == 0, err
    assert out.count("已导入") == len(SAMPLES)
    assert SourceDocument.objects.filter(state="done").count() == len(SAMPLES)
    assert Skeleton.objects.count() == 10  # 000 is a compilation of six speeches
    compilation = SourceDocument.objects.get(file_name=SAMPLES[0].name)
    assert compilation.skeletons.count() == 6
    assert not any("##paid" in line for line in compilation.clean_text.splitlines())

    traditional = SourceDocument.objects.get(file_name=SAMPLES[3].name)
    assert traditional.script == "traditional"
    speech = traditional.skeletons.get()
    parts = list(speech.sections.filter(level=1).order_by("position"))
    assert [p.role for p in parts] == ["situation", "tasks", "style"]
    assert parts[1].children.count() == 9
    assert "講" not in "".join(
        Paragraph.objects.filter(skeleton=speech).values_list("text", flat=True)
    )

    # Paragraphs carry their part's role, their heading and jieba keywords.
    tasks = Paragraph.objects.filter(skeleton=speech, role="tasks")
    assert tasks.exists()
    assert all(p.keywords for p in tasks)
    assert Paragraph.objects.filter(role="opening").exists()
    assert Paragraph.objects.filter(role="closing").exists()
    assert Phrase.objects.filter(kind="slogan").exists()
    assert Term.objects.filter(origin="mined").exists()


def test_reingesting_the_same_bytes_changes_nothing():
    run_ingest(str(CORPUS))
    before = counts()
    ids = list(Paragraph.objects.values_list("id", flat=True))
    out, _, code = run_ingest(str(CORPUS))
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == ["未变化"] * len(SAMPLES)
    assert counts() == before
    assert list(Paragraph.objects.values_list("id", flat=True)) == ids


def test_approve_on_files_imported_before_approves_what_still_waits():
    path = str(SAMPLES[2])
    run_ingest(path)
    speech = Skeleton.objects.get(document__file_name=SAMPLES[2].name)
    assert speech.status == "candidate" and not speech.incomplete
    rejected = Phrase.objects.filter(owner__isnull=True).order_by("pk").first()
    Phrase.objects.filter(pk=rejected.pk).update(status="rejected")  # a curator's decision
    paragraphs = Paragraph.objects.filter(status="candidate").count()
    phrases = Phrase.objects.filter(status="candidate", owner__isnull=True).count()
    assert paragraphs and phrases

    out, err, code = run_ingest(path, approve=True)
    assert code == 0, err
    assert out.startswith(f"未变化 {SAMPLES[2].name}：已导入过")
    assert f"已采用 1 个讲话骨架、{paragraphs} 个段落、{phrases} 条短语" in out
    speech.refresh_from_db()
    assert speech.status == "approved"
    assert set(Paragraph.objects.values_list("status", flat=True)) == {"approved"}
    rejected.refresh_from_db()
    assert rejected.status == "rejected"  # stays as the curator decided

    out, _, _ = run_ingest(path, approve=True)
    assert "没有待审核的内容需要采用" in out


def test_a_changed_file_updates_in_place():
    data = SAMPLES[2].read_bytes()
    first = document_ingest(file_name="speech.txt", data=data)
    assert first.outcome == "created"
    before = counts()
    changed = data.replace("上下同心抓发展".encode(), "上下一心抓发展".encode())
    second = document_ingest(file_name="speech.txt", data=changed)
    assert second.outcome == "updated"
    assert second.document.pk == first.document.pk
    assert counts() == before
    headings = Section.objects.values_list("heading", flat=True)
    assert "上下一心抓发展" in headings and "上下同心抓发展" not in headings


def test_same_bytes_under_another_name_are_not_duplicated():
    data = SAMPLES[1].read_bytes()
    document_ingest(file_name="a.txt", data=data)
    before = counts()
    result = document_ingest(file_name="copy-of-a.txt", data=data)
    assert result.outcome == "unchanged"
    assert counts() == before


BAD_INPUTS = {
    "empty.txt": b"",
    "binary.txt": bytes(range(256)) * 40,
    "undecodable.txt": "同志们".encode() + b"\xff\xfe\xfa\x80\x81" * 200,
    "fake.docx": b"PK\x03\x04 this is not really a word file",
    "junk.txt": "微信扫码领取福利\n下载全文\n推荐度：\n上一篇\n下一篇\n".encode(),
    "image.png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 100,
}


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_bad_input_gets_a_chinese_error_and_stores_nothing(name):
    result = document_ingest(file_name=name, data=BAD_INPUTS[name])
    assert result.outcome == "failed"
    assert name in result.message
    assert any("\u4e00" <= ch <= "\u9fff" for ch in result.message)
    assert counts() == (0, 0, 0, 0, 0)


def test_a_bad_file_does_not_break_the_batch(tmp_path):
    for name, data in BAD_INPUTS.items():
        (tmp_path / name).write_bytes(data)
    good = tmp_path / "good.txt"
    good.write_bytes(SAMPLES[2].read_bytes())
    out, err, code = run_ingest(str(tmp_path))
    assert code == 1
    assert "已导入 good.txt" in out
    for name in BAD_INPUTS:
        assert any(line.startswith("导入失败：") and name in line for line in err.splitlines())
    assert list(SourceDocument.objects.values_list("file_name", flat=True)) == ["good.txt"]


def test_a_50_mb_file_is_refused_without_reading_it(tmp_path):
    big = tmp_path / "huge.txt"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    started = time.monotonic()
    out, _, code = run_ingest(str(big), json=True)
    assert time.monotonic() - started < 5
    assert code == 1
    assert json.loads(out)["error"] == "文件“huge.txt”超过 20 MB 上限，未导入"
    assert counts() == (0, 0, 0, 0, 0)


def test_one_transaction_per_document(monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("database went away mid-write")

    monkeypatch.setattr(Paragraph.objects, "bulk_create", explode)
    with pytest.raises(RuntimeError):
        document_ingest(file_name="x.txt", data=SAMPLES[2].read_bytes())
    assert counts() == (0, 0, 0, 0, 0)


def test_missing_path_is_a_clear_command_error():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="找不到文件或目录"):
        call_command("ingest", "/no/such/place")
