"""Writes to the library: mined phrases, curation (status, kind, tags, merge), terms, CSV."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from django.db import IntegrityError, transaction
from django.db.models import Count, Q

from speechdraft.corpus.mining import phrase_min_quality, terms_add_mined, user_dictionary_ensure
from speechdraft.corpus.models import Paragraph, Status
from speechdraft.library.models import (
    Favourite,
    Formulation,
    MaterialUse,
    Phrase,
    PhraseSource,
    Synonym,
    SynonymGroup,
    Tag,
)
from speechdraft.library.synonyms import synonyms_changed
from speechdraft.text import review as checks
from speechdraft.text.errors import UserError
from speechdraft.text.phrases import dictionary_term
from speechdraft.text.search import index_tokens, normalize
from speechdraft.text.synonyms import compact, parse_tsv
from speechdraft.text.templating import STANDARD_SLOTS, slot_check
from speechdraft.units.access import unit_id_of
from speechdraft.units.models import default_unit_id

SYNONYMS_FILE = Path(__file__).resolve().parent / "data" / "synonyms.tsv"
SPOKEN_SYNONYMS_FILE = Path(__file__).resolve().parent / "data" / "synonyms_spoken.tsv"


class CurationError(UserError):
    """A curation action refused."""


# --- jieba user dictionary: corpus.mining owns it; the library re-indexes its rows ---------


def rows_reindex(words: Iterable[str], *, batch: int = 500) -> int:
    """Recompute search tokens of paragraphs and phrases whose text contains any of `words`."""
    user_dictionary_ensure()
    words = [w for w in words if w]
    if not words:
        return 0
    changed = 0
    for model, fields in ((Paragraph, ("heading", "text")), (Phrase, ("text",))):
        q = Q()
        for word in words:
            for name in fields:
                q |= Q(**{f"{name}__contains": word})
        pending = []
        for row in model.objects.filter(q).only("pk", "search_tokens", *fields).iterator():
            tokens = index_tokens(" ".join(getattr(row, n) for n in fields))
            if tokens != row.search_tokens:
                row.search_tokens = tokens
                pending.append(row)
            if len(pending) >= batch:
                model.objects.bulk_update(pending, ["search_tokens"])
                changed += len(pending)
                pending = []
        model.objects.bulk_update(pending, ["search_tokens"])
        changed += len(pending)
    return changed


# --- 同义提法 ----------------------------------------------------------------------------


def synonyms_seed(
    group_model=SynonymGroup, member_model=Synonym, path: Path = SYNONYMS_FILE
) -> int:
    """Add the project's starting 同义提法 (data/synonyms.tsv); returns how many groups it added.

    A group of the file is skipped when its first formulation is already in any group: groups
    a curator has edited stay as they are. Called by the data migration, that is once.
    """
    groups = parse_tsv(path.read_text(encoding="utf-8"))
    present = {compact(t) for t in member_model.objects.values_list("text", flat=True)}
    # Since units (library 0011): the starting groups are 共享 with every unit.
    shared = {"shared": True} if any(f.name == "shared" for f in group_model._meta.fields) else {}
    added = 0
    with transaction.atomic():
        for seed in groups:
            if compact(seed.members[0]) in present:
                continue
            group = group_model.objects.create(note=seed.note, **shared)
            member_model.objects.bulk_create(
                member_model(group=group, text=text) for text in seed.members
            )
            present.update(compact(t) for t in seed.members)
            added += 1
    if added:
        synonyms_changed()
    return added


# --- mined phrases ---------------------------------------------------------------------


# A phrase mined from more than one speech or document is one the genre leans on: each other
# speech or document adds this much to its score (at most twice).
REPEAT_BONUS = 0.05


@transaction.atomic
def phrases_store_for_document(document, parsed) -> None:
    """Record the mined phrase candidates of a document, keeping one row per (kind, text).

    A phrase's quality is its best score in the document, plus a little for each other speech
    of the document and each other document it was mined from. Below PHRASE_MIN_QUALITY no row
    is made: cut words and plain nouns never reach the curators' 待审核 list (and a rejected row
    per such string would bury the curators' own decisions); re-ingesting with a lower setting
    brings them back. A phrase a curator already approved or rejected keeps every source.
    """
    PhraseSource.objects.filter(document=document).delete()
    threshold = phrase_min_quality()
    found: dict[tuple[str, str], list] = {}
    for speech in parsed.speeches:
        for candidate in speech.phrases:
            found.setdefault((candidate.kind, candidate.text), []).append(candidate)
    existing = {
        (p.kind, p.text): p
        for p in Phrase.objects.filter(
            owner=None, unit_id=document.unit_id, text__in={t for _, t in found}
        )
        if (p.kind, p.text) in found
    }
    other_documents = dict(
        PhraseSource.objects.filter(phrase__in=existing.values())
        .values("phrase")
        .annotate(n=Count("document", distinct=True))
        .values_list("phrase", "n")
    )
    slogans: set[str] = set()
    sources, rescored = [], []
    for key, candidates in found.items():
        phrase = existing.get(key)
        repeats = len({c.speech_index for c in candidates}) - 1
        if phrase is not None:
            repeats += other_documents.get(phrase.pk, 0)
        score = max(c.score for c in candidates) + REPEAT_BONUS * min(repeats, 2)
        score = round(min(1.0, score), 3)
        curated = phrase is not None and phrase.status != Status.CANDIDATE
        if score < threshold and not curated:
            continue
        if phrase is None:
            phrase = Phrase.objects.create(
                kind=key[0], text=key[1], quality=score, unit_id=document.unit_id
            )
        elif phrase.quality is None or score > phrase.quality:
            phrase.quality = score
            rescored.append(phrase)
        sources.extend(
            PhraseSource(
                phrase=phrase,
                document=document,
                speech_index=c.speech_index,
                position=(c.position or "")[:60],
            )
            for c in candidates
        )
        if key[0] == "slogan" and score >= threshold and dictionary_term(key[1]):
            slogans.add(key[1])
    Phrase.objects.bulk_update(rescored, ["quality"])
    PhraseSource.objects.bulk_create(sources, ignore_conflicts=True)
    # Candidates that lost their last source with this rebuild are dropped; curated ones stay.
    Phrase.objects.filter(
        owner=None, status=Status.CANDIDATE, sources__isnull=True, usage_count=0
    ).delete()
    terms_add_mined(slogans, unit_id=document.unit_id)


# --- curation --------------------------------------------------------------------------


def material_text_check(text: str) -> list[str]:
    """Chinese problems that stop library text from being saved (empty, bad slots)."""
    if not (text or "").strip():
        return ["内容不能为空。"]
    return slot_check(text, STANDARD_SLOTS)


def _comparable(text: str) -> str:
    return "".join(ch for ch in normalize(text) if ch.isalnum())


def phrases_mergeable(phrases: list[Phrase]) -> str | None:
    """None if the phrases are near-identical (same after normalising, or nested), else why not."""
    if len(phrases) < 2:
        return "请至少选择两条短语再合并。"
    if any(p.owner_id for p in phrases):
        return "私有短语不能合并。"
    if len({p.unit_id for p in phrases}) > 1:
        return "不同单位的短语不能合并。"  # a superuser's selection over units
    texts = sorted({_comparable(p.text) for p in phrases}, key=len)
    longest = texts[-1]
    if any(t not in longest for t in texts):
        return "所选短语差别较大（既不相同，也不互相包含），不能合并。"
    return None


@transaction.atomic
def phrase_merge(*, keep: Phrase, others: Iterable[Phrase]) -> Phrase:
    """Merge `others` into `keep`: every source, tag and use is kept; the others are deleted."""
    others = [p for p in others if p.pk != keep.pk]
    reason = phrases_mergeable([keep, *others])
    if reason:
        raise CurationError(reason)
    other_ids = [p.pk for p in others]
    existing = set(keep.sources.values_list("document_id", "speech_index", "position"))
    for source in PhraseSource.objects.filter(phrase_id__in=other_ids):
        key = (source.document_id, source.speech_index, source.position)
        if key in existing:
            source.delete()
        else:
            existing.add(key)
            source.phrase = keep
            source.save(update_fields=["phrase"])
    for tag in Tag.objects.filter(phrases__in=other_ids).distinct():
        tag.phrases.add(keep)
    keep.usage_count += sum(p.usage_count for p in others)
    if any(p.status == Status.APPROVED for p in others):
        keep.status = Status.APPROVED
    keep.save(update_fields=["usage_count", "status", "updated_at"])
    Phrase.objects.filter(pk__in=other_ids).delete()
    return keep


def tags_parse(raw: str) -> list[str]:
    for sep in "，,；;|、/":
        raw = raw.replace(sep, " ")
    return [t[:30] for t in dict.fromkeys(raw.split())]


def tags_set(obj, names: Iterable[str]) -> None:
    """Replace the tags of a phrase or paragraph with `names` (creating new tags)."""
    relation = "phrases" if isinstance(obj, Phrase) else "paragraphs"
    wanted = {Tag.objects.get_or_create(name=n)[0] for n in names}
    for tag in obj.tags.all():
        if tag not in wanted:
            getattr(tag, relation).remove(obj)
    for tag in wanted:
        getattr(tag, relation).add(obj)


def tag_add(objs: Iterable, name: str) -> int:
    name = name.strip()[:30]
    if not name:
        raise CurationError("请填写要添加的标签。")
    tag, _ = Tag.objects.get_or_create(name=name)
    objs = list(objs)
    for obj in objs:
        getattr(tag, "phrases" if isinstance(obj, Phrase) else "paragraphs").add(obj)
    return len(objs)


def private_phrase_save(*, user, text: str, kind: str) -> Phrase:
    """A drafter's own phrase: private, approved for its owner, checked like library text."""
    problems = material_text_check(text)
    if problems:
        raise CurationError(problems[0])
    if kind not in dict(Phrase._meta.get_field("kind").choices):
        raise CurationError("短语类型不正确。")
    phrase, _ = Phrase.objects.get_or_create(
        owner=user,
        kind=kind,
        text=text.strip(),
        defaults={"status": Status.APPROVED, "unit_id": unit_id_of(user)},
    )
    return phrase


