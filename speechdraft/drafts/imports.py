"""Word files into drafts: 从Word导入 (a new draft from a .docx) and 导入修改稿 (the leader's
marked-up copy of a draft, matched item by item), and what comes of the leader's markup:
Proposals the drafter accepts or rejects for tracked changes, 批注 (drafts/comments.py) for
the file's comments, on the words they span.

The file is read by speechdraft.text.docx_read (paragraphs with their tracked changes and
comments in the original text) and structured by the text core of corpus ingestion
(speechdraft.text.pipeline.speech_from_paragraphs). Each paragraph of the file is matched, in
order, to a line of the draft as every reader shows it (speechdraft.text.outline.block_lines:
the lines the Word export writes), by the similarity of the paragraph's original text; its
changes become proposals on that line's item. Whatever cannot be placed is a proposal too:
a new paragraph (to go after the nearest matched line) or an entry of the import's notice.
Nothing of the file is dropped silently, and a refused file changes nothing.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import PurePath

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from speechdraft.core.params import parse_id
from speechdraft.drafts import services, versions
from speechdraft.drafts.errors import DraftError
from speechdraft.drafts.models import (
    LEVEL_STYLES,
    RUN_IN_ONLY,
    Comment,
    Draft,
    DraftItem,
    Proposal,
    default_numbering,
)
from speechdraft.drafts.selectors import document_from_nodes, draft_nodes
from speechdraft.text.anchors import find_anchor
from speechdraft.text.docx_read import (
    COMMENT,
    DELETE,
    INSERT,
    Change,
    DocxContent,
    joined_paragraphs,
    read_docx,
)
from speechdraft.text.errors import IngestError
from speechdraft.text.model import Section, Speech
from speechdraft.text.numbering import format_date, parse_date
from speechdraft.text.outline import MAX_LEVEL, block_lines
from speechdraft.text.pipeline import speech_from_paragraphs
from speechdraft.text.sanitize import one_line, plain_text
from speechdraft.units.access import unit_id_of

MATCH_RATIO = 0.6  # a paragraph of the file is a line of the draft from this similarity on
MATCH_WINDOW = 60  # lines looked at ahead of the last matched one
PLACEHOLDER = "×××"  # what the Word export writes for an unfilled slot
ANCHOR_GONE = "原文已修改，无法自动应用：请对照修改后手动处理，或点“拒绝”。"
ITEM_GONE = "所在段落已删除，无法自动应用：请手动处理，或点“拒绝”。"
NO_SPEECH = "文件“{name}”中没有找到讲话正文。"
_SUBTITLE = re.compile(r"——\s*在(.+?)(?:上|时)的?(?:讲话|发言|致辞|报告)")


class AnchorGone(DraftError):
    """The words a proposal concerns are no longer in its item."""


@dataclass(frozen=True)
class ImportSummary:
    proposals: int  # tracked changes placed on items
    paragraphs: int  # new paragraphs offered
    unplaced: int  # entries of the notice
    comments: int = 0  # the file's comments, now 批注 on their words


def _read(data: bytes, filename: str) -> DocxContent:
    try:
        return read_docx(data, filename)
    except IngestError as exc:
        raise DraftError(exc.message) from None


def display_name(filename: str) -> str:
    return one_line(PurePath(filename or "").name)[:100] or "未命名.docx"


# --- 从Word导入 -------------------------------------------------------------------------


@transaction.atomic
def draft_import(*, owner, data: bytes, filename: str) -> Draft:
    """A new draft from a Word file: title, 会议名称 (from a ——在…上的讲话 subtitle), speaker
    and date as the draft's fields; the salutation, opening, parts, points and closing as its
    items. The file's tracked changes become proposals, its comments 批注."""
    name = display_name(filename)
    content = _read(data, name)
    # What the cleaner leaves out is not lost: matched against the new draft below, every
    # such line comes back as a paragraph offered where it stood.
    speech, _ = speech_from_paragraphs([p.original for p in content.paragraphs])
    if speech is None:
        raise DraftError(NO_SPEECH.format(name=name))
    versions.check_quota(owner.pk)
    title, meeting = _title_and_meeting(speech.title)
    draft = Draft.objects.create(
        owner=owner,
        unit_id=unit_id_of(owner),  # the drafter's unit, as for a draft begun here
        title=(title or PurePath(name).stem or "从Word导入的讲话稿")[:200],
        meeting_name=meeting[:200],
        speaker=one_line(speech.speaker or "")[:100],
        date=parse_date(speech.date or ""),
        numbering=_numbering(speech, [p.original.strip() for p in content.paragraphs]),
    )
    _create_items(draft, speech)
    draft.char_count = document_from_nodes(draft, draft_nodes(draft)).chars
    draft.save(update_fields=["char_count"])
    versions.record(draft, owner, f"从Word导入《{name}》"[:100])
    _propose(draft, content, name)
    return draft


