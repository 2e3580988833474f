"""The DOCX rendering core: every number of GB/T 9704 read back from the produced XML."""

from __future__ import annotations

import datetime
import io
import re
import time
import zipfile
from pathlib import Path

import docx as python_docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from speechdraft.ooxml import builtin_reference as reference_builder
from speechdraft.ooxml.builtin_reference import REFERENCE_PATH
from speechdraft.ooxml.model import PROFILES, Block, ExportDocument, FontSettings
from speechdraft.ooxml.reference import reference_check
from speechdraft.ooxml.render import render_docx
from speechdraft.ooxml.styles import REQUIRED_STYLES
from speechdraft.ooxml.titles import split_title
from speechdraft.text.numbering import format_date

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "r": R}


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


SPEECH = ExportDocument(
    title="在全市2024年经济工作会议暨优化营商环境大会上的讲话",
    subtitle=None,
    speaker="市长 张三",
    date=datetime.date(2024, 3, 5),
    salutation="同志们：",
    blocks=[
        Block("paragraph", body="今年以来，全市上下坚持稳中求进工作总基调，经济运行总体平稳。"),
        Block("heading", 1, "一、", "坚定信心，准确把握当前经济形势。"),
        Block("paragraph", body="当前经济运行面临的困难挑战不少。"),
        Block(
            "heading", 2, "（一）", "以上率下示范干", "各级领导干部要带头深入一线。", run_in=True
        ),
        Block("heading", 2, "（二）", "真抓实干见成效"),
        Block("heading", 3, "1.", "抓好项目建设", "项目是经济工作的生命线。", run_in=True),
        Block("heading", 3, "2.", "抓好招商引资；"),
        Block("heading", 4, "（1）", "强化要素保障", "土地、资金、人才要跟上", run_in=True),
        Block("heading", 4, "（2）", "优化审批服务"),
        Block("heading", 1, "二、", "突出重点，全力推动高质量发展"),
        Block("paragraph", 1, "第一，", body="要坚持创新驱动。"),
        Block("paragraph", 1, "一是", body="要坚持改革开放。"),
        Block("paragraph", body="同志们，让我们携手并进！"),
    ],
)


# ---------------------------------------------------------------------------------------------
# Reading the package back


class Package:
    """The XML parts of a .docx, with the style chain resolved the way Word resolves it."""

    def __init__(self, data: bytes):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            self.xml = {
                name: etree.fromstring(archive.read(name))
                for name in archive.namelist()
                if name.endswith((".xml", ".rels"))
            }
        self.document = self.xml["word/document.xml"]
        self.styles = self.xml["word/styles.xml"]
        self.by_id = {s.get(w("styleId")): s for s in self.styles.iterfind(w("style"))}
        self.by_name = {
            s.find(w("name")).get(w("val")): s for s in self.styles.iterfind(w("style"))
        }
        self.section = self.document.find(f"{w('body')}/{w('sectPr')}")

    @property
    def paragraphs(self) -> list[etree._Element]:
        return self.document.findall(f"{w('body')}/{w('p')}")

    def text(self, paragraph: etree._Element) -> str:
        return "".join(
            "\n" if node.tag == w("br") else node.text or ""
            for node in paragraph.iter(w("t"), w("br"))
        )

    def paragraph(self, startswith: str) -> etree._Element:
        return next(p for p in self.paragraphs if self.text(p).startswith(startswith))

    def style_of(self, paragraph: etree._Element) -> etree._Element:
        return self.by_id[paragraph.find(f"{w('pPr')}/{w('pStyle')}").get(w("val"))]

    def _chain(self, style: etree._Element | None) -> list[etree._Element]:
        chain = []
        while style is not None:
            chain.append(style)
            based = style.find(w("basedOn"))
            style = self.by_id.get(based.get(w("val"))) if based is not None else None
        return chain

    def _defaults(self, kind: str) -> etree._Element:
        return self.styles.find(f"{w('docDefaults')}/{w(kind + 'Default')}/{w(kind)}")

    def run_property(self, paragraph, run, tag: str, attr: str = "val") -> str | None:
        """Effective run property: direct, character style chain, paragraph style chain, defaults."""
        sources = []
        rpr = run.find(w("rPr"))
        if rpr is not None:
            sources.append(rpr)
            rstyle = rpr.find(w("rStyle"))
            if rstyle is not None:
                sources += [s.find(w("rPr")) for s in self._chain(self.by_id[rstyle.get(w("val"))])]
        sources += [s.find(w("rPr")) for s in self._chain(self.style_of(paragraph))]
        sources.append(self._defaults("rPr"))
        for props in sources:
            element = props.find(w(tag)) if props is not None else None
            if element is not None and element.get(w(attr)) is not None:
                return element.get(w(attr))
            if element is not None and attr == "val":
                return "1"  # a toggle (<w:b/>) present without a value is on
        return None

    def paragraph_property(self, paragraph, tag: str, attr: str) -> str | None:
        sources = [paragraph.find(w("pPr"))]
        sources += [s.find(w("pPr")) for s in self._chain(self.style_of(paragraph))]
        sources.append(self._defaults("pPr"))
        for props in sources:
            element = props.find(w(tag)) if props is not None else None
            if element is not None and element.get(w(attr)) is not None:
                return element.get(w(attr))
        return None

    def runs(self, paragraph) -> list[etree._Element]:
        return [r for r in paragraph.iter(w("r")) if r.find(w("t")) is not None]

    def footer(self, kind: str) -> etree._Element:
        rels = self.xml["word/_rels/document.xml.rels"]
        targets = {rel.get("Id"): rel.get("Target") for rel in rels}
        ref = self.section.find(f"{w('footerReference')}[@{w('type')}='{kind}']")
        return self.xml["word/" + targets[ref.get(f"{{{R}}}id")]]


