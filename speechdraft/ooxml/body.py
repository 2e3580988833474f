"""The body as WordprocessingML: paragraphs and runs that point at the named styles."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from xml.sax.saxutils import escape

from speechdraft.ooxml.comments import Span, marked_runs
from speechdraft.ooxml.content import Content, Item
from speechdraft.ooxml.revisions import (
    NEW,
    OLD,
    Piece,
    State,
    Tracker,
    present,
    runs,
    strip_end,
    text_of,
)
from speechdraft.ooxml.titles import split_title
from speechdraft.text.outline import HEADING_TRAILING, heading_and_stop


def _attr(value: str) -> str:
    return escape(value, {'"': "&quot;"})


def _run(text: str, style_id: str | None = None, spacing: int | None = None, tag: str = "t") -> str:
    if not text:
        return ""
    props = f'<w:rStyle w:val="{_attr(style_id)}"/>' if style_id else ""
    if spacing is not None:
        props += f'<w:spacing w:val="{spacing}"/>'
    props = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{props}<w:{tag} xml:space="preserve">{escape(text)}</w:{tag}></w:r>'


def _runs(
    pieces: list[Piece],
    tracker: Tracker,
    style_id: str | None = None,
    spacing: int | None = None,
    spans: list[Span] | None = None,
) -> str:
    """The pieces' runs: an unchanged text is one run, as :func:`_run` writes it; `spans`:
    comments on characters of the pieces' text (cut into runs there)."""

    def run(text: str, tag: str) -> str:
        return _run(text, style_id, spacing, tag)

    if spans:
        return "".join(marked_runs(pieces, run, tracker, spans))
    return "".join(runs(pieces, run, tracker))


def _shifted(spans: list[Span], by: int) -> list[Span]:
    """Comment spans of a text that `by` characters come before in its paragraph."""
    return [(start + by, end + by, comment) for start, end, comment in spans]


def _heading(pieces: list[Piece], *, run_in: bool) -> list[Piece]:
    """:func:`heading_and_stop` in each version: closing punctuation dropped; run-in, the stop
    each version's heading takes (a 。 deleted and a ！ kept when only the newer ends in ！)."""
    shown = strip_end(pieces, HEADING_TRAILING)
    if not run_in:
        return shown
    new_text, old_text = text_of(shown, NEW), text_of(shown, OLD)
    new = heading_and_stop(new_text, run_in=True)[1]
    old = heading_and_stop(old_text, run_in=True)[1]
    if new_text and old_text:
        stop: list[Piece] = [("equal", new)] if new == old else [("delete", old), ("insert", new)]
    else:
        # A heading of one version only (an added, deleted or moved item): its stop with it.
        view = NEW if new_text else OLD
        state = next((s for s, _ in reversed(shown) if present(s, view)), "equal")
        stop = [(state, new or old)]
    return shown + [piece for piece in stop if piece[1]]


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


