"""library_search: the one way every view finds paragraphs and phrases.

Candidates come from the database through the token index (GIN over a `simple` tsvector on
PostgreSQL; padded LIKE on SQLite), capped before ranking so that very common words stay
cheap; ranking happens here, on the text, identically on both databases.

Two rankings: "relevance" (the default: BM25 with the signals of speechdraft.text.search,
phrases and paragraphs in one list, one result per text) and "legacy" (the tiers of
`rank_key`: exact, every term, some terms), kept for side-by-side measurement.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.db.models import Q, QuerySet, TextField, Value
from django.db.models.functions import Concat

from speechdraft.corpus.models import Paragraph, Role, Skeleton, Status
from speechdraft.library import synonyms
from speechdraft.library.freshness import FRESH_ONLY_WINDOW, results_mark_stale
from speechdraft.library.models import Phrase, PhraseKind
from speechdraft.text.search import (
    ROLE_BOOST,
    Query,
    Ranked,
    arrange,
    clean_expansions,
    document_frequencies,
    highlight_spans,
    idf,
    paragraph_doc,
    parse_query,
    phrase_doc,
    rank_key,
    relevance,
    snippet_window,
    suggestion_score,
    term_tokens,
)
from speechdraft.units.access import unit_id_of, visible_to

PARAGRAPH = "paragraph"
CANDIDATE_CAP = 300
SUGGESTION_POOL = 100  # most used paragraphs of a part, re-ordered by suggestion_score
ROLE_LABELS = dict(Role.choices)
KIND_LABELS = dict(PhraseKind.choices)
RANKINGS = ("relevance", "legacy")
# Phrase kinds that belong to one part of a speech: boosted when the drafter writes there.
_KIND_ROLES = {PhraseKind.OPENING: Role.OPENING, PhraseKind.CLOSING: Role.CLOSING}


@dataclass
class SearchResult:
    kind: str  # "paragraph" or a PhraseKind value
    obj: Paragraph | Phrase
    key: tuple  # the sort key of the ranking used (rank_key's for "legacy")
    parts: list[tuple[str, bool]]  # snippet as (text, is_match) runs
    source: str = ""
    label: str = ""
    score: float = 0.0  # relevance score (0 for legacy ranking and suggestions)
    tier: int = 0  # 0 the query as written, 1 every term, 2 some terms
    near: bool = False  # found only through expansions (近义)
    also_kinds: list[str] = field(default_factory=list)  # phrase kinds of the same text
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
    suggested: bool = False  # 建议素材 for a part (an empty query with prefer_role)
    hidden_stale: int = 0  # results left out by fresh_only


# Token groups per query term: the alternatives (the term itself, then its expansions), each
# a tuple of tokens a matching row has all of.
Groups = list[list[tuple[str, ...]]]


def _groups(query: Query, expansions: dict[str, tuple] | None = None) -> Groups:
    expansions = expansions or {}
    return [
        [term_tokens(term), *(term_tokens(w) for w in expansions.get(term, ()))]
        for term in query.terms
    ]


def _expansions(query: Query, expand: bool, unit_id: int | None = None) -> dict[str, tuple]:
    if not expand:
        return {}
    return clean_expansions(query, synonyms.expand(query.terms, unit_id=unit_id))


def search_groups(query: Query, *, expand: bool = True, unit_id: int | None = None) -> Groups:
    """The token groups library_search(expand=...) looks for: what a count of a query's
    matches (the 素材库 facets) must filter on to agree with the results."""
    return _groups(query, _expansions(query, expand, unit_id))


def _tsquery(groups: Groups, *, every: bool) -> str:
    def conj(tokens):
        return "(" + " & ".join(f"'{t}'" for t in tokens) + ")"

    parts = []
    for alternatives in groups:
        if every and len(alternatives) > 1:
            parts.append("(" + " | ".join(conj(a) for a in alternatives) + ")")
        else:
            parts.extend(conj(a) for a in alternatives)
    return (" & " if every else " | ").join(parts)


def _token_filter(qs: QuerySet, groups: Groups, *, every: bool) -> QuerySet:
    table = qs.model._meta.db_table
    if connection.vendor == "postgresql":
        # search_vector: the stored, GIN-indexed column (speechdraft.core.search_index).
        return qs.extra(
            where=[f'"{table}"."search_vector" @@ to_tsquery(\'simple\'::regconfig, %s)'],
            params=[_tsquery(groups, every=every)],
        )
    qs = qs.alias(_padded=Concat(Value(" "), "search_tokens", Value(" "), output_field=TextField()))
    combined = Q()
    for alternatives in groups:
        either = Q()
        for tokens in alternatives:
            q = Q()
            for token in tokens:
                q &= Q(_padded__contains=f" {token} ")
            either |= q
        combined = (combined & either) if every else (combined | either)
    return qs.filter(combined)


def _candidates(
    qs: QuerySet, groups: Groups, cap: int, fields: tuple[str, ...]
) -> tuple[dict[int, tuple], bool]:
    """Up to `cap` matching rows as tuples (pk first): all the query's words, then any; and
    whether they are all the rows matching any word (no row was left out by the cap).

    No ORDER BY, no joins and no model objects: the GIN bitmap scan can stop after `cap` rows
    however common the words, and ranking needs only the text.
    """
    qs = qs.order_by()
    rows = list(_token_filter(qs, groups, every=True).values_list(*fields)[:cap])
    found = {row[0]: row for row in rows}
    complete = len(rows) < cap
    if len(groups) > 1 and len(found) < cap:
        room = cap - len(found)
        more = list(_token_filter(qs, groups, every=False).values_list(*fields)[:room])
        for row in more:
            found.setdefault(row[0], row)
        complete = len(more) < room
    return found, complete


# Table sizes and PostgreSQL's statistics of common tokens, kept a while per process: they
# move slowly (ingestion adds a few percent at a time), and counting the approved phrases
# costs more than a search (a scan of the table). tests/conftest.py clears them between tests.
STATS_TTL = 600.0
_stats: dict[tuple, tuple[float, object]] = {}
_stats_lock = threading.Lock()


def stats_cache_clear() -> None:
    with _stats_lock:
        _stats.clear()


def _cached(key: tuple, compute):
    key = (connection.alias, connection.settings_dict.get("NAME"), *key)
    now = time.monotonic()
    hit = _stats.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    value = compute()
    with _stats_lock:
        if len(_stats) > 1000:
            _stats.clear()
        _stats[key] = (now + STATS_TTL, value)
    return value


def _common_tokens(table: str) -> dict[str, float]:
    """Share of a table's rows that have each of its most common tokens, as PostgreSQL's
    ANALYZE estimated it (pg_stats keeps it for tsvector columns); empty elsewhere."""
    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
            "WHERE schemaname = current_schema() AND tablename = %s "
            "AND attname = 'search_vector'",
            [table],
        )
        row = cursor.fetchone()
    if not row or not row[0]:
        return {}
    return dict(zip(row[0], row[1], strict=False))  # the frequencies end with 3 summary values


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


def _unit_q(user, prefix: str = "") -> Q:
    """Material of the user's unit plus 共享 material; no user at all (the CLI's search, which
    reads the database anyway): every unit's."""
    return Q() if user is None else visible_to(user, prefix)


