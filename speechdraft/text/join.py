"""Re-join lines that were broken in the middle of a sentence.

A line is *complete* when it ends with sentence-final punctuation (。！？；：… and closing
quotes/brackets). An incomplete line is glued to the next line when

* the next line starts with punctuation that cannot open a sentence (，、。；：！？）》”…), or
* the next line is not a numbered heading or salutation, and the line is plainly part of a
  paragraph: it contains a full stop (or ；！？) before its end, or it is long and has
  commas, or
* the line is short and the next one starts with a particle that cannot start a sentence
  (了、着、的、地、得、们、之、等、及 – e.g. ``**同志通报`` / ``了区委考察组…``).

* the document is hard-wrapped (many unfinished lines share one length, the wrap width)
  and the line reaches that width.

Headings (``一、认清形势…``) end without a full stop but contain none inside, so they are
never glued to their body.
"""

from __future__ import annotations

import re
from collections import Counter

from .clean import SALUTATION_RE
from .numbering import parse_number_token

_TERMINAL = frozenset("。！？；：…”’」』）)!?;:")
_CONTINUATION_START = frozenset("，、。；：！？）》」』”’,;:!?)")
_INTERNAL_STOP_RE = re.compile(r"[。！？；]")
_PARTICLE_START_RE = re.compile(
    r"^(?:了(?!解|不起)|着(?!力|眼|手|重)|的(?!确)|地(?!区|方|处|域|市|县)|得(?!到|益|出)|们"
    r"|之(?!后|前|所)|等(?!到)|及(?!时|早))"
)


def is_complete(line: str) -> bool:
    return bool(line) and line[-1] in _TERMINAL


def wrap_width(lines: list[str]) -> int | None:
    """The width a hard-wrapped text was wrapped at, or None when it is not hard-wrapped."""
    lengths = [len(line) for line in lines if line and not is_complete(line)]
    if len(lengths) < 5:
        return None
    counts = Counter(lengths)
    width = max(counts, key=lambda w: (counts[w], w))
    near = sum(c for w, c in counts.items() if width - 2 <= w <= width)
    if width >= 15 and near >= 4 and near >= 0.4 * len(lengths):
        return width
    return None


# A numbering token and what follows it fit in this many characters, unless runs of spaces
# stretch it (never in the cleaner's lines); then up to _HEAD_LONG characters are read.
_HEAD = 64
_HEAD_LONG = 4096
_SPACE_RUN_RE = re.compile(r"[ \t\u3000]{2}")


class _Paragraph:
    """A paragraph being put together from lines. What :func:`_should_join` asks of it is
    kept as lines are added and its text is joined once at the end: asked of the joined
    text, each line would cost the whole paragraph (a hard-wrapped text without full
    stops is one paragraph of thousands of lines)."""

    def __init__(self, line: str) -> None:
        self.parts = [line]
        self.length = len(line)
        self.last = line[-1:]
        self.stop = _INTERNAL_STOP_RE.search(line) is not None
        self.comma = "，" in line
        self.head = line[:_HEAD]

    def add(self, line: str) -> None:
        if self.last and _spaced(self.last, line):
            line = " " + line
        self.parts.append(line)
        self.length += len(line)
        self.last = line[-1:]
        self.stop = self.stop or _INTERNAL_STOP_RE.search(line) is not None
        self.comma = self.comma or "，" in line
        if len(self.head) < _HEAD:
            self.head = (self.head + line)[:_HEAD]

    def numbered(self) -> bool:
        head = self.head
        if self.length > _HEAD and (_SPACE_RUN_RE.search(head) or not head[16:].strip()):
            head = self._prefix(_HEAD_LONG)
        return parse_number_token(head) is not None

    def _prefix(self, size: int) -> str:
        parts, length = [], 0
        for part in self.parts:
            if length >= size:
                break
            parts.append(part)
            length += len(part)
        return "".join(parts)[:size]

    def text(self) -> str:
        return "".join(self.parts)


def _should_join(prev: _Paragraph, nxt: str, wrapped: bool = False) -> bool:
    if not prev.length or not nxt:
        return False
    if nxt[0] in _CONTINUATION_START:
        return True
    if prev.last in _TERMINAL:  # complete
        return False
    if parse_number_token(nxt) is not None or SALUTATION_RE.match(nxt):
        return False
    if prev.stop:  # a stop before its end (its last character is none)
        return True
    if wrapped:
        return True
    if prev.numbered():
        return False
    if prev.length > 40 and prev.comma:
        return True
    return prev.length <= 60 and bool(_PARTICLE_START_RE.match(nxt))


def _spaced(last: str, line: str) -> bool:
    """Whether a joined line goes after a space: between two Latin words (Microsoft Word)."""
    return last.isascii() and last.isalnum() and line[0].isascii() and line[0].isalnum()


def join_lines(lines: list[str]) -> list[str]:
    """Merge broken lines into paragraphs (order and text preserved)."""
    width = wrap_width(lines)
    out: list[_Paragraph] = []
    last = ""
    for line in lines:
        wrapped = width is not None and len(last) >= width - 2
        if out and _should_join(out[-1], line, wrapped):
            out[-1].add(line)
        else:
            out.append(_Paragraph(line))
        last = line
    return [p.text() for p in out]
