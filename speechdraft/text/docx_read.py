"""Read a Word file for a draft: its body paragraphs in order, each with the tracked changes
(``w:ins``/``w:del``, moves) and comments on it, placed by offset in the paragraph's
*original* text (deletions present, insertions absent: the text before the changes).

The file is checked as corpus ingestion checks it (speechdraft.text.decode: not a zip,
damaged, old or encrypted Office files, zip bombs, DTDs), and further refused when it carries
macros or links out of the package, which a file that will be opened again in Word must not
bring into the office. Whatever cannot be placed in a paragraph of the body (tables, text
boxes, images, changes in headers and footers, comments outside the body) is listed in
``DocxContent.unplaced``, never dropped silently.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from .decode import DEFAULT_MAX_BYTES, RUN_CHARS, ZIP_ERRORS, open_docx
from .errors import IngestError

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = "{" + W_NS + "}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
_W15 = "{http://schemas.microsoft.com/office/word/2012/wordml}"
_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"

INSERT, DELETE, COMMENT = "insert", "delete", "comment"
# How much of the text beside a change is kept to find its place again.
CONTEXT_CHARS = 12
SNIPPET_CHARS = 40

# A relationship target that is not a part of the package, whatever its TargetMode says: a URL,
# a drive path (C:), a UNC path (\\host\share) or a network-path reference (//host).
_OUTSIDE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:|[\\/]{2}")


def links_out(target_mode: str | None, target: str | None) -> bool:
    """Whether a relationship points out of the package (Word or WPS would fetch it)."""
    mode = (target_mode or "").strip().lower()
    return mode == "external" or bool(_OUTSIDE.match((target or "").strip()))


@dataclass
class Change:
    """One tracked change or comment in a paragraph.

    ``offset``/``length``: the span of the paragraph's original text it concerns (an
    insertion has length 0: it goes at ``offset``). ``text``: what is inserted, what is
    deleted, or what the comment says. ``anchor``: the original words it concerns (the
    deleted or commented words; for an insertion, none). ``before``/``after``: the original
    text on either side, to find its place again once the text has moved.
    """

    kind: str
    offset: int
    length: int
    text: str
    author: str = ""
    date: str = ""
    anchor: str = ""
    before: str = ""
    after: str = ""
    # A comment's id in the file, the id of the comment it answers (回复, as Word threads them
    # in commentsExtended.xml; "" for a comment of its own), and whether Word marks its
    # thread done (已解决).
    comment_id: str = ""
    answers: str = ""
    done: bool = False


@dataclass
class DocxParagraph:
    original: str  # with the deletions, without the insertions
    changes: list[Change] = field(default_factory=list)
    # The paragraph mark as a tracked change: INSERT (the leader pressed Enter here: this
    # paragraph and the next were one) or DELETE (joined with the next), at the end.
    mark: Change | None = None

    @property
    def revised(self) -> str:
        """The text with every change accepted."""
        out, at = [], 0
        for change in sorted(self.changes, key=lambda c: (c.offset, c.kind != INSERT)):
            if change.kind == COMMENT:
                continue
            out.append(self.original[at : change.offset])
            at = max(at, change.offset)
            if change.kind == INSERT:
                out.append(change.text)
            else:
                at = max(at, change.offset + change.length)
        out.append(self.original[at:])
        return "".join(out)


@dataclass
class DocxContent:
    paragraphs: list[DocxParagraph]
    unplaced: list[str] = field(default_factory=list)  # what the body paragraphs cannot hold


def _refuse(filename: str, reason: str) -> IngestError:
    return IngestError(f"文件“{filename}”{reason}", filename)


MACROS = "含有宏（VBA 代码），为安全起见已拒绝；请另存为不含宏的 .docx（“Word 文档”）后再上传"


def _has_macros(data: bytes) -> bool:
    """A VBA project anywhere in the zip, or a macro-enabled main part (.docm)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = zf.namelist()
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                return True
            if "[Content_Types].xml" in names:
                info = zf.getinfo("[Content_Types].xml")
                if info.file_size <= 1024 * 1024:
                    return b"macroenabled" in zf.read(info).lower()
    except ZIP_ERRORS:
        return False
    return False


