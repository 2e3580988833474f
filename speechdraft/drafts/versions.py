"""A draft's versions in the database: every change is made under a row lock on the draft,
checked against the version the user saw, committed as the next version and recorded as a
revision holding its Snapshot, within the owner's storage quota and a rate limit; a stretch of
typing in one item is one revision. Undo, redo and restore bring a recorded Snapshot back.

How a revision's state is stored (in full, or as a delta from the one before) is the pure
drafts/revisions.py; what a state is, drafts/snapshot.py. drafts/services.py makes the changes
and commits them through here; nothing here imports it.
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Subquery, Sum
from django.db.models.functions import Length
from django.utils import timezone

from speechdraft.core.params import parse_id
from speechdraft.corpus.mining import user_dictionary_ensure
from speechdraft.corpus.models import Paragraph, Section
from speechdraft.drafts import revisions
from speechdraft.drafts.compare import Comparison, Entry, compare_snapshots, runs
from speechdraft.drafts.errors import DraftError, DraftLocked, StaleDraft, frozen_message
from speechdraft.drafts.history import MAX_NAME_CHARS
from speechdraft.drafts.models import Draft, DraftItem, Revision
from speechdraft.drafts.selectors import (
    DocumentView,
    document_from_nodes,
    draft_document,
    remember_document,
)
from speechdraft.drafts.signals import draft_changed
from speechdraft.drafts.snapshot import ITEM_FIELDS, Snapshot
from speechdraft.text.outline import block_labels
from speechdraft.text.sanitize import one_line, plain_text

# --- reading and writing snapshots ------------------------------------------------------


def draft_snapshot(draft: Draft) -> Snapshot:
    """The draft as it is now: its fields and its items, read in (position, id) order, the
    order a state keeps its items in, stored whole or replayed."""
    return Snapshot.of(draft, draft.items.order_by("position", "id").values(*ITEM_FIELDS))


def revision_snapshot(revision: Revision) -> Snapshot:
    """The draft at `revision`: the one way to read a revision. A delta is replayed on the
    revisions before it back to the nearest full snapshot, read in one query."""
    data = revisions.decode(revision.snapshot)
    rows = (
        _chain_rows(revision.draft_id, below=revision.version) if revisions.is_delta(data) else []
    )
    return Snapshot.from_chain([*rows, (revision.version, data)])


def item_at(draft: Draft, version: int, item_id: int) -> dict | None:
    """The item's row as it was at `version`. A version folded into a later stretch of typing
    has no revision of its own: the one before it stands in (what changed since then is
    compared too, so this can only find a conflict that is not there, never miss one)."""
    revision = draft.revisions.filter(version__lte=version).order_by("-version").first()
    if revision is None:
        return None
    return next((i for i in revision_snapshot(revision).items if i["id"] == item_id), None)


def _chain_rows(draft_id: int, *, below: int) -> list[tuple[int, bytes]]:
    """(version, stored bytes) of the revisions the last one before version `below` is rebuilt
    from: its chain's full snapshot and every delta after it, oldest first."""
    start = (
        Revision.objects.filter(draft_id=draft_id, version__lt=below, kind=Revision.Kind.FULL)
        .order_by("-version")
        .values("version")[:1]
    )
    return list(
        Revision.objects.filter(draft_id=draft_id, version__lt=below, version__gte=Subquery(start))
        .order_by("version")
        .values_list("version", "snapshot")
    )


def _stored(draft: Draft, snapshot: Snapshot, *, below: int) -> tuple[str, bytes]:
    """The kind and bytes of a revision holding `snapshot` (the draft now), stored after the
    last revision before version `below`: a delta from that one's state when it pays."""
    rows = _chain_rows(draft.pk, below=below) if below > 1 else []
    before = revisions.replay(rows) if rows else None
    return revisions.encode(
        snapshot.state(), before=before, full_every=settings.REVISION_FULL_EVERY
    )


# --- quota and rate limit ---------------------------------------------------------------


class RevisionQuotaExceeded(DraftError):
    def __init__(self, used: int, limit: int) -> None:
        super().__init__(
            f"您的修改记录已占用 {_size_text(used)}，超过上限 {_size_text(limit)}："
            "请删除不用的讲话稿或联系管理员。"
        )
        self.used, self.limit = used, limit