# --- 收藏 and 最近使用 ------------------------------------------------------------------

RECENT_KEPT = 100  # MaterialUse rows kept per user


def _item(paragraph: Paragraph | None, phrase: Phrase | None) -> dict:
    if (paragraph is None) == (phrase is None):
        raise ValueError("exactly one of paragraph and phrase")
    return {"paragraph": paragraph} if paragraph is not None else {"phrase": phrase}


def favourite_set(
    *, user, on: bool, paragraph: Paragraph | None = None, phrase: Phrase | None = None
) -> bool:
    """收藏 (on) or 取消收藏 a paragraph or phrase; saying the same twice changes nothing.
    Returns whether it is a favourite now."""
    item = _item(paragraph, phrase)
    if not on:
        Favourite.objects.filter(user=user, **item).delete()
        return False
    try:
        with transaction.atomic():
            Favourite.objects.get_or_create(user=user, **item)
    except IntegrityError:  # the same click twice at once: the other one saved it
        pass
    return True


def material_used(
    *, user, paragraph: Paragraph | None = None, phrase: Phrase | None = None
) -> None:
    """One insert of library material by `user` (最近使用): recorded, the oldest beyond the
    last RECENT_KEPT forgotten."""
    if user is None or not user.is_authenticated:
        return
    MaterialUse.objects.create(user=user, **_item(paragraph, phrase))
    stale = list(
        MaterialUse.objects.filter(user=user)
        .order_by("-at", "-id")
        .values_list("pk", flat=True)[RECENT_KEPT : RECENT_KEPT + 100]
    )
    if stale:
        MaterialUse.objects.filter(pk__in=stale).delete()


