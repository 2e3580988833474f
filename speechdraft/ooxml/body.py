"""The body as WordprocessingML: paragraphs and runs that point at the named styles."""

from __future__ import annotations

import math
from dataclasses import dataclass
from xml.sax.saxutils import escape

from speechdraft.ooxml.content import Content
from speechdraft.ooxml.titles import split_title
from speechdraft.text.outline import heading_and_stop


def _attr(value: str) -> str:
    return escape(value, {'"': "&quot;"})


def _run(text: str, style_id: str | None = None, spacing: int | None = None) -> str:
    if not text:
        return ""
    props = f'<w:rStyle w:val="{_attr(style_id)}"/>' if style_id else ""
    if spacing is not None:
        props += f'<w:spacing w:val="{spacing}"/>'
    props = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


@dataclass(frozen=True)
class Measure:
    """The type area's width and a heading's type (twips): size, letter spacing, indent."""

    width: int
    size: int
    spacing: int
    indent: int

    def fitted_spacing(self, text: str) -> int | None:
        """A tighter letter spacing for a heading whose last line would hold a single
        character (a typesetter's 紧缩 of that line), or None when it needs none or would need
        more than a tenth of a character per character."""
        units = sum(0.5 if ch.isascii() else 1.0 for ch in text)
        advance = self.size + self.spacing
        first = (self.width - self.indent) // advance
        if units <= first:
            return None
        rest = self.width // advance
        lines = 1 + math.ceil((units - first) / rest)
        last = units - first - (lines - 2) * rest
        if last > 1:
            return None
        # Every character narrower, so that the text ends one line earlier, with a quarter of
        # a character to spare (LibreOffice needs it: rounding to 1/100 mm, its indent).
        room = (lines - 1) * self.width - self.indent - self.size // 4
        tighter = math.floor(room / units) - self.size
        return tighter if tighter >= self.spacing - self.size // 10 else None


def _paragraph(style_id: str, runs: str = "", *, keep_next: bool = False) -> str:
    keep = "<w:keepNext/>" if keep_next else ""
    return f'<w:p><w:pPr><w:pStyle w:val="{_attr(style_id)}"/>{keep}</w:pPr>{runs}</w:p>'


def body_xml(
    content: Content,
    ids: dict[str, str],
    title_width: int,
    measures: dict[int, Measure] | None = None,
) -> list[str]:
    """The body's paragraphs; ``measures`` (per heading level) lets a standalone heading that
    would leave one character on its last line be set a little tighter."""
    out: list[str] = []
    if content.mark:
        # Top right of the first page; right-aligned directly too, for a reference's style.
        style = _attr(ids.get("mark", ids["salutation"]))
        out.append(
            f'<w:p><w:pPr><w:pStyle w:val="{style}"/><w:jc w:val="right"/></w:pPr>'
            f"{_run(content.mark)}</w:p>"
        )
    title_lines = [part for line in content.title for part in split_title(line, title_width)]
    if title_lines:
        breaks = "<w:br/>".join(
            f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in title_lines
        )
        out.append(_paragraph(ids["title"], f"<w:r>{breaks}</w:r>"))
    out.extend(_paragraph(ids["subtitle"], _run(line)) for line in content.subtitle)
    out.extend(_paragraph(ids["byline"], _run(line)) for line in content.byline)
    if content.salutation or content.blocks:
        if out:
            out.append(_paragraph(ids["body"]))  # 空一行 under the head block
        if content.salutation:
            out.append(_paragraph(ids["salutation"], _run(content.salutation)))
    body_id = ids["body"]
    for block, number, heading, body in content.blocks:
        level = block.level
        if block.kind == "heading" and not block.run_in:
            heading, _ = heading_and_stop(heading, run_in=False)
            if number or heading:
                measure = (measures or {}).get(level)
                spacing = measure.fitted_spacing(number + heading) if measure else None
                run = _run(number + heading, spacing=spacing)
                out.append(_paragraph(ids[f"heading{level}"], run))
            out.extend(_paragraph(body_id, _run(text)) for text in body)
            continue
        shown, stop = heading_and_stop(heading, run_in=True)
        heading = shown + stop
        first = body[0] if body else ""
        keep_next = False
        if level >= 1 and (block.kind == "heading" or heading):
            runs = _run(number + heading, ids[f"runin{level}"]) + _run(first)
            # A run-in heading with no text of its own leads what follows, like a heading.
            keep_next = not first
        else:
            runs = _run(number + heading + first)
        if runs:
            out.append(_paragraph(body_id, runs, keep_next=keep_next))
        out.extend(_paragraph(body_id, _run(text)) for text in body[1:])
    return out
