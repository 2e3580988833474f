"""Read side of the editor: the draft as blocks in a tree, with numbers, counts and slots."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.db.models import QuerySet

from speechdraft.corpus.models import Role
from speechdraft.drafts.history import Step, Version, group_steps
from speechdraft.drafts.models import Draft
from speechdraft.drafts.snapshot import Snapshot, draft_variables
from speechdraft.text.counting import duration_text, reading_minutes
from speechdraft.text.model import Section
from speechdraft.text.outline import (
    Block,
    Node,
    block_chars,
    render_blocks,
    slot_values,
    tree_from_rows,
)
from speechdraft.text.placeholders import slot_kind
from speechdraft.text.roles import assign_roles
from speechdraft.text.templating import WELL_KNOWN_SLOTS


@dataclass
class ViewItem:
    block: Block
    numbered: bool
    children: list[ViewItem] = field(default_factory=list)
    # Where it stands among its siblings: which moves can apply (the editor disables the rest).
    first: bool = True
    last: bool = True
    can_indent: bool = False
    first_block: bool = False  # opens the speech (a salutation there stands on its own line)

    @property
    def id(self) -> int:
        return self.block.id


@dataclass
class SlotUse:
    """A blank of the draft for the 会议信息与变量 panel: its name, kind, how often it is
    used, and the sentence it first stands in (other blanks shown as 【名称】)."""

    name: str
    kind: str
    count: int
    context: str


def _slot_uses(blocks: list[Block]) -> list[SlotUse]:
    uses: dict[str, SlotUse] = {}
    for block in blocks:
        for para in [block.heading, *block.body]:
            if not any(seg.slot for seg in para):
                continue
            for i, seg in enumerate(para):
                if seg.slot is None:
                    continue
                if seg.slot in uses:
                    uses[seg.slot].count += 1
                    continue
                before = "".join(_shown(s) for s in para[:i])[-18:]
                after = "".join(_shown(s) for s in para[i + 1 :])[:18]
                context = f"…{before}【{seg.slot}】{after}…"
                uses[seg.slot] = SlotUse(seg.slot, slot_kind(seg.slot), 1, context)
    return list(uses.values())


def _shown(seg) -> str:
    return seg.text if seg.slot is None or seg.filled else f"【{seg.slot}】"


@dataclass
class DocumentView:
    draft: Draft | Snapshot  # a Snapshot: a past version (history, export), never cached
    items: list[ViewItem]
    blocks: list[Block]
    chars: int
    minutes: float
    unfilled: dict[str, int]  # slot name → occurrences
    values: dict[str, str]
    parts: int
    slots: list[SlotUse] = field(default_factory=list)

    @property
    def blanks(self) -> list[tuple[str, list[SlotUse]]]:
        """The draft's blanks of ingested speeches, by kind (姓名: 姓名1, 姓名2 …)."""
        groups: dict[str, list[SlotUse]] = {}
        for use in self.slots:
            if use.name not in WELL_KNOWN_SLOTS:
                groups.setdefault(use.kind, []).append(use)
        return list(groups.items())

    def find(self, item_id: int) -> ViewItem | None:
        stack = list(self.items)
        while stack:
            view = stack.pop()
            if view.id == item_id:
                return view
            stack.extend(view.children)
        return None

    @property
    def unfilled_count(self) -> int:
        return sum(self.unfilled.values())

    @property
    def duration_text(self) -> str:
        return duration_text(self.minutes)


# A draft's content at a given version never changes (every change bumps the version), so its
# rendered document can be reused: the service that made a change fills this after commit and
# the page or fragment that follows reads it instead of rendering the outline a second time.
_DOCUMENTS: OrderedDict[tuple, DocumentView] = OrderedDict()
_DOCUMENTS_LOCK = threading.Lock()
_DOCUMENTS_SIZE = 64


def _key(draft: Draft) -> tuple:
    # created_at too: an id can be reused after a delete (SQLite) or a rolled-back test.
    return (draft.pk, draft.created_at, draft.version)