@pytest.fixture(scope="module")
def speech() -> Package:
    return Package(render_docx(SPEECH))


def font_and_size(package: Package, paragraph, run=None) -> tuple[str, int]:
    run = run if run is not None else package.runs(paragraph)[0]
    font = package.run_property(paragraph, run, "rFonts", "eastAsia")
    return font, int(package.run_property(paragraph, run, "sz"))


# ---------------------------------------------------------------------------------------------
# Page and grid


def test_the_page_is_a4_with_the_standard_margins(speech):
    size = speech.section.find(w("pgSz"))
    margins = speech.section.find(w("pgMar"))
    assert (size.get(w("w")), size.get(w("h"))) == ("11906", "16838")
    assert {side: margins.get(w(side)) for side in ("top", "bottom", "left", "right")} == {
        "top": "2098",
        "bottom": "1984",
        "left": "1588",
        "right": "1474",
    }


def test_the_grid_holds_22_lines_of_28_characters(speech):
    grid = speech.section.find(w("docGrid"))
    assert grid.get(w("type")) == "linesAndChars"
    assert grid.get(w("linePitch")) == "579"
    type_width = 11906 - 1588 - 1474
    type_height = 16838 - 2098 - 1984
    assert 22 * 579 <= type_height < 22 * 580
    # Word: each character is the Normal size (16 pt) plus charSpace/4096 pt.
    pitch = 16 + int(grid.get(w("charSpace"))) / 4096
    assert 28 * pitch <= type_width / 20 < 29 * pitch
    # Renderers that ignore the grid get the same 28 from the condensed letter spacing.
    body = speech.paragraph("今年以来")
    spacing = int(speech.run_property(body, speech.runs(body)[0], "spacing"))
    assert 28 * (320 + spacing) <= type_width < 29 * (320 + spacing)


def test_every_paragraph_has_the_exact_line_pitch(speech):
    for paragraph in speech.paragraphs:
        assert speech.paragraph_property(paragraph, "spacing", "line") == "579"
        assert speech.paragraph_property(paragraph, "spacing", "lineRule") == "exact"


# ---------------------------------------------------------------------------------------------
# Fonts and sizes of each element


