"""Tracked changes (修订) in the body: text as pieces that are in the newer version, the older
or both, and the WordprocessingML that marks them (``w:ins``, ``w:del``, ``w:moveFrom``,
``w:moveTo``, and the same on a paragraph's mark).

A piece's state is ``equal`` (in both versions), ``insert`` (newer only), ``delete`` (older
only), ``move_from`` (older only, moved away) or ``move_to`` (newer only, moved here). Text
with no change is one ``equal`` piece, written exactly as before there were revisions.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator, Sequence
from xml.sax.saxutils import escape

State = str  # "equal" | "insert" | "delete" | "move_from" | "move_to"
Piece = tuple[State, str]
NEW, OLD = "new", "old"
_IN = {
    NEW: ("equal", "insert", "move_to"),
    OLD: ("equal", "delete", "move_from"),
}


def present(state: State, view: str) -> bool:
    """Whether text (or a paragraph mark) in ``state`` is there in the ``view`` version."""
    return state in _IN[view]


def without(state: State, view: str) -> State | None:
    """``state`` taken out of ``view``: what is left in the other version, or None."""
    if state == "equal":
        return "delete" if view == NEW else "insert"
    return None


def text_of(pieces: Sequence[Piece], view: str) -> str:
    return "".join(text for state, text in pieces if present(state, view))


def merged(pieces: Sequence[Piece]) -> list[Piece]:
    """Adjacent pieces of one state joined, empty ones dropped."""
    out: list[Piece] = []
    for state, text in pieces:
        if not text:
            continue
        if out and out[-1][0] == state:
            out[-1] = (state, out[-1][1] + text)
        else:
            out.append((state, text))
    return out


def strip_end(
    pieces: Sequence[Piece], chars: str | None = None, views: Iterable[str] = (NEW, OLD)
) -> list[Piece]:
    """The pieces with the trailing ``chars`` of each version's text (of those in ``views``)
    removed, as ``str.rstrip`` does, keeping each piece's part in the other version."""
    out: list[Piece] = []
    stripping = set(views)
    for state, text in reversed(merged(pieces)):
        here = {view for view in stripping if present(state, view)}
        if not here:
            out.append((state, text))
            continue
        kept = text.rstrip(chars)
        tail = text[len(kept) :]
        if kept:
            stripping -= here
        # The tail stays in the versions that are not being stripped (if the piece is in any).
        rest = without(state, here.pop()) if len(here) == 1 else None
        if tail and rest:
            out.append((rest, tail))
        if kept:
            out.append((state, kept))
    return merged(out[::-1])


def strip_start(
    pieces: Sequence[Piece], chars: str | None = None, views: Iterable[str] = (NEW, OLD)
) -> list[Piece]:
    flipped = [(state, text[::-1]) for state, text in reversed(pieces)]
    return [(state, text[::-1]) for state, text in reversed(strip_end(flipped, chars, views))]


def strip(pieces: Sequence[Piece]) -> list[Piece]:
    """Whitespace stripped from both ends of each version's text."""
    return strip_start(strip_end(pieces))


Paragraph = tuple[list[Piece], State]  # its pieces, the state of its mark


def paragraphs(pieces: Sequence[Piece], *, lead: Sequence[Piece] = ()) -> list[Paragraph]:
    """A body's pieces (``\\n`` a paragraph break, in the state of its piece) as paragraphs,
    each with the state of its mark; the last mark is the item's own (``equal``).

    As the plain text is (one paragraph per non-empty line, each stripped), in each version:
    a paragraph empty in a version loses its mark there, so it joins the next (or, the last,
    the one before). ``lead`` is what will precede the first paragraph's text (a run-in
    heading's number and heading): it joins the first line that is not empty, and makes a
    paragraph of its own when the body is empty. A body empty in both versions has none.
    """
    texts: list[list[Piece]] = [[]]
    marks: list[State] = []
    for state, text in pieces:
        for index, part in enumerate(text.split("\n")):
            if index:
                marks.append(state)
                texts.append([])
            if part:
                texts[-1].append((state, part))
    marks.append("equal")
    for view in (NEW, OLD):
        while _drop_empty(texts, marks, view, lead):
            pass
    for view in (NEW, OLD):
        _strip_paragraphs(texts, marks, view)
    out = list(zip(texts, marks, strict=True))
    if len(out) == 1 and not lead and not out[0][0]:
        return []
    return out


