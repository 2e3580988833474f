"""How a revision stores the draft's state: a full snapshot, or a delta from the revision
stored before it. Plain functions over plain data, no Django: services reads the rows.

A state is what a full snapshot always held: the draft's fields and its items as rows
(dicts of ITEM_FIELDS), the items in (position, id) order. A delta names the version it
applies to (`base`) and holds only what changed from that version's state: draft fields,
items added (whole rows), items changed (the id and the changed fields) and items removed.
A move therefore stores the positions that moved, not the text. Reading a revision replays
its chain: the nearest full snapshot at or before it, then each delta after it in order.
A state's typed form is drafts/snapshot.py's Snapshot (what callers read a revision into).
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

FULL, DELTA = "full", "delta"
DRAFT_FIELDS = ("title", "meeting_name", "speaker", "date", "variables", "numbering", "stage")
# A delta is stored only while it is at most this share of the full snapshot's size; otherwise
# (a restore far back, a paste into every part) the full snapshot costs about as much and
# starts a new chain.
DELTA_MAX_SHARE = 0.5
_MISSING = object()


class BrokenChain(Exception):
    """The rows of a revision chain do not follow each other (a revision is missing)."""


def _pack(data: dict, level: int) -> bytes:
    return zlib.compress(json.dumps(data, ensure_ascii=False).encode(), level)


def encode_full(state: dict) -> bytes:
    # Level 3, as every snapshot before deltas was written.
    return _pack(state, 3)


def decode(blob) -> dict:
    return json.loads(zlib.decompress(bytes(blob)))


def is_delta(data: dict) -> bool:
    """Whether decoded revision data is a delta (read with its chain), not a full state."""
    return "base" in data


def item_order(item: dict) -> tuple:
    return (item["position"], item["id"])


def delta_between(before: dict, after: dict, base: int) -> dict:
    """What turns `before` (the state of version `base`) into `after`."""
    delta: dict = {"base": base}
    fields = {k: after[k] for k in DRAFT_FIELDS if before.get(k, _MISSING) != after[k]}
    if fields:
        delta["draft"] = fields
    old = {item["id"]: item for item in before["items"]}
    added, changed = [], []
    for item in after["items"]:
        previous = old.pop(item["id"], None)
        if previous is None or not previous.keys() <= item.keys():
            added.append(item)  # new, or a row of an older shape: stored whole
        elif previous != item:
            diff = {k: v for k, v in item.items() if previous.get(k, _MISSING) != v}
            changed.append({"id": item["id"], **diff})
    if added:
        delta["add"] = added
    if changed:
        delta["change"] = changed
    if old:
        delta["remove"] = list(old)
    return delta


def _size_of_full(state: dict) -> int:
    """About how many characters the full snapshot's JSON has, without writing it."""
    text = sum(
        len(i["heading"]) + len(i["body"]) + len(i.get("hint") or "") for i in state["items"]
    )
    return text + 160 * len(state["items"]) + 400


@dataclass
class Chain:
    """A revision's state as replayed, with what its chain holds: `deltas` deltas taking
    `delta_bytes` after a full snapshot of `full_bytes`."""

    state: dict
    version: int
    deltas: int = 0
    delta_bytes: int = 0
    full_bytes: int = 0


def encode(state: dict, *, before: Chain | None, full_every: int) -> tuple[str, bytes]:
    """The kind and bytes of a new revision holding `state`, stored after the revision
    `before` (None: there is none). A delta, unless a full snapshot pays: when the delta would
    be more than half of one, when the chain's deltas would add up to more than its full
    snapshot (so a read never decodes much more than two), or after `full_every` revisions
    (so it never replays more deltas than that)."""
    if before is None or before.deltas + 1 >= max(1, full_every):
        return FULL, encode_full(state)
    delta = delta_between(before.state, state, before.version)
    text = json.dumps(delta, ensure_ascii=False)
    if len(text) > DELTA_MAX_SHARE * _size_of_full(state):
        return FULL, encode_full(state)
    packed = zlib.compress(text.encode(), 6)
    if before.delta_bytes + len(packed) > before.full_bytes:
        return FULL, encode_full(state)
    return DELTA, packed


class _Replay:
    """A state being rebuilt: items kept by id while deltas apply, sorted once when read.
    Nothing it was given or has handed out is changed in place."""

    def __init__(self, version: int, data: dict, size: int) -> None:
        if is_delta(data):
            raise BrokenChain(f"revision {version} is a delta with no full snapshot before it")
        self.state = data
        self.items: dict[int, dict] | None = None  # by id, once a delta touched them
        self.version = version
        self.deltas = self.delta_bytes = 0
        self.full_bytes = size

    def step(self, version: int, data: dict, size: int) -> None:
        if not is_delta(data):  # a full snapshot: the chain starts again
            self.__init__(version, data, size)
            return
        if data["base"] != self.version:
            raise BrokenChain(f"revision {version} applies to {data['base']}, not {self.version}")
        self._apply(data)
        self.version = version
        self.deltas += 1
        self.delta_bytes += size

    def _apply(self, delta: dict) -> None:
        if "draft" in delta:
            self.state = {**self.state, **delta["draft"]}
        if not any(k in delta for k in ("add", "change", "remove")):
            return
        if self.items is None:
            self.items = {item["id"]: item for item in self.state["items"]}
        try:
            for pk in delta.get("remove", ()):
                del self.items[pk]
            for change in delta.get("change", ()):
                self.items[change["id"]] = {**self.items[change["id"]], **change}
        except KeyError as exc:
            raise BrokenChain(f"item {exc} is not in version {delta['base']}") from None
        for item in delta.get("add", ()):
            self.items[item["id"]] = item

    def chain(self) -> Chain:
        if self.items is not None:
            self.state = {**self.state, "items": sorted(self.items.values(), key=item_order)}
            self.items = None
        return Chain(self.state, self.version, self.deltas, self.delta_bytes, self.full_bytes)


def _rows(rows: Iterable[tuple[int, bytes | dict]]) -> Iterator[tuple[int, dict, int]]:
    for version, blob in rows:
        if isinstance(blob, dict):  # decoded already
            yield version, blob, 0
        else:
            yield version, decode(blob), len(blob)


def _replays(rows: Iterable[tuple[int, bytes | dict]]) -> Iterator[tuple[int, _Replay]]:
    replayed: _Replay | None = None
    for version, data, size in _rows(rows):
        if replayed is None:
            replayed = _Replay(version, data, size)
        else:
            replayed.step(version, data, size)
        yield version, replayed


def replay(rows: Iterable[tuple[int, bytes | dict]]) -> Chain:
    """The last of `rows` ((version, stored bytes or their decoded form), oldest first,
    beginning with a full snapshot), replayed."""
    last = None
    for last in _replays(rows):  # noqa: B007 (the last one is the answer)
        pass
    if last is None:
        raise BrokenChain("no revision to read")
    return last[1].chain()


def chain_states(rows: Iterable[tuple[int, bytes | dict]]) -> Iterator[tuple[int, dict]]:
    """(version, state) of every one of `rows`, oldest first, beginning with a full snapshot
    (a whole history read from version 1)."""
    for version, replayed in _replays(rows):
        yield version, replayed.chain().state
