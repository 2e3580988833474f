"""Page setup and numbering (GB/T 9704-2012 5.2): the A4 page and its margins, the document
grid a profile sets in the type area, and the page numbers in the footers."""

from __future__ import annotations

from lxml import etree

from speechdraft.ooxml.model import Profile
from speechdraft.ooxml.package import Package
from speechdraft.ooxml.schema import (
    PPR_ORDER,
    R_NS,
    RT_FOOTER,
    SECTPR_ORDER,
    W_NS,
    child,
    set_attrs,
    w,
)

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


def type_area(sect: etree._Element) -> tuple[int, int]:
    size = sect.find(w("pgSz"))
    margins = sect.find(w("pgMar"))

    def twips(element: etree._Element | None, attr: str, default: int) -> int:
        if element is None or element.get(w(attr)) is None:
            return default
        return abs(int(float(element.get(w(attr)))))

    width = twips(size, "w", PAGE_WIDTH) - twips(margins, "left", MARGIN_LEFT)
    width -= twips(margins, "right", MARGIN_RIGHT) + twips(margins, "gutter", 0)
    height = twips(size, "h", PAGE_HEIGHT) - twips(margins, "top", MARGIN_TOP)
    height -= twips(margins, "bottom", MARGIN_BOTTOM)
    return width, height


def format_section(sect: etree._Element, profile: Profile) -> tuple[int, int]:
    """Set the document grid from the type area; returns the line pitch and letter spacing."""
    width, height = type_area(sect)
    pitch = profile.line_pitch(height)
    grid = child(sect, "docGrid", SECTPR_ORDER)
    grid.attrib.clear()
    set_attrs(grid, type="linesAndChars", linePitch=pitch, charSpace=profile.char_space(width))
    return pitch, profile.letter_spacing(width)


def _has_page_field(paragraph: etree._Element) -> bool:
    for simple in paragraph.iter(w("fldSimple")):
        if "PAGE" in simple.get(w("instr"), "").split():
            return True
    return any("PAGE" in (text.text or "").split() for text in paragraph.iter(w("instrText")))


def format_page_numbers(package: Package, sect: etree._Element, profile: Profile) -> None:
    """Odd pages right, even pages left, one character in from the edge; or all centred."""
    targets = dict(package.related(package.main, RT_FOOTER))
    one_char = round(profile.page_number_size * 20)
    for reference in sect.iterfind(w("footerReference")):
        name = targets.get(reference.get(f"{{{R_NS}}}id", ""))
        if name is None or name not in package.blobs:
            continue
        kind = reference.get(w("type"), "default")
        for paragraph in package.xml(name).iter(w("p")):
            if not _has_page_field(paragraph):
                continue
            ppr = paragraph.find(w("pPr"))
            if ppr is None:
                ppr = paragraph.makeelement(w("pPr"), {})
                paragraph.insert(0, ppr)
            indent = child(ppr, "ind", PPR_ORDER)
            indent.attrib.clear()
            jc = child(ppr, "jc", PPR_ORDER)
            if profile.page_number_align == "center":
                set_attrs(indent, left=0, right=0)
                set_attrs(jc, val="center")
            elif kind == "even":
                set_attrs(indent, left=one_char, right=0)
                set_attrs(jc, val="left")
            else:
                set_attrs(indent, left=0, right=one_char)
                set_attrs(jc, val="right")


EMPTY_SECTION = (
    f'<w:sectPr xmlns:w="{W_NS}"><w:pgSz w:w="{PAGE_WIDTH}" w:h="{PAGE_HEIGHT}"/>'
    f'<w:pgMar w:top="{MARGIN_TOP}" w:right="{MARGIN_RIGHT}" w:bottom="{MARGIN_BOTTOM}" '
    f'w:left="{MARGIN_LEFT}" w:header="{HEADER_DISTANCE}" w:footer="{FOOTER_DISTANCE}" '
    'w:gutter="0"/></w:sectPr>'
)