def _title_and_meeting(title: str) -> tuple[str, str]:
    """奋力开创新局面——在全市工作会议上的讲话 → (奋力开创新局面, 全市工作会议)."""
    title = one_line(title or "")
    head, dash, tail = title.partition("——")
    if not dash:
        return title, ""
    match = _SUBTITLE.match(dash + tail)
    return (head.strip() or title), (match.group(1).strip() if match else "")


def _numbering(speech: Speech, paragraphs: list[str]) -> dict:
    """Each level's style as the file numbers it, run-in unless its headings stand alone."""
    numbering = default_numbering()
    standalone = set(paragraphs)
    for level in range(1, MAX_LEVEL + 1):
        sections = [s for s in speech.walk_sections() if s.level == level and s.number]
        if not sections:
            continue
        style = sections[0].style
        if style in LEVEL_STYLES.get(level, ()):
            numbering[str(level)]["style"] = style
        if style in RUN_IN_ONLY:
            continue  # run-in whatever the setting says
        alone = sum(1 for s in sections if f"{s.number}{s.heading}" in standalone)
        numbering[str(level)]["run_in"] = alone * 2 < len(sections)
    return numbering


def _create_items(draft: Draft, speech: Speech) -> None:
    rows: list[tuple[DraftItem, Section | None]] = []
    root = [speech.salutation] if speech.salutation else []
    position = 0
    for text in root + list(speech.opening):
        rows.append((DraftItem(draft=draft, position=position, body=text), None))
        position += 1

    def add(section: Section, parent: DraftItem | None, at: int) -> None:
        item = DraftItem(
            draft=draft,
            parent=parent,
            position=at,
            numbered=True,
            level=min(section.level, MAX_LEVEL),
            heading=section.heading,
            body="\n".join(section.paragraphs),
        )
        rows.append((item, section))
        for n, child in enumerate(section.children):
            add(child, item, n)

    for section in speech.sections:
        add(section, None, position)
        position += 1
    for text in speech.closing:
        rows.append((DraftItem(draft=draft, position=position, body=text), None))
        position += 1
    if len(rows) > services.MAX_ITEMS:
        raise DraftError(f"文件有 {len(rows)} 段，超过一篇讲话稿 {services.MAX_ITEMS} 段的上限。")
    for item, _ in rows:
        item.heading, item.body = plain_text(item.heading).strip(), plain_text(item.body).strip()
        services.check_item_text(item.heading, item.body)
        if item.parent is not None:
            item.parent_id = item.parent.pk  # saved before its children
        item.save()


# --- 导入修改稿 -------------------------------------------------------------------------


@transaction.atomic
def draft_import_revision(draft: Draft, *, user, data: bytes, filename: str) -> ImportSummary:
    """The leader's copy of the draft (typically its own export, marked up in Word): each
    tracked change becomes a proposal on the item it belongs to, each comment a 批注 on the
    words it spans. The draft's text is not touched until a proposal is accepted."""
    name = display_name(filename)
    content = _read(data, name)
    draft = versions.lock(draft, None)
    if not any(p.original.strip() or p.changes for p in content.paragraphs):
        raise DraftError(NO_SPEECH.format(name=name))
    return _propose(draft, content, name)


