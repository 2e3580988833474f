"""花脸稿: two versions of a speech as one .docx with tracked changes, read back three ways: the
XML itself (accepted and rejected by a small function here), pandoc, and LibreOffice."""

from __future__ import annotations

import dataclasses
import datetime
import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from speechdraft.ooxml.model import Block, Change, ExportDocument
from speechdraft.ooxml.redline import char_diff, redline_blocks
from speechdraft.ooxml.render import render_docx
from speechdraft.ooxml.revisions import paragraphs
from tests.conftest import skip_missing
from tests.ooxml.references import linked_reference
from tests.ooxml.test_visual import SOFFICE

HERE = Path(__file__).resolve().parent

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
AUTHOR = "李四"
WHEN = datetime.datetime(2026, 12, 3, 18, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
STAMP = "2026-12-03T10:30:00Z"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def run_in(number: str, heading: str, body: str) -> Block:
    return Block("heading", 2, number, heading, body, run_in=True)


OLD = [
    ("k1", Block("paragraph", body="今年以来，全市上下坚持稳中求进工作总基调。")),
    ("k2", Block("heading", 1, "一、", "坚定信心，准确把握形势")),
    ("k3", run_in("（一）", "以上率下示范干", "各级领导干部要带头深入一线。")),
    ("k4", run_in("（二）", "真抓实干见成效", "要抓落实。")),
    ("k5", run_in("（三）", "删去的一点", "这一点要删去。")),
    ("k6", Block("heading", 1, "二、", "突出重点")),
    ("k7", Block("paragraph", body="同志们，让我们携手并进！")),
]
NEW = [
    ("k1", Block("paragraph", body="今年以来，全市干部群众坚持稳中求进工作总基调。")),
    ("k2", Block("heading", 1, "一、", "坚定信心")),
    ("k4", run_in("（一）", "真抓实干见实效", "要抓落实。\n要重实效，久久为功。")),
    ("k8", run_in("（二）", "新增的一点", "新增的内容。")),
    ("k6", Block("heading", 1, "二、", "突出重点")),
    ("k3", run_in("（一）", "以上率下示范干", "各级领导干部要带头深入一线，作出表率。")),
    ("k7", Block("paragraph", body="同志们，让我们携手并进！")),
]
HEAD = {"title": "在全市经济工作会议上的讲话", "speaker": "市长 张三", "salutation": "同志们："}


def version(blocks) -> ExportDocument:
    return ExportDocument(**HEAD, blocks=[block for _, block in blocks])


REDLINE = ExportDocument(
    **HEAD,
    blocks=redline_blocks(OLD, NEW),
    revision_author=AUTHOR,
    revision_date=WHEN,
    track_revisions=True,
)


@pytest.fixture(scope="module")
def redline() -> bytes:
    return render_docx(REDLINE)


def document(data: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read("word/document.xml"))


# ---------------------------------------------------------------------------------------------
# Accepting and rejecting every change, as Word does, over the XML

_GONE = {"accept": ("del", "moveFrom"), "reject": ("ins", "moveTo"), "show": ()}


def resolved(data: bytes, mode: str) -> list[str]:
    """The body's paragraph texts with every change accepted, rejected, or all text shown: a
    revision's content kept or dropped, and a paragraph whose mark is dropped joined to the
    next (its text starts the following paragraph)."""
    gone = {w(tag) for tag in _GONE[mode]}
    out: list[str] = []
    pending = ""
    for para in document(data).iterfind(f"{w('body')}/{w('p')}"):
        text = pending
        for node in para.iter(w("t"), w("delText")):
            wrappers = {a.tag for a in node.iterancestors() if a.tag in gone}
            if not wrappers:
                text += node.text or ""
        mark = para.find(f"{w('pPr')}/{w('rPr')}")
        if mark is not None and any(child.tag in gone for child in mark):
            pending = text
        else:
            out.append(text)
            pending = ""
    if pending:
        out.append(pending)
    return out


def test_accepting_every_change_gives_the_newer_version_and_rejecting_the_older(redline):
    assert resolved(redline, "accept") == resolved(render_docx(version(NEW)), "show")
    assert resolved(redline, "reject") == resolved(render_docx(version(OLD)), "show")


# ---------------------------------------------------------------------------------------------
# The revisions in the XML

REVISION_TAGS = ("ins", "del", "moveFrom", "moveTo")


def revisions(data: bytes) -> list[tuple[str, str]]:
    """(tag, text) of every revision around runs, in document order."""
    found = []
    for node in document(data).iter(*(w(tag) for tag in REVISION_TAGS)):
        if node.getparent().tag == w("rPr"):
            continue  # a paragraph mark's
        text = "".join(node.xpath(".//w:t/text() | .//w:delText/text()", namespaces=NS))
        found.append((etree.QName(node).localname, text))
    return found


def test_every_insertion_and_deletion_is_a_revision_with_its_text(redline):
    assert revisions(redline) == [
        ("del", "上下"),
        ("ins", "干部群众"),
        ("del", "，准确把握形势"),
        ("moveFrom", "（一）以上率下示范干。"),
        ("moveFrom", "各级领导干部要带头深入一线。"),
        ("del", "（二）"),
        ("ins", "（一）"),
        ("del", "成"),
        ("ins", "实"),
        ("ins", "要重实效，久久为功。"),
        ("del", "（三）删去的一点。"),
        ("del", "这一点要删去。"),
        ("ins", "（二）新增的一点。"),
        ("ins", "新增的内容。"),
        ("moveTo", "（一）以上率下示范干。"),
        ("moveTo", "各级领导干部要带头深入一线"),
        ("ins", "，作出表率"),
        ("moveTo", "。"),
    ]


def test_every_revision_has_a_unique_id_the_author_and_the_date(redline):
    root = document(redline)
    tags = [*REVISION_TAGS, "moveFromRangeStart", "moveToRangeStart"]
    found = list(root.iter(*(w(tag) for tag in tags)))
    assert len(found) > 20
    for node in found:
        assert node.get(w("author")) == AUTHOR
        assert node.get(w("date")) == STAMP  # ISO 8601 in UTC
    ids = [node.get(w("id")) for node in found]
    assert all(ident and ident.isdigit() for ident in ids)
    assert len(set(ids)) == len(ids)


def test_deleted_text_is_del_text_and_only_there(redline):
    root = document(redline)
    for node in root.iter(w("delText")):
        assert next(node.iterancestors(w("del")), None) is not None
    for node in root.iter(w("t")):
        assert next(node.iterancestors(w("del")), None) is None


def paragraph_of(root: etree._Element, text: str) -> etree._Element:
    for para in root.iter(w("p")):
        if text in "".join(para.xpath(".//w:t/text() | .//w:delText/text()", namespaces=NS)):
            return para
    raise AssertionError(text)


def mark_of(para: etree._Element) -> str | None:
    rpr = para.find(f"{w('pPr')}/{w('rPr')}")
    return None if rpr is None else etree.QName(rpr[0]).localname


def test_whole_items_mark_their_paragraph_marks_too(redline):
    root = document(redline)
    assert mark_of(paragraph_of(root, "这一点要删去。")) == "del"
    assert mark_of(paragraph_of(root, "新增的内容。")) == "ins"
    # A paragraph break inserted inside a body: the mark of the paragraph before it.
    assert mark_of(paragraph_of(root, "要抓落实。")) == "ins"
    assert mark_of(paragraph_of(root, "要重实效")) is None
    assert mark_of(paragraph_of(root, "工作总基调")) is None
    # The mark's revision is the last child of w:pPr, as the schema orders it.
    para = paragraph_of(root, "这一点要删去。")
    assert para.find(w("pPr"))[-1].tag == w("rPr")


def test_a_moved_item_has_matching_named_move_ranges(redline):
    root = document(redline)
    starts = {
        etree.QName(node).localname: node
        for node in root.iter(w("moveFromRangeStart"), w("moveToRangeStart"))
    }
    assert set(starts) == {"moveFromRangeStart", "moveToRangeStart"}
    assert starts["moveFromRangeStart"].get(w("name")) == starts["moveToRangeStart"].get(w("name"))
    for kind in ("moveFrom", "moveTo"):
        ident = starts[f"{kind}RangeStart"].get(w("id"))
        ends = [node.get(w("id")) for node in root.iter(w(f"{kind}RangeEnd"))]
        assert ends == [ident]
    old_place = paragraph_of(root, "以上率下示范干")
    assert mark_of(old_place) == "moveFrom"
    assert old_place.find(w("pPr")).find(w("keepNext")) is None


def test_a_renumbered_item_deletes_its_old_number_and_inserts_the_new(redline):
    para = paragraph_of(document(redline), "真抓实干")
    numbers = para.xpath("w:del//w:delText/text() | w:ins//w:t/text()", namespaces=NS)
    assert numbers[:2] == ["（二）", "（一）"]
    # Both in the run-in heading's style.
    for node in para.xpath("w:del | w:ins", namespaces=NS)[:2]:
        assert node.find(f"{w('r')}/{w('rPr')}/{w('rStyle')}").get(w("val")) == "SdRunIn2"


def test_a_run_in_heading_takes_the_stop_of_each_version():
    block = Block(
        "heading",
        2,
        "（一）",
        "以上率下示范干！",
        run_in=True,
        heading_changes=[Change("equal", "以上率下示范干"), Change("insert", "！")],
        body_changes=[
            Change("equal", "各级干部"),
            Change("delete", "都"),
            Change("equal", "要带头。"),
        ],
    )
    data = render_docx(
        ExportDocument("标题", blocks=[block], revision_author=AUTHOR, revision_date=WHEN)
    )
    assert resolved(data, "accept")[-1] == "（一）以上率下示范干！各级干部要带头。"
    assert resolved(data, "reject")[-1] == "（一）以上率下示范干。各级干部都要带头。"


HEAD_OLD = ExportDocument("在全市经济工作会议上的讲话", subtitle="——在2025年年会上", blocks=[])
HEAD_NEW = ExportDocument(
    "在全市经济工作会议暨优化营商环境大会上的讲话", subtitle="——在2026年年会上", blocks=[]
)


@pytest.fixture(scope="module")
def head_versions() -> dict[str, bytes]:
    body = [Block("paragraph", body="同志们，让我们携手并进！")]
    old = dataclasses.replace(HEAD_OLD, blocks=body)
    new = dataclasses.replace(HEAD_NEW, blocks=body)
    redline = dataclasses.replace(
        new, old_title=old.title, old_subtitle=old.subtitle, revision_date=WHEN
    )
    return {"old": render_docx(old), "new": render_docx(new), "redline": render_docx(redline)}


def test_a_changed_title_and_subtitle_are_deleted_and_inserted_whole(head_versions):
    redline = head_versions["redline"]
    assert [tag for tag, _ in revisions(redline)] == ["del", "ins", "del", "ins"]
    assert revisions(redline)[2:] == [("del", "——在2025年年会上"), ("ins", "——在2026年年会上")]
    assert resolved(redline, "accept") == resolved(head_versions["new"], "show")
    assert resolved(redline, "reject") == resolved(head_versions["old"], "show")
    # The title's lines are broken as in the plain exports, line breaks inside the revision.
    title = document(redline).find(f"{w('body')}/{w('p')}")
    assert len(title.findall(f"{w('ins')}/{w('r')}/{w('br')}")) == 1


def test_pandoc_reads_the_changed_title_and_subtitle(head_versions, tmp_path):
    for name, data in head_versions.items():
        (tmp_path / f"{name}.docx").write_bytes(data)
    accepted = pandoc_text(tmp_path / "redline.docx", "accept")
    assert accepted == pandoc_text(tmp_path / "new.docx")
    assert pandoc_text(tmp_path / "redline.docx", "reject") == pandoc_text(tmp_path / "old.docx")


def test_review_mode_is_on_only_when_asked(redline):
    def settings(data: bytes) -> etree._Element:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return etree.fromstring(archive.read("word/settings.xml"))

    root = settings(redline)
    names = [etree.QName(node).localname for node in root]
    assert "trackRevisions" in names
    assert names.index("trackRevisions") < names.index("defaultTabStop")  # schema order
    off = settings(render_docx(dataclasses.replace(REDLINE, track_revisions=False)))
    assert off.find(w("trackRevisions")) is None


def test_review_mode_goes_into_an_office_references_settings_in_schema_order():
    data = render_docx(REDLINE, reference=linked_reference())
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("word/settings.xml"))
    names = [etree.QName(node).localname for node in root]
    assert names.count("trackRevisions") == 1
    before = names[: names.index("trackRevisions")]
    assert set(before) <= {"zoom", "proofState", "view", "writeProtection"}, names
    assert "defaultTabStop" in names[names.index("trackRevisions") :]