class TooManyChanges(DraftError):
    def __init__(self) -> None:
        super().__init__("操作过于频繁，请稍候再试。")


def _size_text(n: int) -> str:
    mb = 1024 * 1024
    return f"{n / mb:.1f} MB" if n >= mb // 10 else f"{max(1, round(n / 1024))} KB"


def revision_bytes_of(owner_id: int) -> int:
    """What the revisions of the user's drafts take (those in the 回收站 not counted: they are
    going, and deleting a draft is how one makes room)."""
    used = Draft.objects.live().filter(owner_id=owner_id).aggregate(n=Sum("revision_bytes"))
    return used["n"] or 0


def check_quota(owner_id: int) -> None:
    """Refuse a new revision (or a new draft) once the owner's revisions take more than
    REVISION_QUOTA_BYTES."""
    limit = settings.REVISION_QUOTA_BYTES
    if limit:
        used = revision_bytes_of(owner_id)
        if used > limit:
            raise RevisionQuotaExceeded(used, limit)


RATE_WINDOW_SECONDS = 60
_clock = time.time  # replaced in tests


def _count_change(user) -> None:
    """One more new revision by `user` this minute, refused past REVISION_RATE_PER_MINUTE.
    A fixed window in the cache, taken with an atomic increment (Redis or locmem), so changes
    at once cannot all see the count below the limit; with the cache down nothing is counted."""
    limit = settings.REVISION_RATE_PER_MINUTE
    if not limit or getattr(user, "pk", None) is None:
        return
    # date_joined too: an id can be reused after a delete (SQLite) or a rolled-back test.
    joined = getattr(user, "date_joined", None)
    stamp = int(joined.timestamp() * 1_000_000) if joined else 0
    window = int(_clock() // RATE_WINDOW_SECONDS)
    key = f"revision-rate:{user.pk}:{stamp}:{window}"
    cache.add(key, 0, timeout=RATE_WINDOW_SECONDS * 2)  # starts the window; else a no-op
    try:
        count = cache.incr(key)
    except ValueError:  # lapsed between add() and incr(), or the cache is unreachable
        return
    if count > limit:
        raise TooManyChanges()


def _count_bytes(draft: Draft, added: int) -> None:
    if added:
        Draft.objects.filter(pk=draft.pk).update(revision_bytes=F("revision_bytes") + added)
        draft.revision_bytes += added


# --- lock, commit, record ---------------------------------------------------------------


TYPING = "修改段落"
# Text saved while typing goes on is one change, so one 撤销 takes back one stretch of typing:
# a save of the same item by the same user extends the previous one for this long.
TYPING_GROUP_SECONDS = 60


def record(
    draft: Draft,
    user,
    action: str,
    *,
    stage_changed: bool = False,
    parent_version: int | None = -1,
    redo_version: int | None = None,
    snapshot: Snapshot | None = None,
    item_id: int | None = None,
    started_at=None,
    summary: str = "",
    group_key: str = "",
) -> Revision:
    """The revision of the draft's current version (`snapshot`: the draft now, if read
    already). `parent_version` -1: the version before, the undo target of an ordinary change."""
    snapshot = draft_snapshot(draft) if snapshot is None else snapshot
    kind, blob = _stored(draft, snapshot, below=draft.version)
    revision = Revision.objects.create(
        draft=draft,
        version=draft.version,
        user=user,
        action=action,
        stage=draft.stage,
        stage_changed=stage_changed,
        parent_version=(draft.version - 1 or None) if parent_version == -1 else parent_version,
        redo_version=redo_version,
        item_id=item_id,
        started_at=started_at,
        summary=summary[:200],
        group_key=group_key,
        snapshot=blob,
        kind=kind,
    )
    _count_bytes(draft, len(blob))
    return revision


def lock(draft: Draft, expected_version: int | None, *, flow: bool = False) -> Draft:
    """Re-read the draft under a row lock and refuse a change based on an older version, or
    one the draft's 送审/定稿 does not allow now (`flow`: a step of the flow itself, which
    drafts/flow.py checks)."""
    locked = Draft.objects.select_for_update().get(pk=draft.pk)
    # The caller's instance becomes the locked row, so what it shows next is what was saved
    # (or, for a stale change, what the other window saved) without reading the row again.
    for field in Draft._meta.concrete_fields:
        setattr(draft, field.attname, getattr(locked, field.attname))
    if not flow:
        refusal = frozen_message(draft)
        if refusal:
            raise DraftLocked(refusal)
    if expected_version is not None and version_number(expected_version) != draft.version:
        raise StaleDraft()
    return draft


def version_number(value) -> int:
    """A version the page sent; garbage is refused with a message, never taken as "any"."""
    number = parse_id(value)
    if number is None:
        raise DraftError("页面的版本号不正确，请刷新页面后再操作。")
    return number


def _typing_to_extend(draft: Draft, user, item_id: int) -> Revision | None:
    """The current revision, when it is a stretch of typing in this item that may go on."""
    current = (
        draft.revisions.filter(version=draft.version)
        .defer("snapshot")
        .annotate(stored_bytes=Length("snapshot"))
        .first()
    )
    if (
        current is None
        or current.action != TYPING
        or current.item_id != item_id
        or current.user_id != getattr(user, "pk", None)
        or current.pinned
        or current.started_at is None
        or current.started_at < timezone.now() - datetime.timedelta(seconds=TYPING_GROUP_SECONDS)
    ):
        return None
    return current


def commit(
    draft: Draft,
    user,
    action: str,
    *,
    stage_changed: bool = False,
    parent_version: int | None = -1,
    redo_version: int | None = None,
    item_id: int | None = None,
    about: int | None = None,
    summary: str = "",
    group_key: str = "",
) -> Draft:
    """Bump the version (the row is locked), record the revision, and keep the new version's
    rendered document for the response that follows.

    `item_id` marks a text edit of one item: while the same user goes on typing in it, the new
    revision replaces the previous one (same undo target, the version still moves on, so every
    other window still sees the change).

    What the change did is said in words (the revision's summary): `summary` as given (its
    "{place}" the place of the item it is `about`, as the change left it), else the action with
    that place (`about`: else the item typed in), e.g. 修改第二部分（一）. `group_key` (or, for
    typing, the item) joins it with the same person's changes of the same thing just before
    into one version of the history."""
    snapshot = draft_snapshot(draft)  # read once: for the document, 字数 and the revision
    if item_id is not None and not group_key:
        group_key = f"item:{item_id}"
    extended = _typing_to_extend(draft, user, item_id) if item_id is not None else None
    check_quota(draft.owner_id)
    if extended is None:
        _count_change(user)  # typing that goes on makes no new revision: not counted
    draft.version += 1
    doc = document_from_nodes(draft, snapshot.nodes())
    draft.char_count = doc.chars
    draft.save()
    about = item_id if about is None else about
    if not summary:
        summary = change_summary(action, _place(doc, about))
    elif "{place}" in summary:
        summary = summary.replace("{place}", _place(doc, about))
    if extended is not None:
        # The stretch of typing goes on: its revision moves to the new version, same undo target.
        # Its delta is taken again from the revision before it, which nothing else changes.
        parent_version = extended.parent_version
        kind, blob = _stored(draft, snapshot, below=extended.version)
        Revision.objects.filter(pk=extended.pk).update(
            version=draft.version,
            snapshot=blob,
            kind=kind,
            created_at=timezone.now(),
            summary=summary[:200],
        )
        _count_bytes(draft, len(blob) - (extended.stored_bytes or 0))
    else:
        record(
            draft,
            user,
            action,
            stage_changed=stage_changed,
            parent_version=parent_version,
            redo_version=redo_version,
            snapshot=snapshot,
            item_id=item_id,
            started_at=timezone.now() if item_id is not None else None,
            summary=summary,
            group_key=group_key,
        )
        if parent_version == -1:
            parent_version = draft.version - 1 or None
    draft._history = (draft.version, parent_version is not None, redo_version is not None)
    # Only once committed: a rolled-back change must not leave its content cached.
    transaction.on_commit(lambda: remember_document(doc))
    draft_id, owner_id = draft.pk, draft.owner_id
    transaction.on_commit(
        lambda: draft_changed.send(sender=Draft, draft_id=draft_id, owner_id=owner_id)
    )
    return draft


# Actions whose words name the place of the item they are about: 修改第二部分（一）.
_PLACED_ACTIONS = {
    TYPING: "修改{place}",
    "添加部分": "添加{place}",
    "添加下级": "添加{place}",
    "添加段落": "在{place}添加段落",
    "插入参考原文": "在{place}插入参考原文",
    "删除段落": "删除{place}",
}


def _place(doc: DocumentView, item_id: int | None) -> str:
    if item_id is None:
        return ""
    return block_labels(doc.blocks).get(item_id, "")


def place_of(draft: Draft, item_id: int) -> str:
    """Where the item is now, in words (before a change that takes it away or elsewhere)."""
    return _place(draft_document(draft), item_id)


def change_summary(action: str, place: str) -> str:
    """The words for a change: the action, with the item's place where it has one."""
    pattern = _PLACED_ACTIONS.get(action)
    if not (pattern and place):
        return action
    if pattern.startswith("在"):  # 在第二部分添加段落: the part, not 第二部分的正文
        place = place.removesuffix("的正文")
    return pattern.format(place=place)


# --- naming a version -------------------------------------------------------------------


def revision_name(draft: Draft, *, version: int, name: str) -> Revision:
    """Name a version (送审稿, 修改稿二, 定稿), or take its name away (""). A named version is
    pinned: later typing never folds into it."""
    name = one_line(plain_text(name)).strip()
    if len(name) > MAX_NAME_CHARS:
        raise DraftError(f"版本名称最多 {MAX_NAME_CHARS} 个字。")
    with transaction.atomic():
        lock(draft, None)
        revision = draft.revisions.filter(version=version).defer("snapshot").first()
        if revision is None:
            raise DraftError("找不到该历史版本。")
        if name:
            taken = (
                draft.revisions.filter(name=name).exclude(pk=revision.pk).values("version").first()
            )
            if taken is not None:
                raise DraftError(f"第 {taken['version']} 版已叫“{name}”，请换一个名称。")
        Revision.objects.filter(pk=revision.pk).update(name=name, pinned=True)
        revision.name, revision.pinned = name, True
    return revision


# --- undo, redo, restore ----------------------------------------------------------------


def _restore(draft: Draft, snapshot: Snapshot) -> None:
    """The draft's fields and items as `snapshot` has them (the items under their own ids; a
    source paragraph or section deleted since is let go)."""
    for name, value in snapshot.draft_fields().items():
        setattr(draft, name, value)
    draft.items.all().delete()
    items = snapshot.items
    existing_paragraphs = set(
        Paragraph.objects.filter(
            pk__in={i["source_paragraph_id"] for i in items if i["source_paragraph_id"]}
        ).values_list("pk", flat=True)
    )
    wanted = {i.get("source_section_id") for i in items} - {None}
    existing_sections = set(Section.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    rows = [
        DraftItem(
            id=i["id"],
            draft=draft,
            parent_id=None,
            position=i["position"],
            level=i["level"],
            numbered=i["numbered"],
            heading=i["heading"],
            body=i["body"],
            source_paragraph_id=i["source_paragraph_id"]
            if i["source_paragraph_id"] in existing_paragraphs
            else None,
            source_section_id=i.get("source_section_id")
            if i.get("source_section_id") in existing_sections
            else None,
            hint=i.get("hint", ""),  # snapshots older than hints have none
        )
        for i in items
    ]
    DraftItem.objects.bulk_create(rows)
    parents = [DraftItem(id=i["id"], parent_id=i["parent_id"]) for i in items if i["parent_id"]]
    DraftItem.objects.bulk_update(parents, ["parent_id"])


@transaction.atomic
def draft_undo(draft: Draft, *, user, version) -> Draft:
    """Go back to the state before the last change; repeated undos keep walking back, and
    重做 walks forward again through what they took back."""
    draft = lock(draft, version)
    current = draft.revisions.filter(version=draft.version).first()
    if current is None or current.parent_version is None:
        raise DraftError("没有可以撤销的操作。")
    target = draft.revisions.get(version=current.parent_version)
    stage_before = draft.stage
    _restore(draft, revision_snapshot(target))
    label = (
        "继续撤销"
        if current.action.startswith(("撤销", "继续撤销"))
        else f"撤销“{current.label}”"[:100]
    )
    return commit(
        draft,
        user,
        label,
        stage_changed=draft.stage != stage_before,
        parent_version=target.parent_version,
        redo_version=current.version,
    )


@transaction.atomic
def draft_redo(draft: Draft, *, user, version) -> Draft:
    """Bring back what the last 撤销 took back; only right after undos (a new change ends it)."""
    draft = lock(draft, version)
    current = draft.revisions.filter(version=draft.version).first()
    if current is None or current.redo_version is None:
        raise DraftError("没有可以重做的操作。")
    target = draft.revisions.filter(version=current.redo_version).first()
    if target is None:
        raise DraftError("没有可以重做的操作。")
    stage_before = draft.stage
    _restore(draft, revision_snapshot(target))
    return commit(
        draft,
        user,
        "重做",
        stage_changed=draft.stage != stage_before,
        parent_version=current.version,
        redo_version=target.redo_version,
    )


def history_state(draft: Draft) -> tuple[bool, bool]:
    """(can undo, can redo) at the draft's current version, for the toolbar."""
    known = getattr(draft, "_history", None)  # left by commit for the version it made
    if known is not None and known[0] == draft.version:
        return known[1], known[2]
    row = (
        draft.revisions.filter(version=draft.version)
        .values_list("parent_version", "redo_version")
        .first()
    )
    return (row is not None and row[0] is not None, row is not None and row[1] is not None)


@transaction.atomic
def draft_restore(draft: Draft, *, user, version, revision_version: int) -> Draft:
    draft = lock(draft, version)
    revision = draft.revisions.filter(version=revision_version).first()
    if revision is None:
        raise DraftError("找不到该历史版本。")
    stage_before = draft.stage
    _restore(draft, revision_snapshot(revision))
    return commit(
        draft, user, f"恢复到第 {revision.version} 版", stage_changed=draft.stage != stage_before
    )


# --- comparing two versions -------------------------------------------------------------


@dataclass(frozen=True)
class VersionsCompared:
    """What the compare page shows: the versions to choose from (newest first), the two
    compared, and their comparison, or a message saying why there is none."""

    choices: list[Revision]
    old: int | None
    new: int | None
    comparison: Comparison | None = None
    message: str = ""

    @property
    def runs(self) -> list[tuple[bool, list[Entry]]]:
        """The entries with the unchanged ones in runs to fold (see compare.runs)."""
        return runs(self.comparison.entries) if self.comparison else []


def versions_compared(draft: Draft, old, new) -> VersionsCompared:
    """The older of versions `old` and `new` against the newer (numbers as a page sends them;
    missing: the version before the current one, and the current one)."""
    choices = list(draft.revisions.select_related("user").defer("snapshot").order_by("-version"))
    previous = next((r.version for r in choices if r.version < draft.version), draft.version)
    numbers = []
    for raw, default in ((old, previous), (new, draft.version)):
        if raw in (None, ""):
            numbers.append(default)
            continue
        number = parse_id(raw)
        if number is None:
            return VersionsCompared(
                choices, None, None, message="版本号不正确，请在下面选择要比较的两个版本。"
            )
        numbers.append(number)
    a, b = sorted(numbers)  # always the older one first: what was there, then what is
    known = {r.version: r for r in choices}
    for number in (a, b):
        if number not in known:
            why = (
                f"当前是第 {draft.version} 版"
                if number > draft.version
                else "这一版的修改已并入之后连续输入的一版"
            )
            return VersionsCompared(
                choices, a, b, message=f"没有第 {number} 版（{why}），请在下面选择要比较的版本。"
            )
    if a == b:
        only = len(choices) == 1
        message = (
            "这篇讲话稿只有一个版本，还没有可比较的修改。"
            if only
            else "两个版本相同，请选择两个不同的版本。"
        )
        return VersionsCompared(choices, a, b, message=message)
    user_dictionary_ensure()  # words as the drafter's dictionary cuts them
    comparison = compare_snapshots(revision_snapshot(known[a]), revision_snapshot(known[b]))
    return VersionsCompared(choices, a, b, comparison)