@dataclass
class _Line:
    """One paragraph of the draft as the export writes it."""

    text: str
    item: DraftItem | None  # None: the title, subtitle, byline
    field_lead: int = 0  # characters of number + heading + stop at the start of `text`
    number: int = 0  # characters of the number
    body_start: int = 0  # where this line's body text starts in item.body


def _segments_text(segments) -> str:
    return "".join(s.text if s.filled or s.slot is None else PLACEHOLDER for s in segments)


def _draft_lines(draft: Draft) -> tuple[list[_Line], list[_Line]]:
    """(the header lines: title, subtitle, speaker, date; the lines of the items)."""
    header = [_Line(t, None) for t in _header_texts(draft) if t]
    items = {i.pk: i for i in draft.items.all()}
    lines: list[_Line] = []
    doc = document_from_nodes(draft, draft_nodes(draft))
    for block in doc.blocks:
        item = items.get(block.id)
        for line in block_lines(block, first=not lines):
            lead = _segments_text(line.lead)
            body = _segments_text(line.body)
            start = item.body.find(body) if body and item is not None else -1
            number = len(block.number) if line.kind in ("heading", "lead") else 0
            lines.append(_Line(lead + body, item, len(lead), number, max(0, start)))
    return header, lines


def _header_texts(draft: Draft) -> list[str]:
    texts = [draft.title, draft.title.replace(" ", "")]
    if draft.meeting_name:
        texts.append(f"——在{draft.meeting_name}上的讲话")
    if draft.speaker:
        texts.append(draft.speaker)
    if draft.date:
        for style in ("arabic", "chinese"):
            day = format_date(draft.date, style)
            texts += [day, f"（{day}）", f"{draft.speaker}（{day}）"]
    return [*texts, "征求意见稿"]


# Paragraphs are compared on their first characters: enough to tell them apart, and difflib
# is quadratic at worst.
COMPARE_CHARS = 2000


def _similar(a: str, b: str) -> float:
    if a == b:
        return 1.0
    matcher = SequenceMatcher(None, a[:COMPARE_CHARS], b[:COMPARE_CHARS], autojunk=False)
    if matcher.real_quick_ratio() < MATCH_RATIO or matcher.quick_ratio() < MATCH_RATIO:
        return 0.0
    return matcher.ratio()


def _is_header(text: str, header: list[_Line]) -> bool:
    """A title line (a long title is broken over lines), the subtitle or the byline."""
    return any(
        _similar(text, h.text) >= MATCH_RATIO or (len(text) >= 2 and text in h.text) for h in header
    )


def _propose(draft: Draft, content: DocxContent, name: str) -> ImportSummary:
    header, lines = _draft_lines(draft)
    proposals: list[Proposal] = []
    comments = _FileComments(draft)
    placed = paragraphs = 0
    unplaced = list(content.unplaced)
    nxt = 0  # the next line a paragraph may match
    last: _Line | None = None  # the last matched line
    in_header = True
    for p in joined_paragraphs(content.paragraphs):
        if p.mark is not None and p.mark.kind == DELETE and p.revised.strip():
            who = p.mark.author or "未署名"
            unplaced.append(f"段落合并（{who}）：“{_snippet(p.revised)}”一段与下一段合为一段")
        text = p.original.strip()
        if not text and not p.changes:
            continue
        if in_header and text and _is_header(text, header):
            unplaced += _header_notes(p)
            continue
        match = _match(text, lines, nxt) if text else None
        if match is None:
            in_header = in_header and not text
            new = _new_paragraph(draft, p, last, name)
            if new is not None:
                proposals.append(new)
                paragraphs += 1
            unplaced += [
                f"批注（{c.author or '未署名'}）：{c.text}" for c in p.changes if c.kind == COMMENT
            ]
            continue
        in_header = False
        nxt, last = match + 1, lines[match]
        for change in p.changes:
            if change.kind == COMMENT:
                comments.add(_comment(draft, lines[match], p.original, change), change)
                continue
            proposals.append(_proposal(draft, lines[match], p.original, change, name))
            placed += 1
    proposals += [
        Proposal(draft=draft, kind=Proposal.Kind.UNPLACED, text=note[:2000], filename=name)
        for note in unplaced
    ]
    Proposal.objects.bulk_create(proposals)
    return ImportSummary(placed, paragraphs, len(unplaced), comments.save())


