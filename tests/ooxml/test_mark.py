"""A 征求意见稿 (export with placeholders) says so top right on its first page."""

from __future__ import annotations

from dataclasses import replace

from speechdraft.ooxml.render import render_docx
from tests.ooxml.test_docx import SPEECH, Package, font_and_size, office_reference, w


def test_the_mark_is_the_first_paragraph_right_aligned_in_heiti():
    package = Package(render_docx(replace(SPEECH, mark="征求意见稿")))
    first, title = package.paragraphs[:2]
    assert package.text(first) == "征求意见稿"
    assert package.style_of(first).find(w("name")).get(w("val")) == "讲话稿标注"
    assert package.paragraph_property(first, "jc", "val") == "right"
    assert package.style_of(first).find(f"{w('pPr')}/{w('keepNext')}") is not None
    assert font_and_size(package, first) == ("黑体", 32)
    assert package.text(title).startswith("在全市2024年经济工作会议")
    texts = [package.text(p) for p in package.paragraphs]
    assert texts.count("征求意见稿") == 1


def test_without_a_mark_nothing_changes():
    assert render_docx(replace(SPEECH, mark=None)) == render_docx(SPEECH)
    assert render_docx(replace(SPEECH, mark="  ")) == render_docx(SPEECH)


def test_an_office_reference_without_the_mark_style_still_marks_top_right(tmp_path):
    data = render_docx(replace(SPEECH, mark="征求意见稿"), reference=office_reference(tmp_path))
    package = Package(data)
    first = package.paragraphs[0]
    assert package.text(first) == "征求意见稿"
    assert first.find(f"{w('pPr')}/{w('jc')}").get(w("val")) == "right"
