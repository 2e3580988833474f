"""Every change to a draft is made here, in one transaction: creating and copying drafts,
inserting, editing, moving and deleting items, the meeting details and numbering, library
and reference material. Each locks the draft against the version the user saw and commits
the next version through drafts/versions.py, which records it as a revision (so it can be
undone or restored)."""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, replace

from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from speechdraft.core.params import parse_id
from speechdraft.corpus.models import Paragraph, Role, Section, Skeleton, Status
from speechdraft.drafts import history, versions
from speechdraft.drafts.errors import DraftError, StaleDraft, frozen_message
from speechdraft.drafts.models import LEVEL_STYLES, Draft, DraftItem, default_numbering
from speechdraft.drafts.selectors import document_from_nodes, draft_nodes
from speechdraft.library.models import Phrase
from speechdraft.library.services import material_used
from speechdraft.text.meetings import KINDS, OTHER, meeting_kind, year_of
from speechdraft.text.outline import MAX_LEVEL
from speechdraft.text.placeholders import doubled_suffix, renumber_slots
from speechdraft.text.sanitize import one_line, plain_text
from speechdraft.text.templating import (
    STANDARD_SLOTS,
    SlotError,
    slot_names,
    valid_slot_name,
    validate_slots,
)
from speechdraft.units.access import unit_id_of, visible_q, visible_to

# One item's text (a whole speech is rarely over 20,000 characters) and one heading: the
# form, the in-place editor and every service refuse longer text with these messages.
MAX_BODY_CHARS = 20_000
MAX_HEADING_CHARS = 300
BODY_TOO_LONG = f"正文过长（超过 {MAX_BODY_CHARS:,} 字），请拆分为几段后再保存。"
HEADING_TOO_LONG = f"小标题不能超过 {MAX_HEADING_CHARS} 字。"
MAX_ITEMS = 3_000
STANDARD_VARIABLES = ("地区", "会议名称", "讲话人", "日期")


# --- creation ---------------------------------------------------------------------------


# 空白模板: the usual shape of a speech. What each part is for is a hint shown in its empty
# body (ROLE_HINTS), never text of the speech: nothing of it reaches the Word file. The opening
# and closing are whole sentences a drafter may keep as they are, with no stand-in (……) to
# replace: one left in would go into the 定稿 and its Word file.
BLANK_FRAME = [
    (
        "paragraph",
        "",
        "同志们：今天我们召开{{ 会议名称 }}，主要任务是总结工作、分析形势，安排部署下一步任务。"
        "下面，我讲{{ 部分数 }}点意见。",
        "",
    ),
    ("part", "提高政治站位，深刻认识做好工作的重要意义", "", "situation"),
    ("part", "突出工作重点，全力推动各项任务落地见效", "", "tasks"),
    ("part", "强化作风保障，确保各项部署落到实处", "", "style"),
    (
        "paragraph",
        "",
        "同志们，让我们以更加饱满的热情、更加务实的作风，真抓实干、奋勇争先，"
        "为{{ 地区 }}高质量发展作出新的更大贡献！",
        "",
    ),
]


class StartMode:
    """How a draft starts from a skeleton (新建讲话稿 offers both)."""

    STRUCTURE = "structure"  # 按结构起草: headings and 过渡语, empty bodies, the source beside
    FULL = "full"  # 参照全文: a copy of the whole source speech, to revise


START_MODES = (
    (StartMode.STRUCTURE, "按结构起草"),
    (StartMode.FULL, "参照全文"),
)
# What each part is for, shown in its empty body (按结构起草).
ROLE_HINTS = {
    "situation": "本部分写形势与认识：成绩、问题、意义",
    "tasks": "本部分写重点任务与举措",
    "style": "本部分写作风、纪律、责任与要求",
    "other": "本部分的正文",
}
POINT_HINT = "本要点的正文"
OPENING_HINT = "开场：会议的背景、主要任务和意义"
CLOSING_HINT = "结尾：号召与动员，如“同志们，让我们……为……作出新的更大贡献！”"
ANNOUNCEMENT = "下面，我讲{{ 部分数 }}点意见。"
_SENTENCE = re.compile(r"[^。！？]*[。！？]?")


@transaction.atomic
def draft_create(
    *,
    owner,
    title: str,
    meeting_name: str = "",
    speaker: str = "",
    date: datetime.date | None = None,
    region: str = "",
    skeleton: Skeleton | None = None,
    mode: str = StartMode.STRUCTURE,
) -> Draft:
    """A new draft from an approved skeleton (by its structure, or as a full copy), or from
    the blank four-part frame."""
    title, region = one_line(title), one_line(region)
    meeting_name, speaker = one_line(meeting_name), one_line(speaker)
    if not title:
        raise DraftError("请填写标题。")
    versions.check_quota(owner.pk)
    unit_id = unit_id_of(owner)
    if skeleton is not None:
        if not Skeleton.objects.filter(visible_q(unit_id), pk=skeleton.pk).exists():
            raise DraftError("所选骨架不存在，请重新选择。")  # another unit's: as if absent
        _check_startable(skeleton, mode)
    variables = {"地区": region[:200]} if region else {}
    draft = Draft.objects.create(
        owner=owner,
        unit_id=unit_id,
        title=title[:200],
        meeting_name=meeting_name[:200],
        speaker=speaker[:100],
        date=date,
        variables=variables,
        numbering=default_numbering(),
        skeleton=skeleton,
    )
    if skeleton is None:
        for position, (kind, heading, body, role) in enumerate(BLANK_FRAME):
            DraftItem.objects.create(
                draft=draft,
                position=position,
                numbered=kind == "part",
                level=1 if kind == "part" else 0,
                heading=heading,
                body=body,
                hint=ROLE_HINTS[role] if role else "",
            )
    elif mode == StartMode.FULL:
        _items_from_skeleton(draft, skeleton)
    else:
        _structure_from_skeleton(draft, skeleton)
    draft.char_count = document_from_nodes(draft, draft_nodes(draft)).chars
    draft.save(update_fields=["char_count"])
    versions.record(draft, owner, "新建讲话稿")
    return draft


