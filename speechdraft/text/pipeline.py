"""The whole text pipeline: bytes → :class:`ParsedFile`, and speech → reusable paragraphs.

decode → t2s (remember the script) → clean (boilerplate, contents, header) → punctuation →
re-join broken lines → structure → roles → slots → phrases.

Conversion to simplified happens right after decoding so that every later rule (and jieba)
sees one script; ``removed`` therefore reports the dropped lines in simplified, normalised
form.
"""

from __future__ import annotations

from pathlib import Path

from . import segment
from .clean import clean_text
from .completeness import incompleteness, page_of
from .convert import detect_script, has_cjk, to_simplified
from .decode import DEFAULT_MAX_BYTES, decode_bytes
from .errors import IngestError
from .meetings import names_occasion
from .model import ParagraphUnit, ParsedFile, Section, Speech
from .numbering import parse_number_token
from .phrases import mine_phrases, slogans
from .placeholders import (
    SlotNumbering,
    announced_part_count,
    apply_part_count,
    apply_slots,
    has_part_count,
)
from .roles import assign_roles
from .sanitize import plain_text
from .structure import build_speech
from .templating import strip_slots


def _apply_slots_section(section: Section) -> None:
    section.heading = apply_slots(section.heading)
    section.paragraphs = [apply_slots(p) for p in section.paragraphs]
    for child in section.children:
        _apply_slots_section(child)


def _apply_slots(speech: Speech) -> None:
    speech.title = apply_slots(speech.title)
    if speech.speaker:
        speech.speaker = apply_slots(speech.speaker)
    opening = [apply_slots(p) for p in speech.opening]
    if speech.sections:
        for i in range(len(opening) - 1, -1, -1):
            if has_part_count(opening[i]):
                speech.announced_parts = announced_part_count(opening[i])
                opening[i] = apply_part_count(opening[i])
                break
    speech.opening = opening
    for section in speech.sections:
        _apply_slots_section(section)
    speech.closing = [apply_slots(p) for p in speech.closing]
    _number_slots(speech)


def _number_slots(speech: Speech) -> None:
    """One blank per placeholder in the whole speech: 姓名1, 姓名2 … (see SlotNumbering)."""
    numbering = SlotNumbering()
    for text in speech.texts():
        numbering.count(text)
    if not any(n > 1 for n in numbering.total.values()):
        return
    speech.title = numbering.number(speech.title)
    if speech.speaker:
        speech.speaker = numbering.number(speech.speaker)
    speech.opening = [numbering.number(p) for p in speech.opening]

    def walk(section: Section) -> None:
        section.heading = numbering.number(section.heading)
        section.paragraphs = [numbering.number(p) for p in section.paragraphs]
        for child in section.children:
            walk(child)

    for section in speech.sections:
        walk(section)
    speech.closing = [numbering.number(p) for p in speech.closing]


# Bumped when a change of the rules changes what a stored document would hold (2: one blank per
# placeholder, typed and numbered; incomplete sources flagged. 3: rules for real pages of other sites.
# 4: phrase candidates scored, cut words and counted nouns left out).
PARSER_VERSION = 4


def speech_incompleteness(speech: Speech, removed) -> list[str]:
    """Why the speech looks like a part of one (see speechdraft.text.completeness)."""
    numbers = []
    for section in speech.sections:
        token = parse_number_token(section.number or "")
        numbers.append(token[1] if token else None)
    texts = [t for t in speech.texts() if t]
    return incompleteness(
        part_numbers=numbers,
        announced=speech.announced_parts,
        last_text=texts[-1] if texts else "",
        removed=removed,
    )


def _page_marker(removed: list[str]) -> list[str]:
    """The first removed line that marks one page of several (as page_of reads them), alone:
    what speech_incompleteness needs of ``removed``."""
    return next(([line] for line in removed if page_of([line]) is not None), [])


def _has_body(speech: Speech) -> bool:
    texts = list(speech.opening) + list(speech.closing)
    for section in speech.walk_sections():
        texts.append(section.heading)
        texts.extend(section.paragraphs)
    return any(has_cjk(t, 2) for t in texts)


def prepare_text(text: str) -> str:
    """Decoded text as the cleaner sees it: one kind of line break, simplified script.

    Every Chinese character of this text ends up either in the parsed speeches or in
    ``ParsedFile.removed`` (the fuzz tests hold the pipeline to that).
    """
    return to_simplified(_plain_text(text))


def _plain_text(text: str) -> str:
    """One kind of line break and no control characters."""
    return plain_text(text)


