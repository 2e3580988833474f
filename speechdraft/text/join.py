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


def _should_join(prev: str, nxt: str, wrapped: bool = False) -> bool:
    if not prev or not nxt:
        return False
    if nxt[0] in _CONTINUATION_START:
        return True
    if is_complete(prev):
        return False
    if parse_number_token(nxt) is not None or SALUTATION_RE.match(nxt):
        return False
    if _INTERNAL_STOP_RE.search(prev, 0, len(prev) - 1):
        return True
    if wrapped:
        return True
    numbered = parse_number_token(prev) is not None
    if numbered:
        return False
    if len(prev) > 40 and "，" in prev:
        return True
    return len(prev) <= 60 and bool(_PARTICLE_START_RE.match(nxt))


def _concat(a: str, b: str) -> str:
    if a and b and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        return a + " " + b
    return a + b


def join_lines(lines: list[str]) -> list[str]:
    """Merge broken lines into paragraphs (order and text preserved)."""
    width = wrap_width(lines)
    out: list[str] = []
    last = ""
    for line in lines:
        wrapped = width is not None and len(last) >= width - 2
        if out and _should_join(out[-1], line, wrapped):
            out[-1] = _concat(out[-1], line)
        else:
            out.append(line)
        last = line
    return out
