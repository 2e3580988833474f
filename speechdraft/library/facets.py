"""Facets of the 素材库 page: 部分, 类型, 标签, 年份, 会议类型, each value with its count.

Counts are of the approved material (plus the drafter's own phrases) that the query's words
match in the search index, or of all of it when the query is empty. Each facet is counted
with every *other* active filter applied and its own left out, so its values say what
choosing one more of them would show (values of one facet combine with 或, facets with 且).

Which material a filter applies to follows library_search: 部分, 年份 and 会议类型 belong to
paragraphs (their source speech), so choosing one lists paragraphs only unless phrase kinds
are chosen too; 标签 applies to both. A speech's year is read off its title or its free-text
date (`Skeleton.date_text`: the corpus stores no date field), its meeting kind off its title
(speechdraft.text.meetings).
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from django.db import connection, transaction
from django.db.models import Count, QuerySet

from speechdraft.corpus.models import Role, Status
from speechdraft.library.models import PhraseKind
from speechdraft.library.selectors import (
    KIND_LABELS,
    PARAGRAPH,
    ROLE_LABELS,
    _token_filter,
    _visible_paragraphs,
    _visible_phrases,
    search_groups,
    skeleton_year_and_kind,
)
from speechdraft.text.meetings import KINDS as MEETING_PATTERNS
from speechdraft.text.meetings import OTHER
from speechdraft.text.search import Query, parse_query
from speechdraft.units.access import unit_id_of

KIND_ORDER = [PARAGRAPH, *PhraseKind.values]
ALL_KIND_LABELS = {PARAGRAPH: "段落", **KIND_LABELS}
MEETING_KINDS = [kind for kind, _ in MEETING_PATTERNS] + [OTHER]
TABS = ("favourites", "recent")
MAX_VALUES = 10  # per parameter: more is not a person clicking
MAX_PAGE = 50
TAG_VALUES_SHOWN = 20


@dataclass(frozen=True)
class Filters:
    """What the 素材库 page shows: the query, the chosen facet values, the tab and page."""

    q: str = ""
    kinds: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    meetings: tuple[str, ...] = ()
    tab: str = ""
    page: int = 1
    fresh: bool = False  # 隐藏过时素材

    @classmethod
    def from_query(cls, data) -> Filters:
        """From request.GET; values that are not choices are dropped, never an error."""

        def values(name, valid=None, convert=str):
            out = []
            for raw in data.getlist(name)[:MAX_VALUES]:
                try:
                    value = convert(raw.strip())
                except ValueError:
                    continue
                if value in ("", None) or (valid is not None and value not in valid):
                    continue
                if value not in out:
                    out.append(value)
            return tuple(out)

        def year(raw):
            value = int(raw)
            if not 1900 <= value <= 2100:
                raise ValueError(raw)
            return value

        try:
            page = max(1, min(int(data.get("page", 1)), MAX_PAGE))
        except ValueError:
            page = 1
        tab = data.get("tab", "")
        return cls(
            q=data.get("q", "")[:2000],
            kinds=values("kind", set(KIND_ORDER)),
            roles=values("role", set(Role.values)),
            tags=tuple(t for t in values("tag") if len(t) <= 30),
            years=values("year", convert=year),
            meetings=values("meeting", set(MEETING_KINDS)),
            tab=tab if tab in TABS else "",
            page=page,
            fresh=data.get("fresh", "") in ("on", "1", "true"),
        )

    @property
    def searching(self) -> bool:
        return bool(self.q.strip())

    @property
    def active(self) -> bool:
        return bool(self.kinds or self.roles or self.tags or self.years or self.meetings)

    def search_kwargs(self) -> dict:
        """library_search's filter arguments."""
        return {
            "kinds": self.kinds,
            "roles": self.roles,
            "tags": self.tags,
            "years": self.years,
            "meeting_kinds": self.meetings,
            "fresh_only": self.fresh,
        }

    def querystring(self, **changes) -> str:
        """This page's query string with `changes` (a new page starts at 1 unless given)."""
        changes.setdefault("page", 1)
        f = replace(self, **changes)
        pairs = [("q", f.q)] if f.q else []
        pairs += [("kind", v) for v in f.kinds] + [("role", v) for v in f.roles]
        pairs += [("tag", v) for v in f.tags] + [("year", v) for v in f.years]
        pairs += [("meeting", v) for v in f.meetings]
        if f.fresh:
            pairs.append(("fresh", "on"))
        if f.tab:
            pairs.append(("tab", f.tab))
        if f.page > 1:
            pairs.append(("page", f.page))
        return "?" + urlencode(pairs)

    def toggled(self, attr: str, value) -> str:
        current = getattr(self, attr)
        chosen = tuple(v for v in current if v != value) if value in current else (*current, value)
        return self.querystring(**{attr: chosen})


