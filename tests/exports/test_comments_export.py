"""导出Word with 附带批注: the draft's open comments become Word's own comments (批注) on the
words they concern, their answers threaded under them as Word's 回复; without the option the
file is as before."""

import io
import re
import zipfile

import pytest
from lxml import etree

from speechdraft.drafts import services
from speechdraft.drafts.comments import comment_answer, comment_resolve
from speechdraft.exports.models import ExportJob
from speechdraft.exports.services import export_request, job_run, render_bytes
from tests.drafts.test_comments import add
from tests.exports.test_jobs import filled_draft

pytestmark = pytest.mark.django_db
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
W15 = "{http://schemas.microsoft.com/office/word/2012/wordml}"
BODY = "要坚持稳中求进工作总基调，全年{{ 地区 }}经济增长8%以上。\n要压实安全生产责任。"


@pytest.fixture
def draft(alice):
    draft = filled_draft(alice)
    part = draft.items.filter(numbered=True).order_by("position").first()
    services.draft_item_update(
        draft, user=alice, version=None, item_id=part.pk, heading="稳住经济大盘", body=BODY
    )
    draft.refresh_from_db()
    return draft


def comment(draft, user, words, text, field="body"):
    """A 批注 on `words` of the first part's text (as the editor's selection sends it)."""
    return add(draft, user, words=words, text=text, field=field)


