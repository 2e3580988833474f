"""时效 of library results: a step after ranking, apart from it.

Every result gets the reasons its text is dated as of the reference date (the draft's meeting
date in the editor, else today) from the curated 提法 list (speechdraft.text.freshness), and a
paragraph its speech's year; `fresh_only` drops the stale ones.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from speechdraft.corpus.models import Skeleton
from speechdraft.library.models import Formulation
from speechdraft.text import review as checks
from speechdraft.text.freshness import stale_reasons_each
from speechdraft.units.access import visible_q


def formulation_rules(unit_id: int | None = None) -> list[checks.Formulation]:
    """The active entries of the curated 提法与用字 list as the pure checks take them (审稿,
    and 时效 here; speechdraft.text.freshness picks the dated ones where only those count):
    those of unit `unit_id` and those marked 共享 (no unit: every unit's)."""
    fields = ("wrong", "right", "note", "kind", "valid_from", "superseded_on")
    rows = Formulation.objects.filter(active=True)
    if unit_id is not None:
        rows = rows.filter(visible_q(unit_id))
    rows = rows.order_by("pk").values_list(*fields)
    return [checks.Formulation(*row) for row in rows]


# How many more ranked results library_search looks at when stale ones are hidden, so that a
# page of fresh material stays full.
FRESH_ONLY_WINDOW = 3


def results_mark_stale(
    results: list,
    *,
    as_of: date | None = None,
    unit_id: int | None = None,
    fresh_only: bool = False,
    limit: int = 20,
    years: dict[int, int | None] | None = None,
):
    """Set `year` and `stale` on each result (in rank order); return the results to show, at
    most `limit`, and how many stale ones ranked among them were left out (`fresh_only`).
    `years`: {skeleton pk: year} of the paragraphs' speeches, when the caller has read them."""
    if not results:
        return results, 0
    as_of = as_of or timezone.localdate()
    rules = tuple(formulation_rules(unit_id))
    if years is None:
        years = dict(
            Skeleton.objects.filter(
                pk__in={r.obj.skeleton_id for r in results if r.is_paragraph}
            ).values_list("pk", "year")
        )
    texts = []
    for r in results:
        r.year = years.get(r.obj.skeleton_id) if r.is_paragraph else None
        text = f"{r.obj.heading}\n{r.obj.text}" if r.is_paragraph else r.obj.text
        texts.append((text, r.year))
    for r, reasons in zip(results, stale_reasons_each(texts, rules, as_of=as_of), strict=True):
        r.stale = reasons
    limit = max(1, min(limit, 200))
    if not fresh_only:
        return results[:limit], 0
    shown, hidden = [], 0
    for r in results:
        if len(shown) == limit:
            break
        if r.stale:
            hidden += 1
        else:
            shown.append(r)
    return shown, hidden
