"""审稿: run the pure checks of speechdraft.text.review on a draft, with the office's curated
wording list, its past speeches (an LSH band index in the database) and its earlier drafts."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from speechdraft.core.queueing import enqueue
from speechdraft.corpus.models import Paragraph, Role
from speechdraft.drafts.models import Draft, DraftItem
from speechdraft.drafts.selectors import DocumentView, draft_document
from speechdraft.drafts.services import DraftError, draft_item_update
from speechdraft.library.freshness import formulation_rules
from speechdraft.review.models import (
    ItemBand,
    ItemSignature,
    ReuseBand,
    ReuseSignature,
    ReviewDismissal,
    ReviewRun,
)
from speechdraft.text import review as checks
from speechdraft.text.similarity import LshIndex, MinHasher
from speechdraft.units.access import visible_q

logger = logging.getLogger(__name__)
HASHER = MinHasher(num_perm=128, shingle=4)
BANDS = LshIndex(bands=32, rows=4)  # used for its band_hashes(); the index itself is the table
ROLE_LABELS = dict(Role.choices)
MIN_CHARS = 30


# --- the corpus index -------------------------------------------------------------------


def reuse_index_paragraphs(paragraph_ids: Iterable[int | None], *, batch: int = 2000) -> int:
    """(Re)compute the band hashes of these corpus paragraphs."""
    ids = sorted({pk for pk in paragraph_ids if pk})
    done = 0
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        rows = Paragraph.objects.filter(pk__in=chunk).values_list("pk", "text")
        bands, signed = [], []
        for pk, text in rows:
            signed.append(pk)
            if checks.count_chars(text) >= MIN_CHARS:
                for h in BANDS.band_hashes(HASHER.signature(text)):
                    bands.append(ReuseBand(paragraph_id=pk, band_hash=h))
        with transaction.atomic():
            ReuseBand.objects.filter(paragraph_id__in=chunk).delete()
            ReuseBand.objects.bulk_create(bands, batch_size=5000)
            existing = set(
                ReuseSignature.objects.filter(paragraph_id__in=signed).values_list(
                    "paragraph_id", flat=True
                )
            )
            ReuseSignature.objects.bulk_create(
                [ReuseSignature(paragraph_id=pk) for pk in signed if pk not in existing],
                batch_size=5000,
            )
            ReuseSignature.objects.filter(paragraph_id__in=existing).update(
                indexed_at=timezone.now()
            )
        done += len(signed)
    return done


def reuse_index_sync() -> int:
    """Index paragraphs that are new or edited since they were indexed (self-healing)."""
    stale = Paragraph.objects.filter(
        Q(reuse_signature__isnull=True) | Q(updated_at__gt=F("reuse_signature__indexed_at"))
    ).values_list("pk", flat=True)
    return reuse_index_paragraphs(list(stale[:50_000]))


# --- the index of each drafter's earlier drafts -------------------------------------------

# A drafter's items are indexed by the worker after a change commits (draft_changed), at most
# once per this many seconds per drafter (the changes of those seconds go in together).
ITEMS_INDEX_DELAY = 5


def _body_hash(body: str) -> str:
    return hashlib.blake2b(body.encode(), digest_size=16).hexdigest()


def items_index_sync(owner_id: int) -> int:
    """Bring `owner_id`'s reuse index up to date: items new or edited since they were indexed
    get their bands again, removed ones went with their rows. Returns how many were indexed.

    Reads every item's body once (to hash it), hashes MinHash signatures only for the changed
    ones: the worker's job after a change, never the hint request's."""
    known = dict(
        ItemSignature.objects.filter(owner_id=owner_id).values_list("item_id", "body_hash")
    )
    stale: list[tuple[int, str, str]] = []
    rows = DraftItem.objects.filter(draft__owner_id=owner_id).values_list("pk", "body")
    for pk, body in rows.iterator(chunk_size=2000):
        digest = _body_hash(body)
        if known.get(pk) != digest:
            stale.append((pk, body, digest))
    for start in range(0, len(stale), 2000):
        chunk = stale[start : start + 2000]
        ids = [pk for pk, _, _ in chunk]
        bands = [
            ItemBand(item_id=pk, owner_id=owner_id, band_hash=h)
            for pk, body, _ in chunk
            if checks.count_chars(body) >= MIN_CHARS
            for h in BANDS.band_hashes(HASHER.signature(body))
        ]
        with transaction.atomic():
            ItemBand.objects.filter(item_id__in=ids).delete()
            ItemSignature.objects.filter(item_id__in=ids).delete()
            ItemBand.objects.bulk_create(bands, batch_size=5000)
            ItemSignature.objects.bulk_create(
                [ItemSignature(item_id=pk, owner_id=owner_id, body_hash=d) for pk, _, d in chunk],
                batch_size=5000,
                ignore_conflicts=True,  # an item indexed meanwhile by another run
            )
    return len(stale)


def items_index_pending_key(owner_id: int) -> str:
    return f"review:items-index:{owner_id}"


def items_index_later(owner_id: int) -> None:
    """Index `owner_id`'s items in the worker (after this transaction commits). Changes made
    while a run waits in the queue go in with it: the run clears its mark when it starts, and
    only a change after that queues another (no ETA tasks: a worker holding one lost Redis
    badly). In-process (no broker) it runs at once, at most once per ITEMS_INDEX_DELAY
    seconds (changes in between wait for the next one, or for the next full 审稿)."""
    eager = settings.CELERY_TASK_ALWAYS_EAGER
    # With a broker the mark lasts until the run starts, or a while (a run lost with its
    # worker does not hold the next one back for long).
    timeout = ITEMS_INDEX_DELAY if eager else 60 * ITEMS_INDEX_DELAY
    try:
        first = cache.add(items_index_pending_key(owner_id), 1, timeout=timeout)
    except Exception:  # the cache is down: queue it anyway (the broker may be down too)
        first = True
    if not first:
        return
    if eager:
        transaction.on_commit(lambda: items_index_sync(owner_id))
        return
    # The broker down: the index catches up at the next change, or the next full 审稿.
    transaction.on_commit(lambda: enqueue("review.items_index", owner_id))


# Candidates of one review from the drafter's earlier drafts: the most bands in common first.
MAX_EARLIER_CANDIDATES = 200
# The hint on save scores each line against at most this many paragraphs and earlier items.
HINT_CANDIDATES_PER_LINE = 100
# Band rows read from the corpus index for one review (a whole draft's lines find a few
# thousand in a library of 100,000 paragraphs).
MAX_CORPUS_BAND_ROWS = 50_000


class _DbIndex:
    """What speechdraft.text.similarity.best_matches needs of an index, answered from the
    ReuseBand table (the corpus) and the ItemBand table (the drafter's other drafts): one
    query each for the whole review, whatever the size of the corpus or of the drafts."""

    def __init__(
        self, signatures: list[tuple[int, ...]], draft: Draft, *, per_line: int | None = None
    ) -> None:
        self.num_perm = BANDS.num_perm
        wanted = list({h for sig in signatures for h in BANDS.band_hashes(sig)})
        self.buckets: dict[int, set[str]] = {}
        self.chosen: dict[tuple[int, ...], set[str]] = {}
        if not wanted:
            return
        # A plain fetch, neither a server-side cursor (.iterator()) nor a LIMIT: with either,
        # PostgreSQL plans for a fraction of the half million rows its statistics expect for
        # common band hashes, picks a scan that stops early, and takes 100 times longer.
        # Only the draft's unit's paragraphs and 共享 ones (filtered before the cap, so that
        # another unit's rows never crowd them out).
        rows = ReuseBand.objects.filter(
            visible_q(draft.unit_id, "paragraph__"), band_hash__in=wanted
        ).values_list("band_hash", "paragraph_id")
        for h, pk in list(rows)[:MAX_CORPUS_BAND_ROWS]:
            self.buckets.setdefault(h, set()).add(f"p{pk}")
        earlier = (
            ItemBand.objects.filter(
                owner_id=draft.owner_id,
                item__draft__unit_id=draft.unit_id,
                band_hash__in=wanted,
            )
            .exclude(item__draft_id=draft.pk)
            .values_list("band_hash", "item_id")
        )
        shared: dict[int, int] = {}
        pairs = list(earlier[: MAX_EARLIER_CANDIDATES * BANDS.bands])
        for _, pk in pairs:
            shared[pk] = shared.get(pk, 0) + 1
        kept = set(sorted(shared, key=lambda pk: (-shared[pk], pk))[:MAX_EARLIER_CANDIDATES])
        for h, pk in pairs:
            if pk in kept:
                self.buckets.setdefault(h, set()).add(f"d{pk}")
        if per_line is not None:
            for sig in signatures:
                self.chosen[tuple(sig)] = self._most_shared(sig, per_line)

    def _most_shared(self, signature, limit: int) -> set[str]:
        """The `limit` candidates sharing the most bands with `signature` (ties by key): a
        line of boilerplate can share one band with thousands of paragraphs, and a paragraph
        that similar shares several (at Jaccard 0.5, two of the 32 bands on average)."""
        shared: dict[str, int] = {}
        for h in BANDS.band_hashes(signature):
            for key in self.buckets.get(h, ()):
                shared[key] = shared.get(key, 0) + 1
        if len(shared) <= limit:
            return set(shared)
        return set(sorted(shared, key=lambda k: (-shared[k], k))[:limit])

    def candidates(self, signature) -> set:
        chosen = self.chosen.get(tuple(signature))
        if chosen is not None:
            return set(chosen)
        hashes = BANDS.band_hashes(signature)
        return set().union(*(self.buckets.get(h, ()) for h in hashes))

    def keys(self) -> set[str]:
        """Every key a line may be compared with: the texts to read."""
        if self.chosen:
            return set().union(*self.chosen.values())
        return {k for bucket in self.buckets.values() for k in bucket}


# --- running a review --------------------------------------------------------------------


@dataclass
class Report:
    findings: list[dict] = field(default_factory=list)
    summary: dict = field(default_factory=dict)
    dismissed: int = 0


def _items(doc: DocumentView) -> list[checks.ReviewItem]:
    """Every block as the checks see it: filled text, unfilled slots left as {{ 名称 }}."""
    part_of: dict[int, int | None] = {}
    part_index = -1
    items = []
    for block in doc.blocks:
        if block.depth == 0:
            if block.number:
                part_index += 1
                part_of[block.id] = part_index
            else:
                part_of[block.id] = None
        else:
            part_of[block.id] = part_of.get(block.parent_id)
        heading = "".join(s.text for s in block.heading)
        text = "\n".join(block.body_texts)
        items.append(checks.ReviewItem(block.id, part_of[block.id], heading, text))
    return items


def _finding_key(f: checks.Finding) -> str:
    raw = f"{f.check}|{f.item_id}|{f.target}|{f.excerpt}|{f.message}"
    return hashlib.sha1(raw.encode()).hexdigest()[:20]


def draft_review(
    draft: Draft, *, changed_ids: Iterable[int] | None = None, reuse: bool = True
) -> Report:
    """Findings for the whole draft, or only those touching `changed_ids` (on save)."""
    doc = draft_document(draft)
    items = _items(doc)
    review_settings = checks.ReviewSettings(
        rate_per_minute=settings.READING_RATE, target_minutes=draft.target_minutes
    )
    index = lookup = label = None
    subset = items if changed_ids is None else [i for i in items if i.id in set(changed_ids)]
    if reuse and subset:
        # On save (one item, while the drafter types) the work is bounded; the full review
        # compares with every candidate.
        per_line = HINT_CANDIDATES_PER_LINE if changed_ids is not None else None
        index, lookup, label = _reuse_sources(draft, subset, per_line=per_line)
    findings = checks.review_all(
        items,
        settings=review_settings,
        formulations=formulation_rules(draft.unit_id),
        filled_slots=doc.values,
        corpus_index=index,
        corpus_lookup=lookup,
        corpus_label=label,
        changed_ids=changed_ids,
        hasher=HASHER,
        as_of=draft.reference_date,
    )
    dismissed = set(ReviewDismissal.objects.filter(draft=draft).values_list("key", flat=True))
    by_id = {i.id: i for i in items}
    shown, hidden = [], 0
    for f in findings:
        key = _finding_key(f)
        if key in dismissed:
            hidden += 1
            continue
        data = f.to_dict()
        data["key"] = key
        data["label"] = checks.CHECK_LABELS.get(f.check, f.check)
        item = by_id.get(f.item_id)
        if (
            item is not None
            and f.replacement is not None
            and f.start is not None
            and f.end is not None
        ):
            source = item.heading if f.target == "heading" else item.text
            data["original"] = source[f.start : f.end]
        shown.append(data)
    length = checks.length_summary(items, settings.READING_RATE, draft.target_minutes)
    top = max((chars for _, chars in length.per_part), default=0) or 1
    # 字数 and 预计时长 as the status bar counts them (every character but white space, as
    # Word does), so the two never disagree; the per-part bars use the checks' own counts.
    minutes = doc.chars / settings.READING_RATE
    over = None if not draft.target_minutes else minutes > draft.target_minutes
    message = f"全文 {doc.chars} 字，按每分钟 {settings.READING_RATE} 字计约 {minutes:.1f} 分钟"
    if draft.target_minutes:
        message += f"（目标 {draft.target_minutes} 分钟，{'超出' if over else '未超出'}）"
    summary = {
        "chars": doc.chars,
        "minutes": round(minutes, 1),
        "message": message,
        "over_target": over,
        "parts": [
            {"label": _part_label(index_), "chars": chars, "percent": round(chars * 100 / top)}
            for index_, chars in length.per_part
        ],
    }
    return Report(shown, summary, hidden)


def _part_label(index: int | None) -> str:
    if index is None:
        return "开头/结尾"
    from speechdraft.text.numbering import chinese_numeral

    return f"第{chinese_numeral(index + 1)}部分"


def _reuse_sources(draft: Draft, subset: list[checks.ReviewItem], *, per_line: int | None = None):
    """The reuse index for these items: corpus bands and the drafter's earlier drafts' bands,
    both from the database. Nothing is synced or hashed here but the items' own lines (the
    worker keeps both indexes: reuse_index_sync, items_index_sync). `per_line`: compare each
    line with at most that many candidates, those sharing the most bands (the hint on save)."""
    signatures = [
        HASHER.signature(line)
        for item in subset
        for line in item.text.split("\n")
        if checks.count_chars(line) >= MIN_CHARS
    ]
    index = _DbIndex(signatures, draft, per_line=per_line)
    keys = index.keys()
    corpus_ids = {int(k[1:]) for k in keys if k[0] == "p"}
    item_ids = {int(k[1:]) for k in keys if k[0] == "d"}
    rows = Paragraph.objects.filter(visible_q(draft.unit_id), pk__in=corpus_ids).values_list(
        "pk", "text", "role", "skeleton__title"
    )
    texts = {
        f"p{pk}": (text, f"《{title}》{ROLE_LABELS.get(role, '')}部分")
        for pk, text, role, title in rows
    }
    earlier = DraftItem.objects.filter(
        pk__in=item_ids, draft__owner_id=draft.owner_id, draft__unit_id=draft.unit_id
    )
    for pk, body, title, updated in earlier.values_list(
        "pk", "body", "draft__title", "draft__updated_at"
    ):
        texts[f"d{pk}"] = (body, f"《{title}》（{updated:%Y年%-m月}的讲话稿）")

    def lookup(key):
        entry = texts.get(key)
        return entry[0] if entry else None

    def label(key) -> str:
        entry = texts.get(key)
        return entry[1] if entry else "资料库中的段落"

    return index, lookup, label


# --- full review in the background -------------------------------------------------------


def review_request(draft: Draft) -> ReviewRun:
    run = ReviewRun.objects.create(draft=draft, version=draft.version)

    def unavailable() -> None:
        ReviewRun.objects.filter(pk=run.pk).update(
            status=ReviewRun.Status.FAILED,
            error="审稿服务暂不可用，请稍后再试。",
            finished_at=timezone.now(),
        )

    transaction.on_commit(lambda: enqueue("review.run", run.pk, unavailable=unavailable))
    return run


def review_run(run_id: int) -> str:
    run = ReviewRun.objects.select_related("draft").filter(pk=run_id).first()
    if run is None:
        return "missing"
    if run.status == ReviewRun.Status.DONE:
        return "done"
    ReviewRun.objects.filter(pk=run.pk).update(status=ReviewRun.Status.RUNNING)
    # The worker keeps both reuse indexes current (self-healing: rows written without signals).
    reuse_index_sync()
    items_index_sync(run.draft.owner_id)
    report = draft_review(run.draft)
    ReviewRun.objects.filter(pk=run.pk).update(
        status=ReviewRun.Status.DONE,
        findings=report.findings,
        summary={**report.summary, "dismissed": report.dismissed},
        finished_at=timezone.now(),
    )
    return "done"


# --- acting on findings ------------------------------------------------------------------


def finding_dismiss(draft: Draft, key: str) -> None:
    ReviewDismissal.objects.get_or_create(draft=draft, key=key[:40])


def finding_apply(
    draft: Draft, *, user, version, item_id, target: str, original: str, replacement: str
) -> DraftItem:
    """一键替换: put `replacement` where `original` stands in the item's heading or body."""
    item = DraftItem.objects.filter(draft=draft, pk=item_id).first()
    if item is None:
        raise DraftError("找不到该段落，可能已被删除，请重新审稿。")
    field_name = "heading" if target == "heading" else "body"
    current = getattr(item, field_name)
    if not original or original not in current:
        raise DraftError("原文已经改动，找不到要替换的文字，请重新审稿。")
    new = current.replace(original, replacement, 1)
    heading, body = (new, item.body) if field_name == "heading" else (item.heading, new)
    return draft_item_update(
        draft, user=user, version=version, item_id=item.pk, heading=heading, body=body
    )