def paragraphs_visible_to(user, statuses: Iterable[str] = (Status.APPROVED,)) -> QuerySet:
    """Paragraphs in `statuses` of the user's unit or marked 共享."""
    return Paragraph.objects.filter(_unit_q(user), status__in=list(statuses))


def _visible_paragraphs(user, statuses, roles, tags, years=(), meeting_kinds=()) -> QuerySet:
    qs = paragraphs_visible_to(user, statuses)
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
    """Library phrases in `statuses` of the user's unit or marked 共享, plus the user's own
    private phrases."""
    library = Q(owner__isnull=True, status__in=list(statuses)) & _unit_q(user)
    mine = Q(owner=user) if user is not None and user.is_authenticated else Q(pk__in=[])
    return Phrase.objects.filter(library | mine)


def _library_phrases(user, statuses, kinds, tags) -> QuerySet:
    """The library phrases the user's unit sees, without anyone's private ones."""
    qs = Phrase.objects.filter(_unit_q(user), owner__isnull=True, status__in=list(statuses))
    if kinds:
        qs = qs.filter(kind__in=kinds)
    if tags:
        qs = qs.filter(tags__name__in=tags).distinct()
    return qs


def _visible_phrases(user, statuses, kinds, tags) -> QuerySet:
    qs = phrases_visible_to(user, statuses)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    if tags:
        qs = qs.filter(tags__name__in=tags).distinct()
    return qs