@pytest.mark.parametrize(
    ("start", "font", "size", "align"),
    [
        ("在全市2024年", "方正小标宋简体", 44, "center"),
        ("市长 张三", "楷体_GB2312", 32, "center"),
        ("（2024年3月5日）", "楷体_GB2312", 32, "center"),
        ("同志们：", "仿宋_GB2312", 32, "left"),
        ("今年以来", "仿宋_GB2312", 32, "both"),
        ("一、坚定信心", "黑体", 32, "both"),
        ("（二）真抓实干见成效", "楷体_GB2312", 32, "both"),
        ("2.抓好招商引资", "仿宋_GB2312", 32, "both"),
        ("（2）优化审批服务", "仿宋_GB2312", 32, "both"),
    ],
)
def test_each_element_has_its_font_size_and_alignment(speech, start, font, size, align):
    paragraph = speech.paragraph(start)
    assert font_and_size(speech, paragraph) == (font, size)
    assert speech.paragraph_property(paragraph, "jc", "val") == align


@pytest.mark.parametrize(
    ("start", "heading", "heading_font", "body"),
    [
        ("（一）", "（一）以上率下示范干。", "楷体_GB2312", "各级领导干部要带头深入一线。"),
        ("1.", "1.抓好项目建设。", "仿宋_GB2312", "项目是经济工作的生命线。"),
        ("（1）", "（1）强化要素保障。", "仿宋_GB2312", "土地、资金、人才要跟上"),
    ],
)
def test_run_in_headings_continue_in_the_body_font(speech, start, heading, heading_font, body):
    paragraph = speech.paragraph(start)
    lead, rest = speech.runs(paragraph)
    assert speech.text(lead) == heading
    assert speech.text(rest) == body
    assert font_and_size(speech, paragraph, lead) == (heading_font, 32)
    assert font_and_size(speech, paragraph, rest) == ("仿宋_GB2312", 32)
    assert speech.style_of(paragraph).find(w("name")).get(w("val")) == "讲话稿正文"


def test_run_in_heading_of_level_1_is_in_heiti():
    package = Package(
        render_docx(
            ExportDocument("标题", blocks=[Block("heading", 1, "一、", "提高站位", "正文", True)])
        )
    )
    paragraph = package.paragraph("一、")
    lead, rest = package.runs(paragraph)
    assert package.text(lead) == "一、提高站位。"
    assert font_and_size(package, paragraph, lead) == ("黑体", 32)
    assert font_and_size(package, paragraph, rest) == ("仿宋_GB2312", 32)


def test_body_and_headings_are_indented_two_characters_and_the_salutation_is_not(speech):
    for start in (
        "今年以来",
        "一、坚定信心",
        "（二）真抓实干",
        "2.抓好",
        "（2）优化",
        "（一）以上",
    ):
        paragraph = speech.paragraph(start)
        assert speech.paragraph_property(paragraph, "ind", "firstLineChars") == "200"
        assert speech.paragraph_property(paragraph, "ind", "firstLine") == "640"
    salutation = speech.paragraph("同志们：")
    assert speech.paragraph_property(salutation, "ind", "firstLineChars") == "0"
    assert speech.paragraph_property(salutation, "ind", "firstLine") == "0"


def test_numbers_come_out_in_the_order_given(speech):
    texts = [speech.text(p) for p in speech.paragraphs]
    numbers = [b.number for b in SPEECH.blocks if b.number]
    found = [
        next(n for n in numbers if t.startswith(n)) for t in texts if t.startswith(tuple(numbers))
    ]
    assert found == numbers


def test_standalone_headings_drop_closing_punctuation_and_run_in_headings_end_with_a_full_stop(
    speech,
):
    texts = [speech.text(p) for p in speech.paragraphs]
    assert "一、坚定信心，准确把握当前经济形势" in texts
    assert "2.抓好招商引资" in texts
    assert any(t.startswith("（1）强化要素保障。土地") for t in texts)


def test_the_head_block_is_title_speaker_date_blank_line_salutation(speech):
    texts = [speech.text(p) for p in speech.paragraphs][:6]
    assert texts == [
        "在全市2024年经济工作会议\n暨优化营商环境大会上的讲话",
        "市长 张三",
        "（2024年3月5日）",
        "",
        "同志们：",
        "今年以来，全市上下坚持稳中求进工作总基调，经济运行总体平稳。",
    ]