def _match(text: str, lines: list[_Line], start: int) -> int | None:
    best, best_ratio = None, MATCH_RATIO
    for k in range(start, min(len(lines), start + MATCH_WINDOW)):
        ratio = _similar(text, lines[k].text.strip())
        if ratio == 1.0:
            return k
        if ratio >= best_ratio and (best is None or ratio > best_ratio):
            best, best_ratio = k, ratio
    return best


def _header_notes(p) -> list[str]:
    return [
        f"标题或署名中的{'批注' if c.kind == COMMENT else '修订'}（{c.author or '未署名'}）：{c.text}"
        for c in p.changes
    ]


def _when(value: str) -> datetime.datetime | None:
    try:
        when = parse_datetime(value or "")
    except ValueError:
        return None
    if when is not None and timezone.is_naive(when):
        when = timezone.make_aware(when, datetime.UTC)
    return when


def _map_offset(original: str, line: str, offset: int) -> int:
    """Where offset `offset` of the file's paragraph falls in the draft's line."""
    long = max(len(original), len(line)) > COMPARE_CHARS  # difflib's heuristic keeps it fast
    matcher = SequenceMatcher(None, original, line, autojunk=long)
    mapped = 0
    for a, b, size in matcher.get_matching_blocks():
        if a <= offset < a + size:
            return b + offset - a
        if a + size <= offset:
            mapped = b + size + min(offset - a - size, 0)
    return min(mapped, len(line))


@dataclass(frozen=True)
class _Place:
    """Where a change of the file's paragraph stands in the draft: the item's field, the
    offset there, and the file's context as far as the field has it."""

    field: str
    offset: int
    before: str
    after: str
    text: str  # the field's text now


def _place(line: _Line, original: str, change) -> _Place:
    at = _map_offset(original, line.text, change.offset)
    heading_line = line.field_lead >= len(line.text)  # a standalone heading: all of it lead
    if line.field_lead > line.number and (at < line.field_lead or heading_line):
        field, offset = "heading", max(0, at - line.number)
    else:
        field, offset = "body", line.body_start + max(0, at - line.field_lead)
    # The file's context may run past the field (the number before a heading, the body after a
    # run-in heading): only what the field itself has is kept.
    text = (line.item.heading if field == "heading" else line.item.body) if line.item else ""
    before = next(
        (change.before[k:] for k in range(len(change.before) + 1) if change.before[k:] in text),
        "",
    )
    after = next(
        (change.after[:k] for k in range(len(change.after), -1, -1) if change.after[:k] in text),
        "",
    )
    return _Place(field, offset, before[-40:], after[:40], text)


def _proposal(draft: Draft, line: _Line, original: str, change, name: str) -> Proposal:
    place = _place(line, original, change)
    kinds = {INSERT: Proposal.Kind.INSERT, DELETE: Proposal.Kind.DELETE}
    return Proposal(
        draft=draft,
        item=line.item,
        kind=kinds.get(change.kind, Proposal.Kind.COMMENT),
        field=place.field,
        offset=place.offset,
        length=change.length,
        anchor=change.anchor,
        before=place.before,
        after=place.after,
        text=change.text[:20_000],
        author=change.author[:100],
        date=_when(change.date),
        filename=name,
    )