def formulations_seed(model=None) -> int:
    """Add the project's starting 提法与用字 list, the dated 提法 included (entries curators
    deleted are added back: they retire one by unticking 启用). Idempotent: an existing entry
    keeps the curators' wording; only dates it lacks are filled in (entries seeded before
    rules had dates). `model` may be a migration's historical model: before the dates
    existed (review 0002), only the undated starting list is added."""
    model = model or Formulation
    has_dates = any(f.name == "superseded_on" for f in model._meta.get_fields())
    entries = checks.DEFAULT_FORMULATIONS
    if has_dates:
        entries += checks.DATED_FORMULATIONS
    # Since units (library 0011) the starting list is the default unit's, 共享 with every unit.
    in_unit = {}
    if any(f.name == "unit" for f in model._meta.get_fields()):
        in_unit = {"unit_id": default_unit_id()}
    created = 0
    for f in entries:
        defaults = {"right": f.right, "note": f.note, "kind": f.kind}
        if has_dates:
            defaults.update(valid_from=f.valid_from, superseded_on=f.superseded_on)
        if in_unit:
            defaults["shared"] = True
        row, new = model.objects.get_or_create(wrong=f.wrong, **in_unit, defaults=defaults)
        created += new
        if (
            has_dates
            and not new
            and f.superseded_on
            and row.superseded_on is None
            and row.valid_from is None
        ):
            model.objects.filter(pk=row.pk).update(
                valid_from=f.valid_from, superseded_on=f.superseded_on
            )
    return created
