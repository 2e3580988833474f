"""library_search: the one way every view finds paragraphs and phrases.

Candidates come from the database through the token index (GIN over a `simple` tsvector on
PostgreSQL; padded LIKE on SQLite), capped before ranking so that very common words stay
cheap; ranking happens here, on the text, identically on both databases.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.db.models import Q, QuerySet, TextField, Value
from django.db.models.functions import Concat

from speechdraft.corpus.models import Paragraph, Role, Skeleton, Status
from speechdraft.library.freshness import FRESH_ONLY_WINDOW, results_mark_stale
from speechdraft.library.models import Phrase, PhraseKind
from speechdraft.text.search import Query, highlight_spans, parse_query, rank_key, snippet_window

PARAGRAPH = "paragraph"
CANDIDATE_CAP = 300
ROLE_LABELS = dict(Role.choices)
KIND_LABELS = dict(PhraseKind.choices)


@dataclass
class SearchResult:
    kind: str  # "paragraph" or a PhraseKind value
    obj: Paragraph | Phrase
    key: tuple
    parts: list[tuple[str, bool]]  # snippet as (text, is_match) runs
    source: str = ""
    label: str = ""
    stale: list[str] = field(default_factory=list)  # 时效: why its wording is dated
    year: int | None = None  # a paragraph's speech's year, when known

    @property
    def text(self) -> str:
        return self.obj.text

    @property
    def is_paragraph(self) -> bool:
        return self.kind == PARAGRAPH


@dataclass
class SearchResponse:
    query: Query | None
    results: list[SearchResult] = field(default_factory=list)
    message: str = ""
    hidden_stale: int = 0  # results left out by fresh_only


def _tsquery(query: Query, *, every: bool) -> str:
    groups = ["(" + " & ".join(f"'{t}'" for t in group) + ")" for group in query.token_groups()]
    return (" & " if every else " | ").join(groups)


def _token_filter(qs: QuerySet, query: Query, *, every: bool) -> QuerySet:
    table = qs.model._meta.db_table
    if connection.vendor == "postgresql":
        # search_vector: the stored, GIN-indexed column (speechdraft.core.search_index).
        return qs.extra(
            where=[f'"{table}"."search_vector" @@ to_tsquery(\'simple\'::regconfig, %s)'],
            params=[_tsquery(query, every=every)],
        )
    qs = qs.alias(_padded=Concat(Value(" "), "search_tokens", Value(" "), output_field=TextField()))
    group_q = []
    for group in query.token_groups():
        q = Q()
        for token in group:
            q &= Q(_padded__contains=f" {token} ")
        group_q.append(q)
    combined = Q()
    for q in group_q:
        combined = (combined & q) if every else (combined | q)
    return qs.filter(combined)


def _candidates(qs: QuerySet, query: Query, cap: int, fields: tuple[str, ...]) -> dict[int, tuple]:
    """Up to `cap` matching rows as tuples (pk first): all the query's words, then any.

    No ORDER BY, no joins and no model objects: the GIN bitmap scan can stop after `cap` rows
    however common the words, and ranking needs only the text.
    """
    qs = qs.order_by()
    found = {row[0]: row for row in _token_filter(qs, query, every=True).values_list(*fields)[:cap]}
    if len(query.terms) > 1 and len(found) < cap:
        for row in _token_filter(qs, query, every=False).values_list(*fields)[: cap - len(found)]:
            found.setdefault(row[0], row)
    return found


def skeleton_year_and_kind() -> dict[int, tuple[int | None, str]]:
    """Each stored speech's year and meeting kind, read off its title and date (the corpus
    stores no date field beyond the free-text `date_text`)."""
    from speechdraft.text.meetings import meeting_kind, year_of

    return {
        pk: (year_of(title, date_text), meeting_kind(title))
        for pk, title, date_text in Skeleton.objects.stored()
        .order_by()
        .values_list("pk", "title", "date_text")
    }


def _visible_paragraphs(user, statuses, roles, tags, years=(), meeting_kinds=()) -> QuerySet:
    qs = Paragraph.objects.filter(status__in=statuses)
    if roles:
        qs = qs.filter(role__in=roles)
    if years or meeting_kinds:
        skeletons = [
            pk
            for pk, (year, kind) in skeleton_year_and_kind().items()
            if (not years or year in years) and (not meeting_kinds or kind in meeting_kinds)
        ]
        qs = qs.filter(skeleton_id__in=skeletons)
    if tags:
        qs = qs.filter(tags__name__in=tags).distinct()
    return qs


def phrases_visible_to(user, statuses: Iterable[str] = (Status.APPROVED,)) -> QuerySet:
    """Library phrases in `statuses`, plus the user's own private phrases."""
    shared = Q(owner__isnull=True, status__in=list(statuses))
    mine = Q(owner=user) if user is not None and user.is_authenticated else Q(pk__in=[])
    return Phrase.objects.filter(shared | mine)


def _visible_phrases(user, statuses, kinds, tags) -> QuerySet:
    qs = phrases_visible_to(user, statuses)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    if tags:
        qs = qs.filter(tags__name__in=tags).distinct()
    return qs


def _parts(text: str, query: Query, width: int) -> list[tuple[str, bool]]:
    spans = highlight_spans(text, query)
    start, end = snippet_window(text, spans, width)
    parts: list[tuple[str, bool]] = []
    if start > 0:
        parts.append(("…", False))
    cursor = start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        if s > cursor:
            parts.append((text[cursor:s], False))
        parts.append((text[s:e], True))
        cursor = e
    if cursor < end:
        parts.append((text[cursor:end], False))
    if end < len(text):
        parts.append(("…", False))
    return parts


