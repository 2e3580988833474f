"""Lay a rendered speech out with LibreOffice and check the page from the PDF's text layer.

Line counts depend on the exact line pitch, not on the face, so the Noto CJK substitutes hold
22 lines of 28 characters like the licensed faces do. Page images for a person to look at are
written to ``test-artifacts/exports/``.
"""

from __future__ import annotations

import datetime
import math
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from speechdraft.exports.pdf import convert, program_for
from speechdraft.ooxml.model import Block, ExportDocument
from speechdraft.ooxml.render import render_docx
from tests.conftest import skip_missing

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "exports"
SOFFICE = program_for("")
POPPLER = shutil.which("pdftotext") and shutil.which("pdftoppm")

TITLE = "在全市2024年经济工作会议暨优化营商环境大会上的讲话"  # two title lines
HEADING = "一、坚定信心准确把握当前经济形势"
PARAGRAPHS = 30
# No punctuation, so no line-breaking rule moves a character: 26 + 3 × 28 = four full lines.
_TEXT = "经济发展质量效益稳步提升产业结构持续优化升级创新驱动能力不断增强" * 4
PARAGRAPH = _TEXT[:110]

SPEECH = ExportDocument(
    title=TITLE,
    speaker="市长 张三",
    date=datetime.date(2024, 3, 5),
    salutation="同志们：",
    blocks=[
        Block("heading", 1, "一、", HEADING[2:]),
        Block("heading", 2, "（一）", "以上率下示范干", PARAGRAPH[:82], run_in=True),
        *[Block("paragraph", body=PARAGRAPH) for _ in range(PARAGRAPHS)],
        Block("heading", 1, "二、", "突出重点全力推动高质量发展"),
        Block("paragraph", body=PARAGRAPH[:40]),
    ],
)


def expected_lines(chars_per_line: int) -> int:
    """Grid lines the speech takes: head block, then every paragraph wrapped at the grid."""

    def wrapped(length: int) -> int:
        first = chars_per_line - 2  # two-character first-line indent
        return 1 if length <= first else 1 + math.ceil((length - first) / chars_per_line)

    head = 2 + 1 + 1 + 1 + 1  # title (two lines), speaker, date, blank line, salutation
    body = wrapped(len(HEADING))
    body += wrapped(len("（一）以上率下示范干。") + 82)
    body += PARAGRAPHS * wrapped(len(PARAGRAPH))
    body += wrapped(len("二、突出重点全力推动高质量发展")) + wrapped(40)
    return head + body


def convert_to_pdf(work: Path, documents: dict[str, bytes]) -> list[Path]:
    """Each .docx (name → bytes) written to `work` and converted as the PDF export converts it
    (exports/pdf.py), the CJK substitutes preferred so the layout is the same on every
    machine; the .docx paths, each beside its .pdf. Skips the test when LibreOffice or poppler
    is missing."""
    if SOFFICE is None:
        skip_missing("LibreOffice")
    if not POPPLER:
        skip_missing("poppler-utils")
    sources = []
    for name, data in documents.items():
        path = work / f"{name}.docx"
        path.write_bytes(data)
        sources.append(path)
    convert(sources, work, program=SOFFICE, timeout=300, prefer=True)
    return sources


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    work = tmp_path_factory.mktemp("visual")
    sources = convert_to_pdf(
        work, {profile: render_docx(SPEECH, profile=profile) for profile in ("gongwen", "large")}
    )
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    out = {}
    for source in sources:
        pdf = source.with_suffix(".pdf")
        assert pdf.exists(), f"LibreOffice wrote no PDF for {source.name}"
        shutil.copy(source, ARTIFACTS)
        shutil.copy(pdf, ARTIFACTS)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", str(pdf), str(ARTIFACTS / source.stem)],
            check=True,
            timeout=120,
        )
        out[source.stem] = pdf
    return out


PAGE_NUMBER = re.compile(r"^—\s*(\d+)\s*—$")


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))


def page_lines(pdf: Path, page: int) -> tuple[list[str], str | None]:
    """Text lines of one page (spaces removed) and its page number."""
    text = subprocess.run(
        ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    lines = [re.sub(r"\s+", "", line) for line in text.splitlines() if line.strip()]
    number = None
    if lines and PAGE_NUMBER.match(lines[-1]):
        number = PAGE_NUMBER.match(lines.pop()).group(1)
    return lines, number


def words(pdf: Path, page: int) -> tuple[float, float, list[tuple[str, float, float]]]:
    """Page width, height and (word, x centre, y centre) from the PDF text layer, in points."""
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        check=True,
    ).stdout
    root = etree.fromstring(html, etree.HTMLParser())
    node = root.find(".//page")
    found = [
        (
            word.text or "",
            (float(word.get("xmin")) + float(word.get("xmax"))) / 2,
            (float(word.get("ymin")) + float(word.get("ymax"))) / 2,
        )
        for word in node.iter("word")
    ]
    return float(node.get("width")), float(node.get("height")), found


def test_a_full_body_page_holds_22_lines_of_28_characters(pdfs):
    lines, number = page_lines(pdfs["gongwen"], 2)
    assert number == "2"
    assert len(lines) == 22
    assert max(map(len, lines)) == 28
    assert sum(len(line) == 28 for line in lines) >= 15  # all but first lines of paragraphs


def test_the_page_count_follows_the_text_length(pdfs):
    total = expected_lines(28)
    assert page_count(pdfs["gongwen"]) == math.ceil(total / 22)
    for page in range(1, page_count(pdfs["gongwen"])):
        lines, _number = page_lines(pdfs["gongwen"], page)
        assert len(lines) <= 22


def test_the_head_block_is_laid_out_on_page_one(pdfs):
    lines, number = page_lines(pdfs["gongwen"], 1)
    assert number == "1"
    assert lines[:5] == [
        "在全市2024年经济工作会议",
        "暨优化营商环境大会上的讲话",
        "市长张三",
        "（2024年3月5日）",
        "同志们：",
    ]
    assert lines[5] == HEADING
    # Head block of six grid lines (one blank), then 16 body lines would fill the page, but
    # the last paragraph's fourth line would start page 2 alone: widow control takes two over.
    assert len(lines) == 22 - 1 - 1


def test_page_numbers_sit_outside_seven_millimetres_below_the_type_area(pdfs):
    for page, outside in ((1, "right"), (2, "left"), (3, "right")):
        width, height, found = words(pdfs["gongwen"], page)
        digits = [(x, y) for text, x, y in found if text == str(page)]
        assert digits, f"no page number on page {page}"
        x, y = digits[-1]
        assert (x > width * 0.8) if outside == "right" else (x < width * 0.2)
        # The number's line is centred 28 mm above the bottom edge (35 mm margin − 7 mm).
        assert abs((height - y) - 28 / 25.4 * 72) < 4


def test_the_large_print_copy_holds_15_lines_of_20_characters(pdfs):
    lines, number = page_lines(pdfs["large"], 2)
    assert number == "2"
    assert len(lines) == 15
    assert max(map(len, lines)) == 20
    total = expected_lines(20)
    assert page_count(pdfs["large"]) == math.ceil(total / 15)
    width, _height, found = words(pdfs["large"], 2)
    x = next(x for text, x, _y in found if text == "2")
    assert abs(x - width / 2) < 10  # centred


def test_page_images_are_saved_for_a_person_to_look_at(pdfs):
    images = sorted(ARTIFACTS.glob("gongwen-*.png"))
    assert len(images) == page_count(pdfs["gongwen"])
    assert sorted(ARTIFACTS.glob("large-*.png"))
