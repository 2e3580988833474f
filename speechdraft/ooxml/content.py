"""The caller's document checked and cleaned: text hygiene, valid blocks, no unfilled slot."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from speechdraft.ooxml.model import Block, ExportDocument
from speechdraft.text.numbering import format_date
from speechdraft.text.sanitize import plain_text
from speechdraft.text.templating import template_syntax_at


def _clean(text: str | None) -> str:
    """Drop what is not text (speechdraft.text.sanitize: XML 1.0 forbids most controls, and the
    rest is never meant in a speech); normalise line breaks; a tab is a space."""
    return plain_text(text).replace("\t", " ")


def _one_line(text: str | None) -> str:
    return _clean(text).replace("\n", "").strip()


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in _clean(text).split("\n") if line.strip()]


def _check_slots(texts: Sequence[str]) -> None:
    for text in texts:
        at = template_syntax_at(text)
        if at != -1:
            snippet = text[max(0, at - 10) : at + 20]
            raise ValueError(f"文稿中还有未填写的占位符，请先填写后再导出：“{snippet}”")


@dataclass
class Content:
    title: list[str]
    subtitle: list[str]
    byline: list[str]
    salutation: str
    blocks: list[tuple[Block, str, str, list[str]]]  # block, number, heading, body paragraphs
    author: str = ""
    mark: str = ""
    exported_at: datetime.datetime | None = None


def prepare(doc: ExportDocument, date_style: str) -> Content:
    """Validate and clean the caller's text; fail on unfilled slots."""
    byline = _lines(doc.speaker)
    if doc.date is not None:
        byline.append(f"（{format_date(doc.date, date_style)}）")
    content = Content(
        title=_lines(doc.title),
        subtitle=_lines(doc.subtitle),
        byline=byline,
        salutation=_one_line(doc.salutation),
        blocks=[],
        author=_one_line(doc.author),
        mark=_one_line(doc.mark),
        exported_at=doc.exported_at,
    )
    for position, block in enumerate(doc.blocks, start=1):
        if block.kind not in ("paragraph", "heading"):
            raise ValueError(f"第 {position} 项的类型无效：{block.kind!r}")
        if not isinstance(block.level, int) or not 0 <= block.level <= 4:
            raise ValueError(f"第 {position} 项的层级必须是 0 到 4，收到：{block.level!r}")
        if block.kind == "heading" and block.level == 0:
            raise ValueError(f"第 {position} 项是标题，层级必须是 1 到 4。")
        content.blocks.append(
            (block, _one_line(block.number), _one_line(block.heading), _lines(block.body))
        )
    texts = [content.mark, *content.title, *content.subtitle, *content.byline, content.salutation]
    for _block, number, heading, body in content.blocks:
        texts.extend([number, heading, *body])
    _check_slots(texts)
    return content
