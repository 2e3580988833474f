"""The body as WordprocessingML: paragraphs and runs that point at the named styles."""

from __future__ import annotations

from xml.sax.saxutils import escape

from speechdraft.ooxml.content import Content
from speechdraft.ooxml.titles import split_title
from speechdraft.text.outline import heading_and_stop


def _attr(value: str) -> str:
    return escape(value, {'"': "&quot;"})


def _run(text: str, style_id: str | None = None) -> str:
    if not text:
        return ""
    props = f'<w:rPr><w:rStyle w:val="{_attr(style_id)}"/></w:rPr>' if style_id else ""
    return f'<w:r>{props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _paragraph(style_id: str, runs: str = "") -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="{_attr(style_id)}"/></w:pPr>{runs}</w:p>'


def body_xml(content: Content, ids: dict[str, str], title_width: int) -> list[str]:
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
                out.append(_paragraph(ids[f"heading{level}"], _run(number + heading)))
            out.extend(_paragraph(body_id, _run(text)) for text in body)
            continue
        shown, stop = heading_and_stop(heading, run_in=True)
        heading = shown + stop
        first = body[0] if body else ""
        if level >= 1 and (block.kind == "heading" or heading):
            runs = _run(number + heading, ids[f"runin{level}"]) + _run(first)
        else:
            runs = _run(number + heading + first)
        if runs:
            out.append(_paragraph(body_id, runs))
        out.extend(_paragraph(body_id, _run(text)) for text in body[1:])
    return out
