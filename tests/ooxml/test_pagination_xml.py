"""Pagination and heading fit in the XML: widow control, keep-with-next, tighter headings."""

from __future__ import annotations

from speechdraft.ooxml.body import Measure
from speechdraft.ooxml.model import Block, ExportDocument
from speechdraft.ooxml.render import render_docx
from tests.ooxml.test_docx import SPEECH, Package, w


def _on(package: Package, paragraph, tag: str) -> bool:
    """A toggle paragraph property in effect (direct or from the style chain)."""
    sources = [paragraph.find(w("pPr"))]
    sources += [s.find(w("pPr")) for s in package._chain(package.style_of(paragraph))]
    for props in sources:
        element = props.find(w(tag)) if props is not None else None
        if element is not None:
            return element.get(w("val"), "1") not in ("0", "false", "off")
    return False


def test_body_paragraphs_have_widow_control_and_headings_keep_with_next():
    package = Package(render_docx(SPEECH))
    body = package.paragraph("今年以来")
    run_in = package.paragraph("（一）以上率下示范干")
    assert _on(package, body, "widowControl") and _on(package, run_in, "widowControl")
    assert not _on(package, body, "keepNext")
    for start in ("一、坚定信心", "（二）真抓实干", "2.抓好招商引资", "（2）优化审批服务"):
        heading = package.paragraph(start)
        assert _on(package, heading, "keepNext") and _on(package, heading, "keepLines")
    title = package.paragraphs[0]
    assert _on(package, title, "keepNext") and _on(package, title, "keepLines")


def test_a_run_in_heading_without_text_keeps_with_the_next_paragraph():
    doc = ExportDocument(
        "标题",
        blocks=[
            Block("heading", 2, "（一）", "要以上率下示范干", run_in=True),
            Block("paragraph", body="正文。"),
        ],
    )
    package = Package(render_docx(doc))
    assert _on(package, package.paragraph("（一）要以上率下"), "keepNext")
    assert not _on(package, package.paragraph("正文。"), "keepNext")


LARGE = Measure(width=8844, size=440, spacing=0, indent=880)  # 18 + 20 per line
GONGWEN = Measure(width=8844, size=320, spacing=-6, indent=640)  # 26 + 28 per line


def test_a_heading_one_character_over_is_set_tighter():
    for measure, fits in ((LARGE, 18), (GONGWEN, 26)):
        assert measure.fitted_spacing("字" * fits) is None
        tighter = measure.fitted_spacing("字" * (fits + 1))
        assert tighter is not None and measure.spacing - measure.size // 10 <= tighter < 0
        assert (fits + 1) * (measure.size + tighter) <= measure.width - measure.indent
        assert measure.fitted_spacing("字" * (fits + 2)) is None  # two on the line: fine
    assert LARGE.fitted_spacing("字" * 39) is not None  # 18 + 20 + 1
    assert LARGE.fitted_spacing("字" * 40) is None


def test_the_tighter_spacing_is_on_the_heading_run_only():
    heading = "坚定信心准确把握当前经济运行新形势"  # 2 + 17 = 19: one over in the large copy
    doc = ExportDocument("标题", blocks=[Block("heading", 1, "一、", heading)])
    large = Package(render_docx(doc, profile="large"))
    run = large.runs(large.paragraph("一、"))[0]
    assert int(run.find(f"{w('rPr')}/{w('spacing')}").get(w("val"))) < 0
    gongwen = Package(render_docx(doc))
    assert gongwen.runs(gongwen.paragraph("一、"))[0].find(w("rPr")) is None