def _parts(text: str, query: Query, width: int, also: Iterable[str] = ()) -> list[tuple[str, bool]]:
    spans = highlight_spans(text, query, also)
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
    ranking: str = "relevance",
    prefer_role: str = "",
    expand: bool = False,
    fresh_only: bool = False,
    as_of: date | None = None,
) -> SearchResponse:
    """Approved paragraphs and phrases (plus the user's private phrases) matching `query`.

    kinds: phrase kinds and/or "paragraph" (empty: everything); roles, years and meeting kinds
    (of the source speech) narrow paragraphs (and, given without kinds, search paragraphs
    only). ranking: "relevance" (default) or "legacy" (exact
    phrase, then all terms, then partial, as before issue 15; it ignores prefer_role and
    expand). prefer_role: the Role of the part the drafter writes in; its material comes
    first among results of similar relevance, and an empty query returns 建议素材 for it.
    expand: also search for the terms' near-synonyms (speechdraft.library.synonyms).
    时效 (library.freshness): results carry `stale` reasons as of `as_of` (today when None);
    `fresh_only` leaves stale ones out.
    """
    if ranking not in RANKINGS:
        raise ValueError(f"ranking must be one of {RANKINGS}, not {ranking!r}")
    kinds, roles, tags, statuses = set(kinds), set(roles), set(tags), list(statuses)
    years, meeting_kinds = set(years), set(meeting_kinds)
    shown_limit = limit = max(1, min(limit, 200))
    if fresh_only:  # look further down the ranking: the freshness step may hide some
        limit = limit * FRESH_ONLY_WINDOW

    def finish(results: list[SearchResult], **extra) -> tuple[list[SearchResult], str, int]:
        speeches = _speeches(results)
        results, hidden = results_mark_stale(
            results,
            as_of=as_of,
            unit_id=unit_id_of(user),
            fresh_only=fresh_only,
            limit=shown_limit,
            years={pk: year for pk, (year, _) in speeches.items()},
        )
        _describe(results, parsed, snippet_width, speeches=speeches, **extra)
        message = f"已隐藏 {hidden} 条过时素材。" if hidden else ""
        return results, message, hidden

    parsed = parse_query(query or "")
    if parsed.empty:
        if prefer_role and not (query or "").strip():
            results = _suggestions(
                user, statuses, roles, tags, years, meeting_kinds, prefer_role, limit
            )
            results, message, hidden = finish(results, also=[])
            message = message or ("" if results else "这一部分还没有可建议的素材。")
            return SearchResponse(parsed, results, message, suggested=True, hidden_stale=hidden)
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
    paragraphs = (
        _visible_paragraphs(user, statuses, roles, tags, years, meeting_kinds)
        if want_paragraphs
        else None
    )
    phrases = _visible_phrases(user, statuses, phrase_kinds, tags) if want_phrases else None
    if ranking == "legacy":  # as before issue 15: question words are searched for too
        legacy_query = parse_query(query or "", spoken=False)
        results = _legacy(legacy_query, paragraphs, phrases, limit, candidate_cap)
        expansions: dict[str, tuple] = {}
    else:
        expansions = _expansions(parsed, expand, unit_id_of(user))
        filters = tuple(tuple(sorted(f)) for f in (statuses, roles, tags, years, meeting_kinds))
        results = _relevance(
            parsed,
            paragraphs,
            phrases,
            limit,
            candidate_cap,
            expansions=expansions,
            prefer_role=prefer_role,
            stats_key=(unit_id_of(user), *filters, tuple(sorted(phrase_kinds))),
            # The table sizes leave out private phrases: the same for a unit, cached once.
            shared_phrases=lambda: _library_phrases(user, statuses, phrase_kinds, tags).count(),
        )
    results, hidden_message, hidden = finish(
        results, also=[w for ws in expansions.values() for w in ws]
    )
    message = "" if results else "没有找到相关素材。"
    message = (message + " " + hidden_message).strip()
    if parsed.truncated:
        message = (message + " 查询过长，只按前 100 个字查找。").strip()
    return SearchResponse(parsed, results, message, hidden_stale=hidden)


