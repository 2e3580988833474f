"""A draft's outline as plain data: computed numbers, the part count, rendered blocks.

Numbers are derived from position, never stored: the n-th numbered child of a parent gets
number n in the style of its level. How a heading reads is decided here too, once: a
standalone heading drops its closing punctuation, a run-in heading ends in exactly one stop
before its body (:func:`heading_and_stop`), and a salutation opens the speech on a line of its
own (:func:`split_salutation`). The editor, the preview, the reading text, 审稿 and the Word
export all read blocks made here, so they all read the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from speechdraft.text.counting import count_chars
from speechdraft.text.numbering import chinese_numeral, format_number
from speechdraft.text.templating import Segment, SlotError, segments, values_key

MAX_LEVEL = 4
RUN_IN_ONLY = frozenset({"第一，", "一是", "一要"})

# A heading's own closing punctuation: a standalone heading carries none (GB/T 9704), a run-in
# heading's is replaced by the one stop before its body. ！ and ？ say something and are kept.
HEADING_TRAILING = "。．.，,；;：:、 \u3000"
RUN_IN_STOP = "。"
OWN_STOPS = ("！", "？", "!", "?")

# The salutation that opens a speech (同志们：, 各位代表、同志们：, 各位来宾：).
SALUTATION = re.compile(r"^((?:[^，。：:]{0,12}[、，])?同志们|各位[^，。：:]{0,12})[：:]")


def heading_and_stop(heading: str, *, run_in: bool) -> tuple[str, str]:
    """How a heading reads: (the heading as shown, the stop after it).

    Standalone: ``("以上率下示范干", "")`` for 以上率下示范干。 or 以上率下示范干：. Run-in:
    ``("以上率下示范干", "。")`` whatever it ended in, so number + heading + stop + body reads
    （一）以上率下示范干。各级…, never 。。 or ：。; a heading ending in ！ or ？ keeps it and
    takes no other stop.
    """
    shown = (heading or "").rstrip(HEADING_TRAILING)
    if not run_in or not shown:
        return shown, ""
    if shown.endswith(OWN_STOPS):
        return shown, ""
    return shown, RUN_IN_STOP


def split_salutation(text: str) -> tuple[str, str]:
    """(salutation, rest) of a speech's first paragraph: ``("同志们：", "今天…")``; the
    salutation is ``""`` when the paragraph does not open with one."""
    match = SALUTATION.match(text or "")
    if match is None:
        return "", text
    return match.group(0).replace(":", "："), text[match.end() :].strip()


@dataclass
class Node:
    id: int
    parent_id: int | None
    position: int
    numbered: bool
    heading: str = ""
    body: str = ""
    children: list[Node] = field(default_factory=list)
    hint: str = ""  # what to write here, shown while the item is empty (never read out)


@dataclass
class Block:
    """One item as it reads: number, heading and body paragraphs, slots resolved to segments."""

    id: int
    parent_id: int | None
    depth: int  # nesting depth in the outline (0 = root)
    level: int  # numbering level 1-4, or 0 for unnumbered paragraphs
    number: str
    run_in: bool
    heading: list[Segment]
    body: list[list[Segment]]  # paragraphs
    error: str = ""  # a template problem in this item's text, in Chinese
    stop: str = ""  # after a run-in heading (see heading_and_stop)
    hint: str = ""  # the item's hint while empty (the editor only)
    ordinal: int = 0  # the n of its number (n-th numbered child of its parent), 0 for none

    @property
    def heading_text(self) -> str:
        return "".join(s.text for s in self.heading)

    @property
    def body_texts(self) -> list[str]:
        return ["".join(s.text for s in para) for para in self.body]

    @property
    def unfilled(self) -> list[str]:
        names = [s.slot for s in self.heading if s.slot and not s.filled]
        names += [s.slot for para in self.body for s in para if s.slot and not s.filled]
        return names


def tree_from_rows(rows) -> list[Node]:
    """The outline from stored rows (dicts with id, parent_id, position, numbered, heading,
    body and, where kept, hint): the one way items become nodes."""
    return build_tree(
        [
            Node(
                r["id"],
                r["parent_id"],
                r["position"],
                r["numbered"],
                r["heading"],
                r["body"],
                hint=r.get("hint") or "",
            )
            for r in rows
        ]
    )


def build_tree(nodes: list[Node]) -> list[Node]:
    """Roots in order, each node's children sorted by position."""
    by_id = {n.id: n for n in nodes}
    roots: list[Node] = []
    for node in nodes:
        node.children = []
    for node in sorted(nodes, key=lambda n: (n.position, n.id)):
        parent = by_id.get(node.parent_id) if node.parent_id is not None else None
        (parent.children if parent is not None else roots).append(node)
    return roots


def part_count(roots: list[Node]) -> int:
    return sum(1 for n in roots if n.numbered)


def part_count_text(roots: list[Node]) -> str:
    """部分数 in Chinese numerals (三), or 零 when the draft has no parts yet."""
    count = part_count(roots)
    return chinese_numeral(count) if count else "零"


def style_for(numbering: dict, level: int) -> tuple[str, bool]:
    conf = numbering.get(str(level)) or {}
    defaults = {1: "一、", 2: "（一）", 3: "1.", 4: "（1）"}
    style = conf.get("style") or defaults[level]
    run_in = bool(conf.get("run_in")) or style in RUN_IN_ONLY
    return style, run_in


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in (text or "").split("\n") if p.strip()]


