"""The same speech scraped from several sites is stored once; the other copies are linked to it.

At ingestion every parsed speech is looked up in the band index (SpeechBand, the review
index's MinHash bands over the speech's body); the few stored speeches sharing enough bands are
compared exactly (speechdraft.text.duplicates). A match is a *copy*: a Skeleton row with its
header fields and a link, no sections, paragraphs or bands. When the new copy is clearly
cleaner than the stored one, it is stored instead and the old one becomes its copy, its
curators' decisions carried over. A document all of whose speeches are copies is a duplicate
(重复：与《…》相同).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Sum

from speechdraft.corpus.models import (
    Paragraph,
    Section,
    Skeleton,
    SourceDocument,
    SpeechBand,
    Status,
)
from speechdraft.corpus.signals import speech_dropped
from speechdraft.text import duplicates as dup
from speechdraft.text import model as text_model
from speechdraft.text.similarity import normalize
from speechdraft.text.templating import to_brackets

# Stored speeches compared exactly per new speech, most shared bands first (a true copy shares
# about 13 of 32 bands at similarity 0.8, unrelated speeches on the same work 0 or 1).
MAX_COMPARED = 10
_LOCK = 0x5D3A_D0C5  # pg_advisory_xact_lock key of the storing part of an ingestion
LOST_MESSAGE = "重复：原件已删除或已改动，请重新导入本文件以重新比对"


def ingestion_lock() -> None:
    """Store one document at a time (PostgreSQL, until the transaction ends): two copies of a
    speech stored at the same moment by two workers would each miss the other."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])


@dataclass
class SpeechPlan:
    """What becomes of one parsed speech."""

    shingles: frozenset[int]
    bands: list[int]
    quality: dup.CopyQuality
    copy_of: Skeleton | None = None  # a stored speech it is a copy of
    copy_of_earlier: int | None = None  # or the index of an earlier speech of the same file
    similarity: float | None = None  # with the speech it matched
    replaces: Skeleton | None = None  # the stored speech this cleaner copy takes the place of

    @property
    def stored(self) -> bool:
        return self.copy_of is None and self.copy_of_earlier is None


def speeches_plan(
    document: SourceDocument, parsed: text_model.ParsedFile, char_counts: list[int]
) -> list[SpeechPlan]:
    """Which speeches of `parsed` are copies of stored ones (or of each other), which replace
    a stored copy. The document's own stored speeches are left out: they are being rebuilt."""
    page_chars = sum(char_counts)
    plans: list[SpeechPlan] = []
    replaced: dict[int, int] = {}  # stored speech → the earlier speech of this file replacing it
    for speech in parsed.speeches:
        shingles = dup.body_shingles(dup.speech_pieces(speech))
        big_enough = len(shingles) >= dup.MIN_BODY_SHINGLES
        quality = dup.CopyQuality(
            incomplete=len(speech.incomplete),
            has_title=bool(speech.title),
            has_salutation=bool(speech.salutation),
            sections=sum(1 for _ in speech.walk_sections()),
            junk_lines=len(parsed.removed),
            page_chars=page_chars,
            converted=parsed.script == "traditional",
        )
        plan = SpeechPlan(shingles, dup.body_bands(shingles) if big_enough else [], quality)
        plans.append(plan)
        if not big_enough:
            continue
        found = _stored_copy(plan, document)
        if found is not None:
            stored, score = found
            plan.similarity = score
            if stored.pk in replaced:
                plan.copy_of_earlier = replaced[stored.pk]
            elif dup.cleaner(quality, _quality(stored)):
                plan.replaces = stored
                replaced[stored.pk] = len(plans) - 1
            else:
                plan.copy_of = stored
            continue
        earlier = {
            j: p.shingles
            for j, p in enumerate(plans[:-1])
            if p.stored and _shared(p.bands, plan.bands) >= dup.MIN_SHARED_BANDS
        }
        found_earlier = dup.best_copy(shingles, earlier)
        if found_earlier is not None:  # a compilation holding one speech twice: the first stays
            plan.copy_of_earlier, plan.similarity = found_earlier
    return plans


def _shared(a: Iterable[int], b: Iterable[int]) -> int:
    return len(set(a) & set(b))


def _stored_copy(plan: SpeechPlan, document: SourceDocument) -> tuple[Skeleton, float] | None:
    """The stored speech of another document of the same unit that `plan`'s speech is a copy
    of, if any (another unit's copy is no copy: the units never see each other's speeches)."""
    hits = SpeechBand.objects.filter(band_hash__in=plan.bands, skeleton__unit_id=document.unit_id)
    if document.pk:
        hits = hits.exclude(skeleton__document_id=document.pk)
    ids = [
        row["skeleton_id"]
        for row in hits.values("skeleton_id")
        .annotate(shared=Count("id"))
        .filter(shared__gte=dup.MIN_SHARED_BANDS)
        .order_by("-shared", "skeleton_id")[:MAX_COMPARED]
    ]
    if not ids:
        return None
    found = dup.best_copy(plan.shingles, _bodies(ids))
    if found is None:
        return None
    skeleton = (
        Skeleton.objects.select_related("document")
        .annotate(section_count=Count("sections"))
        .get(pk=found[0])
    )
    return skeleton, found[1]