def test_without_changes_the_document_is_written_exactly_as_before():
    plain = version(NEW)
    same = dataclasses.replace(
        plain,
        blocks=redline_blocks(NEW, NEW),
        revision_author=AUTHOR,
        revision_date=WHEN,
    )
    assert render_docx(same) == render_docx(plain)


def test_a_redline_needs_a_revision_date_and_well_formed_moves():
    with pytest.raises(ValueError, match="修订时间"):
        render_docx(ExportDocument("标题", blocks=redline_blocks(OLD, NEW)))
    half_move = Block("paragraph", body="一段", change="move_to", move_key="m")
    with pytest.raises(ValueError, match="原位置"):
        render_docx(ExportDocument("标题", blocks=[half_move], revision_date=WHEN))
    deleted_with_changes = Block(
        "paragraph", change="delete", body_changes=[Change("delete", "一段")]
    )
    with pytest.raises(ValueError, match="整项"):
        render_docx(ExportDocument("标题", blocks=[deleted_with_changes], revision_date=WHEN))


# ---------------------------------------------------------------------------------------------
# The pieces: paragraphs as each version has them, and the blocks from two versions


def as_views(found) -> tuple[list[str], list[str]]:
    def view(kept: tuple[str, ...], marks: tuple[str, ...]) -> list[str]:
        out, text = [], ""
        for pieces, mark in found:
            text += "".join(t for s, t in pieces if s in kept)
            if mark in marks:
                out.append(text)
                text = ""
        return out

    return view(("equal", "insert"), ("equal", "insert")), view(
        ("equal", "delete"), ("equal", "delete")
    )


