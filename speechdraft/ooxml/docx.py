"""Render a speech manuscript (讲话稿) to .docx in the official-document format (GB/T 9704-2012).

Pure Python, no Django: the exports app adapts its models to :class:`ExportDocument`, with the
numbers already computed (``一、``, ``（一）``, ``1.`` …) and every slot already filled, then calls
:func:`render_docx`.

The output starts from a reference document (``fixtures/reference.docx``, built by
``python -m speechdraft.ooxml.builtin_reference``) whose own named styles carry the format. Paragraphs
are written as XML that points at those styles; style names are resolved to ids once per
document (python-docx's ``add_paragraph(style=...)`` searches the style list on every call).

Profiles and font settings are applied to the reference's styles, so that a document only names
fonts in its styles and docDefaults, never in theme attributes and never per run.
"""

from __future__ import annotations

import datetime
import io
import math
import posixpath
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from functools import cache
from itertools import combinations, pairwise
from os import PathLike
from pathlib import Path
from typing import Literal
from xml.sax.saxutils import escape

from lxml import etree

from speechdraft.text.numbering import DATE_STYLES, format_date
from speechdraft.text.outline import heading_and_stop
from speechdraft.text.sanitize import plain_text
from speechdraft.text.templating import template_syntax_at

__all__ = [
    "DATE_STYLES",
    "PROFILES",
    "REFERENCE_PATH",
    "REQUIRED_STYLES",
    "Block",
    "ExportDocument",
    "FontSettings",
    "Profile",
    "format_date",
    "reference_check",
    "reference_sanitize",
    "render_docx",
    "split_title",
]

REFERENCE_PATH = Path(__file__).resolve().parents[2] / "fixtures" / "reference.docx"

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
DC_NS = "http://purl.org/dc/elements/1.1/"
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
RT_OFFICE_DOCUMENT = _RT + "officeDocument"
RT_STYLES = _RT + "styles"
RT_SETTINGS = _RT + "settings"
RT_FONT_TABLE = _RT + "fontTable"
RT_FOOTER = _RT + "footer"
RT_HEADER = _RT + "header"
RT_ATTACHED_TEMPLATE = _RT + "attachedTemplate"
RT_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


# ---------------------------------------------------------------------------------------------
# Page geometry (GB/T 9704-2012 5.2), in twips. The page number sits 7 mm below the type area:
# its line (exactly one 四号 line high) is centred 28 mm above the bottom edge.
PAGE_WIDTH = 11906
PAGE_HEIGHT = 16838
MARGIN_TOP = 2098
MARGIN_BOTTOM = 1984
MARGIN_LEFT = 1588
MARGIN_RIGHT = 1474
HEADER_DISTANCE = 851
FOOTER_DISTANCE = 1447


@dataclass(frozen=True)
class Profile:
    """Type sizes (pt) and grid of a layout; line pitch and character grid follow from the page."""

    name: str
    label: str
    title_size: float
    text_size: float  # body, headings, speaker/date line, subtitle, salutation
    page_number_size: float
    lines_per_page: int
    chars_per_line: int
    page_number_align: Literal["outside", "center"]

    def line_pitch(self, type_height: int) -> int:
        """The largest whole-twip exact line spacing that still fits ``lines_per_page`` lines."""
        return type_height // self.lines_per_page

    def char_space(self, type_width: int) -> int:
        """``w:charSpace``: (grid pitch − Normal font size) × 4096, rounded down so all fit."""
        pitch_pt = type_width / 20 / self.chars_per_line
        return math.floor((pitch_pt - self.text_size) * 4096)

    def letter_spacing(self, type_width: int) -> int:
        """Condensed character spacing (twips, ≤ 0) that fits ``chars_per_line`` without a grid.

        LibreOffice does not compress text to a character grid narrower than the font (7.4 sets
        each character in two cells: 14 per line), so the text styles do not snap to the grid and
        carry this spacing instead, one twip tighter than the grid pitch because LibreOffice
        rounds the grid to 1/100 mm: 28 characters per line in Word, WPS and LibreOffice alike.
        """
        spare = math.floor(type_width / self.chars_per_line - self.text_size * 20) - 1
        return min(0, spare)


PROFILES: dict[str, Profile] = {
    # 22 lines × 28 characters, 三号 body, 二号 title, 四号 page numbers outside.
    "gongwen": Profile("gongwen", "公文格式", 22, 16, 14, 22, 28, "outside"),
    # Podium reading copy: 二号 body and headings, 15 lines × 20 characters, centred numbers.
    "large": Profile("large", "讲话大字版", 22, 22, 14, 15, 20, "center"),
}


@dataclass(frozen=True)
class FontSettings:
    """Font names written into the styles; the defaults are the GB/T 9704 faces."""

    title: str = "方正小标宋简体"
    subtitle: str = "楷体_GB2312"
    speaker: str = "楷体_GB2312"
    body: str = "仿宋_GB2312"
    level1: str = "黑体"
    level2: str = "楷体_GB2312"
    level3: str = "仿宋_GB2312"
    level4: str = "仿宋_GB2312"
    page_number: str = "宋体"
    latin: str = "Times New Roman"
    bold_title: bool = False
    # Practice, not the standard: many units set level 2 in 楷体加粗 and level 3 in 仿宋加粗.
    bold_level2: bool = False
    bold_level3: bool = False

    @classmethod
    def system(cls) -> FontSettings:
        """For offices without the licensed faces: the fonts Chinese Windows ships with."""
        return cls(
            title="宋体",
            subtitle="楷体",
            speaker="楷体",
            body="仿宋",
            level1="黑体",
            level2="楷体",
            level3="仿宋",
            level4="仿宋",
            page_number="宋体",
            bold_title=True,
        )

    def names(self) -> set[str]:
        """Every font name these settings may write (East Asian and Latin)."""
        return {getattr(self, f.name) for f in fields(self) if f.type in ("str", str)}