@dataclass
class FacetValue:
    value: str | int
    label: str
    count: int
    active: bool
    url: str  # the page's query string with this value chosen or, when active, removed


@dataclass
class Facet:
    name: str  # the query parameter
    label: str
    values: list[FacetValue] = field(default_factory=list)


@dataclass
class ActiveFilter:
    facet: str
    label: str
    remove_url: str


@dataclass
class FacetCounts:
    facets: list[Facet]
    total: int  # the material the current filters list (search: before the search's cap)

    def __iter__(self):
        return iter(self.facets)


# Each facet: its query parameter, Filters attribute, label.
FACETS = (
    ("role", "roles", "部分"),
    ("kind", "kinds", "类型"),
    ("tag", "tags", "标签"),
    ("year", "years", "年份"),
    ("meeting", "meetings", "会议类型"),
)


def _parsed(filters: Filters) -> Query | None:
    return parse_query(filters.q) if filters.searching else None


def _matching(qs: QuerySet, parsed: Query | None, user) -> QuerySet:
    if parsed is None:
        return qs
    return _token_filter(qs, search_groups(parsed, unit_id=unit_id_of(user)), every=False)


def paragraphs_only(filters: Filters) -> bool:
    return bool(filters.roles or filters.years or filters.meetings)


def paragraph_queryset(
    filters: Filters, *, user, parsed: Query | None = None, skip: Iterable[str] = ()
) -> QuerySet | None:
    """The paragraphs the filters list (leaving out the filters named in `skip`), or None
    when the kinds chosen leave paragraphs out."""
    skip = set(skip)
    kinds = () if "kinds" in skip else filters.kinds
    if kinds and PARAGRAPH not in kinds:
        return None
    qs = _visible_paragraphs(
        user,
        [Status.APPROVED],
        *(() if attr in skip else getattr(filters, attr) for attr in PARAGRAPH_FILTERS),
    )
    return _matching(qs, parsed, user).order_by()


PARAGRAPH_FILTERS = ("roles", "tags", "years", "meetings")  # _visible_paragraphs' order


def phrase_queryset(
    filters: Filters, *, user, parsed: Query | None = None, skip: Iterable[str] = ()
) -> QuerySet | None:
    """The phrases the filters list (leaving out the filters named in `skip`), or None when
    they list paragraphs only."""
    phrase_kinds = set(filters.kinds) - {PARAGRAPH}
    if "kinds" in skip:
        phrase_kinds = set()  # counting each phrase kind: what choosing it would list
    elif not (phrase_kinds or not filters.kinds) or (
        paragraphs_only(filters) and not filters.kinds
    ):
        return None
    tags = () if "tags" in skip else filters.tags
    return _matching(
        _visible_phrases(user, [Status.APPROVED], phrase_kinds, tags), parsed, user
    ).order_by()


def _counts(qs: QuerySet | None, *columns: str, distinct: bool) -> dict:
    """{value (a tuple for several columns): count} of `qs` by `columns`."""
    if qs is None:
        return {}
    if "tags__name" in columns:
        qs = qs.filter(tags__isnull=False)
    rows = qs.values(*columns).annotate(n=Count("pk", distinct=distinct))
    return {
        (row[0] if len(columns) == 1 else tuple(row[:-1])): row[-1]
        for row in rows.values_list(*columns, "n")
    }


@contextmanager
def _index_scans(parsed: Query | None):
    """PostgreSQL's planner costs a tsvector match like an equality, so for a common word it
    reads the whole table testing every row's vector, ten times slower than taking the
    matches from the GIN index; while counting a query's matches it is told not to."""
    if parsed is None or connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('enable_seqscan')")
        previous = cursor.fetchone()[0]
        cursor.execute("SELECT set_config('enable_seqscan', 'off', true)")
        try:
            yield
        finally:
            cursor.execute("SELECT set_config('enable_seqscan', %s, true)", [previous])


def facet_counts(filters: Filters, *, user) -> FacetCounts:
    parsed = _parsed(filters)
    if parsed is not None and parsed.empty:
        return FacetCounts([], 0)
    with _index_scans(parsed):
        return _facet_counts(filters, user=user, parsed=parsed)


