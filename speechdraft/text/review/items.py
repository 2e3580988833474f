"""What a check reads: the paragraphs of the draft (:class:`ReviewItem`), their two fields, their
lines, and which of them a check reports on (``changed_ids``)."""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Literal

# The field of an item a finding's offsets index.
Target = Literal["text", "heading"]

# One line of a field: checks that judge a paragraph judge each of its lines on its own.
LINE = re.compile(r"[^\n]+")


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """One paragraph of the draft. ``part_index``: its level-1 part, None for opening/closing."""

    id: Hashable
    part_index: int | None
    heading: str
    text: str


def fields(item: ReviewItem) -> tuple[tuple[Target, str], ...]:
    """The item's fields, heading first, each with the name a finding's ``target`` gives it."""
    return (("heading", item.heading), ("text", item.text))


def changed_set(changed_ids: Iterable[Hashable] | None) -> frozenset[Hashable] | None:
    return None if changed_ids is None else frozenset(changed_ids)


def in_scope(item_id: Hashable, changed: frozenset[Hashable] | None) -> bool:
    return changed is None or item_id in changed