def _check_startable(skeleton: Skeleton, mode: str) -> None:
    """Only approved skeletons, within the editor's own limits."""
    if mode not in dict(START_MODES):
        raise DraftError("起草方式不正确。")
    if skeleton.is_copy:
        raise DraftError("所选骨架是另一篇讲话的重复副本，请改选原件。")
    if skeleton.status != Status.APPROVED:
        raise DraftError("所选骨架尚未审核采用，不能用来起草。")
    sections = skeleton.sections.count()
    items = sections + 6 if mode == StartMode.STRUCTURE else sections + skeleton.paragraphs.count()
    if items > MAX_ITEMS:
        raise DraftError(
            f"所选骨架有 {sections} 个部分和要点，超过一篇讲话稿 {MAX_ITEMS} 段的上限，不能用来起草。"
        )
    if mode == StartMode.FULL:
        # A part's paragraphs join into its body: the whole part must fit in one item.
        lengths: dict[int | None, int] = {}
        for section_id, text in skeleton.paragraphs.values_list("section_id", "text"):
            key = section_id if section_id is not None else -len(lengths)
            lengths[key] = lengths.get(key, 0) + len(text) + 1
        if max(lengths.values(), default=0) > MAX_BODY_CHARS:
            raise DraftError(f"所选原稿有一部分超过 {MAX_BODY_CHARS} 字，请改用“按结构起草”。")


def announcement_of(texts: list[str]) -> str:
    """The sentence of the opening that announces the parts (下面，我讲{{ 部分数 }}点意见。)."""
    for text in reversed(texts):
        for sentence in _SENTENCE.findall(text):
            if "{{ 部分数 }}" in sentence:
                return sentence.strip()
    return ANNOUNCEMENT


def _structure_from_skeleton(draft: Draft, skeleton: Skeleton) -> None:
    """按结构起草: the source's salutation, its parts and points with their headings and its
    过渡语; every body empty with a hint of what it is for. The source's own paragraphs stay
    in 参考原文, each item pointing at the part it stands for."""
    draft.numbering = _numbering_of(skeleton)
    draft.save(update_fields=["numbering"])
    sections = list(skeleton.sections.order_by("position"))
    opening = list(
        skeleton.paragraphs.filter(section=None, role="opening").values_list("text", flat=True)
    )
    root = [
        DraftItem(draft=draft, position=0, body=skeleton.salutation or "同志们："),
        DraftItem(draft=draft, position=1, hint=OPENING_HINT),
        DraftItem(draft=draft, position=2, body=announcement_of(opening)),
    ]
    DraftItem.objects.bulk_create(root)
    position = len(root)
    created: dict[int, DraftItem] = {}
    child_positions: dict[int, int] = {}
    for section in sections:
        parent = created.get(section.parent_id)
        if parent is None:
            at, position = position, position + 1
        else:
            at = child_positions.get(parent.pk, 0)
            child_positions[parent.pk] = at + 1
        created[section.pk] = DraftItem.objects.create(
            draft=draft,
            parent=parent,
            position=at,
            numbered=True,
            level=min(section.level, MAX_LEVEL),
            heading=section.heading,
            source_section=section,
            hint=ROLE_HINTS.get(section.role, ROLE_HINTS["other"])
            if parent is None
            else POINT_HINT,
        )
    DraftItem.objects.create(draft=draft, position=position, hint=CLOSING_HINT)


def _numbering_of(skeleton: Skeleton) -> dict:
    numbering = default_numbering()
    for level, style in skeleton.sections.values_list("level", "style").distinct():
        if style in LEVEL_STYLES.get(level, ()):
            numbering[str(level)]["style"] = style
    return numbering


