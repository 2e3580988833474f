"""What a caller hands the writer: the document (:class:`ExportDocument` of :class:`Block`),
numbers already computed (``一、``, ``（一）``, ``1.`` …) and every slot already filled, and the
layout options: a :class:`Profile` (type sizes and grid) and :class:`FontSettings`."""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from typing import Literal


@dataclass(frozen=True)
class Profile:
    """Type sizes (pt) and grid of a layout; line pitch and character grid follow from the page."""

    name: str
    label: str
    title_size: float
    text_size: float  # body, headings, speaker/date line, subtitle, salutation
    page_number_size: float
    lines_per_page: int
    chars_per_line: int
    page_number_align: Literal["outside", "center"]

    def line_pitch(self, type_height: int) -> int:
        """The largest whole-twip exact line spacing that still fits ``lines_per_page`` lines."""
        return type_height // self.lines_per_page

    def char_space(self, type_width: int) -> int:
        """``w:charSpace``: (grid pitch − Normal font size) × 4096, rounded down so all fit."""
        pitch_pt = type_width / 20 / self.chars_per_line
        return math.floor((pitch_pt - self.text_size) * 4096)

    def letter_spacing(self, type_width: int) -> int:
        """Condensed character spacing (twips, ≤ 0) that fits ``chars_per_line`` without a grid.

        LibreOffice does not compress text to a character grid narrower than the font (7.4 sets
        each character in two cells: 14 per line), so the text styles do not snap to the grid and
        carry this spacing instead, one twip tighter than the grid pitch because LibreOffice
        rounds the grid to 1/100 mm: 28 characters per line in Word, WPS and LibreOffice alike.
        """
        spare = math.floor(type_width / self.chars_per_line - self.text_size * 20) - 1
        return min(0, spare)


PROFILES: dict[str, Profile] = {
    # 22 lines × 28 characters, 三号 body, 二号 title, 四号 page numbers outside.
    "gongwen": Profile("gongwen", "公文格式", 22, 16, 14, 22, 28, "outside"),
    # Podium reading copy: 一号 title over 二号 body and headings, 15 lines × 20 characters,
    # centred numbers.
    "large": Profile("large", "讲话大字版", 26, 22, 14, 15, 20, "center"),
}


@dataclass(frozen=True)
class FontSettings:
    """Font names written into the styles; the defaults are the GB/T 9704 faces."""

    title: str = "方正小标宋简体"
    subtitle: str = "楷体_GB2312"
    speaker: str = "楷体_GB2312"
    body: str = "仿宋_GB2312"
    level1: str = "黑体"
    level2: str = "楷体_GB2312"
    level3: str = "仿宋_GB2312"
    level4: str = "仿宋_GB2312"
    page_number: str = "宋体"
    latin: str = "Times New Roman"
    bold_title: bool = False
    # Practice, not the standard: many units set level 2 in 楷体加粗 and level 3 in 仿宋加粗.
    bold_level2: bool = False
    bold_level3: bool = False

    @classmethod
    def system(cls) -> FontSettings:
        """For offices without the licensed faces: the fonts Chinese Windows ships with."""
        return cls(
            title="宋体",
            subtitle="楷体",
            speaker="楷体",
            body="仿宋",
            level1="黑体",
            level2="楷体",
            level3="仿宋",
            level4="仿宋",
            page_number="宋体",
            bold_title=True,
        )

    def names(self) -> set[str]:
        """Every font name these settings may write (East Asian and Latin)."""
        return {getattr(self, f.name) for f in fields(self) if f.type in ("str", str)}


@dataclass(frozen=True)
class Change:
    """A piece of a field compared between two versions: ``equal`` in both, ``insert``ed in the
    newer or ``delete``d from the older (the shape of a word-level diff's ops). The older text
    is the ``equal`` and ``delete`` pieces in order, the newer the ``equal`` and ``insert``
    ones; a ``\\n`` in a body's pieces is a paragraph break, inserted or deleted with them."""

    kind: Literal["equal", "insert", "delete"]
    text: str