def _bodies(skeleton_ids: list[int]) -> dict[int, frozenset[int]]:
    """Shingles of stored speeches' bodies: their sections' headings and their paragraphs."""
    pieces: dict[int, list[str]] = {pk: [] for pk in skeleton_ids}
    for model, field in ((Section, "heading"), (Paragraph, "text")):
        for pk, text in model.objects.filter(skeleton_id__in=skeleton_ids).values_list(
            "skeleton_id", field
        ):
            pieces[pk].append(text)
    return {pk: dup.body_shingles(texts) for pk, texts in pieces.items()}


def _quality(skeleton: Skeleton) -> dup.CopyQuality:
    document = skeleton.document
    page_chars = Skeleton.objects.filter(document=document).aggregate(n=Sum("char_count"))["n"]
    return dup.CopyQuality(
        incomplete=len(skeleton.incomplete),
        has_title=bool(skeleton.title),
        has_salutation=bool(skeleton.salutation),
        sections=skeleton.section_count,
        junk_lines=len(document.removed_lines or []),
        page_chars=page_chars or 0,
        converted=document.script == "traditional",
    )


def only_stored(document: SourceDocument, parsed: text_model.ParsedFile) -> text_model.ParsedFile:
    """`parsed` with only the speeches stored for `document` (a copy's phrases are those of
    the stored speech)."""
    kept = set(document.skeletons.stored().values_list("index", flat=True))
    speeches = [s for i, s in enumerate(parsed.speeches) if i in kept]
    return dataclasses.replace(parsed, speeches=speeches)


def copy_target(plan: SpeechPlan, skeletons: list[Skeleton]) -> Skeleton | None:
    """The stored speech a copy links to (`skeletons`: this file's, in order so far)."""
    if plan.copy_of is not None:
        return plan.copy_of
    if plan.copy_of_earlier is not None:
        return skeletons[plan.copy_of_earlier]
    return None


def speech_indexed(skeleton: Skeleton, plan: SpeechPlan) -> set[int]:
    """Index a stored speech's bands; when it replaces a stored copy, make that one its copy.

    Returns the ids of the other documents whose links changed."""
    SpeechBand.objects.bulk_create(
        [SpeechBand(skeleton=skeleton, band_hash=h) for h in plan.bands], batch_size=1000
    )
    if plan.replaces is None:
        return set()
    old = plan.replaces
    _curation_carry(old, skeleton)
    _content_drop(old)
    followers = set(Skeleton.objects.filter(duplicate_of=old).values_list("document_id", flat=True))
    Skeleton.objects.filter(duplicate_of=old).update(duplicate_of=skeleton)
    Skeleton.objects.filter(pk=old.pk).update(
        duplicate_of=skeleton, similarity=plan.similarity, status=Status.CANDIDATE
    )
    return {old.document_id, *followers} - {skeleton.document_id}


def _curation_carry(old: Skeleton, new: Skeleton) -> None:
    """A curator judged the speech, not the copy: its status goes to the cleaner copy, and each
    paragraph's status, use count and tags to the paragraph with the same text."""
    Skeleton.objects.filter(pk=new.pk).update(status=old.status)
    new.status = old.status
    before = {normalize(p.text): p for p in old.paragraphs.prefetch_related("tags")}
    changed, tag_links = [], []
    through = Paragraph.tags.through
    for paragraph in new.paragraphs.all():
        was = before.get(normalize(paragraph.text))
        if was is None:
            continue
        paragraph.status, paragraph.usage_count = was.status, was.usage_count
        changed.append(paragraph)
        tag_links.extend(through(paragraph_id=paragraph.pk, tag_id=t.pk) for t in was.tags.all())
    Paragraph.objects.bulk_update(changed, ["status", "usage_count"], batch_size=500)
    through.objects.bulk_create(tag_links, ignore_conflicts=True)


def _content_drop(skeleton: Skeleton) -> None:
    """What a copy does not keep: its text, its bands, the phrases mined from it (the
    library drops those on speech_dropped)."""
    skeleton.paragraphs.all().delete()
    skeleton.sections.all().delete()
    skeleton.bands.all().delete()
    speech_dropped.send(
        sender=Skeleton, document_id=skeleton.document_id, speech_index=skeleton.index
    )


# --- a document rebuilt in place: the copies of its old speeches -----------------------------


@dataclass
class Followers:
    """Copies in other documents of one of a document's stored speeches, before a rebuild."""

    shingles: frozenset[int]
    copy_ids: list[int]