@dataclass(frozen=True)
class Block:
    """One item of the body, numbers and text already final.

    ``kind="heading"`` (level 1–4): ``number + heading`` standalone on its own line (closing
    punctuation dropped), or run-in (``run_in=True``): ``number + heading + 。`` in the level's
    font, ``body`` continuing in the same paragraph in the body font. A heading's ``body`` may hold
    several paragraphs separated by ``\\n``.

    ``kind="paragraph"`` (level 0–4): ``number + body`` in the body font (``第一，`` / ``一是`` …);
    a paragraph that also has a ``heading`` at level ≥ 1 is rendered like a run-in heading.
    """

    kind: Literal["paragraph", "heading"]
    level: int = 0
    number: str = ""
    heading: str = ""
    body: str = ""
    run_in: bool = False


@dataclass(frozen=True)
class ExportDocument:
    title: str
    subtitle: str | None = None
    speaker: str | None = None
    date: datetime.date | None = None
    salutation: str | None = None
    blocks: Sequence[Block] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Styles of the reference document. Names are what a person sees in Word/WPS (and what an office's
# own reference must contain); the "讲话稿" prefix keeps them apart from the built-in 标题/正文.


@dataclass(frozen=True)
class _Role:
    key: str
    style_id: str
    name: str
    kind: Literal["paragraph", "character"]
    font: str  # FontSettings field
    size: Literal["title", "text", "page_number"]
    bold: str | None = None  # FontSettings field
    indent: bool | None = None  # True: 2-character first line; False: flush; None: untouched
    required: bool = True


_ROLES: tuple[_Role, ...] = (
    _Role("title", "SdTitle", "讲话稿标题", "paragraph", "title", "title", bold="bold_title"),
    _Role("subtitle", "SdSubtitle", "讲话稿副标题", "paragraph", "subtitle", "text"),
    _Role("byline", "SdByline", "讲话稿署名", "paragraph", "speaker", "text"),
    _Role("salutation", "SdSalutation", "讲话稿称谓", "paragraph", "body", "text", indent=False),
    _Role("body", "SdBody", "讲话稿正文", "paragraph", "body", "text", indent=True),
    _Role("heading1", "SdHeading1", "讲话稿一级标题", "paragraph", "level1", "text", indent=True),
    _Role(
        "heading2",
        "SdHeading2",
        "讲话稿二级标题",
        "paragraph",
        "level2",
        "text",
        bold="bold_level2",
        indent=True,
    ),
    _Role(
        "heading3",
        "SdHeading3",
        "讲话稿三级标题",
        "paragraph",
        "level3",
        "text",
        bold="bold_level3",
        indent=True,
    ),
    _Role("heading4", "SdHeading4", "讲话稿四级标题", "paragraph", "level4", "text", indent=True),
    _Role("runin1", "SdRunIn1", "讲话稿一级标题（接排）", "character", "level1", "text"),
    _Role(
        "runin2",
        "SdRunIn2",
        "讲话稿二级标题（接排）",
        "character",
        "level2",
        "text",
        bold="bold_level2",
    ),
    _Role(
        "runin3",
        "SdRunIn3",
        "讲话稿三级标题（接排）",
        "character",
        "level3",
        "text",
        bold="bold_level3",
    ),
    _Role("runin4", "SdRunIn4", "讲话稿四级标题（接排）", "character", "level4", "text"),
    # Only the built-in footers use it: an office's reference keeps its own footers.
    _Role(
        "page_number",
        "SdPageNumber",
        "讲话稿页码",
        "paragraph",
        "page_number",
        "page_number",
        required=False,
    ),
)
_ROLE_BY_KEY = {role.key: role for role in _ROLES}
REQUIRED_STYLES: tuple[str, ...] = tuple(role.name for role in _ROLES if role.required)

# Child order that Word enforces (ECMA-376 sequences), for inserting into existing elements.
_STYLE_ORDER = (
    "name aliases basedOn next link autoRedefine hidden uiPriority semiHidden unhideWhenUsed "
    "qFormat locked personal personalCompose personalReply rsid pPr rPr tblPr trPr tcPr tblStylePr"
).split()
_PPR_ORDER = (
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr "
    "shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE "
    "autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents "
    "suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr "
    "sectPr pPrChange"
).split()
_RPR_ORDER = (
    "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof "
    "snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd "
    "fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath"
).split()
_SECTPR_ORDER = (
    "headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders "
    "lnNumType pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter "
    "docGrid printerSettings sectPrChange"
).split()
_DOC_DEFAULTS_ORDER = ["rPrDefault", "pPrDefault"]
_STYLES_ORDER = ["docDefaults", "latentStyles", "style"]

_MAX_REFERENCE_BYTES = 50 * 1024 * 1024


# ---------------------------------------------------------------------------------------------
# Text hygiene


def _clean(text: str | None) -> str:
    """Drop what is not text (speechdraft.text.sanitize: XML 1.0 forbids most controls, and the
    rest is never meant in a speech); normalise line breaks; a tab is a space."""
    return plain_text(text).replace("\t", " ")


def _one_line(text: str | None) -> str:
    return _clean(text).replace("\n", "").strip()


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in _clean(text).split("\n") if line.strip()]


