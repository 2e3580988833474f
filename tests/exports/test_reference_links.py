"""An office's reference .docx must not link out of the package: an attached template on a share
or a web server, a hyperlink in the letterhead… would be copied into every drafter's export and
fetched (with the reader's credentials, for a share) when Word or WPS opens it."""

from __future__ import annotations

import datetime
import io
import posixpath
import zipfile

import docx as python_docx
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from speechdraft.ooxml.builtin_reference import REFERENCE_PATH
from speechdraft.ooxml.model import Block, ExportDocument
from speechdraft.ooxml.reference import reference_check, reference_sanitize
from speechdraft.ooxml.render import render_docx
from speechdraft.ooxml.styles import REQUIRED_STYLES

R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
ATTACHED_TEMPLATE = R + "/attachedTemplate"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
ADD = "/admin/exports/officereference/add/"
UNC_TEMPLATE = "\\\\host\\share\\t.dotm"
WEB_TEMPLATE = "http://templates.example.com/t.dotm"
STRIPPED_TWO = "已移除参考文档中指向外部的链接（附加模板等）2 处。"

SPEECH = ExportDocument(
    title="在全县作风建设大会上的讲话",
    speaker="县长 李四",
    date=datetime.date(2024, 3, 5),
    blocks=[Block("paragraph", body="同志们，作风建设永远在路上。")],
)


def _with_parts(data: bytes, change: dict[str, object]) -> bytes:
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
    return _with_parts(
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


@pytest.mark.parametrize("template", [UNC_TEMPLATE, WEB_TEMPLATE])
def test_an_export_never_carries_the_references_links(template):
    reference = linked_reference(template)
    assert len(links_out(reference)) == 3  # the test file does link out
    exported = render_docx(SPEECH, reference=reference)
    assert links_out(exported) == []
    # The letterhead stays, its link text as plain text; Word-compatible readers open the file.
    assert "某某县人民政府办公室县政府网站" in header_text(exported)
    assert "同志们，作风建设永远在路上。" in [
        p.text for p in python_docx.Document(io.BytesIO(exported)).paragraphs
    ]


def test_sanitising_removes_every_link_and_counts_them():
    clean, removed = reference_sanitize(linked_reference())
    assert removed == 2  # the attached template (with its relationship) and the hyperlink
    assert links_out(clean) == []
    assert reference_check(clean) == []
    assert reference_sanitize(clean) == (clean, 0)
    builtin = REFERENCE_PATH.read_bytes()
    assert reference_sanitize(builtin) == (builtin, 0)


def test_a_target_outside_the_package_is_removed_whatever_its_mode_says():
    """TargetMode defaults to Internal; a path to a share or a URL is still outside."""
    disguised = (
        f'<Relationship Id="rId90" Type="{RT.IMAGE}" Target="\\\\host\\share\\logo.png"/>'
        f'<Relationship Id="rId91" Type="{RT.IMAGE}" Target="//host/share/logo.png"/>'
        f'<Relationship Id="rId92" Type="{RT.HYPERLINK}" Target="https://example.com/" '
        'TargetMode="&#69;xternal"/></Relationships>'
    ).encode()
    reference = _with_parts(
        linked_reference(),
        {"word/_rels/document.xml.rels": lambda blob: blob.replace(b"</Relationships>", disguised)},
    )
    clean, removed = reference_sanitize(reference)
    assert removed == 5
    with zipfile.ZipFile(io.BytesIO(clean)) as archive:
        everything = b"".join(archive.read(name) for name in archive.namelist())
    assert b"host" not in everything and b"example.com" not in everything
    assert links_out(render_docx(SPEECH, reference=reference)) == []


# --- the admin upload and the exports made with it -------------------------------------------


def _export(user) -> bytes:
    from speechdraft.drafts.services import draft_create
    from speechdraft.exports.services import render_bytes

    draft = draft_create(owner=user, title="在全县作风建设大会上的讲话", speaker="县长 李四")
    return render_bytes(draft, draft.version, profile="gongwen", placeholders=True)


@pytest.mark.django_db
def test_an_uploaded_reference_is_stored_without_its_links_and_the_uploader_is_told(client, editor):
    from speechdraft.exports.models import OfficeReference

    editor.is_superuser = True
    editor.save()
    client.force_login(editor)
    form = {"name": "本县", "is_default": "on"}
    upload = SimpleUploadedFile("本县参考.docx", linked_reference())
    response = client.post(ADD, {**form, "file": upload}, follow=True)
    assert response.status_code == 200
    assert STRIPPED_TWO in response.content.decode()

    stored = OfficeReference.objects.get()
    assert stored.is_default and stored.file.name.endswith(".docx")
    data = stored.file.read()
    assert links_out(data) == [] and reference_check(data) == []
    assert "某某县人民政府办公室县政府网站" in header_text(data)

    exported = _export(editor)
    assert links_out(exported) == []
    assert "某某县人民政府办公室县政府网站" in header_text(exported)

    # A reference without links is stored as uploaded, with no such message.
    plain = SimpleUploadedFile("内置.docx", REFERENCE_PATH.read_bytes())
    response = client.post(ADD, {"name": "内置", "file": plain}, follow=True)
    assert (
        response.redirect_chain
        and "已移除参考文档中指向外部的链接" not in response.content.decode()
    )
    assert OfficeReference.objects.get(name="内置").file.read() == REFERENCE_PATH.read_bytes()


@pytest.mark.django_db
def test_a_reference_stored_before_uploads_were_checked_exports_without_links(alice):
    from speechdraft.exports.models import OfficeReference

    OfficeReference.objects.create(
        name="旧的参考文档",
        file=ContentFile(linked_reference(WEB_TEMPLATE), name="old.docx"),
        is_default=True,
    )
    exported = _export(alice)
    assert links_out(exported) == []
    assert "某某县人民政府办公室县政府网站" in header_text(exported)


def test_a_new_default_reference_replaces_the_old_one(client, editor):
    from speechdraft.exports.models import OfficeReference

    editor.is_superuser = True
    editor.save()
    client.force_login(editor)
    for name in ("第一版", "第二版"):
        upload = SimpleUploadedFile(f"{name}.docx", REFERENCE_PATH.read_bytes())
        response = client.post(ADD, {"name": name, "is_default": "on", "file": upload})
        page = response.content.decode()
        assert response.status_code == 302, page[page.find("errorlist") - 200 :][:1500]
    assert list(OfficeReference.objects.filter(is_default=True).values_list("name", flat=True)) == [
        "第二版"
    ]