def _check_package(document, filename: str) -> None:
    """No relationship that links out, in any part."""
    for rel in _all_relationships(document):
        if rel.is_external or links_out(None, rel.target_ref):
            raise _refuse(
                filename,
                f"含有指向外部的链接（{rel.target_ref[:60]}），为安全起见已拒绝；"
                "请删除其中的超链接、链接的图片或附加模板后再上传",
            )


def _all_relationships(document):
    package = document.part.package
    yield from package.rels.values()
    for part in package.iter_parts():
        yield from part.rels.values()


def _snippet(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SNIPPET_CHARS else text[:SNIPPET_CHARS] + "…"


def _tag(element) -> str:
    return element.tag if isinstance(element.tag, str) else ""


class _ParagraphReader:
    """Walks one w:p, building its original text and its changes."""

    def __init__(self, comments: dict[str, dict], unplaced: list[str]) -> None:
        self.comments = comments
        self.unplaced = unplaced
        self.parts: list[str] = []
        self.length = 0
        self.changes: list[Change] = []
        self.open_ranges: dict[str, int] = {}
        self.placed_comments: set[str] = set()
        self.boxes: list = []
        self.images = 0

    def add_original(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def read(self, p) -> DocxParagraph:
        self.inline(p, None)
        for cid, start in self.open_ranges.items():  # a range ending in a later paragraph
            self.comment(cid, start, self.length)
        original = "".join(self.parts)
        for change in self.changes:
            change.before = original[max(0, change.offset - CONTEXT_CHARS) : change.offset]
            end = change.offset + change.length
            change.after = original[end : end + CONTEXT_CHARS]
            if change.kind != INSERT:
                change.anchor = original[change.offset : end]
        return DocxParagraph(original, self.changes, mark=_paragraph_mark(p, len(original)))

    def comment(self, cid: str, start: int, end: int) -> None:
        info = self.comments.get(cid)
        if info is None or cid in self.placed_comments:
            return
        self.placed_comments.add(cid)
        self.changes.append(_comment_change(cid, info, start, max(0, end - start)))

    def inline(self, element, mark) -> None:
        """``mark``: the enclosing w:ins / w:del (or move), or None."""
        for child in element:
            tag = _tag(child)
            if not tag or tag in (_W + "pPr", _W + "rPr", _W + "instrText", _MC + "Fallback"):
                continue
            if tag in (_W + "ins", _W + "moveTo", _W + "del", _W + "moveFrom"):
                self.inline(child, child)
            elif tag in (_W + "t", _W + "delText"):
                self.text(child.text or "", mark)
            elif tag in RUN_CHARS:
                self.text(RUN_CHARS[tag], mark)
            elif tag == _W + "commentRangeStart":
                self.open_ranges[child.get(_W + "id", "")] = self.length
            elif tag == _W + "commentRangeEnd":
                cid = child.get(_W + "id", "")
                if cid in self.open_ranges:
                    self.comment(cid, self.open_ranges.pop(cid), self.length)
            elif tag == _W + "commentReference":
                cid = child.get(_W + "id", "")
                if cid not in self.open_ranges:
                    self.comment(cid, self.length, self.length)
            elif tag == _W + "p":
                self.boxes.append(child)  # a paragraph of a text box
            elif tag in (_W + "drawing", _W + "pict", _W + "object"):
                if not any(_tag(e) == _W + "txbxContent" for e in child.iter()):
                    self.images += 1
                self.inline(child, mark)
            else:
                self.inline(child, mark)

    def text(self, text: str, mark) -> None:
        if not text:
            return
        kind = _tag(mark) if mark is not None else ""
        if kind in (_W + "ins", _W + "moveTo"):
            self.change(INSERT, text, mark)
        elif kind in (_W + "del", _W + "moveFrom"):
            self.change(DELETE, text, mark)
            self.add_original(text)
        else:
            self.add_original(text)

    def change(self, kind: str, text: str, mark) -> None:
        author, date = mark.get(_W + "author", ""), mark.get(_W + "date", "")
        last = self.changes[-1] if self.changes else None
        # Runs of one change (or of one author's adjacent changes) read as one change.
        if (
            last is not None
            and last.kind == kind
            and (last.author, last.date) == (author, date)
            and (
                (kind == INSERT and last.offset == self.length)
                or (kind == DELETE and last.offset + last.length == self.length)
            )
        ):
            last.text += text
            if kind == DELETE:
                last.length += len(text)
            return
        length = len(text) if kind == DELETE else 0
        self.changes.append(Change(kind, self.length, length, text, author, date))


def _paragraph_mark(p, length: int) -> Change | None:
    rpr = p.find(f"{_W}pPr/{_W}rPr")
    for tag, kind in (("ins", INSERT), ("del", DELETE)):
        mark = rpr.find(_W + tag) if rpr is not None else None
        if mark is not None:
            author, date = mark.get(_W + "author", ""), mark.get(_W + "date", "")
            return Change(kind, length, 0 if kind == INSERT else 1, "\n", author, date)
    return None


def joined_paragraphs(paragraphs: list[DocxParagraph]) -> list[DocxParagraph]:
    """The paragraphs as they were before the changes: one the leader split in two (its mark
    inserted) is one again, the split an insertion of a line break at the join."""
    out: list[DocxParagraph] = []
    carry: DocxParagraph | None = None
    for p in paragraphs:
        if carry is not None:
            shift = len(carry.original)
            moved = [
                Change(
                    c.kind,
                    c.offset + shift,
                    c.length,
                    c.text,
                    c.author,
                    c.date,
                    c.anchor,
                    c.before,
                    c.after,
                )
                for c in p.changes
            ]
            p = DocxParagraph(carry.original + p.original, carry.changes + moved, p.mark)
            carry = None
        if p.mark is not None and p.mark.kind == INSERT:
            split = p.mark
            split.before = p.original[-CONTEXT_CHARS:]
            carry = DocxParagraph(p.original, [*p.changes, split])
            continue
        out.append(p)
    if carry is not None:
        out.append(carry)
    for p in out:  # the text after a split is known once the paragraphs are one again
        for c in p.changes:
            if c.kind == INSERT and c.text == "\n":
                c.after = p.original[c.offset : c.offset + CONTEXT_CHARS]
    return out


def _comment_change(cid: str, info: dict, offset: int, length: int) -> Change:
    return Change(
        COMMENT,
        offset,
        length,
        info["text"],
        info["author"],
        info["date"],
        comment_id=cid,
        answers=info["answers"],
        done=info["done"],
    )


def _comments(document) -> dict[str, dict]:
    """Comment id → its text, author, date, the comment it answers and whether its thread is
    done (word/comments.xml, threaded by word/commentsExtended.xml where the file has one)."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False)
    found: dict[str, dict] = {}
    by_para: dict[str, str] = {}  # the paragraph id of a comment's last paragraph → its id
    extended = None
    for rel in document.part.rels.values():
        if rel.is_external:
            continue
        if rel.reltype.endswith("/commentsExtended"):
            extended = etree.fromstring(rel.target_part.blob, parser)
        if found or not rel.reltype.endswith("/comments"):
            continue
        root = etree.fromstring(rel.target_part.blob, parser)
        for c in root.iter(_W + "comment"):
            cid = c.get(_W + "id", "")
            paragraphs = list(c.iter(_W + "p"))
            texts = ["".join(t.text or "" for t in p.iter(_W + "t")) for p in paragraphs]
            found[cid] = {
                "text": "\n".join(x for x in texts if x.strip()).strip(),
                "author": c.get(_W + "author", ""),
                "date": c.get(_W + "date", ""),
                "answers": "",
                "done": False,
            }
            if paragraphs and paragraphs[-1].get(_W14 + "paraId"):
                by_para[paragraphs[-1].get(_W14 + "paraId").upper()] = cid
    if extended is not None:
        for entry in extended.iter(_W15 + "commentEx"):
            cid = by_para.get((entry.get(_W15 + "paraId") or "").upper())
            if cid is None:
                continue
            parent = by_para.get((entry.get(_W15 + "paraIdParent") or "").upper(), "")
            found[cid]["answers"] = parent if parent != cid else ""
            found[cid]["done"] = entry.get(_W15 + "done") in ("1", "true", "on")
    return found


def _header_footer_notes(document) -> list[str]:
    """Tracked changes and comments in headers, footers, footnotes and endnotes."""
    from lxml import etree

    notes = []
    names = {"header": "页眉", "footer": "页脚", "footnotes": "脚注", "endnotes": "尾注"}
    for rel in document.part.rels.values():
        kind = rel.reltype.rpartition("/")[2]
        if rel.is_external or kind not in names:
            continue
        root = etree.fromstring(rel.target_part.blob, etree.XMLParser(resolve_entities=False))
        for mark in root.iter(_W + "ins", _W + "del"):
            what = "插入" if mark.tag == _W + "ins" else "删除"
            text = "".join(t.text or "" for t in mark.iter(_W + "t", _W + "delText"))
            if text.strip():
                notes.append(f"{names[kind]}中的修订（{what}）：{_snippet(text)}")
        if root.find(f".//{_W}commentRangeStart") is not None:
            notes.append(f"{names[kind]}中的批注")
    return notes


def _table_note(table, comments: dict[str, dict]) -> str:
    texts = [t.text or "" for t in table.iter(_W + "t")]
    changes = sum(1 for _ in table.iter(_W + "ins", _W + "del"))
    ids = {e.get(_W + "id") for e in table.iter(_W + "commentRangeStart", _W + "commentReference")}
    extra = []
    if changes:
        extra.append(f"含 {changes} 处修订")
    if ids & set(comments):
        extra.append(f"含 {len(ids & set(comments))} 条批注")
    suffix = f"（{'，'.join(extra)}）" if extra else ""
    return f"表格{suffix}：{_snippet(''.join(texts))}"


def read_docx(data: bytes, filename: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> DocxContent:
    """The body paragraphs of a Word file with their changes; IngestError (Chinese) when the
    file is refused."""
    name = filename or "（未命名）"
    try:
        document = open_docx(data, name, max_bytes=max_bytes)
    except IngestError:
        # python-docx refuses a .docm's main part: say why it is refused.
        if len(data) <= max_bytes and _has_macros(data):
            raise _refuse(name, MACROS) from None
        raise
    if _has_macros(data):
        raise _refuse(name, MACROS)
    try:
        _check_package(document, name)
        comments = _comments(document)
        return _read(document, comments)
    except IngestError:
        raise
    except Exception as exc:  # python-docx and lxml raise many kinds on a damaged part
        raise _refuse(name, "的 Word 内容无法读取，文件可能已损坏") from exc


def _read(document, comments: dict[str, dict]) -> DocxContent:
    paragraphs: list[DocxParagraph] = []
    unplaced: list[str] = []
    placed: set[str] = set()

    def blocks(element) -> None:
        for child in element:
            tag = _tag(child)
            if tag == _W + "p":
                paragraph(child)
            elif tag == _W + "tbl":
                unplaced.append(_table_note(child, comments))
                placed.update(
                    e.get(_W + "id")
                    for e in child.iter(_W + "commentRangeStart", _W + "commentReference")
                )
            elif tag in (_W + "sdt", _W + "sdtContent", _W + "customXml"):
                blocks(child)

    def paragraph(p) -> None:
        reader = _ParagraphReader(comments, unplaced)
        read = reader.read(p)
        paragraphs.append(read)
        placed.update(reader.placed_comments)
        if reader.images:
            where = _snippet(read.original) or "空段落"
            unplaced.append(f"图片 {reader.images} 张（在“{where}”一段）")
        for box in reader.boxes:
            box_reader = _ParagraphReader(comments, unplaced)
            box_text = box_reader.read(box)
            placed.update(box_reader.placed_comments)
            if box_text.original.strip() or box_text.changes:
                extra = f"（含 {len(box_text.changes)} 处修订或批注）" if box_text.changes else ""
                unplaced.append(f"文本框{extra}：{_snippet(box_text.revised)}")

    body = document.element.body
    if body is not None:
        blocks(body)
    unplaced.extend(_header_footer_notes(document))
    for cid, info in comments.items():
        if cid in placed:
            continue
        if _answer_placed(paragraphs, cid, info):
            continue
        unplaced.append(f"批注（{info['author'] or '未署名'}）：{_snippet(info['text'])}")
    return DocxContent(paragraphs, unplaced)


def _answer_placed(paragraphs: list[DocxParagraph], cid: str, info: dict) -> bool:
    """An answer without marks of its own in the body (a writer may leave them out) goes
    where the comment it answers is."""
    if not info["answers"]:
        return False
    for p in paragraphs:
        for change in p.changes:
            if change.kind == COMMENT and change.comment_id == info["answers"]:
                answer = _comment_change(cid, info, change.offset, change.length)
                answer.anchor, answer.before, answer.after = (
                    change.anchor,
                    change.before,
                    change.after,
                )
                p.changes.append(answer)
                return True
    return False