def _legacy(
    parsed: Query, paragraphs: QuerySet | None, phrases: QuerySet | None, limit: int, cap: int
) -> list[SearchResult]:
    """Exact and complete matches first; shorter text first within a tier; ties by kind and id."""
    groups = _groups(parsed)
    ranked: list[tuple[tuple, bool, int, str]] = []  # (key, is_phrase, pk, kind)
    if paragraphs is not None:
        rows, _ = _candidates(paragraphs, groups, cap, ("pk", "heading", "text"))
        for pk, heading, text in rows.values():
            key = rank_key(parsed, f"{heading} {text}", simplified=True)
            if key[0] < 3:
                ranked.append((key, False, pk, PARAGRAPH))
    if phrases is not None:
        rows, _ = _candidates(phrases, groups, cap, ("pk", "text", "kind"))
        for pk, text, kind in rows.values():
            key = rank_key(parsed, text, simplified=True)
            if key[0] < 3:
                ranked.append((key, True, pk, kind))
    ranked.sort()
    top = ranked[:limit]
    found_paragraphs = Paragraph.objects.defer("search_tokens").in_bulk(
        [pk for _, is_ph, pk, _ in top if not is_ph]
    )
    found_phrases = Phrase.objects.defer("search_tokens").in_bulk(
        [pk for _, is_ph, pk, _ in top if is_ph]
    )
    results = []
    for key, is_phrase, pk, kind in top:
        if is_phrase:
            ph = found_phrases[pk]
            label = KIND_LABELS.get(kind, kind) + ("（我的）" if ph.owner_id else "")
            results.append(SearchResult(kind, ph, key, [], "", label, tier=key[0]))
        else:
            obj = found_paragraphs[pk]
            results.append(SearchResult(PARAGRAPH, obj, key, [], "", "段落", tier=key[0]))
    return results


def _relevance(
    parsed: Query,
    paragraphs: QuerySet | None,
    phrases: QuerySet | None,
    limit: int,
    cap: int,
    *,
    expansions: dict[str, tuple],
    prefer_role: str,
    stats_key: tuple,
    shared_phrases,
) -> list[SearchResult]:
    """BM25 over paragraphs and phrases together (speechdraft.text.search.relevance).

    idf is taken over both tables at once, so a word weighs the same in a phrase as in a
    paragraph; lengths are normalized per table (a phrase is short among phrases, not among
    paragraphs). Document frequencies are counted on the candidates. When the cap left no
    matching row out (all but common words) that count is exact, and free. When it did, the
    words are common ones, and a count query per word over the token index was measured at
    100-1,000 ms for them here (100,000 paragraphs: a p50 of 238 ms uncached against 36 ms
    with the counts at hand), far above a search; so for those, PostgreSQL's own estimate
    from ANALYZE (the share of rows having each of the ~1,000 most common tokens of a
    table, read once per STATS_TTL) is taken where it is higher. SQLite has no such
    statistics and keeps the candidates' count; a capped candidate set differs between the
    two databases anyway (no ORDER BY), so the order there was never the same. Table sizes:
    one count per table and filter, cached for STATS_TTL.
    """
    groups = _groups(parsed, expansions)
    terms = parsed.terms
    tables = []  # (is_phrase, queryset, rows, docs, complete, count of rows without the user's)
    if paragraphs is not None:
        fields = ("pk", "heading", "text", "keywords", "role")
        rows, complete = _candidates(paragraphs, groups, cap, fields)
        docs = {pk: paragraph_doc(h, t, kw) for pk, h, t, kw, _ in rows.values()}
        tables.append((False, paragraphs, rows, docs, complete, paragraphs.count))
    if phrases is not None:
        rows, complete = _candidates(phrases, groups, cap, ("pk", "text", "kind"))
        docs = {pk: phrase_doc(t) for pk, t, _ in rows.values()}
        tables.append((True, phrases, rows, docs, complete, shared_phrases))

    documents = 0
    df = dict.fromkeys(terms, 0)
    for _, qs, _, docs, complete, count in tables:
        table = qs.model._meta.db_table
        size = _cached((table, *stats_key), count)
        documents += size
        counted = document_frequencies(terms, docs.values())
        if not complete:
            common = _cached((table, "common"), lambda table=table: _common_tokens(table))
            for term in terms:
                shares = [common.get(token) for token in term_tokens(term)]
                if shares and None not in shares:
                    counted[term] = max(counted[term], round(min(shares) * size))
        for term in terms:
            df[term] += counted[term]
    idfs = {term: idf(documents, df[term]) for term in terms}

    ranked: list[Ranked] = []
    for is_phrase, _, rows, docs, _, _ in tables:
        if not docs:
            continue
        avg_length = sum(len(d.text) for d in docs.values()) / len(docs)
        for pk, doc in docs.items():
            row = rows[pk]
            kind = row[2] if is_phrase else PARAGRAPH
            role = _KIND_ROLES.get(kind, "") if is_phrase else row[4]
            found = relevance(parsed, doc, idfs, avg_length, expansions, role)
            if found.tier == 3:
                continue
            score = found.score * (ROLE_BOOST if prefer_role and role == prefer_role else 1)
            ranked.append(Ranked((kind, pk), doc, score, found.tier, is_phrase, (pk,), found.near))

    top = arrange(ranked, limit)
    para_ids = [r.ref[1] for r in top if not r.is_phrase]
    phrase_ids = [r.ref[1] for r in top if r.is_phrase]
    found_paragraphs = Paragraph.objects.defer("search_tokens").in_bulk(para_ids)
    found_phrases = Phrase.objects.defer("search_tokens").in_bulk(phrase_ids)
    results = []
    for r in top:
        kind, pk = r.ref
        if r.is_phrase:
            ph = found_phrases[pk]
            label = KIND_LABELS.get(kind, kind) + ("（我的）" if ph.owner_id else "")
            results.append(SearchResult(kind, ph, r.key, [], "", label, r.score, r.tier, r.near))
            continue
        also = list(dict.fromkeys(m.ref[0] for m in r.merged))
        label = " · ".join(["段落", *(KIND_LABELS.get(k, k) for k in also)])
        obj = found_paragraphs[pk]
        results.append(
            SearchResult(PARAGRAPH, obj, r.key, [], "", label, r.score, r.tier, r.near, also)
        )
    return results