def _items_from_skeleton(draft: Draft, skeleton: Skeleton) -> None:
    """参照全文: the whole source speech, each part's paragraphs in its body."""
    sections = list(skeleton.sections.order_by("position"))
    paragraphs = list(skeleton.paragraphs.order_by("position"))
    by_section: dict[int | None, list[Paragraph]] = {}
    for p in paragraphs:
        by_section.setdefault(p.section_id, []).append(p)
    draft.numbering = _numbering_of(skeleton)
    draft.save(update_fields=["numbering"])

    root_position = 0
    if skeleton.salutation:
        DraftItem.objects.create(draft=draft, position=root_position, body=skeleton.salutation)
        root_position += 1
    opening = [p for p in by_section.get(None, []) if p.role == "opening"]
    closing = [p for p in by_section.get(None, []) if p.role == "closing"]
    for p in opening:
        DraftItem.objects.create(
            draft=draft, position=root_position, body=p.text, source_paragraph=p
        )
        root_position += 1
    created: dict[int, DraftItem] = {}
    child_positions: dict[int | None, int] = {}
    for section in sections:
        parent = created.get(section.parent_id)
        if parent is None:
            position, root_position = root_position, root_position + 1
        else:
            position = child_positions.get(parent.pk, 0)
            child_positions[parent.pk] = position + 1
        body_paragraphs = by_section.get(section.pk, [])
        item = DraftItem.objects.create(
            draft=draft,
            parent=parent,
            position=position,
            numbered=True,
            level=min(section.level, MAX_LEVEL),
            heading=section.heading,
            body="\n".join(p.text for p in body_paragraphs),
            source_paragraph=body_paragraphs[0] if len(body_paragraphs) == 1 else None,
            source_section=section,
        )
        created[section.pk] = item
    for p in closing:
        DraftItem.objects.create(
            draft=draft, position=root_position, body=p.text, source_paragraph=p
        )
        root_position += 1


TRASH_DAYS = 30


def draft_trash(draft: Draft) -> None:
    """删除: to the 回收站, from where it can be restored for TRASH_DAYS days; never while it is
    with its reviewer or signer, nor once 定稿."""
    refusal = frozen_message(draft)
    if refusal:
        raise DraftError(refusal.split("；")[0] + "，不能删除。")
    Draft.objects.filter(pk=draft.pk).update(deleted_at=timezone.now())


def draft_untrash(draft: Draft) -> None:
    Draft.objects.filter(pk=draft.pk).update(deleted_at=None)