def remember_document(doc: DocumentView) -> None:
    with _DOCUMENTS_LOCK:
        _DOCUMENTS[_key(doc.draft)] = doc
        _DOCUMENTS.move_to_end(_key(doc.draft))
        while len(_DOCUMENTS) > _DOCUMENTS_SIZE:
            _DOCUMENTS.popitem(last=False)


def draft_document(draft: Draft, *, fresh: bool = False) -> DocumentView:
    """The draft's outline at its version. `fresh`: the instance was read in this request
    (a view's answer to the change it just made); otherwise the stored version is checked,
    as the instance may be older than the row."""
    if not fresh:
        stored = Draft.objects.filter(pk=draft.pk).values_list("version", flat=True).first()
        if stored is not None and stored != draft.version:
            draft.refresh_from_db()
    with _DOCUMENTS_LOCK:
        cached = _DOCUMENTS.get(_key(draft))
    if cached is not None:
        return replace(cached, draft=draft)
    doc = document_from_nodes(draft, draft_nodes(draft))
    remember_document(doc)
    return doc


def draft_nodes(draft: Draft) -> list[Node]:
    """The draft's outline as it is stored now."""
    return tree_from_rows(
        draft.items.values("id", "parent_id", "position", "numbered", "heading", "body", "hint")
    )


def snapshot_document(snapshot: Snapshot) -> DocumentView:
    """A past version's outline (the history page, the export of a version)."""
    return document_from_nodes(snapshot, snapshot.nodes())


def document_from_nodes(draft: Draft | Snapshot, roots) -> DocumentView:
    values = slot_values(roots, draft_variables(draft))
    blocks = render_blocks(roots, draft.numbering, values)
    numbered = {n.id for n in _walk(roots) if n.numbered}
    views = {b.id: ViewItem(b, b.id in numbered) for b in blocks}
    top: list[ViewItem] = []
    for b in blocks:
        (views[b.parent_id].children if b.parent_id in views else top).append(views[b.id])
    for siblings in [top, *(v.children for v in views.values() if v.children)]:
        for index, view in enumerate(siblings):
            view.first, view.last = index == 0, index == len(siblings) - 1
            view.can_indent = index > 0 and siblings[index - 1].numbered
    opening = next((b for b in blocks if b.heading or b.body or b.number), None)
    if opening is not None:
        views[opening.id].first_block = True
    unfilled: dict[str, int] = {}
    for b in blocks:
        for name in b.unfilled:
            unfilled[name] = unfilled.get(name, 0) + 1
    chars = block_chars(blocks)
    rate = getattr(settings, "READING_RATE", 170)
    return DocumentView(
        draft=draft,
        items=top,
        blocks=blocks,
        chars=chars,
        minutes=reading_minutes(chars, rate),
        unfilled=unfilled,
        values=values,
        parts=sum(1 for r in roots if r.numbered),
        slots=_slot_uses(blocks),
    )


def _walk(nodes):
    for node in nodes:
        yield node
        yield from _walk(node.children)


def drafts_for(user) -> QuerySet[Draft]:
    return Draft.objects.live().filter(owner=user).order_by("-updated_at")


DRAFT_SORTS = {
    "updated": ("-updated_at", "最近修改"),
    "date": ("-date", "会议日期"),
    "title": ("title", "标题"),
    "created": ("-created_at", "创建时间"),
}
DRAFTS_PER_PAGE = 25


@dataclass
class DraftFilter:
    """我的讲话稿's search box, stage filter and sort."""

    query: str = ""
    stage: str = ""
    sort: str = "updated"
    scope: str = "mine"  # 我起草的 / 与我共享的 ("shared")

    @classmethod
    def from_params(cls, params) -> DraftFilter:
        sort = params.get("sort", "updated")
        stage = params.get("stage", "")
        return cls(
            query=(params.get("q") or "").strip()[:100],
            stage=stage if stage in Draft.Stage.values else "",
            sort=sort if sort in DRAFT_SORTS else "updated",
            scope="shared" if params.get("scope") == "shared" else "mine",
        )


