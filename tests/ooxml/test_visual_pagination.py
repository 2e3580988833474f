"""Pagination and line breaking seen on the page (LibreOffice PDF, text per page): no widowed
or orphaned line, no heading leaving one character on a line, the 征求意见稿 mark top right."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree

from speechdraft.ooxml.model import Block, ExportDocument
from speechdraft.ooxml.render import render_docx
from tests.ooxml.test_visual import convert_to_pdf, page_count, page_lines

pytestmark = pytest.mark.slow

_TEXT = "经济发展质量效益稳步提升产业结构持续优化升级创新驱动能力不断增强" * 20


def lines_of(count: int) -> str:
    """A paragraph of exactly ``count`` lines of 28 (no punctuation moves a character)."""
    return _TEXT[: 26 + 28 * (count - 1)]


RUN_IN = Block("heading", 2, "（一）", "要以上率下示范干", _TEXT[:71], run_in=True)
# Found by experiment: without widow and orphan control, the fourth paragraph leaves its last
# line alone at the top of page 2, the run-in heading its first line alone at the foot of it.
PAGINATED = ExportDocument(
    title="在全市2024年经济工作会议暨优化营商环境大会上的讲话",
    speaker="市长 张三",
    salutation="同志们：",
    blocks=[
        *[Block("paragraph", body=lines_of(5)) for _ in range(3)],
        Block("paragraph", body=lines_of(3)),
        *[Block("paragraph", body=lines_of(5)) for _ in range(4)],
        RUN_IN,
        *[Block("paragraph", body=lines_of(4)) for _ in range(5)],
    ],
)
# One character over the first line (18 in the large copy, 26 in the 公文 one), and over a
# second full line: without the fix the last character stands alone on the next line.
H19 = "一、坚定信心准确把握当前经济运行新形势"
H39 = "二、突出重点全力推动经济社会高质量发展持续提升人民群众获得感安全感幸福感和满意度"
H27 = "三、坚持问题导向全力推动经济社会高质量发展取得更大成效"
HEADINGS = ExportDocument(
    title="奋力开创高质量发展新局面",
    blocks=[
        part
        for heading in (H19, H39, H27)
        for part in (
            Block("heading", 1, heading[:2], heading[2:]),
            Block("paragraph", body="正文。"),
        )
    ],
)
MARKED = replace(PAGINATED, mark="征求意见稿")


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    documents = {
        "paginated": render_docx(PAGINATED),
        "headings-large": render_docx(HEADINGS, profile="large"),
        "headings-gongwen": render_docx(HEADINGS),
        "marked": render_docx(MARKED),
    }
    sources = convert_to_pdf(tmp_path_factory.mktemp("pagination"), documents)
    return {path.stem: path.with_suffix(".pdf") for path in sources}


def paragraph_pages(pdf: Path, texts: list[str]) -> list[list[tuple[int, int]]]:
    """For each paragraph (its text, in order): (page, lines on that page) of its lines."""
    stream = []
    for page in range(1, page_count(pdf) + 1):
        lines, _number = page_lines(pdf, page)
        stream += [(page, line) for line in lines]
    at = next(i for i, (_page, line) in enumerate(stream) if texts[0].startswith(line))
    out = []
    for text in texts:
        seen, pages = "", {}
        while seen != text:
            page, line = stream[at]
            at += 1
            assert text.startswith(seen + line), (text[:20], line)
            seen += line
            pages[page] = pages.get(page, 0) + 1
        out.append(sorted(pages.items()))
    return out


def words(pdf: Path, page: int) -> tuple[float, float, list[tuple[str, float, float, float]]]:
    """Page width, height and (word, x centre, y centre, height) from the text layer (pt)."""
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        check=True,
    ).stdout
    node = etree.fromstring(html, etree.HTMLParser(encoding="utf-8")).find(".//page")
    found = []
    for word in node.iter("word"):
        x0, x1 = float(word.get("xmin")), float(word.get("xmax"))
        y0, y1 = float(word.get("ymin")), float(word.get("ymax"))
        found.append((word.text or "", (x0 + x1) / 2, (y0 + y1) / 2, y1 - y0))
    return float(node.get("width")), float(node.get("height")), found


def block_text(block: Block) -> str:
    return block.number + block.heading + "。" + block.body if block.run_in else block.body


def test_no_page_starts_or_ends_with_a_lone_line_of_a_paragraph(pdfs):
    splits = paragraph_pages(pdfs["paginated"], [block_text(b) for b in PAGINATED.blocks])
    assert page_count(pdfs["paginated"]) >= 3
    assert any(len(pages) > 1 for pages in splits)  # paragraphs do cross pages
    lone = [
        (k, pages)
        for k, pages in enumerate(splits)
        if len(pages) > 1 and min(count for _page, count in pages) == 1
    ]
    assert lone == []
    run_in = splits[PAGINATED.blocks.index(RUN_IN)]
    assert run_in[0][1] >= 2  # the run-in heading's first line is not alone at a page's foot


@pytest.mark.parametrize("name", ["headings-large", "headings-gongwen"])
def test_no_heading_leaves_a_single_character_on_its_last_line(pdfs, name):
    lines, _number = page_lines(pdfs[name], 1)
    heading_lines = {}
    for heading in (H19, H39, H27):
        start = next(i for i, line in enumerate(lines) if heading.startswith(line))
        taken, seen = [], ""
        while seen != heading:
            seen += lines[start + len(taken)]
            taken.append(lines[start + len(taken)])
        heading_lines[heading] = taken
        assert min(map(len, taken)) > 1, taken
    if name == "headings-large":
        assert len(heading_lines[H19]) == 1  # set a little tighter instead


def test_the_large_copy_sets_the_title_larger_than_the_text(pdfs):
    _width, _height, found = words(pdfs["headings-large"], 1)
    heights = {text[:1]: height for text, _x, _y, height in reversed(found)}
    assert heights["奋"] > heights["正"] * 1.1  # 一号 over 二号


def test_a_draft_for_comment_is_marked_top_right_on_its_first_page(pdfs):
    lines, _number = page_lines(pdfs["marked"], 1)
    assert lines[0] == "征求意见稿"
    width, height, found = words(pdfs["marked"], 1)
    x, y = next((x, y) for text, x, y, _h in found if text == "征求意见稿")
    assert x > width * 0.7 and y < height * 0.2
    for page in range(2, page_count(pdfs["marked"]) + 1):
        assert "征求意见稿" not in page_lines(pdfs["marked"], page)[0]