def drafts_purge(*, now=None) -> int:
    """Drafts in the 回收站 longer than TRASH_DAYS go for good."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=TRASH_DAYS)
    deleted, _ = Draft.objects.filter(deleted_at__lt=cutoff).delete()
    return deleted


@transaction.atomic
def draft_copy(draft: Draft, *, user) -> Draft:
    """复制为新稿: the same meeting details, numbering and outline, as a draft of its own
    (its history starts anew)."""
    versions.check_quota(user.pk)  # a copy is a new draft: a full snapshot of its own
    copy = Draft.objects.create(
        owner=user,
        unit_id=draft.unit_id,
        title=f"{draft.title}（副本）"[:200],
        meeting_name=draft.meeting_name,
        speaker=draft.speaker,
        date=draft.date,
        variables=dict(draft.variables),
        numbering=dict(draft.numbering),
        skeleton=draft.skeleton,
        target_minutes=draft.target_minutes,
        char_count=draft.char_count,
    )
    new_ids: dict[int, DraftItem] = {}
    rows = list(draft.items.order_by("level", "parent_id", "position"))
    pending = rows
    while pending:  # parents before children
        later = []
        for row in pending:
            if row.parent_id is not None and row.parent_id not in new_ids:
                later.append(row)
                continue
            old_pk = row.pk
            row.pk = None
            row.draft = copy
            row.parent = new_ids.get(row.parent_id) if row.parent_id else None
            row.save()
            new_ids[old_pk] = row
        if len(later) == len(pending):
            break
        pending = later
    versions.record(copy, user, f"复制自《{draft.title}》"[:100], parent_version=None)
    return copy


MEETING_KINDS = [kind for kind, _ in KINDS] + [OTHER]


def skeleton_choices(user=None):
    """Approved skeletons a drafter may start from (their unit's and 共享 ones; no user: every
    unit's, as the CLI reads them), with their part headings."""
    skeletons = list(
        Skeleton.objects.stored()
        .filter(Q() if user is None else visible_to(user), status=Status.APPROVED)
        .select_related("document")
        .order_by("title")
    )
    parts: dict[int, list[str]] = {}
    sections = Section.objects.filter(level=1, skeleton__in=skeletons)
    for section in sections.order_by("skeleton_id", "position"):
        parts.setdefault(section.skeleton_id, []).append(f"{section.number}{section.heading}")
    return [
        SkeletonChoice(s, parts.get(s.pk, []), meeting_kind(s.title), year_of(s.title, s.date_text))
        for s in skeletons
    ]


@dataclass
class SkeletonChoice:
    """A skeleton as 新建讲话稿 offers it: its part headings, meeting kind and year."""

    skeleton: Skeleton
    parts: list[str]
    kind: str
    year: int | None

    def __iter__(self):  # (skeleton, parts), as before
        return iter((self.skeleton, self.parts))


# --- items ------------------------------------------------------------------------------


def _siblings(draft: Draft, parent_id: int | None):
    return DraftItem.objects.filter(draft=draft, parent_id=parent_id)


def _depth(item_or_none: DraftItem | None) -> int:
    """Numbering level an item's numbered children get."""
    level = 0
    node = item_or_none
    while node is not None:
        if node.numbered:
            level += 1
        node = node.parent
    return level


def _check_text(heading: str, body: str = "") -> None:
    """Refuse text that is too long, or whose slots are not plain `{{ 名称 }}` (custom
    variable names are fine). Nothing is cut: the drafter's text stays in the page."""
    if len(heading) > MAX_HEADING_CHARS:
        raise DraftError(HEADING_TOO_LONG)
    if len(body) > MAX_BODY_CHARS:
        raise DraftError(BODY_TOO_LONG)
    for text in (heading, body):
        try:
            validate_slots(text)
        except SlotError as exc:
            raise DraftError(exc.message) from None


def check_item_text(heading: str, body: str = "") -> None:
    """The limits and slot syntax every item's text is held to (see `_check_text`)."""
    _check_text(heading, body)


def _renumber(draft: Draft, parent_id: int | None) -> None:
    """Make the positions of one sibling list contiguous (0..n-1) in their current order."""
    for index, item in enumerate(_siblings(draft, parent_id).order_by("position", "id")):
        if item.position != index:
            DraftItem.objects.filter(pk=item.pk).update(position=index)


def _shift(draft: Draft, parent_id: int | None, from_position: int, by: int) -> None:
    _siblings(draft, parent_id).filter(position__gte=from_position).update(
        position=F("position") + by
    )


class ItemMissing(DraftError):
    """The item is not (or no longer) in the draft."""

    def __init__(self) -> None:
        super().__init__("找不到该段落，可能已被删除，请刷新页面。")


def _get_item(draft: Draft, item_id) -> DraftItem:
    try:
        pk = parse_id(item_id)
        if pk is None:
            raise DraftItem.DoesNotExist
        return DraftItem.objects.select_related("parent").get(draft=draft, pk=pk)
    except DraftItem.DoesNotExist:
        raise ItemMissing() from None


def _relevel(item: DraftItem) -> None:
    """Store each numbered descendant's level (depth), for queries and display."""
    stack = [(item, _depth(item.parent))]
    while stack:
        node, parent_level = stack.pop()
        level = min(parent_level + 1, MAX_LEVEL) if node.numbered else parent_level
        if node.level != level:
            DraftItem.objects.filter(pk=node.pk).update(level=level)
            node.level = level
        stack.extend((child, level) for child in node.children.all())


@dataclass(frozen=True)
class Placement:
    parent_id: int | None
    position: int


def placement_after(draft: Draft, anchor_id, *, as_child: bool = False) -> Placement:
    """Where a new item goes: after the anchor (or at the end), or as the anchor's last child."""
    if anchor_id in (None, ""):
        last = _siblings(draft, None).aggregate(m=Max("position"))["m"]
        # Before the closing paragraphs: after the last numbered part, or at the very end.
        last_part = _siblings(draft, None).filter(numbered=True).aggregate(m=Max("position"))["m"]
        position = (last_part + 1) if last_part is not None else (0 if last is None else last + 1)
        return Placement(None, position)
    anchor = _get_item(draft, anchor_id)
    if as_child:
        last = _siblings(draft, anchor.pk).aggregate(m=Max("position"))["m"]
        return Placement(anchor.pk, 0 if last is None else last + 1)
    return Placement(anchor.parent_id, anchor.position + 1)


INSERT_KINDS = ("part", "point", "paragraph", "child")


def placement_for(draft: Draft, kind: str, anchor_id) -> Placement:
    """Where 添加部分 / 添加要点 / 添加段落 put the new item, from the item the drafter is in.

    * part: the next 一、 after the part the anchor belongs to (else after the last part,
      before the closing paragraphs);
    * point: the next numbered point: after the anchor when it is a point, as the last point of
      a part, or among the paragraphs of the part the anchor is in;
    * paragraph: body text right below the anchor (first under a part or point that has points
      of its own, so it reads straight after its heading);
    * child: the anchor's last numbered child (the form without JavaScript).
    """
    if kind not in INSERT_KINDS:
        raise DraftError("不能添加这种内容。")
    anchor = _get_item(draft, anchor_id) if anchor_id not in (None, "") else None
    if kind == "part":
        top = anchor
        while top is not None and top.parent is not None:
            top = top.parent
        if top is not None and top.numbered:
            return Placement(None, top.position + 1)
        return placement_after(draft, None)
    if kind in ("point", "child"):
        if anchor is None:
            raise DraftError("请先点选一个部分或要点，再添加要点。")
        if kind == "child" or (anchor.numbered and anchor.parent is None):
            return placement_after(draft, anchor.pk, as_child=True)
        if anchor.parent is None:
            raise DraftError("开头和结尾中不能添加要点，请先点选一个部分。")
        return Placement(anchor.parent_id, anchor.position + 1)
    if anchor is None:
        return placement_after(draft, None)
    if anchor.numbered and _siblings(draft, anchor.pk).exists():
        return Placement(anchor.pk, 0)
    return Placement(anchor.parent_id, anchor.position + 1)


def placement_for_material(
    draft: Draft, anchor_id, *, has_heading: bool, role: str | None = None
) -> Placement:
    """A library paragraph with a heading becomes a point (as 添加要点 would place it); one
    without, body text (as 添加段落).

    With no anchor inside a part (the 素材库 page, or the cursor in the opening), a point goes
    to the end of the part its role belongs to: 形势 to the first part, 作风 to the last, 任务
    (and anything else) to the middle one of three, so it becomes that part's next （N）.
    Without an anchor, an opening paragraph goes at the end of the opening and a closing one
    at the end of the speech.
    """
    if has_heading:
        anchor = _get_item(draft, anchor_id) if anchor_id not in (None, "") else None
        if anchor is not None and (anchor.numbered or anchor.parent is not None):
            return placement_for(draft, "point", anchor.pk)
        part = _part_for_role(draft, role)
        if part is not None:
            return placement_after(draft, part.pk, as_child=True)
    elif anchor_id in (None, "") and role in (Role.OPENING, Role.CLOSING):
        parts = _siblings(draft, None).filter(numbered=True).order_by("position")
        first = parts.first()
        if role == Role.OPENING and first is not None:
            return Placement(None, first.position)  # the opening's last paragraph
        return Placement(None, _siblings(draft, None).count())  # the closing's last
    return placement_for(draft, "paragraph", anchor_id)


def _part_for_role(draft: Draft, role: str | None) -> DraftItem | None:
    parts = list(_siblings(draft, None).filter(numbered=True).order_by("position"))
    if not parts:
        return None
    if role == Role.SITUATION:
        return parts[0]
    if role == Role.STYLE:
        return parts[-1]
    return parts[min(1, len(parts) - 1)]


@transaction.atomic
def draft_item_insert(
    draft: Draft,
    *,
    user,
    version: int | None,
    placement: Placement,
    numbered: bool,
    heading: str = "",
    body: str = "",
    source_paragraph: Paragraph | None = None,
    action: str = "",
    summary: str = "",
) -> DraftItem:
    draft = versions.lock(draft, version)
    if draft.items.count() >= MAX_ITEMS:
        raise DraftError(f"一篇讲话稿最多 {MAX_ITEMS} 段。")
    heading, body = plain_text(heading).strip(), plain_text(body).strip()
    _check_text(heading, body)
    parent = _get_item(draft, placement.parent_id) if placement.parent_id else None
    if parent is not None and not parent.numbered:
        raise DraftError("普通段落下不能再添加下级，请选中一个部分或要点。")
    if numbered and _depth(parent) >= MAX_LEVEL:
        raise DraftError("编号最多四级，不能再添加下级。")
    count = _siblings(draft, placement.parent_id).count()
    position = max(0, min(placement.position, count))
    _shift(draft, placement.parent_id, position, 1)
    item = DraftItem.objects.create(
        draft=draft,
        parent=parent,
        position=position,
        numbered=numbered,
        level=min(_depth(parent) + 1, MAX_LEVEL) if numbered else _depth(parent),
        heading=heading,
        body=body,
        source_paragraph=source_paragraph,
    )
    if source_paragraph is not None:
        Paragraph.objects.filter(pk=source_paragraph.pk).update(usage_count=F("usage_count") + 1)
    label = action or (
        "添加部分" if numbered and parent is None else "添加下级" if numbered else "添加段落"
    )
    versions.commit(draft, user, label, about=item.pk, summary=summary)
    return item


@dataclass(frozen=True)
class ItemEdit:
    """Text typed into one item: `heading` None leaves the heading as it is. `base_version`:
    the version the text was typed over (the page showed the item as it was then)."""

    item_id: int
    body: str
    heading: str | None = None
    base_version: int | None = None


class ItemConflict(StaleDraft):
    """This item's text was changed in another window since the version the edit is based on;
    `heading` and `body` are what that window saved."""

    def __init__(self, item: DraftItem) -> None:
        super().__init__()
        self.heading, self.body = item.heading, item.body


def _apply_edit(draft: Draft, edit: ItemEdit) -> DraftItem | None:
    """Write one edit to its row; None when the text is what is stored already."""
    item = _get_item(draft, edit.item_id)
    heading = item.heading if edit.heading is None else plain_text(edit.heading).strip()
    body = plain_text(edit.body).strip()
    _check_text(heading, body)
    if (item.heading, item.body) == (heading, body):
        return None
    item.heading, item.body = heading, body
    item.save(update_fields=["heading", "body"])
    return item


@transaction.atomic
def draft_item_update(
    draft: Draft, *, user, version: int | None, item_id, heading: str, body: str
) -> DraftItem:
    """Save an item's text (the plain form, 一键替换): one change of its own."""
    draft = versions.lock(draft, version)
    item = _apply_edit(draft, ItemEdit(int(item_id), body, heading))
    if item is None:
        return _get_item(draft, item_id)
    versions.commit(draft, user, versions.TYPING, about=item.pk, group_key=f"item:{item.pk}")
    return item


@transaction.atomic
def draft_item_save(
    draft: Draft, *, user, version: int | None, edit: ItemEdit, force: bool = False
) -> bool:
    """Autosave of text typed on the page. Returns whether the draft changed elsewhere since
    `version` (the page then reloads the rest of the outline around the text being typed).

    An edit based on an older version still lands when this item was not changed since that
    version (another window worked on other items); when it was, ItemConflict says what is
    there now. `force` (仍然保存我的修改) overwrites it.
    """
    draft = versions.lock(draft, None)
    stale = version is not None and versions.version_number(version) != draft.version
    if stale and not force:
        _check_unchanged_since(draft, replace(edit, base_version=versions.version_number(version)))
    if _apply_edit(draft, edit) is not None:
        versions.commit(draft, user, versions.TYPING, item_id=edit.item_id)
    return stale


def _check_unchanged_since(draft: Draft, edit: ItemEdit) -> None:
    """Refuse text typed over an item that another window has changed since."""
    base = edit.base_version
    if base is None or versions.version_number(base) == draft.version:
        return
    item = _get_item(draft, edit.item_id)
    before = versions.item_at(draft, versions.version_number(base), item.pk)
    if before is None or (before["heading"], before["body"]) != (item.heading, item.body):
        raise ItemConflict(item)


@transaction.atomic
def draft_items_update(draft: Draft, *, user, version: int | None, edits: list[ItemEdit]) -> Draft:
    """Text still being typed, carried by a structure action (insert, move, undo, …) and saved
    just before it, so no action can discard it: one change for all of it."""
    draft = versions.lock(draft, version)
    for edit in edits:
        _check_unchanged_since(draft, edit)
    changed = [e.item_id for e in edits if _apply_edit(draft, e) is not None]
    if changed:
        versions.commit(
            draft,
            user,
            versions.TYPING,
            item_id=changed[0] if len(changed) == 1 else None,
            summary="" if len(changed) == 1 else f"修改{len(changed)}段文字",
        )
    return draft


def pending_edits(raw: str) -> list[ItemEdit]:
    """The page's unsaved text, as it sends it: a JSON list of {id, heading?, body}."""
    try:
        data = json.loads(raw)
        edits = [
            ItemEdit(
                int(entry["id"]),
                str(entry.get("body") or ""),
                None if entry.get("heading") is None else str(entry["heading"]),
                None if entry.get("base") is None else int(entry["base"]),
            )
            for entry in data
        ]
    except (ValueError, TypeError, KeyError, AttributeError):
        raise DraftError("未保存的文字格式不正确，请刷新页面（文字仍保留在浏览器中）。") from None
    if len(edits) > MAX_ITEMS:
        raise DraftError("一次提交的段落过多。")
    return edits


@transaction.atomic
def draft_item_delete(draft: Draft, *, user, version: int | None, item_id) -> None:
    draft = versions.lock(draft, version)
    item = _get_item(draft, item_id)
    parent_id = item.parent_id
    summary = versions.change_summary("删除段落", versions.place_of(draft, item.pk))
    item.delete()  # children go with it
    _renumber(draft, parent_id)
    versions.commit(draft, user, "删除段落", summary=summary)


@transaction.atomic
def draft_item_move(
    draft: Draft,
    *,
    user,
    version: int | None,
    item_id,
    parent_id,
    position: int,
    action: str = "移动段落",
) -> DraftItem:
    """Put an item (with its children) at `position` among the children of `parent_id`."""
    draft = versions.lock(draft, version)
    item = _get_item(draft, item_id)
    new_parent = _get_item(draft, parent_id) if parent_id not in (None, "") else None
    if new_parent is not None and not new_parent.numbered:
        raise DraftError("普通段落下不能放入其他段落。")
    node = new_parent
    while node is not None:
        if node.pk == item.pk:
            raise DraftError("不能把段落移到它自己的下级中。")
        node = node.parent
    same_parent = (new_parent.pk if new_parent else None) == item.parent_id
    if not same_parent and item.numbered and _depth(new_parent) + _subtree_depth(item) > MAX_LEVEL:
        raise DraftError("移动后编号会超过四级，不能这样移动。")
    old_parent_id = item.parent_id
    new_parent_id = new_parent.pk if new_parent else None
    ordered = list(_siblings(draft, new_parent_id).order_by("position", "id"))
    siblings = [s for s in ordered if s.pk != item.pk]
    position = max(0, min(int(position), len(siblings)))
    siblings.insert(position, item)
    if same_parent and [s.pk for s in siblings] == [s.pk for s in ordered]:
        return item  # dropped where it was: nothing changed, nothing to record
    old_place = versions.place_of(draft, item.pk)
    item.parent = new_parent
    changed = []
    for index, sibling in enumerate(siblings):
        if sibling.position != index or sibling.pk == item.pk:
            sibling.position = index
            changed.append(sibling)
    DraftItem.objects.bulk_update(changed, ["position"])
    DraftItem.objects.filter(pk=item.pk).update(parent=new_parent)
    if old_parent_id != new_parent_id:
        _renumber(draft, old_parent_id)
        _relevel(DraftItem.objects.get(pk=item.pk))
    if same_parent:
        # Reordering one list: so many steps of it in a row read as one change.
        about = new_parent_id
        summary = history.order_summary("{place}" if new_parent_id else "", numbered=item.numbered)
        group_key = f"order:{new_parent_id or 0}"
    else:
        about, group_key = item.pk, ""
        summary = history.move_summary(action, old_place)
    versions.commit(draft, user, action, about=about, summary=summary, group_key=group_key)
    return item


def _subtree_depth(item: DraftItem) -> int:
    """How many numbering levels the item's subtree spans (1 for a numbered leaf)."""
    children: dict[int | None, list[tuple[int, bool]]] = {}
    for pk, parent_id, numbered in item.draft.items.values_list("id", "parent_id", "numbered"):
        children.setdefault(parent_id, []).append((pk, numbered))
    best = 0
    stack = [(item.pk, 1 if item.numbered else 0)]
    while stack:
        pk, depth = stack.pop()
        best = max(best, depth)
        stack.extend(
            (child, depth + (1 if numbered else 0)) for child, numbered in children.get(pk, ())
        )
    return best


@transaction.atomic
def draft_item_step(draft: Draft, *, user, version, item_id, delta: int) -> DraftItem:
    """上移 / 下移: one place among its siblings (the same service as drag and drop). At the
    end of its list it cannot: refused with the reason, nothing recorded."""
    draft = versions.lock(
        draft, version
    )  # a stale page is told so first: its idea of "first" is old
    item = _get_item(draft, item_id)
    order = list(
        _siblings(draft, item.parent_id).order_by("position", "id").values_list("pk", flat=True)
    )
    target = order.index(item.pk) + delta
    if target < 0:
        raise DraftError("已是同级第一项，不能上移。")
    if target >= len(order):
        raise DraftError("已是同级最后一项，不能下移。")
    return draft_item_move(
        draft,
        user=user,
        version=draft.version,
        item_id=item.pk,
        parent_id=item.parent_id,
        position=target,
        action="上移" if delta < 0 else "下移",
    )


def draft_item_indent(draft: Draft, *, user, version, item_id) -> DraftItem:
    """Make the item the last child of its previous sibling."""
    item = _get_item(draft, item_id)
    previous = (
        _siblings(draft, item.parent_id)
        .filter(position__lt=item.position)
        .order_by("-position")
        .first()
    )
    if previous is None or not previous.numbered:
        raise DraftError("前面没有可以归属的部分，不能降级。")
    last = _siblings(draft, previous.pk).aggregate(m=Max("position"))["m"]
    return draft_item_move(
        draft,
        user=user,
        version=version,
        item_id=item.pk,
        parent_id=previous.pk,
        position=0 if last is None else last + 1,
        action="降级",
    )


def draft_item_outdent(draft: Draft, *, user, version, item_id) -> DraftItem:
    """Make the item the next sibling of its parent."""
    item = _get_item(draft, item_id)
    if item.parent is None:
        raise DraftError("已经是最上一级，不能升级。")
    return draft_item_move(
        draft,
        user=user,
        version=version,
        item_id=item.pk,
        parent_id=item.parent.parent_id,
        position=item.parent.position + 1,
        action="升级",
    )


# --- draft-level fields -----------------------------------------------------------------


@dataclass
class Details:
    title: str
    meeting_name: str = ""
    speaker: str = ""
    date: datetime.date | None = None
    stage: str = Draft.Stage.DRAFTING
    target_minutes: int | None = None
    variables: dict[str, str] | None = None  # 地区 and custom ones; "" removes a variable


@transaction.atomic
def draft_details_update(draft: Draft, *, user, version, details: Details) -> Draft:
    """Title, meeting, speaker, date, stage, target length and slot variables, as one change."""
    draft = versions.lock(draft, version)
    if not (details.title or "").strip():
        raise DraftError("标题不能为空。")
    if details.stage not in Draft.Stage.values:
        raise DraftError("阶段不正确。")
    variables = dict(draft.variables)
    for name, value in (details.variables or {}).items():
        name = (name or "").strip()
        if not name:
            continue
        if name == "部分数":
            raise DraftError("“部分数”由部分的数量自动计算，不能手动填写。")
        if name in ("会议名称", "讲话人", "日期"):
            continue  # these come from the fields above
        if not valid_slot_name(name):
            raise DraftError(f"变量名“{name}”不合法：只能用汉字、字母、数字，最多 20 个字。")
        value = one_line(value)[:200]
        if value:
            variables[name] = value
        else:
            variables.pop(name, None)
    _check_suffixes(draft, {n: v for n, v in variables.items() if draft.variables.get(n) != v})
    before = _details_tuple(draft)
    draft.title = one_line(details.title)[:200]
    draft.meeting_name = one_line(details.meeting_name)[:200]
    draft.speaker = one_line(details.speaker)[:100]
    draft.date = details.date
    draft.target_minutes = details.target_minutes
    stage_changed = details.stage != draft.stage
    draft.stage = details.stage
    draft.variables = variables
    if _details_tuple(draft) == before:
        return draft
    label = f"阶段改为“{draft.get_stage_display()}”" if stage_changed else "修改会议信息与变量"
    return versions.commit(draft, user, label, stage_changed=stage_changed)


def _check_suffixes(draft: Draft, changed: dict[str, str]) -> None:
    """A value that repeats the suffix its text already has (东山县 before 县) is refused
    with what it would read as: the drafter fixes the value or the text."""
    if not changed:
        return
    text = "\n".join(f"{h}\n{b}" for h, b in draft.items.values_list("heading", "body"))
    for name, value in changed.items():
        suffix = doubled_suffix(text, name, value)
        if suffix:
            raise DraftError(
                f"“{name}”填的“{value}”后面原文已有“{suffix}”，会读成“{value}{suffix}”："
                f"请去掉末尾的“{suffix}”，或修改正文。"
            )


def _details_tuple(draft: Draft) -> tuple:
    return (
        draft.title,
        draft.meeting_name,
        draft.speaker,
        draft.date,
        draft.stage,
        draft.target_minutes,
        dict(draft.variables),
    )


@transaction.atomic
def draft_numbering_update(draft: Draft, *, user, version, numbering: dict) -> Draft:
    draft = versions.lock(draft, version)
    clean = default_numbering()
    for level, choices in LEVEL_STYLES.items():
        conf = numbering.get(str(level)) or {}
        style = conf.get("style") or choices[0]
        if style not in choices:
            raise DraftError(f"第{level}级不能使用“{style}”样式。")
        clean[str(level)] = {"style": style, "run_in": bool(conf.get("run_in"))}
    if clean == draft.numbering:
        return draft
    draft.numbering = clean
    return versions.commit(draft, user, "修改编号样式")


# --- library material -------------------------------------------------------------------


def material_insert(
    draft: Draft,
    *,
    user,
    version,
    placement: Placement,
    paragraph: Paragraph | None = None,
    phrase: Phrase | None = None,
) -> DraftItem:
    """A library paragraph (with its heading) or a phrase, as a new item at `placement`;
    the use is counted and goes into the drafter's 最近使用."""
    if paragraph is not None:
        numbered = bool(paragraph.heading) and placement.parent_id is not None
        # Its blanks are other people and places than the draft's own: names of their own.
        taken = draft_slot_names(draft)
        item = draft_item_insert(
            draft,
            user=user,
            version=version,
            placement=placement,
            numbered=numbered,
            heading=renumber_slots(paragraph.heading, taken) if numbered else "",
            body=renumber_slots(paragraph.text, taken),
            source_paragraph=paragraph,
            action="插入素材段落",
            summary=f"插入素材《{history.short(paragraph.heading or paragraph.text)}》",
        )
        material_used(user=user, paragraph=paragraph)
        return item
    if phrase is None:
        raise DraftError("请选择要插入的素材。")
    item = draft_item_insert(
        draft,
        user=user,
        version=version,
        placement=placement,
        numbered=False,
        body=renumber_slots(phrase.text, draft_slot_names(draft)),
        action="插入短语",
        summary=f"插入短语“{history.short(phrase.text)}”",
    )
    phrase_used(phrase, user=user)
    return item


@dataclass
class ReferenceGroup:
    """One part of the source speech in 参考原文: its key ("opening", "closing" or the
    section's id), what it is called, and its paragraphs."""

    key: str
    title: str
    paragraphs: list[Paragraph]


def reference_of(draft: Draft) -> list[ReferenceGroup]:
    """The source speech of a draft begun from a skeleton, part by part (参考原文)."""
    if draft.skeleton_id is None:
        return []
    paragraphs = list(
        Paragraph.objects.filter(visible_q(draft.unit_id), skeleton_id=draft.skeleton_id)
        .exclude(status=Status.REJECTED)
        .order_by("position")
    )
    by_section: dict[int | None, list[Paragraph]] = {}
    for p in paragraphs:
        by_section.setdefault(p.section_id, []).append(p)
    groups = [
        ReferenceGroup(
            "opening", "开场", [p for p in by_section.get(None, []) if p.role != "closing"]
        )
    ]
    for section in Section.objects.filter(skeleton_id=draft.skeleton_id).order_by("position"):
        groups.append(
            ReferenceGroup(
                str(section.pk),
                f"{section.number}{section.heading}",
                by_section.get(section.pk, []),
            )
        )
    groups.append(
        ReferenceGroup(
            "closing", "结尾", [p for p in by_section.get(None, []) if p.role == "closing"]
        )
    )
    return [g for g in groups if g.paragraphs or g.key not in ("opening", "closing")]


def reference_keys(draft: Draft) -> dict[str, str]:
    """Which part of the source each item stands for: item id → ReferenceGroup key."""
    return {
        str(pk): str(section)
        for pk, section in draft.items.filter(source_section__isnull=False).values_list(
            "pk", "source_section_id"
        )
    }


@transaction.atomic
def reference_insert(draft: Draft, *, user, version, anchor_id, paragraph: Paragraph) -> DraftItem:
    """A paragraph of the source speech (参考原文) into the draft: into the body of the item
    the drafter is in while that is still empty, else as body text right below it."""
    if paragraph.skeleton_id != draft.skeleton_id or paragraph.status == Status.REJECTED:
        raise DraftError("这段参考原文不属于本稿所用的骨架。")
    draft = versions.lock(draft, version)
    anchor = _get_item(draft, anchor_id) if anchor_id not in (None, "") else None
    if anchor is not None and not anchor.body.strip():
        anchor.body = plain_text(paragraph.text).strip()
        _check_text("", anchor.body)
        anchor.source_paragraph = paragraph
        anchor.save(update_fields=["body", "source_paragraph"])
        versions.commit(draft, user, "插入参考原文", about=anchor.pk)
        return anchor
    return draft_item_insert(
        draft,
        user=user,
        version=draft.version,
        placement=placement_for(draft, "paragraph", anchor.pk if anchor else None),
        numbered=False,
        body=paragraph.text,
        source_paragraph=paragraph,
        action="插入参考原文",
    )


def phrase_used(phrase: Phrase, *, user=None) -> None:
    """A phrase went into a draft (as an item, or typed in at the cursor by the browser):
    counted, and into the drafter's 最近使用."""
    Phrase.objects.filter(pk=phrase.pk).update(usage_count=F("usage_count") + 1)
    material_used(user=user, phrase=phrase)


# --- reading ----------------------------------------------------------------------------


def draft_slot_names(draft: Draft) -> set[str]:
    """Every slot the draft's text uses."""
    names: set[str] = set()
    for heading, body in draft.items.values_list("heading", "body"):
        if "{{" in heading or "{{" in body:
            names.update(slot_names(f"{heading}\n{body}"))
    return names


def slot_menu(draft: Draft) -> list[str]:
    """The slots 插入填空 offers: the standard ones, then the draft's own variables."""
    names = [n for n in STANDARD_SLOTS]
    names += sorted(n for n in draft.variables if n not in names)
    return names
