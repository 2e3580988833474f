"""Word files carrying a leader's markup, for the tests: python-docx writes the document, the
tracked changes and comments are XML written here (w:ins, w:del, w:commentRangeStart/End,
word/comments.xml) and put into the package.

A paragraph is a list of pieces: a plain string, or
``Ins(text)``, ``Del(text)``, ``Note(words, comment)`` (a comment on ``words``),
``Mark("ins" | "del")`` (the paragraph mark inserted or deleted).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import docx
from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DATE = "2026-11-20T09:30:00Z"


@dataclass
class Ins:
    text: str
    author: str = "王局长"


@dataclass
class Del:
    text: str
    author: str = "王局长"


@dataclass
class Mark:
    """The paragraph's mark as a tracked change: "ins" (Enter pressed: the paragraph was split
    here) or "del" (joined with the next paragraph)."""

    kind: str = "ins"
    author: str = "王局长"


@dataclass
class Note:
    words: str
    comment: str
    author: str = "王局长"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _run(text: str, *, deleted: bool = False):
    r = etree.Element(_w("r"))
    t = etree.SubElement(r, _w("delText" if deleted else "t"))
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return r


def _mark(tag: str, author: str, n: int):
    mark = etree.Element(_w(tag))
    mark.set(_w("id"), str(n))
    mark.set(_w("author"), author)
    mark.set(_w("date"), DATE)
    return mark


def marked_docx(paragraphs: list[list], *, tables: list[list[str]] = ()) -> bytes:
    """A .docx whose body paragraphs are ``paragraphs`` (see the module docstring); each of
    ``tables`` is added as a one-row table after them."""
    document = docx.Document()
    for _ in paragraphs:
        document.add_paragraph("")
    for cells in tables:
        table = document.add_table(rows=1, cols=len(cells))
        for cell, text in zip(table.rows[0].cells, cells, strict=True):
            cell.text = text
    comments: list[tuple[int, Note]] = []
    n = 100
    for p, pieces in zip(document.paragraphs, paragraphs, strict=True):
        element = p._p
        for piece in [pieces] if isinstance(pieces, str) else pieces:
            n += 1
            if isinstance(piece, str):
                element.append(_run(piece))
            elif isinstance(piece, Ins):
                mark = _mark("ins", piece.author, n)
                mark.append(_run(piece.text))
                element.append(mark)
            elif isinstance(piece, Mark):
                ppr = element.get_or_add_pPr()
                rpr = etree.SubElement(ppr, _w("rPr"))
                rpr.append(_mark(piece.kind, piece.author, n))
            elif isinstance(piece, Del):
                mark = _mark("del", piece.author, n)
                mark.append(_run(piece.text, deleted=True))
                element.append(mark)
            else:
                cid = len(comments)
                comments.append((cid, piece))
                start = etree.SubElement(element, _w("commentRangeStart"))
                start.set(_w("id"), str(cid))
                element.append(_run(piece.words))
                end = etree.SubElement(element, _w("commentRangeEnd"))
                end.set(_w("id"), str(cid))
                ref_run = etree.SubElement(element, _w("r"))
                ref = etree.SubElement(ref_run, _w("commentReference"))
                ref.set(_w("id"), str(cid))
    buffer = io.BytesIO()
    document.save(buffer)
    return add_comments(buffer.getvalue(), comments) if comments else buffer.getvalue()


def _comments_xml(comments: list[tuple[int, Note]]) -> bytes:
    root = etree.Element(_w("comments"), nsmap={"w": W})
    for cid, note in comments:
        c = etree.SubElement(root, _w("comment"))
        c.set(_w("id"), str(cid))
        c.set(_w("author"), note.author)
        c.set(_w("date"), DATE)
        p = etree.SubElement(c, _w("p"))
        p.append(_run(note.comment))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def replace_parts(data: bytes, changes: dict[str, bytes]) -> bytes:
    """The package with some parts replaced or added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename not in changes:
                dst.writestr(info, src.read(info))
        for name, blob in changes.items():
            dst.writestr(name, blob)
    return out.getvalue()


def add_comments(data: bytes, comments: list[tuple[int, Note]]) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        types = zf.read("[Content_Types].xml").decode()
        rels = zf.read("word/_rels/document.xml.rels").decode()
    types = types.replace(
        "</Types>",
        '<Override PartName="/word/comments.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/></Types>',
    )
    rels = rels.replace(
        "</Relationships>",
        '<Relationship Id="rIdComments9" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/comments" Target="comments.xml"/></Relationships>',
    )
    return replace_parts(
        data,
        {
            "[Content_Types].xml": types.encode(),
            "word/_rels/document.xml.rels": rels.encode(),
            "word/comments.xml": _comments_xml(comments),
        },
    )


