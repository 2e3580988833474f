"""A draft at one version as one plain value: its fields and its item rows. Plain data, no
Django.

A Snapshot is what a revision holds (drafts/revisions.py stores its state in full or as a
delta; drafts/versions.py reads and writes the rows) and the one way a stored state becomes
an outline again: the history page, restore, undo and redo, the export of a version and the
load check all start from one. Its `state()` is the plain form revisions.py encodes: the
draft's fields (DRAFT_FIELDS, the date as ISO text) and the items as rows of ITEM_FIELDS, in
(position, id) order. Rows of an older shape (before hints and source sections) are kept as
they were stored, so a state reads back and encodes again to the same bytes.
"""

from __future__ import annotations

import copy
import datetime
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from speechdraft.drafts import revisions
from speechdraft.drafts.revisions import DRAFT_FIELDS
from speechdraft.text.numbering import format_date
from speechdraft.text.outline import Node, tree_from_rows

ITEM_FIELDS = (
    "id",
    "parent_id",
    "position",
    "level",
    "numbered",
    "heading",
    "body",
    "source_paragraph_id",
    "source_section_id",
    "hint",
)


class DraftFields(Protocol):
    """What a draft and a snapshot of it both have: the fields a state keeps."""

    title: str
    meeting_name: str
    speaker: str
    date: datetime.date | None
    variables: Mapping[str, str]
    numbering: Mapping[str, dict]
    stage: str


def draft_variables(fields: DraftFields) -> dict[str, str]:
    """Slot values from the draft's fields and its own variables (custom ones included)."""
    values = dict(fields.variables)
    if fields.meeting_name:
        values.setdefault("会议名称", fields.meeting_name)
    if fields.speaker:
        values.setdefault("讲话人", fields.speaker)
    if fields.date:
        values.setdefault("日期", format_date(fields.date))
    return values


def _through_json(value):
    # As JSON reads it back, so a snapshot of a live draft compares like for like with a
    # stored one (tuples become lists, keys strings).
    return json.loads(json.dumps(value))


@dataclass(frozen=True)
class Snapshot:
    """A draft's fields and its items (rows of ITEM_FIELDS, in (position, id) order) at one
    version. Nothing here is changed in place once made."""

    title: str
    meeting_name: str
    speaker: str
    date: datetime.date | None
    variables: Mapping[str, str]
    numbering: Mapping[str, dict]
    stage: str
    items: tuple[dict, ...]

    @classmethod
    def of(cls, fields: DraftFields, items: Iterable[dict]) -> Snapshot:
        """A draft as it is now: its fields, and its item rows as read (in (position, id)
        order)."""
        values = {name: getattr(fields, name) for name in DRAFT_FIELDS}
        values["variables"] = _through_json(values["variables"])
        values["numbering"] = _through_json(values["numbering"])
        return cls(**values, items=tuple(items))

    @classmethod
    def from_state(cls, state: dict) -> Snapshot:
        values = {name: state[name] for name in DRAFT_FIELDS}
        values["date"] = datetime.date.fromisoformat(state["date"]) if state["date"] else None
        return cls(**values, items=tuple(state["items"]))

    @classmethod
    def from_bytes(cls, blob) -> Snapshot:
        """A revision stored in full. A delta cannot be read alone: see from_chain."""
        data = revisions.decode(blob)
        if revisions.is_delta(data):
            raise revisions.BrokenChain("a delta is read with its chain (Snapshot.from_chain)")
        return cls.from_state(data)

    @classmethod
    def from_chain(cls, rows: Iterable[tuple[int, bytes | dict]]) -> Snapshot:
        """The last of `rows` ((version, stored bytes or their decoded form), oldest first,
        beginning with a full snapshot), its chain replayed."""
        return cls.from_state(revisions.replay(rows).state)

    def state(self) -> dict:
        """The plain form a revision stores (revisions.encode, revisions.encode_full)."""
        state = {name: getattr(self, name) for name in DRAFT_FIELDS}
        state["date"] = self.date.isoformat() if self.date else None
        state["items"] = list(self.items)
        return state

    def to_bytes(self) -> bytes:
        """The full snapshot, as every revision was stored before deltas."""
        return revisions.encode_full(self.state())

    def draft_fields(self) -> dict:
        """The draft's fields to set on the model again (restore, undo, redo), each a copy
        of its own."""
        return {name: copy.deepcopy(getattr(self, name)) for name in DRAFT_FIELDS}

    def nodes(self) -> list[Node]:
        """The outline: the roots in order, each with its children."""
        return tree_from_rows(self.items)

    def slot_variables(self) -> dict[str, str]:
        """Slot values at this version (see draft_variables)."""
        return draft_variables(self)