def _check_slots(texts: Sequence[str]) -> None:
    for text in texts:
        at = template_syntax_at(text)
        if at != -1:
            snippet = text[max(0, at - 10) : at + 20]
            raise ValueError(f"文稿中还有未填写的占位符，请先填写后再导出：“{snippet}”")


# ---------------------------------------------------------------------------------------------
# Dates and titles

_OPEN = "（《「『【〔“‘([{<"
_CLOSE = "）》」』】〕”’)]}>"
_PAIRS = dict(zip(_OPEN, _CLOSE, strict=True))
_NO_LINE_START = _CLOSE + "，。、；：？！…·%,.;:?!"
_AFTER_PUNCT = "，。、；：？！,;:?!" + _CLOSE
_INF = float("inf")


def _width(text: str) -> float:
    return sum(0.5 if ch.isascii() else 1.0 for ch in text)


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in ".%+-/&_'")


# Terms of the genre that a title must not break inside (no dictionary at hand: jieba takes
# seconds to load, far too slow for an export).
_KEEP_WHOLE = re.compile(
    "党的[一二三四五六七八九十]+(?:大|届)|二十届[一二三四五六七八九十]+中全会|"
    "习近平新时代中国特色社会主义思想|中国特色社会主义|中国式现代化|高质量发展|新发展理念|"
    "新时代|党的建设|全面从严治党|党风廉政建设|主题教育|乡村振兴|共同富裕|营商环境|"
    "[\u4e00-\u9fff]{0,2}(?:工作会议|全体会议|常委会|全会|大会|会议|座谈会|推进会|动员会|"
    "研讨班|培训班|开班式|结业式|讲话|报告)"
)
_ENDS_WEAK = set("在的和与及暨对把将从")


def _break_penalties(title: str) -> list[float]:
    """Penalty of a line break before ``title[i]`` (index 0 unused): inf where never allowed."""
    inside = [False] * (len(title) + 1)
    for match in _KEEP_WHOLE.finditer(title):
        for i in range(match.start() + 1, match.end()):
            inside[i] = True
    closers: list[str] = []
    penalties = [_INF] * len(title)
    for i, ch in enumerate(title):
        if i > 0:
            penalties[i] = _break_penalty(title, i, in_term=inside[i], quoted=bool(closers))
        if closers and ch == closers[-1]:
            closers.pop()
        elif ch in _PAIRS:
            closers.append(_PAIRS[ch])
    return penalties


def _break_penalty(title: str, i: int, *, in_term: bool, quoted: bool) -> float:
    """Penalty of a line break before ``title[i]`` (``i`` > 0), inside a term kept whole
    (``in_term``) or inside 《》 or quotes (``quoted``)."""
    a, b = title[i - 1], title[i]
    if _is_word_char(a) and _is_word_char(b):
        pen = _INF  # 2024, GDP, 5.5%
    elif b in _NO_LINE_START or a in _OPEN or a == "—":
        pen = _INF  # no closing mark first, no opening mark or dash last
    elif quoted:
        pen = 100.0  # inside 《》 or quotes: only when a quotation is longer than a line
    elif a in _AFTER_PUNCT or b == "—":
        pen = 0.0
    elif in_term:
        pen = 50.0
    elif b in "在暨" or title.startswith("关于", i):
        pen = 0.0  # 在…会议上 / 关于… open a phrase
    elif b in _OPEN:
        pen = 1.0
    elif b == "的" or a.isascii() or b.isascii():
        pen = 2.0
    else:
        pen = 4.0  # possibly inside a word
    if a in _ENDS_WEAK:
        pen += 3.0  # a line should not end on a preposition or conjunction
    return pen


def split_title(title: str, max_width: int = 20) -> list[str]:
    """Break a long title into balanced lines (a trapezoid), keeping words and quotations whole.

    ``max_width`` is the number of full-width characters a line holds (20 at 二号 in the GB/T
    type area); ASCII counts half. Lines of near-equal width are preferred, longer lines first;
    breaks fall after punctuation, before 在/关于/暨/的, never inside an ASCII/digit run (2024,
    GDP), inside 《…》 or quotes unless a quotation alone exceeds a line.
    """
    title = title.strip()
    if _width(title) <= max_width or len(title) < 2:
        return [title] if title else []
    penalties = _break_penalties(title)
    candidates = [i for i in range(1, len(title)) if penalties[i] < _INF]
    count = math.ceil(_width(title) / max_width)
    if count > 3 or not candidates:
        return _greedy_lines(title, penalties, max_width)
    prefix = [0.0]
    for ch in title:
        prefix.append(prefix[-1] + (0.5 if ch.isascii() else 1.0))
    best: tuple[float, tuple[int, ...]] | None = None
    for lines in (count, count + 1):
        if lines > min(3, len(candidates) + 1):
            break
        for cuts in combinations(candidates, lines - 1):
            bounds = (0, *cuts, len(title))
            widths = [prefix[b] - prefix[a] for a, b in pairwise(bounds)]
            if max(widths) > max_width:
                continue
            cost = max(widths) - min(widths) + sum(penalties[c] for c in cuts)
            # A line clearly longer than the one above it turns the trapezoid upside down.
            cost += sum(1.0 for x, y in pairwise(widths) if y > x + 1)
            cost += 3 * (lines - count)
            if best is None or cost < best[0]:
                best = (cost, cuts)
        if best is not None and best[0] < 3:
            break
    if best is None or best[0] >= 50:
        # Only by breaking a quotation or a term: more lines may keep them whole.
        greedy = _greedy_lines(title, penalties, max_width)
        cuts = [sum(map(len, greedy[:i])) for i in range(1, len(greedy))]
        if best is None or sum(penalties[c] for c in cuts) < sum(penalties[c] for c in best[1]):
            return greedy
    bounds = (0, *best[1], len(title))
    return [title[a:b] for a, b in pairwise(bounds)]


