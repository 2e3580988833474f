"""The named styles that carry the format, and how a profile and fonts are written into them.

Names are what a person sees in Word/WPS (and what an office's own reference must contain); the
"讲话稿" prefix keeps them apart from the built-in 标题/正文. Fonts are named only in the styles
and docDefaults, never in theme attributes and never per run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from xml.sax.saxutils import escape

from lxml import etree

from speechdraft.ooxml.model import FontSettings, Profile
from speechdraft.ooxml.schema import (
    DOC_DEFAULTS_ORDER,
    PPR_ORDER,
    RPR_ORDER,
    STYLE_ORDER,
    STYLES_ORDER,
    W_NS,
    child,
    set_attrs,
    w,
)


@dataclass(frozen=True)
class Role:
    key: str
    style_id: str
    name: str
    kind: Literal["paragraph", "character"]
    font: str  # FontSettings field
    size: Literal["title", "text", "page_number"]
    bold: str | None = None  # FontSettings field
    indent: bool | None = None  # True: 2-character first line; False: flush; None: untouched
    required: bool = True
    latin: str = "latin"  # FontSettings field of the ascii/hAnsi/cs face


ROLES: tuple[Role, ...] = (
    # Not required: with an office's reference lacking it, the mark takes the salutation's.
    Role(
        "mark", "SdMark", "讲话稿标注", "paragraph", "level1", "text", indent=False, required=False
    ),
    Role("title", "SdTitle", "讲话稿标题", "paragraph", "title", "title", bold="bold_title"),
    Role("subtitle", "SdSubtitle", "讲话稿副标题", "paragraph", "subtitle", "text"),
    Role("byline", "SdByline", "讲话稿署名", "paragraph", "speaker", "text"),
    Role("salutation", "SdSalutation", "讲话稿称谓", "paragraph", "body", "text", indent=False),
    Role("body", "SdBody", "讲话稿正文", "paragraph", "body", "text", indent=True),
    Role("heading1", "SdHeading1", "讲话稿一级标题", "paragraph", "level1", "text", indent=True),
    Role(
        "heading2",
        "SdHeading2",
        "讲话稿二级标题",
        "paragraph",
        "level2",
        "text",
        bold="bold_level2",
        indent=True,
    ),
    Role(
        "heading3",
        "SdHeading3",
        "讲话稿三级标题",
        "paragraph",
        "level3",
        "text",
        bold="bold_level3",
        indent=True,
    ),
    Role("heading4", "SdHeading4", "讲话稿四级标题", "paragraph", "level4", "text", indent=True),
    Role("runin1", "SdRunIn1", "讲话稿一级标题（接排）", "character", "level1", "text"),
    Role(
        "runin2",
        "SdRunIn2",
        "讲话稿二级标题（接排）",
        "character",
        "level2",
        "text",
        bold="bold_level2",
    ),
    Role(
        "runin3",
        "SdRunIn3",
        "讲话稿三级标题（接排）",
        "character",
        "level3",
        "text",
        bold="bold_level3",
    ),
    Role("runin4", "SdRunIn4", "讲话稿四级标题（接排）", "character", "level4", "text"),
    # Only the built-in footers use it: an office's reference keeps its own footers.
    Role(
        "page_number",
        "SdPageNumber",
        "讲话稿页码",
        "paragraph",
        "page_number",
        "page_number",
        required=False,
        # GB/T 9704 7.5: 4号半角宋体阿拉伯数字 — the digits too are in the page-number face.
        latin="page_number",
    ),
)
ROLE_BY_KEY = {role.key: role for role in ROLES}
REQUIRED_STYLES: tuple[str, ...] = tuple(role.name for role in ROLES if role.required)


def style_index(styles: etree._Element) -> dict[str, tuple[str, str, etree._Element]]:
    """Style name → (styleId, type, element)."""
    index = {}
    for style in styles.iterfind(w("style")):
        name = style.find(w("name"))
        if name is not None and name.get(w("val")):
            index[name.get(w("val")).strip()] = (
                style.get(w("styleId"), ""),
                style.get(w("type"), "paragraph"),
                style,
            )
    return index


def missing_styles(index: dict[str, tuple[str, str, etree._Element]]) -> list[str]:
    return [
        role.name
        for role in ROLES
        if role.required and (role.name not in index or index[role.name][1] != role.kind)
    ]


# Formatting: the same functions format the built-in reference when it is built and at every
# render, and an office's reference for the "large" profile or explicit fonts.


def _set_fonts(rpr: etree._Element, east_asia: str, latin: str) -> None:
    fonts = child(rpr, "rFonts", RPR_ORDER)
    fonts.attrib.clear()
    # hint: ambiguous characters (“” — …) take the East Asian face, as Chinese readers expect.
    set_attrs(fonts, ascii=latin, hAnsi=latin, eastAsia=east_asia, cs=latin, hint="eastAsia")


def _set_bold(rpr: etree._Element, bold: bool) -> None:
    for tag in ("b", "bCs"):
        element = child(rpr, tag, RPR_ORDER)
        element.attrib.clear()
        if not bold:
            set_attrs(element, val=0)


def _set_size(rpr: etree._Element, points: float) -> None:
    half_points = round(points * 2)
    set_attrs(child(rpr, "sz", RPR_ORDER), val=half_points)
    set_attrs(child(rpr, "szCs", RPR_ORDER), val=half_points)


def _set_line(ppr: etree._Element, pitch: int) -> None:
    set_attrs(child(ppr, "spacing", PPR_ORDER), line=pitch, lineRule="exact")


def _size_of(role: Role, profile: Profile) -> float:
    return {
        "title": profile.title_size,
        "text": profile.text_size,
        "page_number": profile.page_number_size,
    }[role.size]


def format_styles(
    styles: etree._Element,
    index: dict[str, tuple[str, str, etree._Element]],
    profile: Profile | None,
    fonts: FontSettings | None,
    grid: tuple[int, int] | None,
) -> None:
    defaults = child(styles, "docDefaults", STYLES_ORDER)
    rpr = child(child(defaults, "rPrDefault", DOC_DEFAULTS_ORDER), "rPr", [])
    ppr = child(child(defaults, "pPrDefault", DOC_DEFAULTS_ORDER), "pPr", [])
    # Without an East Asian language Word and WPS fall back to Japanese faces.
    set_attrs(child(rpr, "lang", RPR_ORDER), eastAsia="zh-CN")
    normal = next(
        (
            s
            for s in styles.iterfind(w("style"))
            if s.get(w("type")) == "paragraph" and s.get(w("default")) in ("1", "true", "on")
        ),
        None,
    )
    targets = [(rpr, ppr)]
    if normal is not None:
        targets.append((child(normal, "rPr", STYLE_ORDER), child(normal, "pPr", STYLE_ORDER)))
    for run_props, par_props in targets:
        if fonts is not None:
            _set_fonts(run_props, fonts.body, fonts.latin)
        if profile is not None and grid is not None:
            # The character grid counts from the Normal font size: it must be the body size.
            _set_size(run_props, profile.text_size)
            _set_line(par_props, grid[0])
            set_attrs(child(run_props, "spacing", RPR_ORDER), val=grid[1])
    for role in ROLES:
        entry = index.get(role.name)
        if entry is None or entry[1] != role.kind:
            continue
        style = entry[2]
        run_props = child(style, "rPr", STYLE_ORDER)
        if fonts is not None:
            _set_fonts(run_props, getattr(fonts, role.font), getattr(fonts, role.latin))
            _set_bold(run_props, bool(role.bold and getattr(fonts, role.bold)))
        if profile is None or grid is None:
            continue
        pitch = grid[0]
        size = _size_of(role, profile)
        _set_size(run_props, size)
        if role.kind == "character":
            continue
        par_props = child(style, "pPr", STYLE_ORDER)
        if role.key == "page_number":
            # A footer line is exactly one number high, off the body grid.
            _set_line(par_props, round(size * 20))
        else:
            _set_line(par_props, pitch)
        if role.indent is not None:
            indent = child(par_props, "ind", PPR_ORDER)
            for attr in ("hanging", "hangingChars", "firstLine", "firstLineChars"):
                indent.attrib.pop(w(attr), None)
            chars = 200 if role.indent else 0
            set_attrs(indent, firstLineChars=chars, firstLine=round(size * 20) * chars // 100)


def strip_theme_references(root: etree._Element) -> None:
    """Drop theme fonts (which win over font names) and theme colours (explicit values stay)."""
    for element in root.iter():
        for attr in [a for a in element.attrib if "theme" in etree.QName(a).localname.lower()]:
            del element.attrib[attr]


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
