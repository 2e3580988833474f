"""Plain dataclasses produced by the text pipeline (no Django)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

ROLES = ("situation", "tasks", "style", "other")


@dataclass
class Section:
    """A numbered (or run-in) part of a speech.

    ``number`` is the normalised token (``"一、"``, ``"（一）"``, ``"第二个问题，"``, ``"一要"``)
    or None for an unnumbered run-in heading; ``style`` names the numbering family (see
    :mod:`speechdraft.text.numbering`) or None. ``role`` is set on level 1 only.
    """

    number: str | None
    style: str | None
    heading: str
    role: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)
    level: int = 1

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "heading": self.heading,
            "role": self.role,
            "paragraphs": list(self.paragraphs),
            "children": [c.to_json_dict() for c in self.children],
        }

    def walk(self) -> Iterator[Section]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class PhraseCandidate:
    kind: str  # four_char, parallel, golden, slogan, transition, opening, closing
    text: str
    speech_index: int
    position: str  # "opening:p0", "s2.1:p3", "s1:h", "closing:p0", "title"
    score: float  # quality in [0, 1] (speechdraft.text.phrase_quality)


@dataclass
class Speech:
    title: str = ""
    speaker: str | None = None
    date: str | None = None
    salutation: str | None = None
    opening: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    closing: list[str] = field(default_factory=list)
    phrases: list[PhraseCandidate] = field(default_factory=list)
    announced_parts: int | None = None  # 我讲三点意见 → 3, read before it becomes a slot
    incomplete: list[str] = field(default_factory=list)  # why it looks like part of a speech

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "speaker": self.speaker,
            "date": self.date,
            "salutation": self.salutation,
            "opening": list(self.opening),
            "sections": [s.to_json_dict() for s in self.sections],
            "closing": list(self.closing),
            "incomplete": list(self.incomplete),
        }

    def walk_sections(self) -> Iterator[Section]:
        for section in self.sections:
            yield from section.walk()

    def texts(self) -> Iterator[str]:
        """Every piece of text of the speech, in reading order."""
        for value in (self.title, self.speaker, self.date, self.salutation):
            if value:
                yield value
        yield from self.opening

        def rec(section: Section) -> Iterator[str]:
            if section.number:
                yield section.number
            if section.heading:
                yield section.heading
            yield from section.paragraphs
            for child in section.children:
                yield from rec(child)

        for section in self.sections:
            yield from rec(section)
        yield from self.closing

    def slot_names(self) -> list[str]:
        """Names of the Jinja2 slots used in the speech, in order of first use."""
        from .templating import slot_names

        return slot_names("\n".join(self.texts()))


@dataclass
class ParagraphUnit:
    """A reusable paragraph as the library stores it."""

    text: str
    heading: str
    number: str | None
    role: str | None
    level: int
    position: str
    keywords: list[str] = field(default_factory=list)


@dataclass
class ParsedFile:
    file: str
    encoding: str
    script: str  # "simplified" | "traditional"
    removed: list[str] = field(default_factory=list)
    speeches: list[Speech] = field(default_factory=list)

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "encoding": self.encoding,
            "script": self.script,
            "removed": list(self.removed),
            "speeches": [s.to_json_dict() for s in self.speeches],
        }

    def slot_names(self) -> list[str]:
        seen: dict[str, None] = {}
        for speech in self.speeches:
            for name in speech.slot_names():
                seen.setdefault(name, None)
        return list(seen)
