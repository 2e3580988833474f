"""Build the reference document whose named styles carry the GB/T 9704 speech format.

    python -m speechdraft.ooxml.builtin_reference [OUT]     (default: fixtures/reference.docx)

The package is written by hand (no python-docx default template: its styles carry theme fonts,
blue bold headings and Japanese fallbacks); the sizes, fonts, line pitch and grid are then applied
by the same code :func:`speechdraft.ooxml.render.render_docx` runs on every export, and the body
shows one sample of every style so that a person can open the file in Word or WPS, look, and
derive an office's own reference from it. The output is byte-for-byte reproducible.
"""

from __future__ import annotations

import datetime
import io
import sys
import zipfile
from pathlib import Path

from speechdraft.ooxml.compose import compose
from speechdraft.ooxml.content import prepare
from speechdraft.ooxml.model import PROFILES, Block, ExportDocument, FontSettings
from speechdraft.ooxml.page import (
    FOOTER_DISTANCE,
    HEADER_DISTANCE,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    PAGE_HEIGHT,
    PAGE_WIDTH,
)
from speechdraft.ooxml.schema import R_NS, W_NS
from speechdraft.ooxml.styles import ROLES, font_table_xml

REFERENCE_PATH = Path(__file__).resolve().parents[2] / "fixtures" / "reference.docx"

_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml."
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

CONTENT_TYPES = (
    _XML + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/word/document.xml" ContentType="{_CT}document.main+xml"/>'
    f'<Override PartName="/word/styles.xml" ContentType="{_CT}styles+xml"/>'
    f'<Override PartName="/word/settings.xml" ContentType="{_CT}settings+xml"/>'
    f'<Override PartName="/word/fontTable.xml" ContentType="{_CT}fontTable+xml"/>'
    f'<Override PartName="/word/footer1.xml" ContentType="{_CT}footer+xml"/>'
    f'<Override PartName="/word/footer2.xml" ContentType="{_CT}footer+xml"/>'
    '<Override PartName="/docProps/core.xml" '
    'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    "</Types>"
)

PACKAGE_RELS = (
    _XML + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_RT}officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"'
    ' Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{_RT}extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)

DOCUMENT_RELS = (
    _XML + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_RT}styles" Target="styles.xml"/>'
    f'<Relationship Id="rId2" Type="{_RT}settings" Target="settings.xml"/>'
    f'<Relationship Id="rId3" Type="{_RT}fontTable" Target="fontTable.xml"/>'
    f'<Relationship Id="rId4" Type="{_RT}footer" Target="footer1.xml"/>'
    f'<Relationship Id="rId5" Type="{_RT}footer" Target="footer2.xml"/>'
    "</Relationships>"
)

CORE = (
    _XML + "<cp:coreProperties "
    'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>讲话稿参考样式</dc:title><dc:creator>speechdraft</dc:creator>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">2024-01-01T00:00:00Z</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">2024-01-01T00:00:00Z</dcterms:modified>'
    "</cp:coreProperties>"
)

APP = (
    _XML + "<Properties "
    'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>speechdraft</Application></Properties>"
)

# Odd pages (the default footer once evenAndOddHeaders is on) and even pages; the alignment and
# the one-character indent are applied per profile.
FOOTER = (
    _XML + f'<w:ftr xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:p>'
    '<w:pPr><w:pStyle w:val="SdPageNumber"/></w:pPr>'
    '<w:r><w:t xml:space="preserve">— </w:t></w:r>'
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    "<w:r><w:t>{page}</w:t></w:r>"
    '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    '<w:r><w:t xml:space="preserve"> —</w:t></w:r>'
    "</w:p></w:ftr>"
)

SETTINGS = (
    _XML + f'<w:settings xmlns:w="{W_NS}">'
    '<w:zoom w:percent="100"/>'
    '<w:defaultTabStop w:val="420"/>'
    "<w:evenAndOddHeaders/>"
    # Full-width punctuation keeps its full width, so 28 characters fill a grid line.
    '<w:characterSpacingControl w:val="doNotCompress"/>'
    '<w:compat><w:compatSetting w:name="compatibilityMode" '
    'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
    '<w:decimalSymbol w:val="."/><w:listSeparator w:val=","/>'
    "</w:settings>"
)