def _comment(draft: Draft, line: _Line, original: str, change) -> Comment:
    """The file's comment as a 批注 of its author (as the file names them) on the words it
    spans, as far as the item's field has them (a comment on a heading and its number: on
    the heading)."""
    place = _place(line, original, change)
    words, offset = change.anchor, place.offset
    if words and words not in place.text:
        least = max(1, len(words) // 2)
        tails = ((k, words[k:]) for k in range(1, len(words) - least + 1))
        heads = ((0, words[:k]) for k in range(len(words) - 1, least - 1, -1))
        for cut, part in (*tails, *heads):
            if part in place.text:
                words, offset = part, offset + cut
                break
    return Comment(
        draft=draft,
        item=line.item,
        field=place.field,
        anchor=words,
        before=place.before,
        after=place.after,
        offset=offset,
        text=plain_text(change.text).strip()[:20_000] or "（空批注）",
        author_name=one_line(change.author)[:100],
        version=draft.version,
        created_at=_when(change.date),
    )


def _exported(comment: Comment, had: list[dict]) -> dict | None:
    """The draft's comment this one of the file is: its own export (附带批注) marked up and
    brought back (the file's text is the comment's, after a note that its words changed, or,
    from files written before answers were threaded, its answers after it); None: a new one."""
    text = comment.text

    def holds(own: str) -> bool:  # as its own paragraphs: the comment, then answers or after a note
        return text == own or text.startswith(own + "\n") or ("\n" + own + "\n") in text + "\n"

    return next(
        (
            row
            for row in had
            if row["item_id"] == comment.item_id
            and holds(row["text"])
            and (row["anchor"] == comment.anchor or not comment.anchor)
        ),
        None,
    )


class _FileComments:
    """The file's comments as 批注: new ones saved, the draft's own (its export brought back)
    known and not doubled; a Word 回复 becomes an answer in its comment's thread (a new answer
    under one of the draft's own comments too), and a thread Word marks done (已解决) is
    resolved."""

    def __init__(self, draft: Draft) -> None:
        tops = draft.comments.filter(parent__isnull=True)
        self.had = list(tops.values("pk", "item_id", "anchor", "text", "resolved_at"))
        self.answered: dict[int, set[str]] = {}
        for parent_id, text in draft.comments.filter(parent__isnull=False).values_list(
            "parent_id", "text"
        ):
            self.answered.setdefault(parent_id, set()).add(text)
        self.new: list[Comment] = []
        self.answers: list[tuple[Comment, Change]] = []
        self.became: dict[str, Comment | dict] = {}  # a file comment's id → what it is now
        self.done: set[int] = set()  # the draft's own comments Word marks done

    def add(self, comment: Comment, change: Change) -> None:
        if change.answers:
            self.answers.append((comment, change))
            return
        own = _exported(comment, self.had)
        if own is not None:
            self.became[change.comment_id] = own
            if change.done and own["resolved_at"] is None:
                self.done.add(own["pk"])
            return
        if change.done:
            comment.resolved_at = timezone.now()
        self.new.append(comment)
        self.became[change.comment_id] = comment

    def save(self) -> int:
        """Saves what is new; returns how many 批注 and answers that is."""
        _save_comments(self.new)
        answers, alone = [], []
        for answer, change in self.answers:
            top = self.became.get(change.answers)
            if top is None:  # its comment is not in the draft: it stands as a comment
                alone.append(answer)
                continue
            top_pk = top["pk"] if isinstance(top, dict) else top.pk
            if isinstance(top, dict) and answer.text in self.answered.get(top_pk, ()):
                continue  # the draft's own answer, exported and brought back
            answer.parent_id, answer.anchor, answer.before, answer.after = top_pk, "", "", ""
            self.answered.setdefault(top_pk, set()).add(answer.text)
            answers.append(answer)
            if change.done and isinstance(top, dict) and top["resolved_at"] is None:
                self.done.add(top_pk)
        _save_comments(answers + alone)
        if self.done:
            Comment.objects.filter(pk__in=self.done, resolved_at__isnull=True).update(
                resolved_at=timezone.now()
            )
        return len(self.new) + len(answers) + len(alone)


def _save_comments(comments: list[Comment]) -> None:
    """Saved with the time the file gives them (the time of the import without one)."""
    when = {id(c): c.created_at for c in comments}
    Comment.objects.bulk_create(comments)  # created_at: now
    dated = [c for c in comments if when[id(c)] is not None and c.pk is not None]
    for comment in dated:
        comment.created_at = when[id(comment)]
    if dated:
        Comment.objects.bulk_update(dated, ["created_at"])


def _new_paragraph(draft: Draft, p, last: _Line | None, name: str) -> Proposal | None:
    """A paragraph of the file that no line of the draft matches, offered after the last
    matched line: into its item's body when that is a part or point (the paragraph is part of
    its text), as an item of its own after it otherwise."""
    text = plain_text(p.revised).strip()
    if not text:
        return None
    inserted = [c for c in p.changes if c.kind == INSERT]
    author = inserted[0].author if inserted else ""
    when = _when(inserted[0].date) if inserted else None
    item = last.item if last is not None else None
    field, offset, before = "", 0, ""
    if item is not None and item.numbered:
        field = "body"
        if last.field_lead < len(last.text):  # after a body paragraph: after its end
            end = item.body.find("\n", last.body_start)
            offset = len(item.body) if end < 0 else end
        before = item.body[max(0, offset - 12) : offset]
    return Proposal(
        draft=draft,
        item=item,
        kind=Proposal.Kind.PARAGRAPH,
        field=field,
        offset=offset,
        before=before,
        text=text[:20_000],
        author=author[:100],
        date=when,
        filename=name,
    )


# --- proposals --------------------------------------------------------------------------


def open_proposals(draft: Draft, *, item_id: int | None = None) -> list[Proposal]:
    """The draft's open proposals (of one item, with `item_id`), in their order in the text."""
    found = draft.proposals.filter(state=Proposal.State.OPEN)
    if item_id is not None:
        found = found.filter(item_id=item_id)
    return list(found.order_by("item_id", "offset", "id"))


@dataclass(frozen=True)
class Notice:
    """What the editor says above the outline after an import: how many proposals wait, the
    ones with no row to show them in (a new paragraph for the very start, an item deleted
    since), and what the draft could not take in."""

    open: int
    loose: list[Proposal]
    unplaced: list[Proposal]


def notice_of(proposals: list[Proposal], item_ids: set[int]) -> Notice:
    unplaced = [p for p in proposals if p.kind == Proposal.Kind.UNPLACED]
    loose = [p for p in proposals if p.kind != Proposal.Kind.UNPLACED and p.item_id not in item_ids]
    return Notice(len(proposals) - len(unplaced), loose, unplaced)


def _insertion_point(text: str, proposal: Proposal) -> int | None:
    before, after = proposal.before, proposal.after
    if not before and not after:
        return 0 if not text or proposal.offset == 0 else None
    joined = (
        find_anchor(text, before + after, "", "", proposal.offset - len(before))
        if before and after
        else None
    )
    if joined is not None:
        return joined + len(before)
    if before:
        at = find_anchor(text, before, "", after, proposal.offset - len(before))
        if at is not None:
            return at + len(before)
    if after:
        at = find_anchor(text, after, before, "", proposal.offset)
        if at is not None:
            return at
    return None


def applied_text(text: str, proposal: Proposal) -> str | None:
    """The item's field with the proposal applied; None when its place cannot be found."""
    if proposal.kind == Proposal.Kind.DELETE:
        at = find_anchor(text, proposal.anchor, proposal.before, proposal.after, proposal.offset)
        return None if at is None else text[:at] + text[at + len(proposal.anchor) :]
    if proposal.kind == Proposal.Kind.INSERT:
        at = _insertion_point(text, proposal)
        return None if at is None else text[:at] + proposal.text + text[at:]
    # a new paragraph into a part's body
    if proposal.before:
        at = find_anchor(text, proposal.before, "", "", proposal.offset - len(proposal.before))
        if at is None:
            return None
        at += len(proposal.before)
    else:
        at = 0 if proposal.offset == 0 else min(proposal.offset, len(text))
    head, tail = text[:at].rstrip("\n"), text[at:].lstrip("\n")
    return "\n".join(part for part in (head, proposal.text, tail) if part)


def _snippet(text: str, size: int = 20) -> str:
    text = one_line(text)
    return text if len(text) <= size else text[:size] + "…"


def _label(proposal: Proposal) -> str:
    if proposal.kind == Proposal.Kind.INSERT and not proposal.text.strip():
        return "另起一段"
    words = one_line(proposal.text if proposal.kind != Proposal.Kind.DELETE else proposal.anchor)
    words = words if len(words) <= 16 else words[:16] + "…"
    what = {"insert": "插入", "delete": "删除", "paragraph": "插入段落", "comment": "批注"}
    return f"{what.get(proposal.kind, '')}“{words}”"


def _apply(draft: Draft, proposal: Proposal) -> bool:
    """Apply one proposal to the draft's rows (no commit). False: nothing to apply (a comment)."""
    kind = proposal.kind
    if kind in (Proposal.Kind.COMMENT, Proposal.Kind.UNPLACED):
        return False
    item = DraftItem.objects.filter(draft=draft, pk=proposal.item_id).first()
    if item is None and proposal.item_id is not None:
        raise AnchorGone(ITEM_GONE)
    if kind == Proposal.Kind.PARAGRAPH and not proposal.field:
        _insert_after(draft, item, proposal.text)
        return True
    if item is None:
        raise AnchorGone(ITEM_GONE)
    field = "heading" if proposal.field == "heading" else "body"
    new = applied_text(getattr(item, field), proposal)
    if new is None:
        raise AnchorGone(ANCHOR_GONE)
    heading = new.replace("\n", "") if field == "heading" else item.heading
    body = new if field == "body" else item.body
    heading, body = plain_text(heading).strip(), plain_text(body).strip()
    services.check_item_text(heading, body)
    DraftItem.objects.filter(pk=item.pk).update(heading=heading, body=body)
    return True


def _insert_after(draft: Draft, item: DraftItem | None, text: str) -> None:
    """A new paragraph item right after `item` (at the very start without one)."""
    if draft.items.count() >= services.MAX_ITEMS:
        raise DraftError(f"一篇讲话稿最多 {services.MAX_ITEMS} 段。")
    body = plain_text(text).strip()
    services.check_item_text("", body)
    parent_id = item.parent_id if item is not None else None
    position = item.position + 1 if item is not None else 0
    level = 0
    if item is not None:
        level = item.level - 1 if item.numbered else item.level
    DraftItem.objects.filter(draft=draft, parent_id=parent_id, position__gte=position).update(
        position=F("position") + 1
    )
    DraftItem.objects.create(
        draft=draft, parent_id=parent_id, position=position, level=max(0, level), body=body
    )


def _open(draft: Draft, proposal_id) -> Proposal:
    pk = parse_id(proposal_id)
    proposal = draft.proposals.filter(pk=pk or 0).first()
    if proposal is None:
        raise DraftError("找不到该修订，可能已被处理，请刷新页面。")
    if proposal.state != Proposal.State.OPEN:
        raise DraftError(f"该修订已{proposal.get_state_display()[1:]}。")
    return proposal


def _decide(proposal: Proposal, user, state: str, applied: int | None = None) -> None:
    proposal.state, proposal.decided_by, proposal.decided_at = state, user, timezone.now()
    proposal.applied_version = applied
    proposal.save(update_fields=["state", "decided_by", "decided_at", "applied_version"])


@transaction.atomic
def proposal_accept(draft: Draft, *, user, version, proposal_id) -> Proposal:
    """接受: the change applied to the item's current text, as a revision of its own
    (接受修订：插入“…”); a comment is only marked done. AnchorGone leaves it open."""
    draft = versions.lock(draft, version)
    proposal = _open(draft, proposal_id)
    applied = None
    if _apply(draft, proposal):
        applied = versions.commit(draft, user, f"接受修订：{_label(proposal)}"[:100]).version
    _decide(proposal, user, Proposal.State.ACCEPTED, applied)
    return proposal


@transaction.atomic
def proposal_reject(draft: Draft, *, user, version, proposal_id) -> Proposal:
    """拒绝: closed, the text left as it is (recorded on the proposal: who and when)."""
    draft = versions.lock(draft, version)
    proposal = _open(draft, proposal_id)
    _decide(proposal, user, Proposal.State.REJECTED)
    return proposal


@transaction.atomic
def proposals_accept_all(draft: Draft, *, user, version) -> tuple[int, int]:
    """全部接受: every open change applied in one revision; those whose words are gone stay
    open. Returns (accepted, left open)."""
    draft = versions.lock(draft, version)
    pending = [p for p in open_proposals(draft) if p.kind != Proposal.Kind.UNPLACED]
    # From the end of each item backwards, new paragraphs last to first: an applied change
    # never moves the place of one still to apply.
    pending.sort(key=lambda p: (p.item_id or 0, p.offset, p.id), reverse=True)
    accepted, left, applied = [], 0, []
    for proposal in pending:
        try:
            if _apply(draft, proposal):
                applied.append(proposal.pk)
        except AnchorGone:
            left += 1
            continue
        _decide(proposal, user, Proposal.State.ACCEPTED)
        accepted.append(proposal.pk)
    if applied:
        versions.commit(draft, user, f"全部接受修订（{len(applied)} 处）")
        draft.proposals.filter(pk__in=applied).update(applied_version=draft.version)
    return len(accepted), left


def _state_at(draft: Draft, version: int) -> dict[int, dict] | None:
    """The draft's item rows at `version` (a version folded into later typing: the one
    before it), by id."""
    revision = draft.revisions.filter(version__lte=version).order_by("-version").first()
    if revision is None:
        return None
    return {row["id"]: row for row in versions.revision_snapshot(revision).items}


@transaction.atomic
def proposals_follow_history(draft: Draft) -> int:
    """After 撤销, 重做 or 恢复: a proposal whose accepted change the draft no longer holds is
    open again, and one whose change is back (重做) is accepted again, so a change is never
    offered twice nor lost. Returns how many changed state."""
    applied = list(
        draft.proposals.filter(applied_version__isnull=False).exclude(state=Proposal.State.REJECTED)
    )
    if not applied:
        return 0
    now = {row["id"]: row for row in versions.draft_snapshot(draft).items}
    states: dict[int, dict[int, dict] | None] = {}

    def at(version: int):
        if version not in states:
            states[version] = _state_at(draft, version)
        return states[version]

    changed = 0
    for proposal in applied:
        after, before = at(proposal.applied_version), at(proposal.applied_version - 1)
        if after is None or before is None:
            continue
        holds = _holds(proposal, now, before, after)
        if holds is None:
            continue
        state = Proposal.State.ACCEPTED if holds else Proposal.State.OPEN
        if proposal.state != state:
            Proposal.objects.filter(pk=proposal.pk).update(state=state)
            changed += 1
    return changed


def _holds(proposal: Proposal, now: dict, before: dict, after: dict) -> bool | None:
    """Whether the draft now holds the proposal's accepted change (None: cannot tell)."""
    if proposal.kind == Proposal.Kind.PARAGRAPH and not proposal.field:
        created = set(after) - set(before)
        return bool(created & set(now)) if created else None
    field = "heading" if proposal.field == "heading" else "body"
    key = proposal.item_id
    text_now = now.get(key, {}).get(field)
    if text_now is not None and text_now == after.get(key, {}).get(field):
        return True
    if text_now is None or text_now == before.get(key, {}).get(field):
        return False
    return _present(proposal, text_now)


def _present(proposal: Proposal, text: str) -> bool:
    """Whether the text reads as with the change made (its words beside a little context)."""
    lead, tail = proposal.before[-4:], proposal.after[:4]
    if proposal.kind == Proposal.Kind.DELETE:
        words = lead + proposal.anchor if lead else proposal.anchor + tail
        return words not in text
    if proposal.kind == Proposal.Kind.INSERT:
        return (lead + proposal.text if lead else proposal.text + tail) in text
    return proposal.text in text


@transaction.atomic
def unplaced_dismiss(draft: Draft, *, user) -> int:
    """知道了: the notice of what the file held and the draft could not take in is closed."""
    return draft.proposals.filter(kind=Proposal.Kind.UNPLACED, state=Proposal.State.OPEN).update(
        state=Proposal.State.REJECTED, decided_by=user, decided_at=timezone.now()
    )
