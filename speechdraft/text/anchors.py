"""Words anchored in a text, found again after the text was edited: the one rule every anchor
uses (a leader's proposal from a Word file, a 批注, a comment written into a Word export).

An anchor is its words, the text just before and after them when it was made (`before`,
`after`, as much as was kept) and the offset it had. Of every place the words still stand,
the one whose surroundings agree most with `before`/`after` wins; on a tie, the one nearest
the old offset. The words gone from the text: None.
"""

from __future__ import annotations


def find_anchor(text: str, words: str, before: str, after: str, near: int) -> int | None:
    """Where `words` (with `before`/`after` beside it, as far as they still are) stands in
    `text`, nearest `near`; None when it is gone."""
    if not words:
        return None
    found = []
    start = text.find(words)
    while start >= 0:
        score = common_suffix(text[:start], before) + common_prefix(
            text[start + len(words) :], after
        )
        found.append((-score, abs(start - near), start))
        start = text.find(words, start + 1)
    return min(found)[2] if found else None


def common_suffix(a: str, b: str) -> int:
    """How many characters `a` and `b` share at their ends."""
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def common_prefix(a: str, b: str) -> int:
    """How many characters `a` and `b` share at their starts."""
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n