@pytest.mark.parametrize(
    ("changes", "new", "old"),
    [
        ([("equal", "甲"), ("insert", "\n乙")], ["甲", "乙"], ["甲"]),
        ([("equal", "甲"), ("delete", "\n"), ("equal", "乙")], ["甲乙"], ["甲", "乙"]),
        (
            [("equal", "甲\n"), ("delete", "乙\n"), ("equal", "丙")],
            ["甲", "丙"],
            ["甲", "乙", "丙"],
        ),
        (
            [("equal", "甲\n"), ("delete", "乙"), ("equal", "\n丙")],
            ["甲", "丙"],
            ["甲", "乙", "丙"],
        ),
        ([("equal", "甲\n"), ("insert", "\n\n")], ["甲"], ["甲"]),
        ([("delete", "甲")], [], ["甲"]),
        ([("equal", " 甲 "), ("insert", " ")], ["甲"], ["甲"]),
    ],
)
def test_body_paragraphs_are_as_each_version_has_them(changes, new, old):
    assert as_views(paragraphs(changes)) == (new, old)


def test_char_diff_pieces_rebuild_both_texts():
    old, new = "全市上下坚持稳中求进", "全市干部群众坚持稳中求进工作总基调"
    pieces = char_diff(old, new)
    assert "".join(c.text for c in pieces if c.kind != "insert") == old
    assert "".join(c.text for c in pieces if c.kind != "delete") == new


