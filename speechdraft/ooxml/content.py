"""The caller's document checked and cleaned: text hygiene, valid blocks, no unfilled slot."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from speechdraft.ooxml.model import Block, Change, CommentSpan, ExportDocument, WordComment
from speechdraft.ooxml.revisions import Paragraph, Piece, State, paragraphs, strip
from speechdraft.text.numbering import format_date
from speechdraft.text.sanitize import plain_text
from speechdraft.text.templating import template_syntax_at


def _clean(text: str | None) -> str:
    """Drop what is not text (speechdraft.text.sanitize: XML 1.0 forbids most controls, and the
    rest is never meant in a speech); normalise line breaks; a tab is a space."""
    return plain_text(text).replace("\t", " ")


def _one_line(text: str | None) -> str:
    return _clean(text).replace("\n", "").strip()


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in _clean(text).split("\n") if line.strip()]


def _check_slots(texts: Sequence[str]) -> None:
    for text in texts:
        at = template_syntax_at(text)
        if at != -1:
            snippet = text[max(0, at - 10) : at + 20]
            raise ValueError(f"文稿中还有未填写的占位符，请先填写后再导出：“{snippet}”")


# A comment's place in one written text: (start, end, comment id), in characters of the text
# as cleaned (the heading's stripped text, one body paragraph's, the salutation's).
Span = tuple[int, int, int]


def _flat_spans(raw: str, spans: Sequence[CommentSpan]) -> list[Span]:
    """`spans` of the raw text of a one-line field, in its text as :func:`_one_line` writes it."""
    flat = _clean(raw).replace("\n", "")
    lead, length = len(flat) - len(flat.lstrip()), len(flat.strip())
    out: list[Span] = []
    for span in spans:
        start = len(_clean(raw[: span.start]).replace("\n", "")) - lead
        end = len(_clean(raw[: span.end]).replace("\n", "")) - lead
        start, end = max(0, min(start, length)), max(0, min(end, length))
        out.append((start, max(start, end), span.comment))
    return out


def _line_spans(raw: str, spans: Sequence[CommentSpan]) -> list[list[Span]]:
    """`spans` of a raw body, per paragraph as :func:`_lines` writes them: each comment in the
    first paragraph it reaches (one spanning paragraphs ends with the first)."""
    cleaned = _clean(raw)
    ends = [(len(_clean(raw[: s.start])), len(_clean(raw[: s.end])), s.comment) for s in spans]
    placed: set[int] = set()
    out: list[list[Span]] = []
    at = 0
    for line in cleaned.split("\n"):
        text = line.strip()
        if text:
            first = at + len(line) - len(line.lstrip())
            last = first + len(text)
            here: list[Span] = []
            for start, end, comment in ends:
                if comment in placed:
                    continue
                lo, hi = max(start, first), min(end, last)
                point = start == end and first <= start <= last
                if hi > lo or point:
                    here.append((lo - first, max(lo, hi) - first, comment))
                    placed.add(comment)
            out.append(here)
        at += len(line) + 1
    return out


@dataclass
class Item:
    """A block's text as pieces (see :mod:`speechdraft.ooxml.revisions`): one ``equal`` piece
    per field when nothing changed. ``heading_spans`` / ``body_spans`` (one list per body
    paragraph): where comments stand in that text."""

    block: Block
    state: State  # of the whole item: "equal" or its block-level change
    number: list[Piece]
    heading: list[Piece]
    body: list[Paragraph]
    heading_spans: list[Span] = field(default_factory=list)
    body_spans: list[list[Span]] = field(default_factory=list)


@dataclass
class Content:
    title: list[str]
    subtitle: list[str]
    byline: list[str]
    salutation: str
    blocks: list[Item]
    author: str = ""
    mark: str = ""
    exported_at: datetime.datetime | None = None
    revision_author: str = ""
    revision_date: datetime.datetime | None = None
    track_revisions: bool = False
    # The older version's title and subtitle lines when they differ, else None.
    old_title: list[str] | None = None
    old_subtitle: list[str] | None = None
    comments: list[WordComment] = field(default_factory=list)
    salutation_spans: list[Span] = field(default_factory=list)


_CHANGE_KINDS = ("equal", "insert", "delete")
_BLOCK_CHANGES = (None, "insert", "delete", "move_from", "move_to")


def _pieces(changes: Sequence[Change], position: int, *, one_line: bool) -> list[Piece]:
    out: list[Piece] = []
    for change in changes:
        if change.kind not in _CHANGE_KINDS:
            raise ValueError(f"第 {position} 项的修改类型无效：{change.kind!r}")
        text = _clean(change.text)
        out.append((change.kind, text.replace("\n", "") if one_line else text))
    return out


def _item(block: Block, position: int) -> Item:
    if block.change not in _BLOCK_CHANGES:
        raise ValueError(f"第 {position} 项的修订类型无效：{block.change!r}")
    state: State = block.change or "equal"
    texts_changed = block.heading_changes is not None or block.body_changes is not None
    if texts_changed and state not in ("equal", "move_to"):
        raise ValueError(f"第 {position} 项整项增删或移出，不能再有文字修改。")
    if state.startswith("move") and not block.move_key:
        raise ValueError(f"第 {position} 项是移动的项，缺少 move_key。")

    def moved(pieces: list[Piece]) -> list[Piece]:
        """At a moved item's new place, its text as the newer version has it: what both
        versions have moved there, insertions inserted (the older text is at the old place)."""
        if state == "equal":
            return pieces
        return [("move_to" if s == "equal" else s, t) for s, t in pieces if s != "delete"]

    number = _one_line(block.number)
    old = _one_line(block.old_number) if block.old_number is not None else number
    if state == "equal" and old != number:
        number_pieces: list[Piece] = [("delete", old), ("insert", number)]
    else:
        number_pieces = [(state, number)]
    if block.heading_changes is not None:
        heading = moved(strip(_pieces(block.heading_changes, position, one_line=True)))
    else:
        heading = [(state, _one_line(block.heading))]
    number_pieces = [piece for piece in number_pieces if piece[1]]
    heading = [piece for piece in heading if piece[1]]
    if block.body_changes is not None:
        standalone = block.kind == "heading" and not block.run_in
        lead = [] if standalone else [*number_pieces, *heading]
        found = paragraphs(moved(_pieces(block.body_changes, position, one_line=False)), lead=lead)
        body = [(text, "move_to" if state != "equal" and m == "equal" else m) for text, m in found]
    else:
        body = [([(state, line)], state) for line in _lines(block.body)]
    item = Item(block, state, number_pieces, heading, body)
    if state == "equal" and not texts_changed:  # comments go on the plain text only
        if block.heading_comments:
            item.heading_spans = _flat_spans(block.heading, block.heading_comments)
        if block.body_comments:
            item.body_spans = _line_spans(block.body, block.body_comments)
    return item


def prepare(doc: ExportDocument, date_style: str) -> Content:
    """Validate and clean the caller's text; fail on unfilled slots."""
    byline = _lines(doc.speaker)
    if doc.date is not None:
        byline.append(f"（{format_date(doc.date, date_style)}）")
    content = Content(
        title=_lines(doc.title),
        subtitle=_lines(doc.subtitle),
        byline=byline,
        salutation=_one_line(doc.salutation),
        blocks=[],
        author=_one_line(doc.author),
        mark=_one_line(doc.mark),
        exported_at=doc.exported_at,
        track_revisions=doc.track_revisions,
        comments=[
            WordComment(
                author=_one_line(c.author) or "未署名",
                text="\n".join(_lines(c.text)),
                date=c.date,
                initials=_one_line(c.initials),
                parent=c.parent,
            )
            for c in doc.comments
        ],
    )
    if doc.salutation_comments:
        content.salutation_spans = _flat_spans(doc.salutation or "", doc.salutation_comments)
    content.revision_author = _one_line(doc.revision_author) or content.author or "起草人"
    content.revision_date = doc.revision_date or doc.exported_at
    if doc.old_title is not None and _lines(doc.old_title) != content.title:
        content.old_title = _lines(doc.old_title)
    if doc.old_subtitle is not None and _lines(doc.old_subtitle) != content.subtitle:
        content.old_subtitle = _lines(doc.old_subtitle)
    for position, block in enumerate(doc.blocks, start=1):
        if block.kind not in ("paragraph", "heading"):
            raise ValueError(f"第 {position} 项的类型无效：{block.kind!r}")
        if not isinstance(block.level, int) or not 0 <= block.level <= 4:
            raise ValueError(f"第 {position} 项的层级必须是 0 到 4，收到：{block.level!r}")
        if block.kind == "heading" and block.level == 0:
            raise ValueError(f"第 {position} 项是标题，层级必须是 1 到 4。")
        content.blocks.append(_item(block, position))
    _check_moves(doc.blocks)
    _check_comments(doc)
    texts = [content.mark, *content.title, *content.subtitle, *content.byline, content.salutation]
    texts.extend([*(content.old_title or []), *(content.old_subtitle or [])])
    revised = content.old_title is not None or content.old_subtitle is not None
    for item in content.blocks:
        pieces = [*item.number, *item.heading, *(p for text, _ in item.body for p in text)]
        texts.extend(text for _, text in pieces)
        revised = revised or any(
            state != "equal" for state in [*(s for s, _ in pieces), *(m for _, m in item.body)]
        )
    _check_slots(texts)
    if revised and content.revision_date is None:
        raise ValueError("花脸稿缺少修订时间，无法导出。")
    return content


def _check_comments(doc: ExportDocument) -> None:
    """Every comment's place names a comment of the document."""
    spans = [*doc.salutation_comments]
    for block in doc.blocks:
        spans += [*block.heading_comments, *block.body_comments]
    for span in spans:
        if not 0 <= span.comment < len(doc.comments) or not 0 <= span.start <= span.end:
            raise ValueError(f"批注的位置无效：{span!r}")
    placed = [span.comment for span in spans]
    if len(placed) != len(set(placed)):
        raise ValueError("同一条批注只能放在一处。")


def _check_moves(blocks: Sequence[Block]) -> None:
    """Every move has one old place and one new place."""
    ends: dict[str, list[str]] = {}
    for block in blocks:
        if block.change in ("move_from", "move_to"):
            ends.setdefault(block.move_key, []).append(block.change)
    for key, found in ends.items():
        if sorted(found) != ["move_from", "move_to"]:
            raise ValueError(f"移动的项 {key!r} 必须正好有一个原位置和一个新位置。")