def test_subtitle_is_centred_under_the_title():
    package = Package(
        render_docx(ExportDocument("奋力开创新局面", subtitle="——在全市大会上的讲话"))
    )
    paragraph = package.paragraph("——")
    assert font_and_size(package, paragraph) == ("楷体_GB2312", 32)
    assert package.paragraph_property(paragraph, "jc", "val") == "center"


@pytest.mark.parametrize(
    ("style", "expected"),
    [("arabic", "2024年3月5日"), ("chinese", "二〇二四年三月五日")],
)
def test_the_date_style_is_a_setting(style, expected):
    package = Package(render_docx(SPEECH, date_style=style))
    assert f"（{expected}）" in [package.text(p) for p in package.paragraphs]


def test_chinese_dates_spell_tens():
    assert format_date(datetime.date(2020, 12, 31), "chinese") == "二〇二〇年十二月三十一日"
    assert format_date(datetime.date(2021, 10, 20), "chinese") == "二〇二一年十月二十日"
    assert format_date(datetime.date(2024, 1, 9), "arabic") == "2024年1月9日"


# ---------------------------------------------------------------------------------------------
# Page numbers


def test_page_numbers_are_outside_on_odd_and_even_pages(speech):
    assert speech.xml["word/settings.xml"].find(w("evenAndOddHeaders")) is not None
    kinds = {ref.get(w("type")) for ref in speech.section.iterfind(w("footerReference"))}
    assert kinds == {"default", "even"}
    for kind, align, side in (("default", "right", "right"), ("even", "left", "left")):
        paragraph = speech.footer(kind).find(w("p"))
        text = "".join(t.text for t in paragraph.iter(w("t")))
        assert re.fullmatch(r"— \d+ —", text)
        instructions = "".join(t.text for t in paragraph.iter(w("instrText")))
        assert instructions.split() == ["PAGE"]
        types = [f.get(w("fldCharType")) for f in paragraph.iter(w("fldChar"))]
        assert types == ["begin", "separate", "end"]
        ppr = paragraph.find(w("pPr"))
        assert ppr.find(w("jc")).get(w("val")) == align
        assert ppr.find(w("ind")).get(w(side)) == "280"  # one 四号 character
        style = speech.by_id[ppr.find(w("pStyle")).get(w("val"))]
        assert style.find(f"{w('rPr')}/{w('rFonts')}").get(w("eastAsia")) == "宋体"
        assert style.find(f"{w('rPr')}/{w('sz')}").get(w("val")) == "28"


# ---------------------------------------------------------------------------------------------
# Fonts: names only, no themes, Chinese language


def all_fonts(package: Package) -> set[str]:
    return {
        fonts.get(w("eastAsia"))
        for root in package.xml.values()
        for fonts in root.iter(w("rFonts"))
        if fonts.get(w("eastAsia"))
    }


def test_no_theme_attribute_in_any_part(speech):
    for name, root in speech.xml.items():
        for element in root.iter():
            for attr in element.attrib:
                assert "theme" not in etree.QName(attr).localname.lower(), (name, attr)
    assert not any(name.startswith("word/theme") for name in speech.xml)


def test_every_east_asian_font_is_a_configured_one(speech):
    fonts = FontSettings()
    assert all_fonts(speech) == {
        fonts.title,
        fonts.speaker,
        fonts.body,
        fonts.level1,
        fonts.level2,
        fonts.page_number,
    }
    page_number = speech.by_name["讲话稿页码"].find(f"{w('rPr')}/{w('rFonts')}")
    for root in speech.xml.values():
        for element in root.iter(w("rFonts")):
            # Latin letters and digits in Times New Roman; page numbers all in 宋体 (7.5).
            latin = fonts.page_number if element is page_number else "Times New Roman"
            if element.get(w("ascii")):
                assert element.get(w("ascii")) == element.get(w("hAnsi")) == latin