def render_blocks(roots: list[Node], numbering: dict, variables: dict[str, str]) -> list[Block]:
    """Every node in reading order with its computed number and filled slots.

    `variables` should already contain the computed 部分数 (see `slot_values`).
    """
    blocks: list[Block] = []
    key = values_key(variables)

    def walk(children: list[Node], depth: int, level: int) -> None:
        counter = 0
        for node in children:
            number, run_in, node_level = "", False, 0
            if node.numbered:
                counter += 1
                node_level = min(level + 1, MAX_LEVEL)
                style, run_in = style_for(numbering, node_level)
                number = format_number(style, counter)
            error = ""
            try:
                heading = segments(node.heading, variables, key) if node.heading else []
                body = [segments(p, variables, key) for p in _paragraphs(node.body)]
            except SlotError as exc:
                error = exc.message
                heading = [Segment(node.heading)] if node.heading else []
                body = [[Segment(p)] for p in _paragraphs(node.body)]
            heading, stop = _heading_segments(heading, run_in)
            blocks.append(
                Block(
                    node.id,
                    node.parent_id,
                    depth,
                    node_level,
                    number,
                    run_in,
                    heading,
                    body,
                    error,
                    stop,
                    node.hint,
                    counter if node.numbered else 0,
                )
            )
            walk(node.children, depth + 1, node_level if node.numbered else level)

    walk(roots, 0, 0)
    return blocks


def block_labels(blocks: list[Block]) -> dict[int, str]:
    """Where each block stands, in words a drafter reads in a history, a comparison or a notice
    (by block id): 第二部分 for the second part, 第二部分（一） and 第二部分（一）1 below it (the
    numbers the outline shows, without their trailing 、，.), 第二部分的正文 for a paragraph under
    a numbered item; outside the parts 开头, 结尾, or 第二部分之后的段落 between two parts."""
    labels: dict[int, str] = {}
    parts = sum(1 for b in blocks if b.number and b.parent_id is None)
    seen = 0
    for block in blocks:
        parent = labels.get(block.parent_id, "") if block.parent_id is not None else ""
        parent = parent.removesuffix("的正文")
        if block.number and block.parent_id is None:
            seen += 1
            label = f"第{chinese_numeral(block.ordinal)}部分"
        elif block.number:
            label = parent + block.number.rstrip("、，,.．")
        elif parent:
            label = f"{parent}的正文"
        elif seen == 0:
            label = "开头"
        elif seen == parts:
            label = "结尾"
        else:
            label = f"第{chinese_numeral(seen)}部分之后的段落"
        labels[block.id] = label
    return labels


def _heading_segments(heading: list[Segment], run_in: bool) -> tuple[list[Segment], str]:
    """heading_and_stop over segments: trailing punctuation comes off the last ones."""
    text = "".join(seg.text for seg in heading)
    shown, stop = heading_and_stop(text, run_in=run_in)
    cut = len(text) - len(shown)
    if not cut:
        return heading, stop
    out = list(heading)
    while cut and out:
        last = out.pop()
        if len(last.text) > cut:
            out.append(Segment(last.text[: len(last.text) - cut], last.slot, last.filled))
            break
        cut -= len(last.text)
    return out, stop


def slot_values(roots: list[Node], variables: dict[str, str]) -> dict[str, str]:
    values = {k: v for k, v in variables.items() if v is not None}
    values["部分数"] = part_count_text(roots)
    return values


def reading_paragraphs(blocks: list[Block]) -> list[str]:
    """The speech as the paragraphs a listener hears: salutation on its own, run-in headings
    joined to their body."""
    out: list[str] = []
    for block in blocks:
        for line in block_lines(block, first=not out):
            out.append("".join(seg.text for seg in line.segments))
    return out


@dataclass(frozen=True)
class Line:
    """One paragraph of a block as it reads. ``kind``: "heading" (a standalone heading line),
    "lead" (number + run-in heading + stop, then the first body paragraph), "salutation" or
    "para". ``lead`` is the number, heading and stop of a "lead" line (or the number and
    heading of a "heading" line); ``segments`` is the whole line's text."""

    kind: str
    lead: tuple[Segment, ...]
    body: tuple[Segment, ...]
    para: int = -1  # index into the block's body paragraphs, -1 for none

    @property
    def segments(self) -> tuple[Segment, ...]:
        return self.lead + self.body


def block_lines(block: Block, *, first: bool = False) -> list[Line]:
    """The paragraphs of one block as every reader shows them. ``first``: the block opens the
    speech, so a salutation at its start stands on a line of its own."""
    lines: list[Line] = []
    body = list(block.body)
    start = 0
    if block.number or block.heading:
        lead: tuple[Segment, ...] = (Segment(block.number),) if block.number else ()
        lead += tuple(block.heading)
        if block.run_in:
            stop = (Segment(block.stop),) if block.stop else ()
            lines.append(
                Line("lead", lead + stop, tuple(body[0]) if body else (), 0 if body else -1)
            )
            start = 1
        else:
            lines.append(Line("heading", lead, ()))
    elif first and body:
        salutation, rest = _salutation_segments(body[0])
        if salutation:
            lines.append(Line("salutation", (), salutation, 0))
            if rest:
                lines.append(Line("para", (), rest, 0))
            start = 1
    lines.extend(Line("para", (), tuple(p), i) for i, p in enumerate(body) if i >= start)
    return lines


def _salutation_segments(
    para: list[Segment],
) -> tuple[tuple[Segment, ...], tuple[Segment, ...]]:
    if not para or para[0].slot is not None:
        return (), tuple(para)
    salutation, rest = split_salutation(para[0].text)
    if not salutation:
        return (), tuple(para)
    tail = ([Segment(rest)] if rest else []) + para[1:]
    return (Segment(salutation),), tuple(tail)


def block_chars(blocks: list[Block]) -> int:
    """字数 of the whole speech, as read (see speechdraft.text.counting)."""
    return count_chars("".join(reading_paragraphs(blocks)))
