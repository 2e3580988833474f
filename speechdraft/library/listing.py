"""素材库 without a query: browsing by facets (most used first), 收藏, 最近使用, and the full
view of one paragraph with its source speech and neighbours."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from speechdraft.corpus.models import Paragraph, Skeleton, Status
from speechdraft.library.facets import (
    FacetCounts,
    Filters,
    active_filters,
    facet_counts,
    paragraph_queryset,
    phrase_queryset,
)
from speechdraft.library.freshness import results_mark_stale
from speechdraft.library.models import Favourite, MaterialUse, Phrase
from speechdraft.library.selectors import (
    KIND_LABELS,
    PARAGRAPH,
    ROLE_LABELS,
    SearchResponse,
    SearchResult,
    _phrase_sources,
    library_search,
    paragraphs_visible_to,
    phrases_visible_to,
)
from speechdraft.text.meetings import meeting_kind, year_of
from speechdraft.text.search import snippet_window
from speechdraft.units.access import unit_id_of

PAGE_SIZE = 30
SNIPPET = 120
LISTED = 50  # 收藏 / 最近使用 shown at most
NEIGHBOURS = 3  # paragraphs shown before and after in the full view


@dataclass
class Listing(SearchResponse):
    """A page of browsed material: SearchResponse's results, and whether more follow."""

    has_more: bool = False
    page: int = 1


def _snippet(text: str, width: int = SNIPPET) -> list[tuple[str, bool]]:
    """The beginning of `text`, never cut inside a slot (the page shows a slot whole)."""
    _, end = snippet_window(text, [], width)
    return [(text[:end] + ("…" if end < len(text) else ""), False)]


def results_for(objs: list[Paragraph | Phrase], *, user=None) -> list[SearchResult]:
    """Paragraphs and phrases as result rows (the search's template shows them): their
    source, label, a plain snippet and whether `user` keeps them in 收藏."""
    results = []
    for obj in objs:
        if isinstance(obj, Paragraph):
            results.append(SearchResult(PARAGRAPH, obj, (), _snippet(obj.text), "", "段落"))
        else:
            label = KIND_LABELS.get(obj.kind, obj.kind) + ("（我的）" if obj.owner_id else "")
            results.append(SearchResult(obj.kind, obj, (), _snippet(obj.text), "", label))
    titles = dict(
        Skeleton.objects.filter(
            pk__in={r.obj.skeleton_id for r in results if r.is_paragraph}
        ).values_list("pk", "title")
    )
    sources = _phrase_sources([r.obj for r in results if not r.is_paragraph])
    for r in results:
        if r.is_paragraph:
            r.source = f"《{titles.get(r.obj.skeleton_id, '')}》· {ROLE_LABELS.get(r.obj.role, '')}"
        else:
            r.source = sources.get(r.obj.pk, "")
    mark_favourites(results, user)
    # 时效 marks, as of today
    results_mark_stale(results, limit=len(results), unit_id=unit_id_of(user))
    return results


def mark_favourites(results: list[SearchResult], user) -> list[SearchResult]:
    """Set `favourite` on each result: whether `user` keeps it in 收藏."""
    kept: set[tuple[bool, int]] = set()
    if user is not None and user.is_authenticated and results:
        paragraphs = [r.obj.pk for r in results if r.is_paragraph]
        phrases = [r.obj.pk for r in results if not r.is_paragraph]
        rows = Favourite.objects.filter(user=user).filter(
            Q(paragraph_id__in=paragraphs) | Q(phrase_id__in=phrases)
        )
        for paragraph_id, phrase_id in rows.values_list("paragraph_id", "phrase_id"):
            kept.add((True, paragraph_id) if paragraph_id else (False, phrase_id))
    for r in results:
        r.favourite = (r.is_paragraph, r.obj.pk) in kept
    return results


def browse(filters: Filters, *, user, page_size: int = PAGE_SIZE) -> Listing:
    """The material the filters choose, most used first (ties: paragraphs, then oldest)."""
    page = filters.page
    wanted = page * page_size + 1  # one more: whether a next page follows
    rows: list[tuple[int, int, int]] = []
    paragraphs = paragraph_queryset(filters, user=user)
    if paragraphs is not None:
        for pk, used in paragraphs.order_by("-usage_count", "pk").values_list("pk", "usage_count")[
            :wanted
        ]:
            rows.append((-used, 0, pk))
    phrases = phrase_queryset(filters, user=user)
    if phrases is not None:
        for pk, used in phrases.order_by("-usage_count", "pk").values_list("pk", "usage_count")[
            :wanted
        ]:
            rows.append((-used, 1, pk))
    rows.sort()
    shown = rows[(page - 1) * page_size : page * page_size]
    by_pk = {
        0: Paragraph.objects.in_bulk([pk for _, t, pk in shown if t == 0]),
        1: Phrase.objects.in_bulk([pk for _, t, pk in shown if t == 1]),
    }
    results = results_for([by_pk[t][pk] for _, t, pk in shown], user=user)
    if filters.fresh:  # this page without its stale material (the next page is not pulled up)
        results = [r for r in results if not r.stale]
    message = "" if results else "没有符合条件的素材。"
    return Listing(None, results, message, has_more=len(rows) > page * page_size, page=page)