def _greedy_lines(title: str, penalties: list[float], max_width: int) -> list[str]:
    """Fallback for very long titles: fill each line up to the latest acceptable break."""
    lines: list[str] = []
    start = 0
    while _width(title[start:]) > max_width:
        end = start + 1
        while end < len(title) and _width(title[start : end + 1]) <= max_width:
            end += 1
        window = range(start + 1, end + 1)
        # The latest ordinary break; failing that the least bad one (inside a quotation …).
        cut = max(window, key=lambda i: (-max(penalties[i], 10), i))
        lines.append(title[start:cut])
        start = cut
    lines.append(title[start:])
    return lines


# ---------------------------------------------------------------------------------------------
# Package access: the reference is read as a zip of XML parts; only the parts changed are
# re-serialised, everything else (letterhead headers, images, theme) is copied byte for byte.

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def _rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


class _Package:
    def __init__(self, data: bytes):
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            infos = archive.infolist()
            if sum(info.file_size for info in infos) > _MAX_REFERENCE_BYTES:
                raise ValueError("参考文档过大，无法使用。")
            self.names = [info.filename for info in infos if not info.is_dir()]
            self.blobs = {name: archive.read(name) for name in self.names}
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as exc:
            raise ValueError("无法读取参考文档：不是有效的 Word 文档（.docx）。") from exc
        self._trees: dict[str, etree._Element] = {}
        main = self.related("", RT_OFFICE_DOCUMENT)
        if not main or main[0][1] not in self.blobs:
            raise ValueError("无法读取参考文档：找不到文档正文部分。")
        self.main = main[0][1]

    def xml(self, name: str) -> etree._Element:
        """The parsed part; parts obtained here are written back on :meth:`to_bytes`."""
        if name not in self._trees:
            try:
                self._trees[name] = etree.fromstring(self.blobs[name], _PARSER)
            except etree.XMLSyntaxError as exc:
                raise ValueError(f"无法读取参考文档：{name} 不是有效的 XML。") from exc
        return self._trees[name]

    def related(self, source: str, rel_type: str | None = None) -> list[tuple[str, str]]:
        """(rId, part name) of the internal relationships of ``source`` ('' = the package)."""
        rels = _rels_name(source) if source else "_rels/.rels"
        if rels not in self.blobs:
            return []
        base = posixpath.dirname(source)
        found = []
        for rel in self.xml(rels):
            if rel.get("TargetMode") == "External":
                continue
            if rel_type is not None and rel.get("Type") != rel_type:
                continue
            target = rel.get("Target", "")
            if target.startswith("/"):
                name = target.lstrip("/")
            else:
                name = posixpath.normpath(posixpath.join(base, target))
            found.append((rel.get("Id", ""), name))
        return found

    def part(self, rel_type: str) -> str | None:
        parts = self.related(self.main, rel_type)
        return parts[0][1] if parts and parts[0][1] in self.blobs else None

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in self.names:
                if name in self._trees:
                    blob = etree.tostring(
                        self._trees[name], xml_declaration=True, encoding="UTF-8", standalone=True
                    )
                else:
                    blob = self.blobs[name]
                # A fixed timestamp keeps the output (and the committed reference) reproducible.
                info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, blob)
        return out.getvalue()


def _child(parent: etree._Element, tag: str, order: Sequence[str]) -> etree._Element:
    """The ``w:tag`` child of ``parent``, created in schema order if missing."""
    found = parent.find(_w(tag))
    if found is not None:
        return found
    rank = order.index(tag) if tag in order else len(order)
    element = parent.makeelement(_w(tag), {})
    for index, sibling in enumerate(parent):
        if not isinstance(sibling.tag, str):
            continue
        local = etree.QName(sibling).localname
        if (order.index(local) if local in order else len(order)) > rank:
            parent.insert(index, element)
            return element
    parent.append(element)
    return element


def _set(element: etree._Element, **attrs: str | int) -> None:
    for key, value in attrs.items():
        element.set(_w(key), str(value))


def _style_index(styles: etree._Element) -> dict[str, tuple[str, str, etree._Element]]:
    """Style name → (styleId, type, element)."""
    index = {}
    for style in styles.iterfind(_w("style")):
        name = style.find(_w("name"))
        if name is not None and name.get(_w("val")):
            index[name.get(_w("val")).strip()] = (
                style.get(_w("styleId"), ""),
                style.get(_w("type"), "paragraph"),
                style,
            )
    return index


def _missing_styles(index: dict[str, tuple[str, str, etree._Element]]) -> list[str]:
    return [
        role.name
        for role in _ROLES
        if role.required and (role.name not in index or index[role.name][1] != role.kind)
    ]


# ---------------------------------------------------------------------------------------------
# Links out of a reference: an attached template on a share or a web server, hyperlinks, linked
# images and the like would be copied into every export, and Word or WPS would fetch them (and
# send the reader's credentials to a share) when the export is opened.

