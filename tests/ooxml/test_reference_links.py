"""An office's reference .docx must not link out of the package: an attached template on a share
or a web server, a hyperlink in the letterhead… would be copied into every drafter's export and
fetched (with the reader's credentials, for a share) when Word or WPS opens it."""

from __future__ import annotations

import datetime
import io
import zipfile

import docx as python_docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT

from speechdraft.ooxml.builtin_reference import REFERENCE_PATH
from speechdraft.ooxml.model import Block, ExportDocument
from speechdraft.ooxml.reference import reference_check, reference_sanitize
from speechdraft.ooxml.render import render_docx
from tests.ooxml.references import (
    UNC_TEMPLATE,
    WEB_TEMPLATE,
    header_text,
    linked_reference,
    links_out,
    with_parts,
)

SPEECH = ExportDocument(
    title="在全县作风建设大会上的讲话",
    speaker="县长 李四",
    date=datetime.date(2024, 3, 5),
    blocks=[Block("paragraph", body="同志们，作风建设永远在路上。")],
)


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
    reference = with_parts(
        linked_reference(),
        {"word/_rels/document.xml.rels": lambda blob: blob.replace(b"</Relationships>", disguised)},
    )
    clean, removed = reference_sanitize(reference)
    assert removed == 5
    with zipfile.ZipFile(io.BytesIO(clean)) as archive:
        everything = b"".join(archive.read(name) for name in archive.namelist())
    assert b"host" not in everything and b"example.com" not in everything
    assert links_out(render_docx(SPEECH, reference=reference)) == []