def _suggestions(
    user, statuses, roles, tags, years, meeting_kinds, role: str, limit: int
) -> list[SearchResult]:
    """建议素材: the approved paragraphs of a part most worth offering (suggestion_score)."""
    qs = _visible_paragraphs(user, statuses, roles, tags, years, meeting_kinds).filter(role=role)
    pool = list(
        qs.order_by("-usage_count", "pk").values_list(
            "pk", "usage_count", "heading", "text", "keywords"
        )[:SUGGESTION_POOL]
    )
    pool.sort(key=lambda row: (-suggestion_score(*row[1:]), row[0]))
    chosen = Paragraph.objects.defer("search_tokens").in_bulk([row[0] for row in pool[:limit]])
    return [SearchResult(PARAGRAPH, chosen[row[0]], (), [], "", "段落") for row in pool[:limit]]


def _speeches(results: list[SearchResult]) -> dict[int, tuple[int | None, str]]:
    """{skeleton pk: (year, title)} of the speeches the paragraphs among `results` come from."""
    pks = {r.obj.skeleton_id for r in results if r.is_paragraph}
    if not pks:
        return {}
    rows = Skeleton.objects.filter(pk__in=pks).order_by().values_list("pk", "year", "title")
    return {pk: (year, title) for pk, year, title in rows}


def _describe(
    results: list[SearchResult],
    parsed: Query,
    snippet_width: int,
    *,
    also: Sequence[str],
    speeches: dict[int, tuple[int | None, str]],
) -> None:
    """Snippets and sources of the results (`speeches` as _speeches read them)."""
    phrase_sources = _phrase_sources([r.obj for r in results if not r.is_paragraph])
    for r in results:
        r.parts = _parts(r.obj.text, parsed, snippet_width, also)
        if r.is_paragraph:
            title = speeches.get(r.obj.skeleton_id, (None, ""))[1]
            r.source = f"《{title}》· {ROLE_LABELS.get(r.obj.role, '')}"
        else:
            r.source = phrase_sources.get(r.obj.pk, "")