def test_fonts_are_set_on_doc_defaults_and_on_every_style_used(speech):
    defaults = speech.styles.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}")
    assert defaults.find(w("rFonts")).get(w("eastAsia")) == "仿宋_GB2312"
    used = {p.find(f"{w('pPr')}/{w('pStyle')}").get(w("val")) for p in speech.paragraphs}
    used |= {s.get(w("val")) for s in speech.document.iter(w("rStyle"))}
    for style_id in used:
        assert speech.by_id[style_id].find(f"{w('rPr')}/{w('rFonts')}").get(w("eastAsia"))


def test_the_east_asian_language_is_simplified_chinese(speech):
    lang = speech.styles.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}/{w('lang')}")
    assert lang.get(w("eastAsia")) == "zh-CN"


def test_the_preset_without_licensed_fonts_uses_windows_faces():
    package = Package(render_docx(SPEECH, fonts=FontSettings.system()))
    assert all_fonts(package) == {"宋体", "仿宋", "楷体", "黑体"}
    title = package.paragraph("在全市")
    assert package.run_property(title, package.runs(title)[0], "b") == "1"
    font_table = {f.get(w("name")) for f in package.xml["word/fontTable.xml"]}
    assert font_table == {"宋体", "仿宋", "楷体", "黑体", "Times New Roman"}


def test_bold_level_2_and_3_is_an_option():
    plain = Package(render_docx(SPEECH))
    bold = Package(render_docx(SPEECH, fonts=FontSettings(bold_level2=True, bold_level3=True)))

    def weight(package: Package, start: str) -> str:
        paragraph = package.paragraph(start)
        return package.run_property(paragraph, package.runs(paragraph)[0], "b")

    for start in ("（二）真抓实干", "2.抓好", "（一）以上", "1.抓好"):
        assert weight(plain, start) == "0"
        assert weight(bold, start) == "1"
    assert weight(bold, "（2）优化") == "0"
    assert weight(bold, "一、坚定") == "0"


# ---------------------------------------------------------------------------------------------
# The large-print podium copy


def _without_profile_values(package: Package) -> dict[str, bytes]:
    """The parts with every value a profile may change blanked out."""
    out = {}
    for name, root in package.xml.items():
        root = etree.fromstring(etree.tostring(root))
        for element in root.iter(w("sz"), w("szCs")):
            element.set(w("val"), "?")
        for element in root.iter(w("spacing")):
            for attr in ("line", "val"):
                if element.get(w(attr)) is not None:
                    element.set(w(attr), "?")
        for element in root.iter(w("docGrid")):
            element.set(w("linePitch"), "?")
            element.set(w("charSpace"), "?")
        for element in root.iter(w("ind")):
            if element.get(w("firstLine")) is not None:
                element.set(w("firstLine"), "?")
        if name.startswith("word/footer"):
            for ppr in root.iter(w("pPr")):
                for tag in ("jc", "ind"):
                    ppr.remove(ppr.find(w(tag)))
        out[name] = etree.tostring(root)
    return out


def test_the_large_profile_changes_only_sizes_spacing_and_page_number_alignment(speech):
    large = Package(render_docx(SPEECH, profile="large"))
    assert _without_profile_values(large) == _without_profile_values(speech)
    body = large.paragraph("今年以来")
    assert font_and_size(large, body) == ("仿宋_GB2312", 44)
    assert font_and_size(large, large.paragraph("一、坚定信心")) == ("黑体", 44)
    # The title stays larger than the text: 一号 over 二号.
    assert font_and_size(large, large.paragraph("在全市")) == ("方正小标宋简体", 52)
    pitch = int(large.paragraph_property(body, "spacing", "line"))
    assert pitch > 579
    assert large.section.find(w("docGrid")).get(w("linePitch")) == str(pitch)
    assert 15 * pitch <= 16838 - 2098 - 1984
    for kind in ("default", "even"):
        ppr = large.footer(kind).find(f"{w('p')}/{w('pPr')}")
        assert ppr.find(w("jc")).get(w("val")) == "center"
    assert PROFILES["large"].label == "讲话大字版"