def _visible_refs(qs, user):
    """Favourite or MaterialUse rows whose item the user may still use (approved paragraphs,
    visible phrases)."""
    return qs.filter(
        Q(paragraph__in=paragraphs_visible_to(user).values("pk"))
        | Q(phrase__in=phrases_visible_to(user).values("pk"))
    ).select_related("paragraph", "phrase")


def favourites_of(user, limit: int = LISTED) -> Listing:
    """收藏, the most recently added first."""
    rows = _visible_refs(Favourite.objects.filter(user=user), user).order_by("-created_at", "-id")
    results = results_for([f.item for f in rows[:limit]], user=user)
    return Listing(None, results, "" if results else "还没有收藏素材：点素材旁的 ☆ 即可收藏。")


def recent_of(user, limit: int = LISTED) -> Listing:
    """最近使用: material inserted lately, each once, the most recent use first."""
    items, seen = [], set()
    for use in _visible_refs(MaterialUse.objects.filter(user=user), user).order_by("-at", "-id"):
        key = (use.paragraph_id, use.phrase_id)
        if key not in seen:
            seen.add(key)
            items.append(use.item)
        if len(items) >= limit:
            break
    results = results_for(items, user=user)
    return Listing(
        None, results, "" if results else "还没有使用过素材：插入到讲话稿的素材会列在这里。"
    )


@dataclass
class Neighbour:
    paragraph: Paragraph
    current: bool
    approved: bool


@dataclass
class ParagraphView:
    paragraph: Paragraph
    skeleton: Skeleton
    role: str
    year: int | None
    meeting: str
    tags: list[str]
    favourite: bool
    before: list[Neighbour] = field(default_factory=list)
    after: list[Neighbour] = field(default_factory=list)

    @property
    def neighbours(self) -> list[Neighbour]:
        return [*self.before, Neighbour(self.paragraph, True, True), *self.after]


def paragraph_view(paragraph: Paragraph, *, user, around: int = NEIGHBOURS) -> ParagraphView:
    """An approved paragraph in full: its source speech, role, tags, year, meeting kind and
    the paragraphs around it in that speech (rejected ones left out)."""
    skeleton = paragraph.skeleton
    speech = Paragraph.objects.filter(skeleton=skeleton).exclude(status=Status.REJECTED)
    before = list(speech.filter(position__lt=paragraph.position).order_by("-position")[:around])
    after = list(speech.filter(position__gt=paragraph.position).order_by("position")[:around])
    return ParagraphView(
        paragraph=paragraph,
        skeleton=skeleton,
        role=ROLE_LABELS.get(paragraph.role, ""),
        year=year_of(skeleton.title, skeleton.date_text),
        meeting=meeting_kind(skeleton.title),
        tags=list(paragraph.tags.values_list("name", flat=True)),
        favourite=user is not None
        and user.is_authenticated
        and Favourite.objects.filter(user=user, paragraph=paragraph).exists(),
        before=[Neighbour(p, False, p.status == Status.APPROVED) for p in reversed(before)],
        after=[Neighbour(p, False, p.status == Status.APPROVED) for p in after],
    )


@dataclass
class LibraryPage:
    """What the 素材库 page shows for `filters`: search results or a browsed page (with
    facet counts), or the drafter's 收藏 / 最近使用."""

    filters: Filters
    response: SearchResponse
    facets: FacetCounts | None

    def context(self) -> dict:
        f = self.filters
        facet_fields = {"kinds": (), "roles": (), "tags": (), "years": (), "meetings": ()}
        hidden = [("kind", v) for v in f.kinds] + [("role", v) for v in f.roles]
        hidden += [("tag", v) for v in f.tags] + [("year", v) for v in f.years]
        hidden += [("meeting", v) for v in f.meetings]
        return {
            "filters": f,
            "response": self.response,
            "facets": self.facets,
            "active_filters": active_filters(f) if self.facets is not None else [],
            "hidden_filters": hidden if self.facets is not None else [],
            "tab_urls": {
                "all": f.querystring(tab=""),
                "favourites": Filters(tab="favourites").querystring(),
                "recent": Filters(tab="recent").querystring(),
            },
            "clear_url": f.querystring(**facet_fields),
            "prev_url": f.querystring(page=f.page - 1),
            "next_url": f.querystring(page=f.page + 1),
        }


def library_page(filters: Filters, *, user, limit: int = PAGE_SIZE) -> LibraryPage:
    if filters.tab == "favourites":
        return LibraryPage(filters, favourites_of(user), None)
    if filters.tab == "recent":
        return LibraryPage(filters, recent_of(user), None)
    if filters.searching:
        response = library_search(
            filters.q, user=user, limit=limit, expand=True, **filters.search_kwargs()
        )
        mark_favourites(response.results, user)
    else:
        response = browse(filters, user=user, page_size=limit)
    return LibraryPage(filters, response, facet_counts(filters, user=user))