def test_redline_blocks_line_the_versions_up():
    blocks = redline_blocks(OLD, NEW)
    summary = [(b.change, b.number, b.old_number, b.heading or b.body[:4]) for b in blocks]
    assert summary == [
        (None, "", None, "今年以来"),
        (None, "一、", None, "坚定信心"),
        ("move_from", "（一）", None, "以上率下示范干"),
        (None, "（一）", "（二）", "真抓实干见实效"),
        ("delete", "（三）", None, "删去的一点"),
        ("insert", "（二）", None, "新增的一点"),
        (None, "二、", None, "突出重点"),
        ("move_to", "（一）", None, "以上率下示范干"),
        (None, "", None, "同志们，"),
    ]
    assert blocks[2].move_key == blocks[7].move_key == "k3"
    with pytest.raises(ValueError, match="重复"):
        redline_blocks([*OLD, OLD[0]], NEW)


# ---------------------------------------------------------------------------------------------
# Other readers: pandoc, and LibreOffice (which writes the changes back as it read them)


def pandoc_text(path, mode: str = "accept") -> str:
    pandoc = shutil.which("pandoc")
    if pandoc is None:
        skip_missing("pandoc")
    result = subprocess.run(
        [pandoc, f"--track-changes={mode}", "-f", "docx", "-t", "plain", "--wrap=none", str(path)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return result.stdout.decode()


def test_pandoc_accepts_the_newer_version_and_rejects_the_older(redline, tmp_path):
    files = {"redline": redline, "new": render_docx(version(NEW)), "old": render_docx(version(OLD))}
    for name, data in files.items():
        (tmp_path / f"{name}.docx").write_bytes(data)
    accepted = pandoc_text(tmp_path / "redline.docx", "accept")
    assert "干部群众" in accepted
    assert accepted == pandoc_text(tmp_path / "new.docx")
    assert pandoc_text(tmp_path / "redline.docx", "reject") == pandoc_text(tmp_path / "old.docx")


def libreoffice(work, source, target: str) -> bytes:
    """``source`` converted by LibreOffice headless to ``target`` (txt, docx)."""
    if SOFFICE is None:
        skip_missing("LibreOffice")
    out = work / target
    out.mkdir()
    profile = f"-env:UserInstallation={(work / 'lo-profile').as_uri()}"
    filters = {"txt": "txt:Text (encoded):UTF8", "docx": "docx:MS Word 2007 XML"}
    command = [SOFFICE, profile, "--headless", "--convert-to", filters[target]]
    result = subprocess.run(
        [*command, "--outdir", str(out), str(source)],
        timeout=300,
        capture_output=True,
        env={**os.environ, "HOME": str(work)},
    )
    assert result.returncode == 0, result.stderr
    converted = out / f"{source.stem}.{target}"
    assert converted.exists(), result.stdout
    return converted.read_bytes()


@pytest.mark.slow
def test_libreoffice_opens_the_redline_and_keeps_every_change(redline, tmp_path):
    source = tmp_path / "redline.docx"
    source.write_bytes(redline)
    # Its plain text shows every change's text, as a document in review mode reads.
    text = libreoffice(tmp_path, source, "txt").decode("utf-8-sig")
    lines = [line for line in re.split(r"\r?\n", text) if line.strip()]
    assert lines == [line for line in resolved(redline, "show") if line.strip()]
    # Saved again as Word by LibreOffice, the changes are still changes, moves still moves:
    # accepted, the newer version; rejected, the older.
    again = libreoffice(tmp_path, source, "docx")
    assert resolved(again, "accept") == resolved(render_docx(version(NEW)), "show")
    assert resolved(again, "reject") == resolved(render_docx(version(OLD)), "show")
    root = document(again)
    assert len(list(root.iter(w("moveFromRangeStart")))) == 1
    assert len(list(root.iter(w("moveToRangeStart")))) == 1


def uno_python() -> str:
    """A Python with LibreOffice's UNO bridge (Debian installs it for the system Python)."""
    for python in ("/usr/bin/python3", shutil.which("python3")):
        if (
            python
            and subprocess.run([python, "-c", "import uno"], capture_output=True).returncode == 0
        ):
            return python
    skip_missing("python3-uno")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("mode", "blocks"), [("accept", NEW), ("reject", OLD)], ids=["accept", "reject"]
)
def test_libreoffice_accepting_all_gives_the_newer_version_rejecting_all_the_older(
    redline, tmp_path, mode, blocks
):
    if SOFFICE is None:
        skip_missing("LibreOffice")
    python = uno_python()
    source = tmp_path / "redline.docx"
    source.write_bytes(redline)
    profile = (tmp_path / "lo-profile").as_uri()
    result = subprocess.run(
        [python, str(HERE / "lo_revisions.py"), SOFFICE, profile, str(source), mode],
        capture_output=True,
        timeout=300,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr.decode()
    texts = result.stdout.decode().split("\n")
    assert texts == resolved(render_docx(version(blocks)), "show")


_TEXT = st.text(alphabet="甲乙丙丁 \n。！", max_size=12)


@settings(max_examples=300, deadline=None)
@given(
    old_body=_TEXT,
    new_body=_TEXT,
    old_heading=st.text(alphabet="甲乙 。！", max_size=4),
    new_heading=st.text(alphabet="甲乙 。！", max_size=4),
    shape=st.sampled_from(["paragraph", "run_in", "standalone"]),
)
def test_any_two_versions_accept_to_the_newer_and_reject_to_the_older(
    old_body, new_body, old_heading, new_heading, shape
):
    def block(heading: str, body: str) -> Block:
        if shape == "paragraph":
            return Block("paragraph", body=body)
        return Block("heading", 2, "（一）", heading or "甲", body, run_in=shape == "run_in")

    old = [("a", block(old_heading, old_body)), ("z", Block("paragraph", body="结尾。"))]
    new = [("a", block(new_heading, new_body)), ("z", Block("paragraph", body="结尾。"))]
    doc = ExportDocument("标题", revision_author=AUTHOR, revision_date=WHEN)
    redline = render_docx(dataclasses.replace(doc, blocks=redline_blocks(old, new)))
    plain = {
        "accept": render_docx(dataclasses.replace(doc, blocks=[b for _, b in new])),
        "reject": render_docx(dataclasses.replace(doc, blocks=[b for _, b in old])),
    }
    for mode, expected in plain.items():
        assert resolved(redline, mode) == resolved(expected, "show"), mode


_KEYS = st.lists(st.sampled_from("abcdef"), unique=True, max_size=6)


@settings(max_examples=200, deadline=None)
@given(old_keys=_KEYS, new_keys=_KEYS, edited=st.sets(st.sampled_from("abcdef")))
def test_any_reordering_accepts_to_the_newer_and_rejects_to_the_older(old_keys, new_keys, edited):
    def keyed(keys, version: str) -> list[tuple[str, Block]]:
        out = []
        for position, key in enumerate(keys, start=1):
            body = f"{key}项的内容。" + (version if key in edited else "")
            out.append((key, run_in(f"（{position}）", f"{key}项", body)))
        return out

    # The same first and last items (an export without items has no blank line under the
    # title; Word keeps a document's last paragraph).
    ends = [("<", Block("paragraph", body="开头。")), (">", Block("paragraph", body="结尾。"))]
    old = [ends[0], *keyed(old_keys, "旧"), ends[1]]
    new = [ends[0], *keyed(new_keys, "新"), ends[1]]
    doc = ExportDocument("标题", revision_author=AUTHOR, revision_date=WHEN)
    redline = render_docx(dataclasses.replace(doc, blocks=redline_blocks(old, new)))
    for mode, blocks in (("accept", new), ("reject", old)):
        expected = render_docx(dataclasses.replace(doc, blocks=[b for _, b in blocks]))
        assert resolved(redline, mode) == resolved(expected, "show"), mode
    moved = {b.move_key for b in redline_blocks(old, new) if b.change == "move_to"}
    assert len(moved) <= max(0, len(set(old_keys) & set(new_keys)) - 1)
    assert not moved & {"<", ">"}