def test_an_unknown_profile_or_date_style_is_refused():
    with pytest.raises(ValueError, match="未知的版式"):
        render_docx(SPEECH, profile="huge")
    with pytest.raises(ValueError, match="未知的日期格式"):
        render_docx(SPEECH, date_style="roman")


# ---------------------------------------------------------------------------------------------
# Text hygiene, size and speed


def test_control_characters_are_stripped():
    dirty = "经济\x00运行\x01总体\x1f平稳\x7f\x9f\u202e，\ud800稳中\ufffe向好\ufeff。"
    data = render_docx(
        ExportDocument(
            f"标题\x07{dirty}", speaker="张\x00三", blocks=[Block("paragraph", body=dirty)]
        )
    )
    package = Package(data)
    texts = [package.text(p) for p in package.paragraphs]
    assert "经济运行总体平稳，稳中向好。" in texts
    assert "张三" in texts
    assert python_docx.Document(io.BytesIO(data)).paragraphs  # python-docx reads it too


def test_line_breaks_inside_a_body_make_paragraphs_and_tabs_become_spaces():
    package = Package(
        render_docx(
            ExportDocument(
                "标", blocks=[Block("paragraph", body="第一段\r\n\n第二段\t末尾\x0c第三段")]
            )
        )
    )
    assert [package.text(p) for p in package.paragraphs][1:] == [
        "",
        "第一段",
        "第二段 末尾",
        "第三段",
    ]


def test_an_empty_document_renders_its_title_only():
    package = Package(render_docx(ExportDocument(title="关于做好防汛工作的讲话")))
    assert [package.text(p) for p in package.paragraphs] == ["关于做好防汛工作的讲话"]


@pytest.mark.parametrize("slot", ["{{ 地区 }}", "{% if 地区 %}", "{{数字"])
def test_unfilled_slots_are_refused_in_chinese(slot):
    document = ExportDocument("标题", blocks=[Block("paragraph", body=f"今年{slot}的工作")])
    with pytest.raises(ValueError, match="未填写的占位符"):
        render_docx(document)


def test_invalid_blocks_are_refused():
    with pytest.raises(ValueError, match="层级"):
        render_docx(ExportDocument("标题", blocks=[Block("heading", 0, "", "无层级")]))
    with pytest.raises(ValueError, match="层级"):
        render_docx(ExportDocument("标题", blocks=[Block("paragraph", 5, "", "", "正文")]))
    with pytest.raises(ValueError, match="类型"):
        render_docx(ExportDocument("标题", blocks=[Block("table")]))  # type: ignore[arg-type]


def long_speech(characters: int) -> ExportDocument:
    sentence = "全市上下坚持稳中求进工作总基调，完整准确全面贯彻新发展理念，经济运行稳中向好。"
    blocks: list[Block] = []
    total = 0
    while total < characters:
        n = len(blocks)
        if n % 10 == 0:
            blocks.append(Block("heading", 1, f"第{n}部分、", "坚定信心准确把握形势"))
        elif n % 5 == 0:
            blocks.append(
                Block("heading", 2, "（一）", "以上率下示范干", sentence * 3, run_in=True)
            )
        else:
            blocks.append(Block("paragraph", body=sentence * 4))
        total += len(blocks[-1].body) + len(blocks[-1].heading)
    return ExportDocument(
        "在全市经济工作会议上的讲话",
        None,
        "市长 张三",
        datetime.date(2024, 3, 5),
        "同志们：",
        blocks,
    )


def test_a_100000_character_document_renders():
    document = long_speech(100_000)
    started = time.perf_counter()
    data = render_docx(document)
    assert time.perf_counter() - started < 2
    package = Package(data)
    text = "".join(package.text(p) for p in package.paragraphs)
    assert len(text) > 100_000


def test_a_20000_character_speech_renders_well_under_200_ms():
    document = long_speech(20_000)
    render_docx(document)  # warm: the reference is read once per process
    best = min(_timed(document) for _ in range(3))
    assert best < 0.2


def _timed(document: ExportDocument) -> float:
    started = time.perf_counter()
    render_docx(document)
    return time.perf_counter() - started