def _facet_counts(filters: Filters, *, user, parsed: Query | None) -> FacetCounts:
    """Four queries at most: paragraphs by (role, speech) and by tag, phrases by kind and by
    tag; 部分, 年份, 会议类型 and the paragraphs' count come out of the first."""
    tagged = bool(filters.tags)
    labels = skeleton_year_and_kind()
    # Paragraphs by (role, speech), with the query and tags but none of the filters the
    # cells tell apart: each facet then adds the other two.
    cube = _counts(
        paragraph_queryset(
            filters, user=user, parsed=parsed, skip=("kinds", "roles", "years", "meetings")
        ),
        "role",
        "skeleton_id",
        distinct=tagged,
    )
    tests = {
        "roles": lambda role, year, kind: not filters.roles or role in filters.roles,
        "years": lambda role, year, kind: not filters.years or year in filters.years,
        "meetings": lambda role, year, kind: not filters.meetings or kind in filters.meetings,
    }
    wants_paragraphs = not filters.kinds or PARAGRAPH in filters.kinds
    counted: dict[str, dict] = {"roles": {}, "years": {}, "meetings": {}}
    paragraph_total = 0
    for (role, skeleton), n in cube.items():
        year, kind = labels.get(skeleton, (None, OTHER))
        passes = {attr: test(role, year, kind) for attr, test in tests.items()}
        if all(passes.values()):
            paragraph_total += n
        if not wants_paragraphs:
            continue
        for attr, value in (("roles", role), ("years", year), ("meetings", kind)):
            if value is not None and all(ok for other, ok in passes.items() if other != attr):
                counted[attr][value] = counted[attr].get(value, 0) + n

    kind_counts = _counts(
        phrase_queryset(filters, user=user, parsed=parsed, skip=("kinds",)), "kind", distinct=tagged
    )
    kind_counts[PARAGRAPH] = paragraph_total
    counted["kinds"] = kind_counts
    tags = _counts(
        paragraph_queryset(filters, user=user, parsed=parsed, skip=("tags",)),
        "tags__name",
        distinct=False,
    )
    phrase_tags = phrase_queryset(filters, user=user, parsed=parsed, skip=("tags",))
    for name, n in _counts(phrase_tags, "tags__name", distinct=False).items():
        tags[name] = tags.get(name, 0) + n
    counted["tags"] = tags

    facets = []
    for name, attr, label in FACETS:
        counts, chosen = counted[attr], getattr(filters, attr)
        values = [v for v in _order(attr, counts) if counts.get(v) or v in chosen]
        values += [v for v in chosen if v not in values]
        facets.append(
            Facet(
                name,
                label,
                [
                    FacetValue(
                        v,
                        value_label(attr, v),
                        counts.get(v, 0),
                        v in chosen,
                        filters.toggled(attr, v),
                    )
                    for v in values
                ],
            )
        )
    return FacetCounts(facets, _total(filters, counted["kinds"]))


def _order(attr: str, counts: dict) -> list:
    if attr == "roles":
        return list(Role.values)
    if attr == "kinds":
        return KIND_ORDER
    if attr == "years":
        return sorted(counts, reverse=True)
    by_count = sorted(counts, key=lambda v: (-counts[v], str(v)))
    return by_count[:TAG_VALUES_SHOWN] if attr == "tags" else by_count


def _total(filters: Filters, kind_counts: dict) -> int:
    """What the current filters list, from the kind counts (each counted with every other
    filter applied)."""
    phrase_kinds = set(filters.kinds) - {PARAGRAPH}
    total = 0
    if not filters.kinds or PARAGRAPH in filters.kinds:
        total += kind_counts.get(PARAGRAPH, 0)
    if phrase_kinds:
        total += sum(kind_counts.get(k, 0) for k in phrase_kinds)
    elif not filters.kinds and not paragraphs_only(filters):
        total += sum(n for k, n in kind_counts.items() if k != PARAGRAPH)
    return total


def value_label(attr: str, value) -> str:
    if attr == "roles":
        return ROLE_LABELS.get(value, value)
    if attr == "kinds":
        return ALL_KIND_LABELS.get(value, value)
    if attr == "years":
        return f"{value}年"
    return str(value)


def active_filters(filters: Filters) -> list[ActiveFilter]:
    """The chosen facet values, each with the query string that removes it."""
    return [
        ActiveFilter(label, value_label(attr, v), filters.toggled(attr, v))
        for _, attr, label in FACETS
        for v in getattr(filters, attr)
    ]
