"""The speech's heading styles are based on Word's built-in 标题 1–4 (heading 1 … heading 4), so
that readers that know only those (pandoc, the navigation pane of other editors) see headings."""

from __future__ import annotations

import io
import json
import shutil
import subprocess

import docx as python_docx

from speechdraft.ooxml.render import render_docx
from tests.conftest import skip_missing
from tests.ooxml.test_docx import SPEECH, Package, font_and_size, w

HEADINGS = [
    (1, "一、坚定信心，准确把握当前经济形势"),
    (2, "（二）真抓实干见成效"),
    (3, "2.抓好招商引资"),
    (4, "（2）优化审批服务"),
    (1, "二、突出重点，全力推动高质量发展"),
]


def _text(inlines: list[dict]) -> str:
    out = []
    for inline in inlines:
        if inline["t"] == "Str":
            out.append(inline["c"])
        elif inline["t"] == "Space":
            out.append(" ")
    return "".join(out)


def test_pandoc_reads_the_headings_and_their_levels(tmp_path):
    pandoc = shutil.which("pandoc")
    if pandoc is None:
        skip_missing("pandoc")
    path = tmp_path / "speech.docx"
    path.write_bytes(render_docx(SPEECH))
    result = subprocess.run(
        [pandoc, "-f", "docx", "-t", "json", str(path)],
        capture_output=True,
        check=True,
        timeout=60,
    )
    blocks = json.loads(result.stdout)["blocks"]
    headers = [(b["c"][0], _text(b["c"][2])) for b in blocks if b["t"] == "Header"]
    assert headers == HEADINGS


def test_python_docx_sees_headings_based_on_heading_1_to_4():
    opened = python_docx.Document(io.BytesIO(render_docx(SPEECH)))
    for level in range(1, 5):
        style = opened.styles[f"讲话稿{'一二三四'[level - 1]}级标题"]
        assert style.base_style.name == f"Heading {level}"
        assert style.base_style.style_id == f"Heading{level}"
        for element in (style.element, style.base_style.element):
            outline = element.find(f"{w('pPr')}/{w('outlineLvl')}")
            assert outline.get(w("val")) == str(level - 1)


def test_the_headings_keep_their_gbt_fonts_and_are_not_bold():
    package = Package(render_docx(SPEECH))
    expected = {1: "黑体", 2: "楷体_GB2312", 3: "仿宋_GB2312", 4: "仿宋_GB2312"}
    for level, text in HEADINGS:
        paragraph = package.paragraph(text)
        assert font_and_size(package, paragraph) == (expected[level], 32)
        run = package.runs(paragraph)[0]
        assert package.run_property(paragraph, run, "b") == "0"
        assert package.run_property(paragraph, run, "color") in (None, "000000")