def followers_of(document: SourceDocument) -> list[Followers]:
    if not document.pk:
        return []
    rows = (
        Skeleton.objects.filter(duplicate_of__document=document)
        .exclude(document=document)
        .values_list("duplicate_of_id", "pk")
    )
    by_old: dict[int, list[int]] = {}
    for old, pk in rows:
        by_old.setdefault(old, []).append(pk)
    bodies = _bodies(list(by_old)) if by_old else {}
    return [Followers(bodies[old], pks) for old, pks in by_old.items()]


def followers_relink(
    followers: list[Followers], plans: list[SpeechPlan], skeletons: list[Skeleton]
) -> set[int]:
    """After a rebuild, the copies of an old speech follow the new speech that is a copy of it
    (or the stored speech that one links to); with none they lose their link.

    Returns the ids of the documents holding them."""
    documents: set[int] = set()
    for group in followers:
        candidates = {i: p.shingles for i, p in enumerate(plans)}
        found = dup.best_copy(group.shingles, candidates)
        target = None
        if found is not None:
            skeleton = skeletons[found[0]]
            target = skeleton.duplicate_of if skeleton.is_copy else skeleton
        Skeleton.objects.filter(pk__in=group.copy_ids).update(duplicate_of=target)
        documents.update(
            Skeleton.objects.filter(pk__in=group.copy_ids).values_list("document_id", flat=True)
        )
    return documents


# --- the document's own state ---------------------------------------------------------------


def document_links_refresh(document: SourceDocument) -> None:
    """State, message and link of a document from its speeches.

    All its speeches copies: it is a duplicate (重复：与《…》相同). Pieces too small to be
    compared (a site's “下面是小编为大家整理的……” line split off as a speech of its own) do not
    make a duplicate stored: in a duplicate they move to its removed lines. Otherwise it is
    stored (done). A document without speeches (failed, or a byte-for-byte duplicate) is left
    as it is.
    """
    skeletons = list(
        document.skeletons.select_related("duplicate_of__document")
        .annotate(band_count=Count("bands"))
        .order_by("index")
    )
    if not skeletons:
        return
    copies = [s for s in skeletons if s.is_copy]
    fragments = [s for s in skeletons if not s.is_copy and not s.band_count]
    if copies and len(copies) + len(fragments) == len(skeletons):
        if fragments:
            _fragments_drop(document, fragments)
        targets = [s.duplicate_of for s in copies]
        first = next((t for t in targets if t is not None), None)
        document.state = SourceDocument.State.DUPLICATE
        document.duplicate_of = first.document if first is not None else None
        document.duplicate_similarity = min(s.similarity for s in copies)
        document.error = duplicate_message(targets) if all(targets) else LOST_MESSAGE
    else:
        document.state = SourceDocument.State.DONE
        document.duplicate_of = None
        document.duplicate_similarity = None
        document.error = ""
    document.save(
        update_fields=[
            "state",
            "duplicate_of",
            "duplicate_similarity",
            "error",
            "removed_lines",
            "updated_at",
        ]
    )


def _fragments_drop(document: SourceDocument, fragments: list[Skeleton]) -> None:
    """Fragments of a duplicate are not stored: their text is listed with the removed lines."""
    ids = [s.pk for s in fragments]
    texts: dict[int, list[str]] = {pk: [] for pk in ids}
    for pk, text in Paragraph.objects.filter(skeleton_id__in=ids).values_list(
        "skeleton_id", "text"
    ):
        texts[pk].append(text)
    removed = list(document.removed_lines or [])
    for skeleton in fragments:
        removed.extend(t for t in [skeleton.title, *texts[skeleton.pk]] if t)
        _content_drop(skeleton)
    Skeleton.objects.filter(pk__in=ids).delete()
    document.removed_lines = removed


def documents_links_refresh(document_ids: Iterable[int]) -> None:
    for document in SourceDocument.objects.filter(pk__in=set(document_ids)):
        document_links_refresh(document)


def duplicate_message(targets: Iterable[Skeleton | None]) -> str:
    titles = list(dict.fromkeys(to_brackets(t.title) for t in targets if t is not None))
    return "重复：与" + "".join(f"《{t}》" for t in titles) + "相同"


def has_lost_copies(document: SourceDocument) -> bool:
    """A copy whose stored speech was deleted: the file must be compared again."""
    return document.skeletons.copies().filter(duplicate_of__isnull=True).exists()


def duplicate_label(document: SourceDocument) -> str:
    """重复 as the admin lists it (from prefetched `skeletons` and `duplicate_of__skeletons`)."""
    copies = [s for s in document.skeletons.all() if s.is_copy]
    if document.state == SourceDocument.State.DUPLICATE:
        if copies:
            targets = [s.duplicate_of for s in copies]
            return duplicate_message(targets) if all(targets) else LOST_MESSAGE
        if document.duplicate_of is None:
            return LOST_MESSAGE
        return duplicate_message(s for s in document.duplicate_of.skeletons.all() if not s.is_copy)
    if copies:
        return "部分重复：" + "；".join(
            f"第{s.index + 1}篇"
            + (f"与《{to_brackets(s.duplicate_of.title)}》相同" if s.duplicate_of else "原件已删除")
            for s in copies
        )
    return ""