def parse_bytes(data: bytes, filename: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ParsedFile:
    """Parse one uploaded file. Raises :class:`IngestError` (Chinese message) on bad input."""
    decoded = decode_bytes(data, filename, max_bytes=max_bytes)
    text = _plain_text(decoded.text)
    simplified = to_simplified(text)  # == prepare_text(decoded.text)
    script = detect_script(text, simplified)
    cleaned = clean_text(simplified)
    speeches: list[Speech] = []
    removed = list(cleaned.removed)
    # The page marker is looked for once per file, not once per speech of a compilation.
    page_marker = _page_marker(cleaned.removed)
    phrase_memo: dict = {}  # the file's four-character answers, shared by its speeches
    for clean_speech in cleaned.speeches:
        speech = build_speech(clean_speech)
        if not _has_body(speech):
            removed.extend(t for t in speech.texts() if t)  # reported, never silently lost
            continue
        assign_roles(speech.sections, speech.title)
        _apply_slots(speech)
        speech.incomplete = speech_incompleteness(speech, page_marker)
        speech.phrases = mine_phrases(speech, len(speeches), phrase_memo)
        speeches.append(speech)
    if not speeches:
        raise IngestError(
            f"文件“{filename}”未识别到讲话正文：去除网页杂项（广告、导航、下载提示等）后没有剩下讲话内容",
            filename,
        )
    return ParsedFile(
        file=filename,
        encoding=decoded.encoding,
        script=script,
        removed=removed,
        speeches=speeches,
    )


def parse_path(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ParsedFile:
    """Convenience wrapper for the CLI: read a file and parse it."""
    p = Path(path)
    size = p.stat().st_size
    if size > max_bytes:
        # refuse without reading the whole file
        with p.open("rb") as fh:
            head = fh.read(max_bytes + 1)
        return parse_bytes(head, p.name, max_bytes=max_bytes)
    return parse_bytes(p.read_bytes(), p.name, max_bytes=max_bytes)


def _section_units(
    section: Section, path: str, role: str | None, units: list[ParagraphUnit]
) -> None:
    for i, para in enumerate(section.paragraphs):
        units.append(
            ParagraphUnit(
                text=para,
                heading=section.heading,
                number=section.number,
                role=role,
                level=section.level,
                position=f"{path}:p{i}",
            )
        )
    for n, child in enumerate(section.children, 1):
        _section_units(child, f"{path}.{n}", role, units)


def reusable_paragraphs(speech: Speech, *, k: int = 8) -> list[ParagraphUnit]:
    """One unit per body paragraph, plus opening/closing paragraphs, with keywords.

    Section paragraphs carry their own section's heading/number/level and the role of
    their level-1 ancestor; opening and closing paragraphs have role "opening"/"closing"
    and level 0. The speech's slogans are added to jieba's user dictionary first.
    """
    terms = slogans(speech)
    if terms:
        segment.add_terms(terms)
    units: list[ParagraphUnit] = []
    for i, para in enumerate(speech.opening):
        units.append(ParagraphUnit(para, "", None, "opening", 0, f"opening:p{i}"))
    for n, section in enumerate(speech.sections, 1):
        _section_units(section, f"s{n}", section.role, units)
    for i, para in enumerate(speech.closing):
        units.append(ParagraphUnit(para, "", None, "closing", 0, f"closing:p{i}"))
    for unit in units:
        unit.keywords = segment.keywords(strip_slots(unit.text), k=k, simplified=True)
    return units


def speech_from_paragraphs(paragraphs: list[str]) -> tuple[Speech | None, list[str]]:
    """A Word file's paragraphs read as one speech (to become a draft), with the text core of
    ingestion: cleaning, header fields, structure, placeholders as slots. Returns the speech
    (None when no speech body is found) and every line that is not in it, in order: the lines
    the cleaner removed, and any further speech of a compilation (a draft holds one)."""
    cleaned = clean_text(prepare_text("\n".join(_join_breaks(p) for p in paragraphs)))
    removed = list(cleaned.removed)
    speech = None
    for clean_speech in cleaned.speeches:
        built = build_speech(clean_speech)
        if speech is None and _has_body(built):
            _apply_slots(built)
            speech = built
        else:
            removed.extend(t for t in built.texts() if t)
    return speech, removed


def _join_breaks(paragraph: str) -> str:
    """One paragraph broken over lines (a title set on two lines in Word): a theme title's
    two phrases keep the space between them (全力打造过硬干部队伍 推进赶超发展争先进位), a title
    that names its occasion reads on (在全市经济工作会议上的讲话)."""
    parts = [part.strip() for part in paragraph.split("\n") if part.strip()]
    if len(parts) < 2:
        return paragraph
    joined = "".join(parts)
    if names_occasion(joined) or min(len(part) for part in parts) < 4:
        return joined
    return " ".join(parts)