# Elements that are nothing but their link: removed with it (anything else loses the attribute).
_LINK_ONLY = {_w("attachedTemplate"), _w("subDoc"), _w("sourceFileName")}


def _rels_source(rels: str) -> str | None:
    """The part whose relationships ``rels`` holds ('' = the package); None if not a .rels."""
    folder, name = posixpath.split(rels)
    if posixpath.basename(folder) != "_rels" or not name.endswith(".rels"):
        return None
    return posixpath.join(posixpath.dirname(folder), name[: -len(".rels")])


# A target that is not a part of the package, whatever its TargetMode says: a URL, a drive path
# (C:), a UNC path (\\host\share) or a network-path reference (//host).
_OUTSIDE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:|[\\/]{2}")


def _links_out(rel: etree._Element) -> bool:
    mode = (rel.get("TargetMode") or "").strip().lower()
    return mode == "external" or bool(_OUTSIDE.match((rel.get("Target") or "").strip()))


def _mentions(blob: bytes, word: str) -> bool:
    """Whether ``word`` may occur in an XML part (UTF-8 or UTF-16, as OPC allows)."""
    return any(word.encode(codec) in blob for codec in ("utf-8", "utf-16-le", "utf-16-be"))


def _strip_external(package: _Package) -> int:
    """Remove every external relationship and every ``w:attachedTemplate`` (with the
    relationship it names) from ``package``, and every reference to a removed relationship.

    Returns how many links were removed (an attached template and its relationship count once).
    Every relationship part is parsed (a byte search would miss ``&#69;xternal``); of the other
    parts only those that change are, so everything else is still copied byte for byte.
    """
    doomed, templates = _remove_attached_templates(package)
    gone, links = _remove_external_relationships(package, doomed)
    for source, ids in gone.items():
        if source.endswith(".xml") and source in package.blobs:
            _remove_references(package.xml(source), ids)
    return templates + links


def _remove_attached_templates(package: _Package) -> tuple[dict[str, set[str]], int]:
    """Remove every ``w:attachedTemplate``: by source part, the rIds they named; how many."""
    removed = 0
    doomed: dict[str, set[str]] = {}  # source part → rIds named by removed attachedTemplates
    for name in package.names:
        if name.endswith(".xml") and _mentions(package.blobs[name], "attachedTemplate"):
            root = package.xml(name)
            for element in list(root.iter(_w("attachedTemplate"))):
                doomed.setdefault(name, set()).add(element.get(f"{{{R_NS}}}id", ""))
                element.getparent().remove(element)
                removed += 1
    return doomed, removed


def _remove_external_relationships(
    package: _Package, doomed: dict[str, set[str]]
) -> tuple[dict[str, set[str]], int]:
    """Remove the relationships that link out, attach a template or are named in ``doomed``:
    by source part, the rIds removed; how many (those in ``doomed`` were counted already)."""
    removed = 0
    gone: dict[str, set[str]] = {}  # source part → rIds of removed relationships
    for rels in package.names:
        source = _rels_source(rels)
        if source is None:
            continue
        named = doomed.get(source, set())
        for rel in list(package.xml(rels)):
            if not isinstance(rel.tag, str):
                continue
            rel_id = rel.get("Id", "")
            if _links_out(rel) or rel.get("Type") == RT_ATTACHED_TEMPLATE or rel_id in named:
                rel.getparent().remove(rel)
                gone.setdefault(source, set()).add(rel_id)
                if rel_id not in named:
                    removed += 1
    return gone, removed


def _remove_references(root: etree._Element, ids: set[str]) -> None:
    """Remove from a part every reference to the relationships ``ids``: a mail merge or a
    link-only element whole, any other element only its attribute."""
    doomed_elements = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for attr in [a for a in element.attrib if a.startswith(f"{{{R_NS}}}")]:
            if element.get(attr) not in ids:
                continue
            mail_merge = next(element.iterancestors(_w("mailMerge")), None)
            if mail_merge is not None:
                doomed_elements.append(mail_merge)
            elif element.tag in _LINK_ONLY:
                doomed_elements.append(element)
            else:
                del element.attrib[attr]  # a hyperlink keeps its text, a picture its place
    for element in doomed_elements:
        if element.getparent() is not None:
            element.getparent().remove(element)


def reference_sanitize(data: bytes) -> tuple[bytes, int]:
    """``data`` without links out of the package (see :func:`_strip_external`), and how many
    were removed; ``data`` itself when there were none.

    Raises ``ValueError`` (Chinese message) when ``data`` is not a readable .docx.
    """
    package = _Package(data)
    removed = _strip_external(package)
    return (package.to_bytes() if removed else data), removed


def reference_check(data: bytes) -> list[str]:
    """Names of the required styles missing from a reference .docx (empty list: usable).

    A style of the wrong type (a paragraph style where a character style is needed) counts as
    missing. Raises ``ValueError`` (Chinese message) when ``data`` is not a readable .docx.
    """
    package = _Package(data)
    styles = package.part(RT_STYLES)
    if styles is None:
        return list(REQUIRED_STYLES)
    return _missing_styles(_style_index(package.xml(styles)))


# ---------------------------------------------------------------------------------------------
# Formatting the reference: the same functions format the built-in reference when it is built
# and at every render, and an office's reference for the "large" profile or explicit fonts.


