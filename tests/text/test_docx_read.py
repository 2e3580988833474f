"""Reading a Word file for a draft: paragraphs, and the leader's changes and comments placed in
each paragraph's original text."""

import io
import zipfile

import pytest

from speechdraft.text.docx_read import COMMENT, DELETE, INSERT, links_out, read_docx
from speechdraft.text.errors import IngestError
from tests.marked_docx import (
    ENCRYPTED,
    Del,
    Ins,
    Note,
    marked_docx,
    reply_in_word,
    with_external_link,
    with_macros,
)


def test_it_reads_paragraphs_in_order():
    content = read_docx(marked_docx([["同志们："], ["今天召开会议。"]]), "a.docx")
    assert [p.original for p in content.paragraphs] == ["同志们：", "今天召开会议。"]
    assert content.unplaced == []


def test_it_places_an_insertion_at_its_offset_in_the_original_text():
    content = read_docx(marked_docx([["要加快", Ins("推进"), "改革。"]]), "a.docx")
    (p,) = content.paragraphs
    assert p.original == "要加快改革。"
    (change,) = p.changes
    assert (change.kind, change.offset, change.length, change.text) == (INSERT, 3, 0, "推进")
    assert (change.author, change.date) == ("王局长", "2026-11-20T09:30:00Z")
    assert change.before == "要加快" and change.after == "改革。"
    assert p.revised == "要加快推进改革。"


def test_a_deletion_stays_in_the_original_text_with_its_span():
    content = read_docx(marked_docx([["坚决", Del("彻底"), "落实。"]]), "a.docx")
    (p,) = content.paragraphs
    assert p.original == "坚决彻底落实。"
    (change,) = p.changes
    assert (change.kind, change.offset, change.length, change.anchor) == (DELETE, 2, 2, "彻底")
    assert p.revised == "坚决落实。"


def test_a_comment_spans_the_words_it_is_on():
    content = read_docx(marked_docx([["全年", Note("增长8%", "数字请核实"), "以上。"]]), "a.docx")
    (p,) = content.paragraphs
    (change,) = p.changes
    assert (change.kind, change.offset, change.length) == (COMMENT, 2, 4)
    assert (change.anchor, change.text, change.author) == ("增长8%", "数字请核实", "王局长")
    assert p.revised == p.original


@pytest.mark.parametrize("marks", [True, False])
def test_a_word_answer_names_the_comment_it_answers_and_the_thread_done(marks):
    file = marked_docx([["全年", Note("增长8%", "数字请核实"), "以上。"]])
    answered = reply_in_word(file, "数字请核实", "已核实", author="统计科", done=True, marks=marks)
    (p,) = read_docx(answered, "a.docx").paragraphs
    comment, answer = p.changes
    assert (comment.text, comment.answers, comment.done) == ("数字请核实", "", True)
    assert (answer.text, answer.author, answer.answers) == ("已核实", "统计科", comment.comment_id)
    assert (answer.offset, answer.length, answer.anchor) == (2, 4, "增长8%")  # its comment's words


def test_offsets_count_deleted_text_and_not_inserted_text():
    content = read_docx(
        marked_docx([["一", Ins("甲乙"), "二", Del("三四"), "五", Note("六", "注")]]), "a.docx"
    )
    (p,) = content.paragraphs
    assert p.original == "一二三四五六"
    assert [(c.kind, c.offset, c.length) for c in p.changes] == [
        (INSERT, 1, 0),
        (DELETE, 2, 2),
        (COMMENT, 5, 1),
    ]
    assert p.revised == "一甲乙二五六"


def test_a_paragraph_that_is_all_insertion_has_no_original_text():
    content = read_docx(marked_docx([["第一段。"], [Ins("新增的一段。")]]), "a.docx")
    assert content.paragraphs[1].original == ""
    assert content.paragraphs[1].revised == "新增的一段。"


def test_tables_are_listed_as_not_placed():
    data = marked_docx([["正文。"]], tables=[["指标", "完成值"]])
    content = read_docx(data, "a.docx")
    assert [p.original for p in content.paragraphs] == ["正文。"]
    assert len(content.unplaced) == 1 and "表格" in content.unplaced[0]
    assert "指标" in content.unplaced[0]


def _broken_zip() -> bytes:
    good = marked_docx([["正文。"]])
    return good[: len(good) // 2]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ("同志们：今天开会。".encode(), "不是 zip 格式"),
        (b"", "空文件"),
        (ENCRYPTED, "已加密"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "旧版 Office"),
    ],
)
def test_files_that_are_not_word_documents_are_refused_in_chinese(data, words):
    with pytest.raises(IngestError) as caught:
        read_docx(data, "讲话.docx")
    assert words in caught.value.message and "讲话.docx" in caught.value.message


def test_a_damaged_zip_is_refused():
    with pytest.raises(IngestError) as caught:
        read_docx(_broken_zip(), "讲话.docx")
    assert "损坏" in caught.value.message or "不是有效" in caught.value.message


def test_macros_are_refused():
    with pytest.raises(IngestError) as caught:
        read_docx(with_macros(marked_docx([["正文。"]])), "讲话.docx")
    assert "宏" in caught.value.message


def test_external_relationships_are_refused():
    with pytest.raises(IngestError) as caught:
        read_docx(with_external_link(marked_docx([["正文。"]])), "讲话.docx")
    assert "外部的链接" in caught.value.message


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"<a/>" + b" " * (110 * 1024 * 1024))
    with pytest.raises(IngestError) as caught:
        read_docx(buffer.getvalue(), "讲话.docx")
    assert "压缩炸弹" in caught.value.message


def test_links_out_sees_urls_shares_and_external_mode():
    assert links_out("External", "media/a.png")
    assert links_out(None, "http://x.invalid")
    assert links_out(None, "\\\\host\\share\\t.dotx")
    assert not links_out(None, "media/image1.png")


def test_changes_in_headers_and_images_are_listed_as_not_placed():
    import docx
    from lxml import etree

    from tests.marked_docx import W

    document = docx.Document(io.BytesIO(marked_docx([["正文。"]])))
    header = document.sections[0].header.paragraphs[0]._p
    ins = etree.SubElement(header, f"{{{W}}}ins")
    ins.set(f"{{{W}}}author", "王局长")
    run = etree.SubElement(ins, f"{{{W}}}r")
    etree.SubElement(run, f"{{{W}}}t").text = "内部资料"
    body_run = document.paragraphs[0]._p.find(f"{{{W}}}r")
    etree.SubElement(body_run, f"{{{W}}}drawing")
    buffer = io.BytesIO()
    document.save(buffer)
    content = read_docx(buffer.getvalue(), "a.docx")
    assert content.paragraphs[0].original == "正文。"
    assert any("页眉中的修订（插入）：内部资料" in note for note in content.unplaced)
    assert any(note.startswith("图片 1 张") for note in content.unplaced)
