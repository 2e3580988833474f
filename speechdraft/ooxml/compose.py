"""A reference package formatted for a profile and fonts, its body replaced by the content:
what every export and the build of the built-in reference do."""

from __future__ import annotations

import datetime

from lxml import etree

from speechdraft.ooxml.body import Measure, body_xml
from speechdraft.ooxml.comments import write_comments
from speechdraft.ooxml.content import Content
from speechdraft.ooxml.model import FontSettings, Profile
from speechdraft.ooxml.package import Package
from speechdraft.ooxml.page import EMPTY_SECTION, format_page_numbers, format_section, type_area
from speechdraft.ooxml.reference import strip_external
from speechdraft.ooxml.schema import (
    CP_NS,
    DC_NS,
    DCTERMS_NS,
    PARSER,
    RT_CORE,
    RT_FONT_TABLE,
    RT_SETTINGS,
    RT_STYLES,
    SETTINGS_ORDER,
    W_NS,
    XSI_NS,
    child,
    w,
)
from speechdraft.ooxml.styles import (
    REQUIRED_STYLES,
    ROLE_BY_KEY,
    ROLES,
    font_table_xml,
    format_styles,
    missing_styles,
    strip_theme_references,
    style_index,
)


def compose(
    data: bytes,
    content: Content,
    profile: Profile,
    fonts: FontSettings | None,
    *,
    builtin: bool,
) -> bytes:
    """The .docx ``data`` (a reference) with ``content`` as its body.

    The built-in reference (``builtin``) is always formatted for ``profile`` and ``fonts``, and
    gets a font table naming them. An office's reference loses its links out of the package and
    its theme fonts; only a profile other than ``gongwen`` and explicit ``fonts`` change it.
    """
    package = Package(data)
    styles_name = package.part(RT_STYLES)
    if styles_name is None:
        raise ValueError("参考文档缺少样式：" + "、".join(REQUIRED_STYLES))
    styles = package.xml(styles_name)
    index = style_index(styles)
    missing = missing_styles(index)
    if missing:
        raise ValueError("参考文档缺少样式：" + "、".join(missing))

    document = package.xml(package.main)
    body = document.find(w("body"))
    if body is None:
        raise ValueError("无法读取参考文档：找不到文档正文部分。")
    section = body[-1] if len(body) and body[-1].tag == w("sectPr") else None
    if section is None:
        section = etree.fromstring(EMPTY_SECTION)
    if not builtin:
        # References stored before uploads were sanitised may still link out of the package.
        strip_external(package)
        # An office's reference made in Word carries theme fonts, which would win over names.
        for name in package.names:
            if (
                name.endswith(".xml")
                and not name.startswith("word/theme/")
                and b"theme" in package.blobs[name].lower()
            ):
                strip_theme_references(package.xml(name))

    apply_profile = builtin or profile.name != "gongwen"
    grid = format_section(section, profile) if apply_profile else None
    format_styles(styles, index, profile if apply_profile else None, fonts, grid)
    if apply_profile:
        format_page_numbers(package, section, profile)
    font_table = package.part(RT_FONT_TABLE)
    if builtin and fonts is not None and font_table is not None:
        package.blobs[font_table] = font_table_xml(fonts)

    ids = {role.key: index[role.name][0] for role in ROLES if role.name in index}
    title_size = index[ROLE_BY_KEY["title"].name][2].find(f"{w('rPr')}/{w('sz')}")
    half_points = title_size.get(w("val"), "") if title_size is not None else ""
    title_pt = int(half_points) / 2 if half_points.isdigit() else profile.title_size
    width, _height = type_area(section)
    title_width = max(4, int(width / 20 // title_pt))
    # Headings are measured only where this code set their type (the built-in reference, or
    # a profile applied to an office's): an office's own styles are taken as they are.
    measures = None
    if grid is not None:
        size = round(profile.text_size * 20)
        measures = {level: Measure(width, size, grid[1], 2 * size) for level in range(1, 5)}

    fragment = etree.fromstring(
        f'<w:body xmlns:w="{W_NS}">{"".join(body_xml(content, ids, title_width, measures))}</w:body>',
        PARSER,
    )
    for node in list(body):
        body.remove(node)
    for node in list(fragment):
        body.append(node)
    body.append(section)
    used = {int(ref.get(w("id"))) for ref in body.iter(w("commentReference"))}
    if used:
        write_comments(package, content.comments, used)
    _set_core_properties(package, content)
    if content.track_revisions:
        _track_revisions(package)
    return package.to_bytes()


def _track_revisions(package: Package) -> None:
    """修订 on when the file is opened, so that the reader's own edits are tracked too."""
    name = package.part(RT_SETTINGS)
    if name is None:
        return  # a reference without settings; Word opens it with 修订 off
    child(package.xml(name), "trackRevisions", SETTINGS_ORDER)


def _set_core_properties(package: Package, content: Content) -> None:
    """Title; the drafter as creator and last editor; the export time as created and modified."""
    core = package.related("", RT_CORE)
    if not core or core[0][1] not in package.blobs:
        return
    root = package.xml(core[0][1])

    def element(namespace: str, tag: str) -> etree._Element:
        found = root.find(f"{{{namespace}}}{tag}")
        return found if found is not None else etree.SubElement(root, f"{{{namespace}}}{tag}")

    element(DC_NS, "title").text = " ".join(content.title)
    if content.author:
        element(DC_NS, "creator").text = content.author
        element(CP_NS, "lastModifiedBy").text = content.author
    if content.exported_at is not None:
        when = content.exported_at
        if when.tzinfo is not None:
            when = when.astimezone(datetime.UTC)
        stamp = when.replace(microsecond=0, tzinfo=None).isoformat() + "Z"
        for tag in ("created", "modified"):
            date = element(DCTERMS_NS, tag)
            date.text = stamp
            # The prefix bound to dcterms here (an office's core.xml may lack the usual one).
            date.set(f"{{{XSI_NS}}}type", f"{date.prefix}:W3CDTF")