def word_comments(data: bytes) -> dict[str, dict]:
    """Comment id → its author, initials, text, the words of the body it spans, and the id of
    the comment it answers as Word threads them (paragraph ids in commentsExtended.xml)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        notes = etree.fromstring(zf.read("word/comments.xml"))
        body = etree.fromstring(zf.read("word/document.xml"))
        types = zf.read("[Content_Types].xml").decode()
        rels = zf.read("word/_rels/document.xml.rels").decode()
        extended = etree.fromstring(zf.read("word/commentsExtended.xml"))
    assert "/word/comments.xml" in types and "relationships/comments" in rels
    assert "/word/commentsExtended.xml" in types and "relationships/commentsExtended" in rels
    found, by_para = {}, {}
    for note in notes.iter(f"{W}comment"):
        paragraphs = list(note.iter(f"{W}p"))
        texts = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in paragraphs]
        by_para[paragraphs[-1].get(f"{W14}paraId")] = note.get(f"{W}id")
        found[note.get(f"{W}id")] = {
            "author": note.get(f"{W}author"),
            "initials": note.get(f"{W}initials"),
            "date": note.get(f"{W}date"),
            "text": "\n".join(texts),
            "words": "",
            "answers": None,
        }
    entries = list(extended.iter(f"{W15}commentEx"))
    assert {e.get(f"{W15}paraId") for e in entries} == set(by_para)  # every comment, once
    for entry in entries:
        parent = entry.get(f"{W15}paraIdParent")
        if parent is not None:
            found[by_para[entry.get(f"{W15}paraId")]]["answers"] = by_para[parent]
    open_ids: set[str] = set()
    for element in body.iter():
        if element.tag == f"{W}commentRangeStart":
            open_ids.add(element.get(f"{W}id"))
        elif element.tag == f"{W}commentRangeEnd":
            open_ids.discard(element.get(f"{W}id"))
        elif element.tag == f"{W}t":
            for comment_id in open_ids:
                found[comment_id]["words"] += element.text or ""
    references = {e.get(f"{W}id") for e in body.iter(f"{W}commentReference")}
    assert references == set(found)  # each comment is referred to from the body
    return found


def test_open_comments_are_word_comments_on_their_words(draft, alice, bob):
    bob.last_name, bob.first_name = "王", "审阅"
    bob.save()
    number = comment(draft, bob, "经济增长8%", "数字请核实")
    comment_answer(number, user=alice, text="已与统计局核实。")
    comment(draft, bob, "经济大盘", "改为“经济基本盘”", field="heading")
    comment(draft, bob, "全年{{ 地区 }}经济", "地区不要写")
    settled = comment(draft, bob, "压实", "已改")
    comment_resolve(settled, user=alice, resolved=True)  # resolved: not in the file

    data = render_bytes(draft, draft.version, profile="gongwen", placeholders=False, comments=True)
    found = word_comments(data)
    notes = sorted(found.values(), key=lambda n: n["text"])
    assert [n["text"] for n in notes] == [
        "地区不要写",
        "已与统计局核实。",
        "改为“经济基本盘”",
        "数字请核实",
    ]
    region, answer, heading, number_note = notes
    # The answer is Word's own 回复 in the comment's thread, on the same words, by its author.
    assert found[answer["answers"]] is number_note
    assert [n["answers"] for n in (region, heading, number_note)] == [None, None, None]
    assert (answer["words"], answer["author"]) == ("经济增长8%", "alice")
    assert region["words"] == "全年江城经济"  # overlapping comments each keep their words
    # The words as the file reads them: the slot filled in (江城), the heading after its number.
    assert number_note["words"] == "经济增长8%"
    assert heading["words"] == "经济大盘"
    assert (number_note["author"], number_note["initials"]) == ("王审阅", "王")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", number_note["date"])


def test_a_comment_whose_words_changed_is_at_the_start_of_its_paragraph(draft, alice, bob):
    comment(draft, bob, "压实安全生产责任", "要具体")
    item = draft.items.filter(numbered=True).order_by("position").first()
    services.draft_item_update(
        draft, user=alice, version=None, item_id=item.pk, heading=item.heading, body="要抓落实。"
    )
    draft.refresh_from_db()
    data = render_bytes(draft, draft.version, profile="gongwen", placeholders=False, comments=True)
    (note,) = word_comments(data).values()
    assert note["text"] == "（原文已修改，批注的原文：“压实安全生产责任”）\n要具体"
    assert note["words"] == ""


def test_without_the_option_the_file_is_as_it_was(draft, bob):
    def parts(data):
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return {
                name: zf.read(name)
                for name in zf.namelist()
                if name != "docProps/core.xml"  # the export's own time
            }

    before = parts(render_bytes(draft, draft.version, profile="gongwen", placeholders=False))
    comment(draft, bob, "经济增长8%", "数字请核实")
    plain = parts(render_bytes(draft, draft.version, profile="gongwen", placeholders=False))
    assert plain == before
    assert "word/comments.xml" not in plain
    assert b"commentRangeStart" not in plain["word/document.xml"]


def test_the_option_is_carried_by_the_job(draft, alice, bob):
    comment(draft, bob, "经济增长8%", "数字请核实")
    job = export_request(draft=draft, user=alice, profile="gongwen", comments=True)
    assert job.comments and job.download_name().endswith("（附批注）.docx")
    assert job_run(job.pk) == "done"
    job.refresh_from_db()
    with job.file.open("rb") as handle:
        (note,) = word_comments(handle.read()).values()
    assert note["text"] == "数字请核实"
    # A comment made after the file was written: the next request writes a new file.
    comment(draft, bob, "压实", "再补充")
    again = export_request(draft=draft, user=alice, profile="gongwen", comments=True)
    assert again.pk != job.pk
    plain = export_request(draft=draft, user=alice, profile="gongwen")
    assert not plain.comments and plain.pk not in (job.pk, again.pk)
    assert ExportJob.objects.filter(comments=True).count() == 2


def test_the_editor_offers_the_option_and_the_view_takes_it(client, draft, alice):
    client.force_login(alice)
    page = client.get(f"/drafts/{draft.pk}/").content.decode()
    assert 'name="comments" value="1"' in page and "附带批注" in page
    response = client.post(
        f"/drafts/{draft.pk}/export/",
        {"profile": "gongwen", "format": "docx", "comments": "1"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code in (200, 286)
    assert ExportJob.objects.get().comments