def drafts_search(user, f: DraftFilter) -> QuerySet[Draft]:
    """The user's drafts matching the filter: words in the title, meeting or speaker."""
    from django.db.models import F, Q

    if f.scope == "shared":
        drafts = drafts_shared_with(user)
    else:
        drafts = Draft.objects.live().filter(owner=user)
    for word in f.query.split():
        drafts = drafts.filter(
            Q(title__icontains=word) | Q(meeting_name__icontains=word) | Q(speaker__icontains=word)
        )
    if f.stage:
        drafts = drafts.filter(stage=f.stage)
    order = DRAFT_SORTS[f.sort][0]
    if order == "-date":  # drafts without a meeting date go last
        return drafts.order_by(F("date").desc(nulls_last=True), "-updated_at")
    return drafts.order_by(order, "-updated_at")


def drafts_shared_with(user) -> QuerySet[Draft]:
    """与我共享的: drafts of others the user may read (shared, sent for 审核, or to sign)."""
    from speechdraft.drafts.access import drafts_readable

    return drafts_readable(user).exclude(owner=user).select_related("owner")


def drafts_trashed(user) -> QuerySet[Draft]:
    return Draft.objects.filter(owner=user, deleted_at__isnull=False).order_by("-deleted_at")


def anchor_role(draft: Draft, anchor_id) -> str:
    """The part of the speech the item `anchor_id` is in, as a Role value ("" if unknown).

    The top-level item it belongs to decides: the part of the source speech it was begun from
    (按结构起草), else, for a numbered part, what its heading says among its siblings (the
    role rules ingestion uses), and for a plain paragraph whether it stands before the parts
    (opening) or after them (closing). Library search ranks that part's material first.
    """
    try:
        anchor_pk = int(anchor_id)
    except (TypeError, ValueError):
        return ""
    rows = {
        row["pk"]: row
        for row in draft.items.values(
            "pk",
            "parent_id",
            "position",
            "numbered",
            "heading",
            "body",
            "source_section__role",
            "source_paragraph__role",
        )
    }
    item, seen = rows.get(anchor_pk), set()
    while item is not None and item["parent_id"] is not None and item["pk"] not in seen:
        seen.add(item["pk"])
        item = rows.get(item["parent_id"])
    if item is None:
        return ""
    if item["source_section__role"]:
        return item["source_section__role"]
    roots = sorted((r for r in rows.values() if r["parent_id"] is None), key=_root_order)
    parts = [r for r in roots if r["numbered"]]
    if not item["numbered"]:
        if item["source_paragraph__role"] in (Role.OPENING, Role.CLOSING):
            return item["source_paragraph__role"]
        if parts:
            before = _root_order(item) < _root_order(parts[0])
            return Role.OPENING if before else Role.CLOSING
        return Role.CLOSING if len(roots) > 1 and item is roots[-1] else Role.OPENING
    sections = [
        Section(None, None, r["heading"], paragraphs=[r["body"][:120]] if r["body"] else [])
        for r in parts
    ]
    assign_roles(sections, draft.title)
    return next(s.role for r, s in zip(parts, sections, strict=True) if r is item) or ""


def _root_order(row: dict) -> tuple[int, int]:
    return row["position"], row["pk"]


def history_versions(draft: Draft) -> list[Version]:
    """The draft's history as the page lists it, newest first: runs of one person's changes
    to one item grouped into one version (drafts/history.py), each step's Revision kept."""
    rows = draft.revisions.select_related("user").defer("snapshot").order_by("version")
    steps = [
        Step(
            r.version,
            r.user_id,
            r.created_at,
            r.label,
            group_key=r.group_key,
            name=r.name,
            stage_changed=r.stage_changed,
            row=r,
        )
        for r in rows
    ]
    return list(reversed(group_steps(steps)))
