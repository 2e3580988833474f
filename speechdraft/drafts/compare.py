"""What changed between two versions of a draft: plain data from two Snapshots, no database.

`compare_snapshots(old, new)` pairs the items of the two versions and gives a Comparison:
- one Entry per item, in the reading order of the new version, with the items only the old
  one has (deleted) where they stood: after the sibling they followed, or first under their
  parent;
- each Entry with the item as each version had it (a Side: its label such as 第二部分（一）,
  its visible number such as （一）, numbering level and depth, heading and body as stored,
  slots as written) and the word-level ops of its heading and its body
  (speechdraft.text.diff: the "equal" and "delete" ops give the old text, the "equal" and
  "insert" ops the new);
- the draft's own fields that changed (title, meeting name, speaker, date).

Items keep their ids across versions (a restore writes them back under their own), so items
are paired by id first; the ones left on either side are paired by text (similarity at
least PAIR_SIMILARITY, same numbering level), best pairs first.

An item is "moved" when its parent is another one, or when its place among its siblings
changed beyond the shift that insertions and deletions around it cause: the siblings that
stay in order are a longest common subsequence of the two sibling orders, the others moved.
An item moved and edited is both (`moved` and `edited`; its `kind` says "moved").
Renumbering alone (（二） becoming （三） after an insertion above) is no change of the item:
`renumbered` says so, `kind` stays "same".

Numbers and labels come from speechdraft.text.outline (render_blocks, block_labels): the one
rule that numbers an outline, for each version with its own numbering styles.

The 花脸稿 exporter reads this; what it reads is documented here and kept stable.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from speechdraft.drafts.snapshot import Snapshot
from speechdraft.text.diff import Op, changed, diff_text, longest_increasing, similarity
from speechdraft.text.numbering import format_date
from speechdraft.text.outline import block_labels, render_blocks, slot_values

SAME, CHANGED, ADDED, DELETED, MOVED = "same", "changed", "added", "deleted", "moved"
PAIR_SIMILARITY = 0.6
# Pairing by alike text compares every unpaired old item with every unpaired new one: past
# this many pairs (two unrelated outlines), only items of the very same text are paired.
MAX_TEXT_PAIRS = 20_000
# And of those, at most this many alike enough in their characters are measured (about 0.5 ms
# each for paragraphs of 300 characters): the rest stay unpaired.
MAX_RATIOS = 2_000

FIELD_LABELS = (
    ("title", "标题"),
    ("meeting_name", "会议名称"),
    ("speaker", "讲话人"),
    ("date", "日期"),
)


@dataclass(frozen=True)
class Side:
    """An item as one version has it."""

    id: int
    parent_id: int | None  # None at the top of the outline
    index: int  # its place among its siblings, from 0
    label: str  # where it stands in words: 第二部分（一）; 开头 / 结尾 outside the parts
    number: str  # its visible number: （一）, 二、, 一是; "" for a paragraph
    level: int  # numbering level 1–4, 0 for a paragraph
    depth: int  # nesting depth, 0 at the top
    numbered: bool
    heading: str
    body: str  # paragraphs separated by "\n"


@dataclass(frozen=True)
class Entry:
    """One item in the comparison: `old` is None for an added item, `new` for a deleted one.
    `heading` and `body` are the ops from the old text to the new (all "insert" for an added
    item, all "delete" for a deleted one). `depth` is where it stands in the reading order
    shown (a deleted item under the item it was under)."""

    old: Side | None
    new: Side | None
    heading: list[Op]
    body: list[Op]
    depth: int
    moved: bool = False
    edited: bool = False

    @property
    def kind(self) -> str:
        if self.old is None:
            return ADDED
        if self.new is None:
            return DELETED
        if self.moved:
            return MOVED
        return CHANGED if self.edited else SAME

    @property
    def kinds(self) -> tuple[str, ...]:
        """Every kind that applies: ("moved", "changed") for an item moved and edited."""
        if self.old is None or self.new is None or not (self.moved or self.edited):
            return (self.kind,)
        return tuple(k for k, on in ((MOVED, self.moved), (CHANGED, self.edited)) if on)

    @property
    def side(self) -> Side:
        """The item as it reads last: the new version's, the old one's when deleted."""
        return self.new or self.old  # type: ignore[return-value]

    @property
    def renumbered(self) -> bool:
        return self.old is not None and self.new is not None and self.old.number != self.new.number


@dataclass(frozen=True)
class FieldChange:
    """A field of the draft that changed: `name` (title, meeting_name, speaker, date), its
    Chinese label, the texts of both versions (a date as 2024年3月5日, "" for none) and the
    ops between them."""

    name: str
    label: str
    old: str
    new: str
    ops: list[Op]


@dataclass(frozen=True)
class Comparison:
    entries: list[Entry]
    fields: list[FieldChange]

    @property
    def counts(self) -> dict[str, int]:
        """How many items were added, deleted, changed (edited, moved or not) and moved."""
        return {
            ADDED: sum(1 for e in self.entries if e.kind == ADDED),
            DELETED: sum(1 for e in self.entries if e.kind == DELETED),
            CHANGED: sum(1 for e in self.entries if e.edited),
            MOVED: sum(1 for e in self.entries if e.moved),
        }

    @property
    def identical(self) -> bool:
        return not self.fields and all(e.kind == SAME for e in self.entries)


@dataclass
class _Version:
    sides: dict[int, Side]
    order: list[int]  # reading order
    children: dict[int | None, list[int]]


def _read(snapshot: Snapshot) -> _Version:
    roots = snapshot.nodes()
    blocks = render_blocks(
        roots, dict(snapshot.numbering), slot_values(roots, snapshot.slot_variables())
    )
    labels = block_labels(blocks)
    rows = {row["id"]: row for row in snapshot.items}
    known = {block.id for block in blocks}
    sides: dict[int, Side] = {}
    children: dict[int | None, list[int]] = {}
    for block in blocks:
        parent = block.parent_id if block.parent_id in known else None
        siblings = children.setdefault(parent, [])
        row = rows[block.id]
        sides[block.id] = Side(
            id=block.id,
            parent_id=parent,
            index=len(siblings),
            label=labels[block.id],
            number=block.number,
            level=block.level,
            depth=block.depth,
            numbered=bool(row["numbered"]),
            heading=row["heading"] or "",
            body=row["body"] or "",
        )
        siblings.append(block.id)
    return _Version(sides, [block.id for block in blocks], children)


def _text(side: Side) -> str:
    return f"{side.heading}\n{side.body}".strip()


def _pair_by_text(old: _Version, new: _Version, old_ids: list[int], new_ids: list[int]):
    """old id → new id for unpaired items of the same level with the same text, then for
    those alike enough (similarity at least PAIR_SIMILARITY), best pairs first."""
    pairs: dict[int, int] = {}
    same_text: dict[tuple[int, str], list[int]] = {}
    for n in new_ids:
        same_text.setdefault((new.sides[n].level, _text(new.sides[n])), []).append(n)
    rest_old = []
    for o in old_ids:
        text = _text(old.sides[o])
        bucket = same_text.get((old.sides[o].level, text)) if text else None
        if bucket:
            pairs[o] = bucket.pop(0)
        elif text:
            rest_old.append(o)
    taken = set(pairs.values())
    rest_new = [n for n in new_ids if n not in taken and _text(new.sides[n])]
    if len(rest_old) * len(rest_new) > MAX_TEXT_PAIRS:
        return pairs
    texts = {("old", o): _text(old.sides[o]) for o in rest_old}
    texts.update({("new", n): _text(new.sides[n]) for n in rest_new})
    chars = {key: Counter(text) for key, text in texts.items()}
    scored = []
    budget = MAX_RATIOS
    for i, o in enumerate(rest_old):
        a, a_chars = texts["old", o], chars["old", o]
        for j, n in enumerate(rest_new):
            if old.sides[o].level != new.sides[n].level:
                continue
            b = texts["new", n]
            # difflib's quick_ratio, an upper bound of the ratio: the characters in common.
            common = sum((a_chars & chars["new", n]).values())
            if 2 * common / (len(a) + len(b)) < PAIR_SIMILARITY or budget <= 0:
                continue
            budget -= 1
            score = similarity(a, b)
            if score >= PAIR_SIMILARITY:
                scored.append((-score, i, j, o, n))
    for _, _, _, o, n in sorted(scored):
        if o not in pairs and n not in taken:
            pairs[o] = n
            taken.add(n)
    return pairs


def _moved(old: _Version, new: _Version, pairs: dict[int, int]) -> set[int]:
    """New ids of the paired items that moved (see the module's docstring)."""
    back = {n: o for o, n in pairs.items()}
    moved: set[int] = set()
    for n, o in back.items():
        parent = old.sides[o].parent_id
        was_under = None if parent is None else pairs.get(parent, -1)
        if was_under != new.sides[n].parent_id:
            moved.add(n)
    for siblings in new.children.values():
        staying = [n for n in siblings if n in back and n not in moved]
        keep = longest_increasing([old.sides[back[n]].index for n in staying])
        moved.update(n for i, n in enumerate(staying) if i not in keep)
    return moved


def _reading_order(old: _Version, new: _Version, pairs: dict[int, int]):
    """(new id or None, old id or None, depth) of every item: the new version's outline with
    each deleted item put back after the sibling it followed (or first under its parent)."""
    tree: dict[tuple | None, list[tuple]] = {
        (None if parent is None else ("new", parent)): [("new", n) for n in kids]
        for parent, kids in new.children.items()
    }

    def key(o: int) -> tuple:
        return ("new", pairs[o]) if o in pairs else ("old", o)

    for o in old.order:
        if o in pairs:
            continue
        side = old.sides[o]
        parent = None if side.parent_id is None else key(side.parent_id)
        siblings = tree.setdefault(parent, [])
        at = 0
        for before in reversed(old.children[side.parent_id][: side.index]):
            if key(before) in siblings:
                at = siblings.index(key(before)) + 1
                break
        siblings.insert(at, ("old", o))

    back = {n: o for o, n in pairs.items()}
    out: list[tuple[int | None, int | None, int]] = []
    stack = [(k, 0) for k in reversed(tree.get(None, []))]
    while stack:
        (which, item_id), depth = stack.pop()
        if which == "new":
            out.append((item_id, back.get(item_id), depth))
        else:
            out.append((None, item_id, depth))
        stack.extend((k, depth + 1) for k in reversed(tree.get((which, item_id), [])))
    return out


def _date_text(value) -> str:
    return format_date(value) if value else ""


def _field_changes(old: Snapshot, new: Snapshot) -> list[FieldChange]:
    out = []
    for name, label in FIELD_LABELS:
        a, b = getattr(old, name), getattr(new, name)
        if name == "date":
            a, b = _date_text(a), _date_text(b)
        a, b = a or "", b or ""
        if a != b:
            out.append(FieldChange(name, label, a, b, diff_text(a, b)))
    return out


def compare_snapshots(old: Snapshot, new: Snapshot) -> Comparison:
    """What changed from `old` to `new` (see the module's docstring)."""
    before, after = _read(old), _read(new)
    pairs = {o: o for o in before.order if o in after.sides}
    taken = set(pairs.values())
    pairs.update(
        _pair_by_text(
            before,
            after,
            [o for o in before.order if o not in pairs],
            [n for n in after.order if n not in taken],
        )
    )
    moved = _moved(before, after, pairs)
    entries = []
    for n, o, depth in _reading_order(before, after, pairs):
        a = before.sides[o] if o is not None else None
        b = after.sides[n] if n is not None else None
        heading = diff_text(a.heading if a else "", b.heading if b else "")
        body = diff_text(a.body if a else "", b.body if b else "")
        edited = (
            a is not None
            and b is not None
            and (changed(heading) or changed(body) or a.numbered != b.numbered)
        )
        entries.append(Entry(a, b, heading, body, depth, moved=n in moved, edited=edited))
    return Comparison(entries, _field_changes(old, new))


def runs(entries: list[Entry]) -> list[tuple[bool, list[Entry]]]:
    """The entries as a page shows them: (True, entries) for each run of unchanged items (to
    fold away), (False, [entry]) for each other one."""
    out: list[tuple[bool, list[Entry]]] = []
    for entry in entries:
        same = entry.kind == SAME
        if same and out and out[-1][0]:
            out[-1][1].append(entry)
        else:
            out.append((same, [entry]))
    return out