def with_external_link(data: bytes) -> bytes:
    """The same file with a hyperlink relationship to a web address."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        rels = zf.read("word/_rels/document.xml.rels").decode()
    rels = rels.replace(
        "</Relationships>",
        '<Relationship Id="rIdLink7" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/hyperlink" Target="http://example.invalid/x" TargetMode="External"/>'
        "</Relationships>",
    )
    return replace_parts(data, {"word/_rels/document.xml.rels": rels.encode()})


def with_macros(data: bytes) -> bytes:
    """The same file with a VBA project in it (as a .docm carries)."""
    return replace_parts(data, {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 not really VBA"})


ENCRYPTED = (
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le") + b"\0" * 64
)


W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
EXTENDED_TYPE = "http://schemas.microsoft.com/office/2011/relationships/commentsExtended"


def reply_in_word(
    data: bytes, to: str, reply: str, *, author: str = "王局长", done=False, marks=True
) -> bytes:
    """The file as Word leaves it when someone answers the comment saying `to` (回复) and,
    with `done`, marks its thread 已解决: a comment of its own, threaded to the one it answers
    by their last paragraphs' ids in word/commentsExtended.xml (written, or added to), and
    (with `marks`) on the same words as that comment."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = set(zf.namelist())
        notes = etree.fromstring(zf.read("word/comments.xml"))
        body = etree.fromstring(zf.read("word/document.xml"))
        types = zf.read("[Content_Types].xml").decode()
        rels = zf.read("word/_rels/document.xml.rels").decode()
        extended = (
            etree.fromstring(zf.read("word/commentsExtended.xml"))
            if "word/commentsExtended.xml" in names
            else None
        )
    parent = next(
        c for c in notes.iter(_w("comment")) if "".join(t.text or "" for t in c.iter(_w("t"))) == to
    )
    pid = parent.get(_w("id"))
    last = list(parent.iter(_w("p")))[-1]
    parent_para = last.get(f"{{{W14}}}paraId") or "1A2B3C4D"
    last.set(f"{{{W14}}}paraId", parent_para)
    cid = str(max(int(c.get(_w("id"))) for c in notes.iter(_w("comment"))) + 1)
    answer = etree.SubElement(notes, _w("comment"))
    for key, value in (("id", cid), ("author", author), ("date", DATE)):
        answer.set(_w(key), value)
    p = etree.SubElement(answer, _w("p"))
    p.set(f"{{{W14}}}paraId", "5E6F7A8B")
    p.append(_run(reply))
    if extended is None:
        extended = etree.Element(f"{{{W15}}}commentsEx", nsmap={"w15": W15})
        types = types.replace(
            "</Types>",
            '<Override PartName="/word/commentsExtended.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml"/></Types>',
        )
        rels = rels.replace(
            "</Relationships>",
            f'<Relationship Id="rIdCommentsEx9" Type="{EXTENDED_TYPE}" '
            'Target="commentsExtended.xml"/></Relationships>',
        )
    entries = {e.get(f"{{{W15}}}paraId"): e for e in extended.iter(f"{{{W15}}}commentEx")}
    top = entries.get(parent_para)
    if top is None:
        top = etree.SubElement(extended, f"{{{W15}}}commentEx")
        top.set(f"{{{W15}}}paraId", parent_para)
    top.set(f"{{{W15}}}done", "1" if done else "0")
    entry = etree.SubElement(extended, f"{{{W15}}}commentEx")
    entry.set(f"{{{W15}}}paraId", "5E6F7A8B")
    entry.set(f"{{{W15}}}paraIdParent", parent_para)
    entry.set(f"{{{W15}}}done", "1" if done else "0")
    if marks:  # Word puts an answer's range and reference right after its comment's
        for tag in ("commentRangeStart", "commentRangeEnd"):
            mark = next(e for e in body.iter(_w(tag)) if e.get(_w("id")) == pid)
            twin = etree.Element(_w(tag))
            twin.set(_w("id"), cid)
            mark.addnext(twin)
        ref = next(e for e in body.iter(_w("commentReference")) if e.get(_w("id")) == pid)
        run = etree.Element(_w("r"))
        etree.SubElement(run, _w("commentReference")).set(_w("id"), cid)
        ref.getparent().addnext(run)
    return replace_parts(
        data,
        {
            "[Content_Types].xml": types.encode(),
            "word/_rels/document.xml.rels": rels.encode(),
            "word/comments.xml": etree.tostring(notes),
            "word/document.xml": etree.tostring(body),
            "word/commentsExtended.xml": etree.tostring(extended),
        },
    )