BlockChange = Literal["insert", "delete", "move_from", "move_to"]


@dataclass(frozen=True)
class WordComment:
    """A comment (批注) written as Word's own: who made it, when, and what it says (paragraphs
    separated by ``\n``). Where it stands is a :class:`CommentSpan` of the text it is on."""

    author: str
    text: str
    date: datetime.datetime | None = None
    initials: str = ""
    # An answer (回复) in the thread of the comment this indexes, as Word threads them
    # (word/commentsExtended.xml); an answer spans the same words as its comment.
    parent: int | None = None


@dataclass(frozen=True)
class CommentSpan:
    """The characters ``[start, end)`` of a field's text (``Block.heading``, ``Block.body``
    with its ``\n``, ``ExportDocument.salutation``) a comment is on: ``comment`` indexes
    ``ExportDocument.comments``. ``start == end``: a comment on a point. Comments are written
    on the plain text only, not on a 花脸稿's changes."""

    comment: int
    start: int
    end: int


@dataclass(frozen=True)
class Block:
    """One item of the body, numbers and text already final.

    ``kind="heading"`` (level 1–4): ``number + heading`` standalone on its own line (closing
    punctuation dropped), or run-in (``run_in=True``): ``number + heading + 。`` in the level's
    font, ``body`` continuing in the same paragraph in the body font. A heading's ``body`` may hold
    several paragraphs separated by ``\\n``.

    ``kind="paragraph"`` (level 0–4): ``number + body`` in the body font (``第一，`` / ``一是`` …);
    a paragraph that also has a ``heading`` at level ≥ 1 is rendered like a run-in heading.

    Tracked changes (a 花脸稿, see :mod:`speechdraft.ooxml.redline`): ``heading_changes`` /
    ``body_changes`` replace ``heading`` / ``body`` by their comparison (None: the plain text);
    ``old_number`` is the number the older version gave the item when it differs (shown as the
    old number deleted, the new one inserted). ``change`` marks the whole item: ``insert`` (new,
    text from the newer version), ``delete`` (gone, text from the older), ``move_from`` (its old
    place, older text and number) and ``move_to`` (its new place, which may carry
    ``body_changes``/``heading_changes`` too), the two ends of a move sharing ``move_key``.
    """

    kind: Literal["paragraph", "heading"]
    level: int = 0
    number: str = ""
    heading: str = ""
    body: str = ""
    run_in: bool = False
    heading_changes: Sequence[Change] | None = None
    body_changes: Sequence[Change] | None = None
    old_number: str | None = None
    change: BlockChange | None = None
    move_key: str = ""
    heading_comments: Sequence[CommentSpan] = ()
    body_comments: Sequence[CommentSpan] = ()


@dataclass(frozen=True)
class ExportDocument:
    title: str
    subtitle: str | None = None
    speaker: str | None = None
    date: datetime.date | None = None
    salutation: str | None = None
    blocks: Sequence[Block] = field(default_factory=list)
    # Document properties (docProps/core.xml): the drafter's name as creator and last editor,
    # and the export time as created and modified. None keeps the reference's own values.
    author: str | None = None
    exported_at: datetime.datetime | None = None
    # What the copy is, set top right on its first page as offices mark it: 征求意见稿 ….
    mark: str | None = None
    # Tracked changes (花脸稿): who made them and when, on every w:ins/w:del (default: the
    # author and the export time); track_revisions turns on 修订 for the reader's own edits.
    # The older version's title and subtitle, when they changed: shown deleted, the newer
    # ones inserted (whole lines; None: unchanged).
    old_title: str | None = None
    old_subtitle: str | None = None
    revision_author: str | None = None
    revision_date: datetime.datetime | None = None
    track_revisions: bool = False
    # Comments (批注) on the text, as Word comments in word/comments.xml.
    comments: Sequence[WordComment] = ()
    salutation_comments: Sequence[CommentSpan] = ()