def _strip_paragraphs(texts: list[list[Piece]], marks: list[State], view: str) -> None:
    """Strip each of ``view``'s paragraphs at its two ends, which may lie in other paragraphs
    of the XML than its text (a paragraph continuing, in this version, in the next)."""
    start = 0
    for end in range(len(marks)):
        if not present(marks[end], view) and end < len(marks) - 1:
            continue
        for k in range(end, start - 1, -1):
            texts[k] = strip_end(texts[k], None, [view])
            if text_of(texts[k], view):
                break
        for k in range(start, end + 1):
            texts[k] = strip_start(texts[k], None, [view])
            if text_of(texts[k], view):
                break
        start = end + 1


def _drop_empty(
    texts: list[list[Piece]], marks: list[State], view: str, lead: Sequence[Piece]
) -> bool:
    """Take out of ``view`` the mark ending the first paragraph of ``view`` that is empty
    there; whether there was one."""
    start = 0
    ends = [i for i, mark in enumerate(marks) if present(mark, view)]
    for end in ends:
        group = [piece for text in texts[start : end + 1] for piece in text]
        if text_of(group, view).strip():
            start = end + 1
            continue
        if end == len(marks) - 1:
            # The item's own mark: join the paragraph before, if any, to this empty one; a
            # body empty in this version loses its own mark there (it is wholly deleted).
            before = [i for i in ends if i < start]
            if not before:
                if lead or without(marks[end], view) is None:
                    return False
                marks[end] = without(marks[end], view) or marks[end]
                return True
            end = before[-1]
        rest = without(marks[end], view)
        if rest is None:
            texts[end : end + 2] = [texts[end] + texts[end + 1]]
            del marks[end]
        else:
            marks[end] = rest
        return True
    return False


class Tracker:
    """Numbers the revisions of one document (``w:id`` is unique across all of them) and
    stamps each with its author and date."""

    def __init__(self, author: str, when: datetime.datetime):
        if when.tzinfo is not None:
            when = when.astimezone(datetime.UTC)
        stamp = when.replace(microsecond=0, tzinfo=None).isoformat() + "Z"
        self._attrs = f' w:author="{escape(author, {chr(34): "&quot;"})}" w:date="{stamp}"'
        self._next = 0
        self._moves: dict[str, str] = {}

    def attrs(self) -> str:
        """``w:id`` (the next), ``w:author`` and ``w:date`` of a revision."""
        self._next += 1
        return f' w:id="{self._next}"{self._attrs}'

    def move_name(self, key: str) -> str:
        """``w:name`` linking the two ends of the move ``key``."""
        return self._moves.setdefault(key, f"move{len(self._moves) + 1}")

    def range_start(self, state: State, key: str) -> tuple[str, str]:
        """The start and end of a move's container (``w:moveFromRangeStart`` …)."""
        tag = "moveFromRange" if state == "move_from" else "moveToRange"
        start = f'<w:{tag}Start{self.attrs()} w:name="{self.move_name(key)}"/>'
        return start, f'<w:{tag}End w:id="{self._next}"/>'

    def mark(self, state: State) -> str:
        """A paragraph mark's revision, for its ``w:pPr`` (empty when ``equal``)."""
        if state == "equal":
            return ""
        return f"<w:rPr><w:{_TAG[state]}{self.attrs()}/></w:rPr>"


_TAG = {"insert": "ins", "delete": "del", "move_from": "moveFrom", "move_to": "moveTo"}


def runs(
    pieces: Sequence[Piece],
    run: Callable[[str, str], str],
    tracker: Tracker,
) -> Iterator[str]:
    """Each piece's run (``run(text, text_tag)``), a changed one inside its revision."""
    for state, text in merged(pieces):
        if state == "equal":
            yield run(text, "t")
            continue
        tag = _TAG[state]
        inner = run(text, "delText" if state == "delete" else "t")
        yield f"<w:{tag}{tracker.attrs()}>{inner}</w:{tag}>"
