"""CSV formula injection: library text that Excel/WPS would run as a formula is exported behind a
quote, and an export imported again gives back exactly the text that was exported."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from speechdraft.corpus.models import Paragraph
from speechdraft.library.models import Phrase, Tag

pytestmark = pytest.mark.django_db
PHRASES = "/admin/library/phrase/"
PARAGRAPHS = "/admin/corpus/paragraph/"

# One text per formula trigger: = + - @ tab CR.
DANGEROUS = [
    '=HYPERLINK("http://evil.example/x","点击查看")',
    "+86 热线电话要畅通",
    "-要坚持稳中求进",
    "@全体干部要带头",
    "\t要狠抓落实",
    "\r要担当作为",
]
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def rows_of(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


def as_upload(rows: list[dict[str, str]]) -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile("library.csv", ("\ufeff" + buffer.getvalue()).encode())


def test_phrase_export_neutralises_formulas_and_import_round_trips(curator, make_phrase):
    own_quote = ["'引号是原文的一部分", "'=原文就带着引号"]
    phrases = [make_phrase(text) for text in DANGEROUS + own_quote]
    tag = Tag.objects.create(name="=SUM(A1)")
    tag.phrases.add(phrases[0])

    rows = rows_of(curator.get(PHRASES + "export-csv/"))
    exported = {row["内容"] for row in rows}
    assert exported == {"'" + text for text in DANGEROUS} | {
        "'引号是原文的一部分",
        "''=原文就带着引号",
    }
    assert {row["标签"] for row in rows} == {"'=SUM(A1)", ""}
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(TRIGGERS), cell

    # Imported again as it is: every row matches its phrase, nothing changes.
    report = curator.post(PHRASES + "import-csv/", {"file": as_upload(rows)}).content.decode()
    assert f"未变化 {len(phrases)} 行" in report and "更新" not in report
    for phrase in phrases:
        before = phrase.text
        phrase.refresh_from_db()
        assert phrase.text == before
    assert [t.name for t in phrases[0].tags.all()] == ["=SUM(A1)"]

    # Into an empty library (no 编号): the same texts are created.
    Phrase.objects.all().delete()
    fresh = [{**row, "编号": ""} for row in rows]
    report = curator.post(PHRASES + "import-csv/", {"file": as_upload(fresh)}).content.decode()
    assert f"新建 {len(phrases)} 行" in report
    assert sorted(Phrase.objects.values_list("text", flat=True)) == sorted(DANGEROUS + own_quote)


def test_paragraph_export_neutralises_formulas_and_import_round_trips(curator, make_paragraph):
    paragraphs = [
        make_paragraph(text, heading=heading)
        for text, heading in zip(DANGEROUS, reversed(DANGEROUS), strict=True)
    ]
    rows = rows_of(curator.get(PARAGRAPHS + "export-csv/"))
    assert {row["内容"] for row in rows} == {"'" + text for text in DANGEROUS}
    assert {row["小标题"] for row in rows} == {"'" + text for text in DANGEROUS}

    report = curator.post(PARAGRAPHS + "import-csv/", {"file": as_upload(rows)}).content.decode()
    assert f"未变化 {len(paragraphs)} 行" in report and "更新" not in report
    for paragraph in paragraphs:
        stored = Paragraph.objects.get(pk=paragraph.pk)
        assert (stored.text, stored.heading) == (paragraph.text, paragraph.heading)


def test_a_phrase_with_slots_survives_export_and_import(curator, make_phrase):
    """The export writes {{ 地区 }} as 【地区】 (as a person reads it); importing reads it back as
    the slot, so the phrase still fills in its draft's region."""
    phrase = make_phrase("{{ 地区 }}要当好排头兵")
    rows = rows_of(curator.get(PHRASES + "export-csv/"))
    assert [row["内容"] for row in rows] == ["【地区】要当好排头兵"]
    report = curator.post(PHRASES + "import-csv/", {"file": as_upload(rows)}).content.decode()
    assert "未变化 1 行" in report
    phrase.refresh_from_db()
    assert phrase.text == "{{ 地区 }}要当好排头兵"


def test_an_id_that_is_not_a_number_is_reported_not_a_server_error(curator, make_phrase):
    make_phrase("要压实责任")
    rows = rows_of(curator.get(PHRASES + "export-csv/"))
    rows[0]["编号"] = "²"
    response = curator.post(PHRASES + "import-csv/", {"file": as_upload(rows)})
    assert response.status_code == 200 and "不是数字" in response.content.decode()
