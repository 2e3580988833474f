"""Office references made the way Word saves them, and a reader of their links out: shared by
the writer's tests (tests/ooxml) and the upload's (tests/exports)."""

from __future__ import annotations

import io
import posixpath
import zipfile

import docx as python_docx
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from speechdraft.ooxml.styles import REQUIRED_STYLES

R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
ATTACHED_TEMPLATE = R + "/attachedTemplate"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
UNC_TEMPLATE = "\\\\host\\share\\t.dotm"
WEB_TEMPLATE = "http://templates.example.com/t.dotm"


def with_parts(data: bytes, change: dict[str, object]) -> bytes:
    """``data`` with parts replaced (a function of the old bytes) or added (bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            blob = source.read(info.filename)
            edit = change.pop(info.filename, None)
            target.writestr(info, edit(blob) if callable(edit) else edit or blob)
        for name, blob in change.items():
            target.writestr(name, blob)
    return out.getvalue()


def linked_reference(template: str = UNC_TEMPLATE) -> bytes:
    """An office reference as Word saves one made from a template on a share: our styles, a
    letterhead with a link to the county's website, and the template attached in settings."""
    document = python_docx.Document()
    for name in REQUIRED_STYLES:
        kind = WD_STYLE_TYPE.CHARACTER if "接排" in name else WD_STYLE_TYPE.PARAGRAPH
        document.styles.add_style(name, kind)
    header = document.sections[0].header
    letterhead = header.paragraphs[0]
    letterhead.text = "某某县人民政府办公室"
    rid = header.part.relate_to("http://www.example.gov.cn/", RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run, text = OxmlElement("w:r"), OxmlElement("w:t")
    text.text = "县政府网站"
    run.append(text)
    link.append(run)
    letterhead._p.append(link)
    document.add_paragraph("示例文字。")
    saved = io.BytesIO()
    document.save(saved)
    settings_rels = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{PKG}">'
        f'<Relationship Id="rId1" Type="{ATTACHED_TEMPLATE}" Target="{template}" '
        'TargetMode="External"/></Relationships>'
    )
    return with_parts(
        saved.getvalue(),
        {
            "word/settings.xml": lambda blob: blob.replace(
                b"</w:settings>", b'<w:attachedTemplate r:id="rId1"/></w:settings>'
            ),
            "word/_rels/settings.xml.rels": settings_rels.encode(),
        },
    )


def links_out(data: bytes) -> list[str]:
    """Every way ``data`` still points outside itself (or at a relationship it no longer has)."""
    found = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    ids: dict[str, set[str]] = {}
    for name, blob in parts.items():
        if name.endswith(".rels"):
            folder, base = posixpath.split(name)
            source = posixpath.join(posixpath.dirname(folder), base[: -len(".rels")])
            rels = etree.fromstring(blob)
            ids[source] = {rel.get("Id") for rel in rels}
            found += [
                f"{name}: {rel.get('Target')}"
                for rel in rels
                if rel.get("TargetMode") == "External"
            ]
    for name, blob in parts.items():
        if not name.endswith(".xml"):
            continue
        if b"attachedTemplate" in blob:
            found.append(f"{name}: attachedTemplate")
        for element in etree.fromstring(blob).iter():
            for attr, value in element.attrib.items():
                if attr.startswith(f"{{{R}}}") and value not in ids.get(name, set()):
                    found.append(f"{name}: {attr}={value} names no relationship")
    return found


def header_text(data: bytes) -> str:
    """The text of the first section's header, hyperlinks included."""
    header = python_docx.Document(io.BytesIO(data)).sections[0].header
    return "".join(t.text or "" for t in header._element.iter(qn("w:t")))
