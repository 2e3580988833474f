"""What a check returns: :class:`Finding`, built by :func:`finding` (the only place that
constructs one), with :data:`CHECK_LABELS` naming each check for the panel."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from ..templating import iter_slots
from .items import Target

Severity = Literal["info", "warning", "error"]

# Chinese names of the checks, for the panel's filters.
CHECK_LABELS: dict[str, str] = {
    "reuse": "与往年讲话雷同",
    "repeated_phrase": "用语重复",
    "repeated_opening": "段首重复",
    "duplicate_sentence": "句子重复",
    "empty_talk": "内容空泛",
    "formulation": "提法与用字",
    "date_format": "日期格式",
    "punctuation": "标点与空格",
    "unbalanced": "括号引号不成对",
    "unfilled_slot": "空位未填",
    "part_balance": "篇幅不均",
    "length": "篇幅时长",
}


@dataclass(slots=True)
class Finding:
    """One problem found by a check.

    ``start``/``end`` index ``item.text`` (``item.heading`` when ``target == "heading"``);
    ``replacement``, when set, replaces exactly ``[start, end)`` (one-click fix).
    """

    check: str
    item_id: Hashable
    severity: Severity
    message: str
    start: int | None = None
    end: int | None = None
    excerpt: str = ""
    replacement: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    target: Target = "text"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def excerpt_around(text: str, start: int, end: int, context: int = 8) -> str:
    """The words around a finding; never a cut inside a slot (the page shows a slot whole)."""
    left = max(0, start - context)
    right = min(len(text), end + context)
    for m in iter_slots(text):
        if m.start() < left < m.end():
            left = m.start()
        if m.start() < right < m.end():
            right = m.end()
    return ("…" if left else "") + text[left:right] + ("…" if right < len(text) else "")


def finding(
    check: str,
    item_id: Hashable,
    severity: Severity,
    message: str,
    *,
    span: tuple[int, int] | None = None,
    text: str | None = None,
    excerpt: str | None = None,
    replacement: str | None = None,
    data: dict[str, Any] | None = None,
    target: Target = "text",
) -> Finding:
    """A finding of ``check`` on the item ``item_id`` (None: the draft as a whole).

    ``span`` is ``(start, end)`` in the item's ``target`` field, and ``text`` the string it
    indexes: the excerpt is then the words around the span (:func:`excerpt_around`) unless
    ``excerpt`` is given. Without a span the finding is about the whole item, and has no excerpt
    unless one is given.
    """
    start, end = span if span is not None else (None, None)
    if excerpt is None:
        excerpt = excerpt_around(text, *span) if span is not None and text is not None else ""
    return Finding(
        check=check,
        item_id=item_id,
        severity=severity,
        message=message,
        start=start,
        end=end,
        excerpt=excerpt,
        replacement=replacement,
        data={} if data is None else data,
        target=target,
    )
