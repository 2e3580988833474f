"""An office's own reference .docx: whether it has the styles the writer needs, and its links
out of the package removed."""

from __future__ import annotations

import posixpath

from lxml import etree

from speechdraft.ooxml.package import Package
from speechdraft.ooxml.schema import R_NS, RT_ATTACHED_TEMPLATE, RT_STYLES, w
from speechdraft.ooxml.styles import REQUIRED_STYLES, missing_styles, style_index
from speechdraft.text.docx_read import links_out

# Links out of a reference: an attached template on a share or a web server, hyperlinks, linked
# images and the like would be copied into every export, and Word or WPS would fetch them (and
# send the reader's credentials to a share) when the export is opened.

# Elements that are nothing but their link: removed with it (anything else loses the attribute).
_LINK_ONLY = {w("attachedTemplate"), w("subDoc"), w("sourceFileName")}


def _rels_source(rels: str) -> str | None:
    """The part whose relationships ``rels`` holds ('' = the package); None if not a .rels."""
    folder, name = posixpath.split(rels)
    if posixpath.basename(folder) != "_rels" or not name.endswith(".rels"):
        return None
    return posixpath.join(posixpath.dirname(folder), name[: -len(".rels")])


def _links_out(rel: etree._Element) -> bool:
    return links_out(rel.get("TargetMode"), rel.get("Target"))


def _mentions(blob: bytes, word: str) -> bool:
    """Whether ``word`` may occur in an XML part (UTF-8 or UTF-16, as OPC allows)."""
    return any(word.encode(codec) in blob for codec in ("utf-8", "utf-16-le", "utf-16-be"))


def strip_external(package: Package) -> int:
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


def _remove_attached_templates(package: Package) -> tuple[dict[str, set[str]], int]:
    """Remove every ``w:attachedTemplate``: by source part, the rIds they named; how many."""
    removed = 0
    doomed: dict[str, set[str]] = {}  # source part → rIds named by removed attachedTemplates
    for name in package.names:
        if name.endswith(".xml") and _mentions(package.blobs[name], "attachedTemplate"):
            root = package.xml(name)
            for element in list(root.iter(w("attachedTemplate"))):
                doomed.setdefault(name, set()).add(element.get(f"{{{R_NS}}}id", ""))
                element.getparent().remove(element)
                removed += 1
    return doomed, removed


def _remove_external_relationships(
    package: Package, doomed: dict[str, set[str]]
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
            mail_merge = next(element.iterancestors(w("mailMerge")), None)
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
    """``data`` without links out of the package (see :func:`strip_external`), and how many
    were removed; ``data`` itself when there were none.

    Raises ``ValueError`` (Chinese message) when ``data`` is not a readable .docx.
    """
    package = Package(data)
    removed = strip_external(package)
    return (package.to_bytes() if removed else data), removed


def reference_check(data: bytes) -> list[str]:
    """Names of the required styles missing from a reference .docx (empty list: usable).

    A style of the wrong type (a paragraph style where a character style is needed) counts as
    missing. Raises ``ValueError`` (Chinese message) when ``data`` is not a readable .docx.
    """
    package = Package(data)
    styles = package.part(RT_STYLES)
    if styles is None:
        return list(REQUIRED_STYLES)
    return missing_styles(style_index(package.xml(styles)))