def test_rendering_is_deterministic():
    assert render_docx(SPEECH) == render_docx(SPEECH)


def test_python_docx_sees_the_named_styles():
    opened = python_docx.Document(io.BytesIO(render_docx(SPEECH)))
    names = [p.style.name for p in opened.paragraphs]
    assert names[:5] == ["讲话稿标题", "讲话稿署名", "讲话稿署名", "讲话稿正文", "讲话稿称谓"]
    assert opened.core_properties.title == SPEECH.title


# ---------------------------------------------------------------------------------------------
# Title lines


def widths(lines: list[str]) -> list[float]:
    return [sum(0.5 if c.isascii() else 1 for c in line) for line in lines]


@pytest.mark.parametrize(
    "title",
    [
        "在全市2024年经济工作会议暨优化营商环境大会上的讲话",
        "区委书记张三同志在全区深入学习贯彻党的二十大精神专题研讨班开班式上的讲话",
        "在推动GDP总量突破5000亿元暨高质量发展推进大会上的讲话",
        "在市第十五届人民代表大会第三次会议闭幕会上的讲话",
    ],
)
def test_long_titles_break_into_balanced_lines(title):
    lines = split_title(title)
    assert "".join(lines) == title
    assert 2 <= len(lines) <= 3
    assert max(widths(lines)) <= 20
    assert max(widths(lines)) - min(widths(lines)) <= 7


def test_title_breaks_keep_numbers_latin_words_and_book_titles_whole():
    title = "在推动GDP总量突破2024亿元暨《关于优化营商环境的若干措施》宣讲会上的讲话"
    lines = split_title(title)
    assert "".join(lines) == title
    for token in ("2024", "GDP", "《关于优化营商环境的若干措施》"):
        assert any(token in line for line in lines), lines


def test_a_title_that_fits_stays_on_one_line():
    assert split_title("在全市经济工作会议上的讲话") == ["在全市经济工作会议上的讲话"]
    assert split_title("") == []


def test_a_term_longer_than_half_a_line_makes_a_diamond():
    title = "在全区学习贯彻习近平新时代中国特色社会主义思想主题教育动员部署会议上的讲话"
    assert split_title(title) == [
        "在全区学习贯彻",
        "习近平新时代中国特色社会主义思想",
        "主题教育动员部署会议上的讲话",
    ]


def test_the_title_breaks_before_the_occasion():
    assert split_title("在全市2024年经济工作会议暨优化营商环境大会上的讲话") == [
        "在全市2024年经济工作会议",
        "暨优化营商环境大会上的讲话",
    ]


def test_explicit_line_breaks_in_a_title_are_kept(speech):
    package = Package(render_docx(ExportDocument("第一行\n第二行")))
    assert package.text(package.paragraphs[0]) == "第一行\n第二行"
    title = speech.paragraphs[0]
    assert len(title.findall(f".//{w('br')}")) == 1


PROTECTED = ["2024", "GDP", "5G", "《乡村振兴促进法》", "“十四五”"]
_CJK = st.text(
    alphabet="在全市经济工作会议上的讲话推动高质量发展暨营商环境大", min_size=1, max_size=6
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_CJK, st.sampled_from(PROTECTED)), min_size=2, max_size=12))
def test_title_lines_rejoin_fit_and_never_split_protected_tokens(parts):
    title = "".join(parts)
    lines = split_title(title)
    assert "".join(lines) == title
    assert max(widths(lines)) <= 20
    boundaries = set()
    position = 0
    for line in lines[:-1]:
        position += len(line)
        boundaries.add(position)
    position = 0
    for part in parts:
        if part in PROTECTED and max(widths([part])) <= 20:
            inner = set(range(position + 1, position + len(part)))
            assert not inner & boundaries, (title, lines)
        position += len(part)


# ---------------------------------------------------------------------------------------------
# Reference documents


def _rewrite_part(data: bytes, name: str, change) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            blob = source.read(info.filename)
            target.writestr(info, change(blob) if info.filename == name else blob)
    return out.getvalue()


def test_the_builtin_reference_passes_its_own_check():
    assert reference_check(REFERENCE_PATH.read_bytes()) == []


