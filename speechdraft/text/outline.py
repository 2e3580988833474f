"""A draft's outline as plain data: computed numbers, the part count, rendered blocks.

Numbers are derived from position, never stored: the n-th numbered child of a parent gets
number n in the style of its level. The same functions serve the editor, the preview and the
Word export, so the three always agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from speechdraft.text.numbering import chinese_numeral, format_number
from speechdraft.text.templating import Segment, SlotError, segments

MAX_LEVEL = 4
RUN_IN_ONLY = frozenset({"第一，", "一是", "一要"})


@dataclass
class Node:
    id: int
    parent_id: int | None
    position: int
    numbered: bool
    heading: str = ""
    body: str = ""
    children: list[Node] = field(default_factory=list)


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
                heading = segments(node.heading, variables) if node.heading else []
                body = [segments(p, variables) for p in _paragraphs(node.body)]
            except SlotError as exc:
                error = exc.message
                heading = [Segment(node.heading)] if node.heading else []
                body = [[Segment(p)] for p in _paragraphs(node.body)]
            blocks.append(
                Block(
                    node.id, node.parent_id, depth, node_level, number, run_in, heading, body, error
                )
            )
            walk(node.children, depth + 1, node_level if node.numbered else level)

    walk(roots, 0, 0)
    return blocks


def slot_values(roots: list[Node], variables: dict[str, str]) -> dict[str, str]:
    values = {k: v for k, v in variables.items() if v is not None}
    values["部分数"] = part_count_text(roots)
    return values


def reading_paragraphs(blocks: list[Block]) -> list[str]:
    """The speech as the paragraphs a listener hears (run-in headings joined to their body)."""
    out: list[str] = []
    for block in blocks:
        heading, body = block.heading_text, block.body_texts
        if block.number or heading:
            lead = block.number + heading
            if block.run_in and body:
                sep = "" if heading.endswith(("。", "！", "？", "：")) or not heading else "。"
                out.append(lead + sep + body[0])
                out.extend(body[1:])
                continue
            out.append(lead)
        out.extend(body)
    return out


def count_chars(text: str) -> int:
    """字数 as offices count it: every character but white space."""
    return len("".join(text.split()))