def _set_fonts(rpr: etree._Element, east_asia: str, latin: str) -> None:
    fonts = _child(rpr, "rFonts", _RPR_ORDER)
    fonts.attrib.clear()
    # hint: ambiguous characters (“” — …) take the East Asian face, as Chinese readers expect.
    _set(fonts, ascii=latin, hAnsi=latin, eastAsia=east_asia, cs=latin, hint="eastAsia")


def _set_bold(rpr: etree._Element, bold: bool) -> None:
    for tag in ("b", "bCs"):
        element = _child(rpr, tag, _RPR_ORDER)
        element.attrib.clear()
        if not bold:
            _set(element, val=0)


def _set_size(rpr: etree._Element, points: float) -> None:
    half_points = round(points * 2)
    _set(_child(rpr, "sz", _RPR_ORDER), val=half_points)
    _set(_child(rpr, "szCs", _RPR_ORDER), val=half_points)


def _set_line(ppr: etree._Element, pitch: int) -> None:
    _set(_child(ppr, "spacing", _PPR_ORDER), line=pitch, lineRule="exact")


def _type_area(sect: etree._Element) -> tuple[int, int]:
    size = sect.find(_w("pgSz"))
    margins = sect.find(_w("pgMar"))

    def twips(element: etree._Element | None, attr: str, default: int) -> int:
        if element is None or element.get(_w(attr)) is None:
            return default
        return abs(int(float(element.get(_w(attr)))))

    width = twips(size, "w", PAGE_WIDTH) - twips(margins, "left", MARGIN_LEFT)
    width -= twips(margins, "right", MARGIN_RIGHT) + twips(margins, "gutter", 0)
    height = twips(size, "h", PAGE_HEIGHT) - twips(margins, "top", MARGIN_TOP)
    height -= twips(margins, "bottom", MARGIN_BOTTOM)
    return width, height


def _format_section(sect: etree._Element, profile: Profile) -> tuple[int, int]:
    """Set the document grid from the type area; returns the line pitch and letter spacing."""
    width, height = _type_area(sect)
    pitch = profile.line_pitch(height)
    grid = _child(sect, "docGrid", _SECTPR_ORDER)
    grid.attrib.clear()
    _set(grid, type="linesAndChars", linePitch=pitch, charSpace=profile.char_space(width))
    return pitch, profile.letter_spacing(width)


def _size_of(role: _Role, profile: Profile) -> float:
    return {
        "title": profile.title_size,
        "text": profile.text_size,
        "page_number": profile.page_number_size,
    }[role.size]