DOCUMENT = (
    _XML + f'<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body><w:sectPr>'
    '<w:footerReference w:type="default" r:id="rId4"/>'
    '<w:footerReference w:type="even" r:id="rId5"/>'
    f'<w:pgSz w:w="{PAGE_WIDTH}" w:h="{PAGE_HEIGHT}"/>'
    f'<w:pgMar w:top="{MARGIN_TOP}" w:right="{MARGIN_RIGHT}" w:bottom="{MARGIN_BOTTOM}" '
    f'w:left="{MARGIN_LEFT}" w:header="{HEADER_DISTANCE}" w:footer="{FOOTER_DISTANCE}" '
    'w:gutter="0"/>'
    '<w:cols w:space="425"/>'
    '<w:docGrid w:type="linesAndChars"/>'
    "</w:sectPr></w:body></w:document>"
)

# Structure only: fonts, sizes, spacing and indents are filled in by styles.format_styles.
# Pagination: body paragraphs (run-in headings among them) have widow and orphan control, so
# no page starts with a paragraph's last line alone or ends with its first line alone; the
# head block and standalone headings stay with what follows and are never split.
_KEEP = "<w:keepNext/><w:keepLines/>"
_PARAGRAPH_LAYOUT = {
    "mark": ('<w:keepNext/><w:jc w:val="right"/>', "SdTitle"),
    "title": (_KEEP + '<w:snapToGrid w:val="0"/><w:jc w:val="center"/>', "SdByline"),
    "subtitle": (_KEEP + '<w:jc w:val="center"/>', "SdByline"),
    "byline": ('<w:keepNext/><w:jc w:val="center"/>', "SdBody"),
    "salutation": ('<w:jc w:val="left"/>', "SdBody"),
    "body": ('<w:widowControl/><w:jc w:val="both"/>', "SdBody"),
    "heading1": (
        _KEEP + '<w:widowControl/><w:jc w:val="both"/><w:outlineLvl w:val="0"/>',
        "SdBody",
    ),
    "heading2": (
        _KEEP + '<w:widowControl/><w:jc w:val="both"/><w:outlineLvl w:val="1"/>',
        "SdBody",
    ),
    "heading3": (
        _KEEP + '<w:widowControl/><w:jc w:val="both"/><w:outlineLvl w:val="2"/>',
        "SdBody",
    ),
    "heading4": (
        _KEEP + '<w:widowControl/><w:jc w:val="both"/><w:outlineLvl w:val="3"/>',
        "SdBody",
    ),
    "page_number": ('<w:snapToGrid w:val="0"/>', "SdPageNumber"),
}