def _phrase_sources(phrases: list[Phrase]) -> dict[int, str]:
    """First source speech title of each phrase, with the count of further sources."""
    from speechdraft.library.models import PhraseSource

    rows = PhraseSource.objects.filter(phrase__in=phrases).order_by("phrase_id", "id")
    firsts: dict[int, tuple[int, int]] = {}
    counts: dict[int, int] = {}
    for phrase_id, document_id, index in rows.values_list(
        "phrase_id", "document_id", "speech_index"
    ):
        firsts.setdefault(phrase_id, (document_id, index))
        counts[phrase_id] = counts.get(phrase_id, 0) + 1
    titles = {
        (s.document_id, s.index): s.title
        for s in Skeleton.objects.filter(document_id__in={d for d, _ in firsts.values()})
    }
    labels = {}
    for phrase_id, key in firsts.items():
        title = titles.get(key)
        more = counts[phrase_id] - 1
        labels[phrase_id] = (f"《{title}》" if title else "") + (
            f" 等 {more + 1} 处" if more else ""
        )
    return labels


def library_search(
    query: str,
    *,
    kinds: Iterable[str] = (),
    roles: Iterable[str] = (),
    tags: Iterable[str] = (),
    years: Iterable[int] = (),
    meeting_kinds: Iterable[str] = (),
    limit: int = 20,
    user=None,
    statuses: Iterable[str] = (Status.APPROVED,),
    snippet_width: int = 120,
    candidate_cap: int = CANDIDATE_CAP,
    fresh_only: bool = False,
    as_of: date | None = None,
) -> SearchResponse:
    """Approved paragraphs and phrases (plus the user's private phrases) matching `query`.

    kinds: phrase kinds and/or "paragraph" (empty: everything); roles, years and meeting kinds
    (of the source speech) narrow paragraphs (and, given without kinds, search paragraphs
    only). Ranking: exact phrase, then all terms, then partial.
    时效 (library.freshness): results carry `stale` reasons as of `as_of` (today when None);
    `fresh_only` leaves stale ones out.
    """
    shown_limit = limit
    if fresh_only:  # look further down the ranking: the freshness step may hide some
        limit = limit * FRESH_ONLY_WINDOW
    kinds, roles, tags, statuses = set(kinds), set(roles), set(tags), list(statuses)
    years, meeting_kinds = set(years), set(meeting_kinds)
    parsed = parse_query(query or "")
    if parsed.empty:
        message = (
            "请输入要查找的词语。"
            if not (query or "").strip()
            else "没有可查找的词语，请换个说法。"
        )
        return SearchResponse(parsed, message=message)
    want_paragraphs = not kinds or PARAGRAPH in kinds
    phrase_kinds = kinds - {PARAGRAPH}
    paragraphs_only = bool(roles or years or meeting_kinds)
    want_phrases = (bool(phrase_kinds) or not kinds) and not (paragraphs_only and not kinds)

    ranked: list[tuple[tuple, bool, int, str]] = []  # (key, is_phrase, pk, kind)
    if want_paragraphs:
        qs = _visible_paragraphs(user, statuses, roles, tags, years, meeting_kinds)
        for pk, heading, text in _candidates(
            qs, parsed, candidate_cap, ("pk", "heading", "text")
        ).values():
            key = rank_key(parsed, f"{heading} {text}", simplified=True)
            if key[0] < 3:
                ranked.append((key, False, pk, PARAGRAPH))
    if want_phrases:
        qs = _visible_phrases(user, statuses, phrase_kinds, tags)
        for pk, text, kind in _candidates(
            qs, parsed, candidate_cap, ("pk", "text", "kind")
        ).values():
            key = rank_key(parsed, text, simplified=True)
            if key[0] < 3:
                ranked.append((key, True, pk, kind))

    # Exact and complete matches first; shorter text first within a tier; ties by kind and id.
    ranked.sort()
    top = ranked[: max(1, min(limit, 200))]
    paragraphs = Paragraph.objects.in_bulk([pk for _, is_phrase, pk, _ in top if not is_phrase])
    phrases = Phrase.objects.in_bulk([pk for _, is_phrase, pk, _ in top if is_phrase])
    results = []
    for key, is_phrase, pk, kind in top:
        if is_phrase:
            ph = phrases[pk]
            label = KIND_LABELS.get(kind, kind) + ("（我的）" if ph.owner_id else "")
            results.append(SearchResult(kind, ph, key, [], "", label))
        else:
            results.append(SearchResult(PARAGRAPH, paragraphs[pk], key, [], "", "段落"))
    phrase_sources = _phrase_sources([r.obj for r in results if not r.is_paragraph])
    titles = dict(
        Skeleton.objects.filter(
            pk__in={r.obj.skeleton_id for r in results if r.is_paragraph}
        ).values_list("pk", "title")
    )
    for r in results:
        r.parts = _parts(r.obj.text, parsed, snippet_width)
        if r.is_paragraph:
            r.source = f"《{titles.get(r.obj.skeleton_id, '')}》· {ROLE_LABELS.get(r.obj.role, '')}"
        else:
            r.source = phrase_sources.get(r.obj.pk, "")
    results, hidden = results_mark_stale(
        results, as_of=as_of, fresh_only=fresh_only, limit=shown_limit
    )
    message = "" if results else "没有找到相关素材。"
    if hidden:
        message = (message + f" 已隐藏 {hidden} 条过时素材。").strip()
    if parsed.truncated:
        message = (message + " 查询过长，只按前 100 个字查找。").strip()
    return SearchResponse(parsed, results, message, hidden)
