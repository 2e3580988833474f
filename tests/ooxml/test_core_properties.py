"""Document properties (docProps/core.xml): who drafted the speech and when it was exported."""

from __future__ import annotations

import datetime
import io
import zipfile
from dataclasses import replace

import docx as python_docx

from speechdraft.ooxml.render import render_docx
from tests.ooxml.test_docx import SPEECH, _rewrite_part

BEIJING = datetime.timezone(datetime.timedelta(hours=8))
EXPORTED = datetime.datetime(2025, 6, 7, 9, 30, 15, 123456, tzinfo=BEIJING)


def core(data: bytes) -> python_docx.opc.coreprops.CoreProperties:
    return python_docx.Document(io.BytesIO(data)).core_properties


def test_creator_and_dates_are_the_drafter_and_the_export_time():
    data = render_docx(replace(SPEECH, author="王小明", exported_at=EXPORTED))
    props = core(data)
    assert props.author == props.last_modified_by == "王小明"
    utc = datetime.datetime(2025, 6, 7, 1, 30, 15)
    assert props.created == props.modified == utc.replace(tzinfo=props.created.tzinfo)
    text = zipfile.ZipFile(io.BytesIO(data)).read("docProps/core.xml").decode()
    assert "speechdraft" not in text and "2024-01-01" not in text
    assert "2025-06-07T01:30:15Z" in text


def test_zip_entries_keep_a_fixed_timestamp():
    data = render_docx(replace(SPEECH, author="王小明", exported_at=EXPORTED))
    stamps = {info.date_time for info in zipfile.ZipFile(io.BytesIO(data)).infolist()}
    assert stamps == {(1980, 1, 1, 0, 0, 0)}
    assert data == render_docx(replace(SPEECH, author="王小明", exported_at=EXPORTED))


def test_an_office_core_part_without_the_elements_gets_them(tmp_path):
    from speechdraft.ooxml.builtin_reference import build_reference

    bare = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties '
        b'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"/>'
    )
    reference = _rewrite_part(build_reference(), "docProps/core.xml", lambda _blob: bare)
    data = render_docx(replace(SPEECH, author="王小明", exported_at=EXPORTED), reference=reference)
    props = core(data)
    assert props.author == props.last_modified_by == "王小明"
    assert props.modified is not None and props.modified.year == 2025