def _paragraph(style_id: str, runs: str = "", *, keep_next: bool = False, mark: str = "") -> str:
    """``mark``: the revision of the paragraph mark (:meth:`Tracker.mark`)."""
    keep = "<w:keepNext/>" if keep_next else ""
    return f'<w:p><w:pPr><w:pStyle w:val="{_attr(style_id)}"/>{keep}{mark}</w:pPr>{runs}</w:p>'


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
    tracker = Tracker(content.revision_author, content.revision_date or _EPOCH)

    def title_runs(lines: list[str], tag: str = "t") -> str:
        parts = [part for line in lines for part in split_title(line, title_width)]
        if not parts:
            return ""
        breaks = "<w:br/>".join(
            f'<w:{tag} xml:space="preserve">{escape(line)}</w:{tag}>' for line in parts
        )
        return f"<w:r>{breaks}</w:r>"

    new_title = title_runs(content.title)
    if content.old_title is None:
        if new_title:
            out.append(_paragraph(ids["title"], new_title))
    else:
        # A changed title: the older lines deleted, the newer inserted, in one paragraph.
        old_title = title_runs(content.old_title, "delText")
        text = f"<w:del{tracker.attrs()}>{old_title}</w:del>" if old_title else ""
        text += f"<w:ins{tracker.attrs()}>{new_title}</w:ins>" if new_title else ""
        state = "equal" if new_title and old_title else ("insert" if new_title else "delete")
        out.append(_paragraph(ids["title"], text, mark=tracker.mark(state)))
    if content.old_subtitle is not None:
        for line in content.old_subtitle:
            run = _run(line, tag="delText")
            text = f"<w:del{tracker.attrs()}>{run}</w:del>"
            out.append(_paragraph(ids["subtitle"], text, mark=tracker.mark("delete")))
        for line in content.subtitle:
            text = f"<w:ins{tracker.attrs()}>{_run(line)}</w:ins>"
            out.append(_paragraph(ids["subtitle"], text, mark=tracker.mark("insert")))
    else:
        out.extend(_paragraph(ids["subtitle"], _run(line)) for line in content.subtitle)
    out.extend(_paragraph(ids["byline"], _run(line)) for line in content.byline)
    if content.salutation or content.blocks:
        if out:
            out.append(_paragraph(ids["body"]))  # 空一行 under the head block
        if content.salutation:
            salutation = [("equal", content.salutation)]
            text = _runs(salutation, tracker, spans=content.salutation_spans)
            out.append(_paragraph(ids["salutation"], text))
    for item in content.blocks:
        out.extend(_item_xml(item, ids, measures, tracker))
    return out


_EPOCH = datetime.datetime(1970, 1, 1)


def _item_xml(
    item: Item, ids: dict[str, str], measures: dict[int, Measure] | None, tracker: Tracker
) -> list[str]:
    """The paragraphs of one item; a moved item's inside its move container."""
    block, level, body_id = item.block, item.block.level, ids["body"]
    out: list[str] = []

    def paragraph(style: str, text: str, state: State, keep_next: bool = False) -> None:
        out.append(_paragraph(style, text, keep_next=keep_next, mark=tracker.mark(state)))

    body = item.body
    # Comments: on the heading's words, after the number; on each body paragraph's.
    number = len(text_of(item.number, NEW))
    heading_spans = _shifted(item.heading_spans, number)
    body_spans = list(item.body_spans) + [[]] * (len(body) - len(item.body_spans))
    if block.kind == "heading" and not block.run_in:
        heading = _heading(item.heading, run_in=False)
        shown = item.number + heading
        if shown:
            measure = (measures or {}).get(level)
            spacing = measure.fitted_spacing(text_of(shown, NEW)) if measure else None
            text = _runs(shown, tracker, spacing=spacing, spans=heading_spans)
            paragraph(ids[f"heading{level}"], text, item.state)
    else:
        heading = _heading(item.heading, run_in=True)
        first: list[Piece] = body[0][0] if body else []
        first_spans = body_spans[0] if body else []
        mark = body[0][1] if body else item.state
        keep_next = False
        if level >= 1 and (block.kind == "heading" or heading):
            text = _runs(item.number + heading, tracker, ids[f"runin{level}"], spans=heading_spans)
            text += _runs(first, tracker, spans=first_spans)
            # A run-in heading with no text of its own leads what follows, like a heading.
            keep_next = not (text_of(first, NEW) or text_of(first, OLD))
        else:
            lead = len(text_of(item.number + heading, NEW))
            spans = heading_spans + _shifted(first_spans, lead)
            text = _runs(item.number + heading + first, tracker, spans=spans)
        if text:
            paragraph(body_id, text, mark, keep_next)
        body, body_spans = body[1:], body_spans[1:]
    for (pieces, mark), spans in zip(body, body_spans, strict=True):
        paragraph(body_id, _runs(pieces, tracker, spans=spans), mark)
    if item.state in ("move_from", "move_to") and out:
        start, end = tracker.range_start(item.state, block.move_key)
        out[0] = out[0].replace("</w:pPr>", "</w:pPr>" + start, 1)
        out[-1] = out[-1][: -len("</w:p>")] + end + "</w:p>"
    return out