def test_reference_check_names_a_missing_style():
    data = _rewrite_part(
        REFERENCE_PATH.read_bytes(),
        "word/styles.xml",
        lambda blob: blob.replace("讲话稿二级标题（接排）".encode(), "某个别的样式".encode()),
    )
    assert reference_check(data) == ["讲话稿二级标题（接排）"]
    with pytest.raises(ValueError, match="缺少样式：讲话稿二级标题（接排）"):
        render_docx(SPEECH, reference=data)


def test_reference_check_refuses_a_file_that_is_not_a_docx():
    with pytest.raises(ValueError, match="不是有效的 Word 文档"):
        reference_check(b"%PDF-1.4 not a docx")


def office_reference(tmp_path: Path) -> Path:
    """A reference made the way an office would: Word's defaults, our style names, a letterhead."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt

    document = python_docx.Document()
    for name in REQUIRED_STYLES:
        kind = WD_STYLE_TYPE.CHARACTER if "接排" in name else WD_STYLE_TYPE.PARAGRAPH
        style = document.styles.add_style(name, kind)
        style.font.size = Pt(20) if name == "讲话稿标题" else Pt(16)
    document.sections[0].header.paragraphs[0].text = "某某县人民政府办公室"
    document.add_paragraph("这段示例文字不会出现在导出的文稿里。")
    path = tmp_path / "office.docx"
    document.save(path)
    return path


def test_an_office_reference_keeps_its_styles_and_letterhead(tmp_path):
    path = office_reference(tmp_path)
    assert reference_check(path.read_bytes()) == []
    data = render_docx(SPEECH, reference=path)
    package = Package(data)
    texts = [package.text(p) for p in package.paragraphs]
    assert "这段示例文字不会出现在导出的文稿里。" not in texts
    assert texts[0].startswith("在全市2024年")
    title = package.paragraphs[0]
    assert package.style_of(title).find(w("name")).get(w("val")) == "讲话稿标题"
    assert font_and_size(package, title)[1] == 40  # the office's 20 pt, not ours
    headers = [root for name, root in package.xml.items() if name.startswith("word/header")]
    assert any("某某县人民政府办公室" in "".join(root.itertext()) for root in headers)
    for root in package.xml.values():
        for fonts in root.iter(w("rFonts")):
            assert not any("theme" in etree.QName(a).localname.lower() for a in fonts.attrib)
    lang = package.styles.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}/{w('lang')}")
    assert lang.get(w("eastAsia")) == "zh-CN"
    # The same bytes are accepted in place of the path.
    assert render_docx(SPEECH, reference=path.read_bytes()) == data


def test_explicit_fonts_and_the_large_profile_apply_to_an_office_reference(tmp_path):
    path = office_reference(tmp_path)
    package = Package(
        render_docx(SPEECH, reference=path, fonts=FontSettings.system(), profile="large")
    )
    body = package.paragraph("今年以来")
    assert font_and_size(package, body) == ("仿宋", 44)
    assert package.section.find(w("docGrid")).get(w("type")) == "linesAndChars"


def test_the_committed_reference_is_what_the_builder_makes():
    built = reference_builder.build_reference()
    with zipfile.ZipFile(io.BytesIO(built)) as fresh, zipfile.ZipFile(REFERENCE_PATH) as committed:
        assert fresh.namelist() == committed.namelist()
        for name in fresh.namelist():
            assert fresh.read(name) == committed.read(name), (
                f"{name} differs: run `python -m speechdraft.ooxml.builtin_reference`"
            )


def test_the_reference_holds_every_named_style_with_fonts(tmp_path):
    out = tmp_path / "reference.docx"
    assert reference_builder.main([str(out)]) == 0
    package = Package(out.read_bytes())
    for name in (*REQUIRED_STYLES, "讲话稿页码"):
        style = package.by_name[name]
        fonts = style.find(f"{w('rPr')}/{w('rFonts')}")
        assert fonts.get(w("eastAsia")) in FontSettings().names()
        assert style.find(f"{w('rPr')}/{w('sz')}") is not None
