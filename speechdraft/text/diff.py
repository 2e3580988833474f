"""What changed between two texts, word by word: pure, no Django.

Chinese text has no spaces, so words come from jieba (speechdraft.text.segment, the
process's one tokenizer with its user dictionary); a slot ({{ 地区 }}) is one token, never
cut inside; a line break is a token of its own. difflib's SequenceMatcher (autojunk off:
common words such as 的 and ， are never treated as junk) aligns the two token sequences and
the result is a list of Ops in reading order, adjacent ops of one kind merged. Where words
are replaced by words, the characters they share (two or more in a row) stay equal: jieba
keeps 深刻认识 whole, yet 深刻认识 → 充分认识 is a change of 深刻 to 充分.

Concatenating the text of the "equal" and "delete" ops gives the old text back, and that of
the "equal" and "insert" ops the new text, always: a word replaced reads as its deletion
followed by its insertion.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Final, Literal

from speechdraft.text import segment
from speechdraft.text.convert import to_simplified
from speechdraft.text.templating import SLOT_RE, split_at_slots

OpKind = Literal["equal", "insert", "delete"]
EQUAL: Final = "equal"
INSERT: Final = "insert"
DELETE: Final = "delete"

_LINES = re.compile(r"(\n)")


@dataclass(frozen=True)
class Op:
    """One run of a diff: text both versions have ("equal"), or only the new ("insert") or
    only the old ("delete") one."""

    kind: OpKind
    text: str


def tokens(text: str) -> list[str]:
    """`text` cut into words (jieba), whole slots and line breaks; their concatenation is
    `text` exactly."""
    out: list[str] = []
    for piece in split_at_slots(text or ""):
        if SLOT_RE.fullmatch(piece):
            out.append(piece)
            continue
        for line in _LINES.split(piece):
            if line:
                out.extend(_words(line))
    return out


def _words(text: str) -> list[str]:
    # jieba segments the simplified text; its words are mapped back onto the text as written,
    # which only works when conversion kept the length (it nearly always does). Otherwise the
    # text is compared character by character, which is still exact.
    if len(to_simplified(text)) != len(text):
        return list(text)
    words = segment.lcut(text)
    if sum(map(len, words)) != len(text):
        return list(text)
    out, cursor = [], 0
    for word in words:
        out.append(text[cursor : cursor + len(word)])
        cursor += len(word)
    return out


def diff_text(old: str, new: str) -> list[Op]:
    """The ops that turn `old` into `new`, at word granularity (see the module's docstring).
    Equal texts give one "equal" op (none when both are empty)."""
    old, new = old or "", new or ""
    if old == new:
        return [Op(EQUAL, old)] if old else []
    if not old:
        return [Op(INSERT, new)]
    if not new:
        return [Op(DELETE, old)]
    head, tail = _common_ends(old, new)
    ops: list[Op] = []
    _push(ops, EQUAL, old[:head])
    _diff_words(ops, old[head : len(old) - tail], new[head : len(new) - tail])
    _push(ops, EQUAL, old[len(old) - tail :])
    return ops


# Never inside a word (jieba cuts at them) nor inside a slot: the text before and after the
# changes is kept whole up to one of these, and only the changed middle is segmented.
_BREAKS = frozenset("，。；：！？、\n")


def _common_ends(old: str, new: str) -> tuple[int, int]:
    """Lengths of the common start of the two texts, up to a break it ends with, and of their
    common end, from a break it starts with (so both are whole words in either text)."""
    limit = min(len(old), len(new))
    head = 0
    while head < limit and old[head] == new[head]:
        head += 1
    while head and old[head - 1] not in _BREAKS:
        head -= 1
    tail = 0
    while tail < limit - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    while tail and old[len(old) - tail] not in _BREAKS:
        tail -= 1
    return head, tail


def _diff_words(ops: list[Op], old: str, new: str) -> None:
    a, b = tokens(old), tokens(new)
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _push(ops, EQUAL, "".join(a[i1:i2]))
            continue
        if tag == "replace":
            _refine(ops, "".join(a[i1:i2]), "".join(b[j1:j2]))
            continue
        _push(ops, DELETE, "".join(a[i1:i2]))
        _push(ops, INSERT, "".join(b[j1:j2]))


def _characters(text: str) -> list[str]:
    return [c for piece in split_at_slots(text) for c in _slot_or_chars(piece)]


def _slot_or_chars(piece: str) -> list[str]:
    return [piece] if SLOT_RE.fullmatch(piece) else list(piece)


def _refine(ops: list[Op], old: str, new: str) -> None:
    """Words replaced by words: what they share, two characters or more in a row, stays
    equal (深刻认识 → 充分认识 reads 删“深刻” 增“充分” 认识), a single shared character does not
    (高质量 → 高水平 stays one word for another); slots stay whole."""
    a, b = _characters(old), _characters(new)
    i = j = 0
    for start_a, start_b, size in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks():
        if size and sum(len(t) for t in a[start_a : start_a + size]) < 2:
            continue
        _push(ops, DELETE, "".join(a[i:start_a]))
        _push(ops, INSERT, "".join(b[j:start_b]))
        _push(ops, EQUAL, "".join(a[start_a : start_a + size]))
        i, j = start_a + size, start_b + size


def _push(ops: list[Op], kind: OpKind, text: str) -> None:
    if not text:
        return
    if ops and ops[-1].kind == kind:
        ops[-1] = Op(kind, ops[-1].text + text)
    else:
        ops.append(Op(kind, text))


def old_text(ops: list[Op]) -> str:
    return "".join(op.text for op in ops if op.kind != INSERT)


def new_text(ops: list[Op]) -> str:
    return "".join(op.text for op in ops if op.kind != DELETE)


def changed(ops: list[Op]) -> bool:
    return any(op.kind != EQUAL for op in ops)


def lines(ops: list[Op]) -> list[list[Op]]:
    """The ops cut into the new text's paragraphs (at its line breaks, which are left out); a
    line break only the old text has stays inside its "delete" op."""
    out: list[list[Op]] = [[]]
    for op in ops:
        if op.kind == DELETE or "\n" not in op.text:
            out[-1].append(op)
            continue
        for i, piece in enumerate(op.text.split("\n")):
            if i:
                out.append([])
            if piece:
                out[-1].append(Op(op.kind, piece))
    return [line for line in out if line]


def similarity(old: str, new: str) -> float:
    """How alike two texts are, from 0 to 1, character by character (difflib's ratio); two
    empty texts are alike (1.0)."""
    old, new = old or "", new or ""
    if old == new:
        return 1.0
    return SequenceMatcher(None, old, new, autojunk=False).ratio()


def longest_increasing(values: list[int]) -> set[int]:
    """Indexes of a longest strictly increasing subsequence of `values` (distinct numbers):
    the longest common subsequence of two orders of the same items."""
    tails: list[int] = []  # value ending the best run of each length
    tail_index: list[int] = []
    before: list[int] = [-1] * len(values)
    for i, value in enumerate(values):
        at = bisect.bisect_left(tails, value)
        if at == len(tails):
            tails.append(value)
            tail_index.append(i)
        else:
            tails[at], tail_index[at] = value, i
        before[i] = tail_index[at - 1] if at else -1
    keep: set[int] = set()
    i = tail_index[-1] if tail_index else -1
    while i != -1:
        keep.add(i)
        i = before[i]
    return keep