def _format_styles(
    styles: etree._Element,
    index: dict[str, tuple[str, str, etree._Element]],
    profile: Profile | None,
    fonts: FontSettings | None,
    grid: tuple[int, int] | None,
) -> None:
    defaults = _child(styles, "docDefaults", _STYLES_ORDER)
    rpr = _child(_child(defaults, "rPrDefault", _DOC_DEFAULTS_ORDER), "rPr", [])
    ppr = _child(_child(defaults, "pPrDefault", _DOC_DEFAULTS_ORDER), "pPr", [])
    # Without an East Asian language Word and WPS fall back to Japanese faces.
    _set(_child(rpr, "lang", _RPR_ORDER), eastAsia="zh-CN")
    normal = next(
        (
            s
            for s in styles.iterfind(_w("style"))
            if s.get(_w("type")) == "paragraph" and s.get(_w("default")) in ("1", "true", "on")
        ),
        None,
    )
    targets = [(rpr, ppr)]
    if normal is not None:
        targets.append((_child(normal, "rPr", _STYLE_ORDER), _child(normal, "pPr", _STYLE_ORDER)))
    for run_props, par_props in targets:
        if fonts is not None:
            _set_fonts(run_props, fonts.body, fonts.latin)
        if profile is not None and grid is not None:
            # The character grid counts from the Normal font size: it must be the body size.
            _set_size(run_props, profile.text_size)
            _set_line(par_props, grid[0])
            _set(_child(run_props, "spacing", _RPR_ORDER), val=grid[1])
    for role in _ROLES:
        entry = index.get(role.name)
        if entry is None or entry[1] != role.kind:
            continue
        style = entry[2]
        run_props = _child(style, "rPr", _STYLE_ORDER)
        if fonts is not None:
            _set_fonts(run_props, getattr(fonts, role.font), fonts.latin)
            _set_bold(run_props, bool(role.bold and getattr(fonts, role.bold)))
        if profile is None or grid is None:
            continue
        pitch = grid[0]
        size = _size_of(role, profile)
        _set_size(run_props, size)
        if role.kind == "character":
            continue
        par_props = _child(style, "pPr", _STYLE_ORDER)
        if role.key == "page_number":
            # A footer line is exactly one number high, off the body grid.
            _set_line(par_props, round(size * 20))
        else:
            _set_line(par_props, pitch)
        if role.indent is not None:
            indent = _child(par_props, "ind", _PPR_ORDER)
            for attr in ("hanging", "hangingChars", "firstLine", "firstLineChars"):
                indent.attrib.pop(_w(attr), None)
            chars = 200 if role.indent else 0
            _set(indent, firstLineChars=chars, firstLine=round(size * 20) * chars // 100)


def _strip_theme_references(root: etree._Element) -> None:
    """Drop theme fonts (which win over font names) and theme colours (explicit values stay)."""
    for element in root.iter():
        for attr in [a for a in element.attrib if "theme" in etree.QName(a).localname.lower()]:
            del element.attrib[attr]


def _has_page_field(paragraph: etree._Element) -> bool:
    for simple in paragraph.iter(_w("fldSimple")):
        if "PAGE" in simple.get(_w("instr"), "").split():
            return True
    return any("PAGE" in (text.text or "").split() for text in paragraph.iter(_w("instrText")))


def _format_page_numbers(package: _Package, sect: etree._Element, profile: Profile) -> None:
    """Odd pages right, even pages left, one character in from the edge; or all centred."""
    targets = dict(package.related(package.main, RT_FOOTER))
    one_char = round(profile.page_number_size * 20)
    for reference in sect.iterfind(_w("footerReference")):
        name = targets.get(reference.get(f"{{{R_NS}}}id", ""))
        if name is None or name not in package.blobs:
            continue
        kind = reference.get(_w("type"), "default")
        for paragraph in package.xml(name).iter(_w("p")):
            if not _has_page_field(paragraph):
                continue
            ppr = paragraph.find(_w("pPr"))
            if ppr is None:
                ppr = paragraph.makeelement(_w("pPr"), {})
                paragraph.insert(0, ppr)
            indent = _child(ppr, "ind", _PPR_ORDER)
            indent.attrib.clear()
            jc = _child(ppr, "jc", _PPR_ORDER)
            if profile.page_number_align == "center":
                _set(indent, left=0, right=0)
                _set(jc, val="center")
            elif kind == "even":
                _set(indent, left=one_char, right=0)
                _set(jc, val="left")
            else:
                _set(indent, left=0, right=one_char)
                _set(jc, val="right")


def font_table_xml(fonts: FontSettings) -> bytes:
    """A fontTable part naming the configured faces (charset 86 = GB2312 guides substitution)."""
    east_asian = sorted(fonts.names() - {fonts.latin})
    entries = [
        f'<w:font w:name="{escape(name, {chr(34): "&quot;"})}"><w:charset w:val="86"/>'
        '<w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>'
        for name in east_asian
    ]
    entries.append(
        f'<w:font w:name="{escape(fonts.latin, {chr(34): "&quot;"})}"><w:charset w:val="00"/>'
        '<w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>'
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:fonts xmlns:w="{W_NS}">{"".join(entries)}</w:fonts>'
    ).encode()


# ---------------------------------------------------------------------------------------------
# Body XML


def _attr(value: str) -> str:
    return escape(value, {'"': "&quot;"})


def _run(text: str, style_id: str | None = None) -> str:
    if not text:
        return ""
    props = f'<w:rPr><w:rStyle w:val="{_attr(style_id)}"/></w:rPr>' if style_id else ""
    return f'<w:r>{props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _paragraph(style_id: str, runs: str = "") -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="{_attr(style_id)}"/></w:pPr>{runs}</w:p>'


@dataclass
class _Content:
    title: list[str]
    subtitle: list[str]
    byline: list[str]
    salutation: str
    blocks: list[tuple[Block, str, str, list[str]]]  # block, number, heading, body paragraphs


def _prepare(doc: ExportDocument, date_style: str) -> _Content:
    """Validate and clean the caller's text; fail on unfilled slots."""
    byline = _lines(doc.speaker)
    if doc.date is not None:
        byline.append(f"（{format_date(doc.date, date_style)}）")
    content = _Content(
        title=_lines(doc.title),
        subtitle=_lines(doc.subtitle),
        byline=byline,
        salutation=_one_line(doc.salutation),
        blocks=[],
    )
    for position, block in enumerate(doc.blocks, start=1):
        if block.kind not in ("paragraph", "heading"):
            raise ValueError(f"第 {position} 项的类型无效：{block.kind!r}")
        if not isinstance(block.level, int) or not 0 <= block.level <= 4:
            raise ValueError(f"第 {position} 项的层级必须是 0 到 4，收到：{block.level!r}")
        if block.kind == "heading" and block.level == 0:
            raise ValueError(f"第 {position} 项是标题，层级必须是 1 到 4。")
        content.blocks.append(
            (block, _one_line(block.number), _one_line(block.heading), _lines(block.body))
        )
    texts = [*content.title, *content.subtitle, *content.byline, content.salutation]
    for _block, number, heading, body in content.blocks:
        texts.extend([number, heading, *body])
    _check_slots(texts)
    return content


def _body_xml(content: _Content, ids: dict[str, str], title_width: int) -> list[str]:
    out: list[str] = []
    title_lines = [part for line in content.title for part in split_title(line, title_width)]
    if title_lines:
        breaks = "<w:br/>".join(
            f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in title_lines
        )
        out.append(_paragraph(ids["title"], f"<w:r>{breaks}</w:r>"))
    out.extend(_paragraph(ids["subtitle"], _run(line)) for line in content.subtitle)
    out.extend(_paragraph(ids["byline"], _run(line)) for line in content.byline)
    if content.salutation or content.blocks:
        if out:
            out.append(_paragraph(ids["body"]))  # 空一行 under the head block
        if content.salutation:
            out.append(_paragraph(ids["salutation"], _run(content.salutation)))
    body_id = ids["body"]
    for block, number, heading, body in content.blocks:
        level = block.level
        if block.kind == "heading" and not block.run_in:
            heading, _ = heading_and_stop(heading, run_in=False)
            if number or heading:
                out.append(_paragraph(ids[f"heading{level}"], _run(number + heading)))
            out.extend(_paragraph(body_id, _run(text)) for text in body)
            continue
        shown, stop = heading_and_stop(heading, run_in=True)
        heading = shown + stop
        first = body[0] if body else ""
        if level >= 1 and (block.kind == "heading" or heading):
            runs = _run(number + heading, ids[f"runin{level}"]) + _run(first)
        else:
            runs = _run(number + heading + first)
        if runs:
            out.append(_paragraph(body_id, runs))
        out.extend(_paragraph(body_id, _run(text)) for text in body[1:])
    return out


# ---------------------------------------------------------------------------------------------
# Rendering

_EMPTY_SECTION = (
    f'<w:sectPr xmlns:w="{W_NS}"><w:pgSz w:w="{PAGE_WIDTH}" w:h="{PAGE_HEIGHT}"/>'
    f'<w:pgMar w:top="{MARGIN_TOP}" w:right="{MARGIN_RIGHT}" w:bottom="{MARGIN_BOTTOM}" '
    f'w:left="{MARGIN_LEFT}" w:header="{HEADER_DISTANCE}" w:footer="{FOOTER_DISTANCE}" '
    'w:gutter="0"/></w:sectPr>'
)


@cache
def _builtin_reference() -> bytes:
    if REFERENCE_PATH.exists():
        return REFERENCE_PATH.read_bytes()
    from speechdraft.ooxml.builtin_reference import build_reference  # imports this module

    return build_reference()


def _profile(name: str) -> Profile:
    try:
        return PROFILES[name]
    except KeyError:
        options = "、".join(PROFILES)
        raise ValueError(f"未知的版式：{name!r}（可选：{options}）") from None


def render_docx(
    doc: ExportDocument,
    *,
    profile: str = "gongwen",
    fonts: FontSettings | None = None,
    date_style: str = "arabic",
    reference: bytes | Path | None = None,
) -> bytes:
    """Render ``doc`` to the bytes of a .docx file.

    With the built-in reference the ``profile`` and ``fonts`` (default :class:`FontSettings`) are
    always applied. With an office's own ``reference`` its styles, page setup, headers and
    footers rule: ``fonts`` is applied only when given, and only the ``"large"`` profile changes
    sizes, spacing and page-number alignment. The reference's body content is replaced.

    Raises ``ValueError`` (Chinese message) for unfilled slots (``{{``/``{%``), an unknown
    profile or date style, invalid blocks, or a reference that is unreadable or lacks a style.
    """
    prof = _profile(profile)
    if date_style not in DATE_STYLES:
        raise ValueError(f"未知的日期格式：{date_style!r}（可选：arabic、chinese）")
    content = _prepare(doc, date_style)
    if reference is None:
        return _render(_builtin_reference(), content, prof, fonts or FontSettings(), builtin=True)
    data = Path(reference).read_bytes() if isinstance(reference, str | PathLike) else reference
    return _render(bytes(data), content, prof, fonts, builtin=False)


def _render(
    data: bytes,
    content: _Content,
    profile: Profile,
    fonts: FontSettings | None,
    *,
    builtin: bool,
) -> bytes:
    package = _Package(data)
    styles_name = package.part(RT_STYLES)
    if styles_name is None:
        raise ValueError("参考文档缺少样式：" + "、".join(REQUIRED_STYLES))
    styles = package.xml(styles_name)
    index = _style_index(styles)
    missing = _missing_styles(index)
    if missing:
        raise ValueError("参考文档缺少样式：" + "、".join(missing))

    document = package.xml(package.main)
    body = document.find(_w("body"))
    if body is None:
        raise ValueError("无法读取参考文档：找不到文档正文部分。")
    section = body[-1] if len(body) and body[-1].tag == _w("sectPr") else None
    if section is None:
        section = etree.fromstring(_EMPTY_SECTION)
    if not builtin:
        # References stored before uploads were sanitised may still link out of the package.
        _strip_external(package)
        # An office's reference made in Word carries theme fonts, which would win over names.
        for name in package.names:
            if (
                name.endswith(".xml")
                and not name.startswith("word/theme/")
                and b"theme" in package.blobs[name].lower()
            ):
                _strip_theme_references(package.xml(name))

    apply_profile = builtin or profile.name != "gongwen"
    grid = _format_section(section, profile) if apply_profile else None
    _format_styles(styles, index, profile if apply_profile else None, fonts, grid)
    if apply_profile:
        _format_page_numbers(package, section, profile)
    font_table = package.part(RT_FONT_TABLE)
    if builtin and fonts is not None and font_table is not None:
        package.blobs[font_table] = font_table_xml(fonts)

    ids = {role.key: index[role.name][0] for role in _ROLES if role.name in index}
    title_size = index[_ROLE_BY_KEY["title"].name][2].find(f"{_w('rPr')}/{_w('sz')}")
    half_points = title_size.get(_w("val"), "") if title_size is not None else ""
    title_pt = int(half_points) / 2 if half_points.isdigit() else profile.title_size
    width, _height = _type_area(section)
    title_width = max(4, int(width / 20 // title_pt))

    fragment = etree.fromstring(
        f'<w:body xmlns:w="{W_NS}">{"".join(_body_xml(content, ids, title_width))}</w:body>',
        _PARSER,
    )
    for child in list(body):
        body.remove(child)
    for child in list(fragment):
        body.append(child)
    body.append(section)
    _set_core_title(package, " ".join(content.title))
    return package.to_bytes()


def _set_core_title(package: _Package, title: str) -> None:
    core = package.related("", RT_CORE)
    if not core or core[0][1] not in package.blobs:
        return
    root = package.xml(core[0][1])
    element = root.find(f"{{{DC_NS}}}title")
    if element is None:
        element = etree.SubElement(root, f"{{{DC_NS}}}title")
    element.text = title