def styles_xml() -> str:
    styles = [
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal">'
        '<w:name w:val="Normal"/><w:qFormat/>'
        # Widow control is the body and heading styles' (not the footers'). No snapping to the
        # character grid: exact line spacing and condensed letter spacing do its work (see
        # model.Profile.letter_spacing), the grid itself stays for Word's page setup.
        '<w:pPr><w:widowControl w:val="0"/><w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>'
        '<w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0"/><w:jc w:val="both"/>'
        "</w:pPr><w:rPr/></w:style>",
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>'
        "<w:unhideWhenUsed/></w:style>",
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal">'
        '<w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/>'
        '<w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>'
        '<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
        "</w:tblCellMar></w:tblPr></w:style>",
        '<w:style w:type="numbering" w:default="1" w:styleId="NoList">'
        '<w:name w:val="No List"/><w:uiPriority w:val="99"/><w:semiHidden/>'
        "<w:unhideWhenUsed/></w:style>",
    ]
    # Word's built-in heading styles (ids, names and outline levels as Word writes them), on
    # which the speech's headings are based: readers that know only those (pandoc, screen
    # readers, other editors' outlines) see the headings. Neutral: Normal's face and size,
    # not bold, not coloured; the speech's own heading styles carry the GB/T fonts.
    for level in range(1, 5):
        styles.append(
            f'<w:style w:type="paragraph" w:styleId="Heading{level}">'
            f'<w:name w:val="heading {level}"/><w:basedOn w:val="Normal"/>'
            '<w:next w:val="SdBody"/><w:uiPriority w:val="9"/><w:unhideWhenUsed/><w:qFormat/>'
            f'<w:pPr><w:keepNext/><w:outlineLvl w:val="{level - 1}"/></w:pPr>'
            '<w:rPr><w:b w:val="0"/><w:bCs w:val="0"/></w:rPr></w:style>'
        )
    for role in ROLES:
        head = (
            f'<w:style w:type="{role.kind}" w:customStyle="1" w:styleId="{role.style_id}">'
            f'<w:name w:val="{role.name}"/>'
        )
        if role.kind == "character":
            styles.append(
                head + '<w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="1"/>'
                "<w:qFormat/><w:rPr/></w:style>"
            )
            continue
        layout, following = _PARAGRAPH_LAYOUT[role.key]
        based = f"Heading{role.key[-1]}" if role.key.startswith("heading") else "Normal"
        styles.append(
            head + f'<w:basedOn w:val="{based}"/><w:next w:val="{following}"/>'
            f'<w:uiPriority w:val="1"/><w:qFormat/><w:pPr>{layout}</w:pPr><w:rPr/></w:style>'
        )
    return (
        _XML + f'<w:styles xmlns:w="{W_NS}"><w:docDefaults>'
        '<w:rPrDefault><w:rPr><w:rFonts/><w:color w:val="000000"/><w:spacing w:val="0"/>'
        '<w:sz w:val="32"/>'
        '<w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>'
        "</w:rPr></w:rPrDefault>"
        '<w:pPrDefault><w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr></w:pPrDefault>'
        f"</w:docDefaults>{''.join(styles)}</w:styles>"
    )


SAMPLE = ExportDocument(
    title="奋力开创高质量发展新局面",
    subtitle="——在全市2024年经济工作会议暨优化营商环境大会上的讲话",
    speaker="市长 张三",
    date=datetime.date(2024, 3, 5),
    salutation="同志们：",
    mark="征求意见稿",
    blocks=[
        Block("paragraph", body="这是“讲话稿正文”样式：仿宋_GB2312 三号，首行缩进两个字符。"),
        Block("heading", 1, "一、", "这是“讲话稿一级标题”样式（黑体）"),
        Block("paragraph", body="独立成行的标题不加句末标点。"),
        Block("heading", 2, "（一）", "这是“讲话稿二级标题”样式（楷体_GB2312）"),
        Block("heading", 3, "1.", "这是“讲话稿三级标题”样式"),
        Block("heading", 4, "（1）", "这是“讲话稿四级标题”样式"),
        Block("heading", 1, "二、", "一级标题接排", "标题后接正文，同在一段。", run_in=True),
        Block("heading", 2, "（一）", "以上率下示范干", "二级标题接排示例。", run_in=True),
        Block("heading", 3, "1.", "三级标题接排", "三级标题接排示例。", run_in=True),
        Block("heading", 4, "（1）", "四级标题接排", "四级标题接排示例。", run_in=True),
        Block("paragraph", number="第一，", body="编号也可以直接写在正文里。"),
        Block("paragraph", body="谢谢大家！"),
    ],
)


def _skeleton(fonts: FontSettings) -> bytes:
    parts = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": PACKAGE_RELS,
        "docProps/core.xml": CORE,
        "docProps/app.xml": APP,
        "word/document.xml": DOCUMENT,
        "word/_rels/document.xml.rels": DOCUMENT_RELS,
        "word/styles.xml": styles_xml(),
        "word/settings.xml": SETTINGS,
        "word/fontTable.xml": font_table_xml(fonts).decode(),
        "word/footer1.xml": FOOTER.format(page=1),
        "word/footer2.xml": FOOTER.format(page=2),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), text.encode())
    return out.getvalue()


def build_reference(profile: str = "gongwen", fonts: FontSettings | None = None) -> bytes:
    """The reference .docx for ``profile`` and ``fonts`` (defaults: 公文, GB/T faces)."""
    fonts = fonts or FontSettings()
    content = prepare(SAMPLE, "arabic")
    return compose(_skeleton(fonts), content, PROFILES[profile], fonts, builtin=True)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else REFERENCE_PATH
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(build_reference())
    print(f"已生成参考文档：{out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
