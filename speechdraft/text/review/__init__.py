"""Checks of the review panel (审稿): pure functions over plain data.

Every check takes a list of :class:`ReviewItem` (one per paragraph of the draft, in document
order) and returns a list of :class:`Finding`; offsets index ``item.text`` (or ``item.heading``
when ``finding.target == "heading"``). Messages are in Simplified Chinese.

* reuse of past speeches: :func:`check_reuse` (MinHash/LSH, see :mod:`..similarity`), in
  :mod:`.reuse`
* repetition inside the draft: :func:`check_repeated_phrases`, :func:`check_repeated_openings`,
  :func:`check_duplicate_sentences`, in :mod:`.repetition`
* 空话 density: :func:`check_empty_talk`, in :mod:`.empty_talk`
* 提法 and wrongly written words: :func:`check_formulations` (:mod:`.formulations`) with
  :data:`DEFAULT_FORMULATIONS` (:mod:`.formulation_rules`) and :data:`DATED_FORMULATIONS`
  (:mod:`.dated_formulations`)
* format: :func:`check_dates` (:mod:`.dates`), :func:`check_punctuation` and
  :func:`check_brackets` (:mod:`.punctuation`), :func:`check_slots` (:mod:`.slots`)
* 篇幅: :func:`check_part_balance` and :func:`length_summary`, in :mod:`.length`

Underneath them: :mod:`.items` (:class:`ReviewItem`, what a check reads), :mod:`.findings`
(:class:`Finding` and :func:`.findings.finding`, the one way a check builds one),
:mod:`.chars`, :mod:`.lexicons` (word lists, jieba's idioms) and :mod:`.settings`
(:class:`ReviewSettings`). Every name other modules use is importable from this package.

:func:`review_all` runs them all. Per-paragraph checks can be given any subset of the items; the
repetition checks need the whole draft and take ``changed_ids`` to report only findings that
touch the paragraphs just saved.

Character counts (字数) are the office's count (speechdraft.text.counting): what the status
bar shows is what the length check measures. Everything here is pure Python; jieba is only read (lazily, once per
process) for its list of idioms, and never used to segment.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from ..counting import count_chars
from ..similarity import LshIndex, MinHasher
from .dated_formulations import DATED_FORMULATIONS
from .dates import check_dates
from .empty_talk import check_empty_talk, empty_talk_ratio
from .findings import CHECK_LABELS, Finding, Severity
from .formulation_rules import DEFAULT_FORMULATIONS, Formulation
from .formulations import check_formulations
from .items import ReviewItem, changed_set
from .length import LengthSummary, check_length, check_part_balance, length_summary
from .lexicons import (
    DEFAULT_PHRASE_IGNORE,
    SLOGAN_ADVERBS,
    SLOGAN_FRAGMENTS,
    SLOGAN_PHRASES,
    jieba_idioms,
)
from .punctuation import check_brackets, check_punctuation
from .repetition import check_duplicate_sentences, check_repeated_openings, check_repeated_phrases
from .reuse import check_reuse
from .settings import DEFAULT_SETTINGS, ReviewSettings
from .slots import check_slots

__all__ = [
    "CHECK_LABELS",
    "DATED_FORMULATIONS",
    "DEFAULT_FORMULATIONS",
    "DEFAULT_PHRASE_IGNORE",
    "DEFAULT_SETTINGS",
    "SLOGAN_ADVERBS",
    "SLOGAN_FRAGMENTS",
    "SLOGAN_PHRASES",
    "Finding",
    "Formulation",
    "LengthSummary",
    "ReviewItem",
    "ReviewSettings",
    "Severity",
    "check_brackets",
    "check_dates",
    "check_duplicate_sentences",
    "check_empty_talk",
    "check_formulations",
    "check_part_balance",
    "check_punctuation",
    "check_repeated_openings",
    "check_repeated_phrases",
    "check_reuse",
    "check_slots",
    "count_chars",
    "empty_talk_ratio",
    "jieba_idioms",
    "length_summary",
    "review_all",
]


def review_all(
    items: Sequence[ReviewItem],
    *,
    settings: ReviewSettings | None = None,
    formulations: Iterable[Formulation] | None = None,
    filled_slots: Mapping[str, Any] | None = None,
    corpus_index: LshIndex | None = None,
    corpus_lookup: Mapping[Hashable, Any] | Callable[[Hashable], Any] | None = None,
    changed_ids: Iterable[Hashable] | None = None,
    corpus_label: Callable[[Hashable], str] | None = None,
    corpus_exclude: Collection[Hashable] = (),
    hasher: MinHasher | None = None,
    as_of: date | None = None,
) -> list[Finding]:
    """Run every check. ``items`` is always the whole draft, in order.

    ``as_of``: the draft's date, for dated 提法 (today when None).

    With ``changed_ids``, per-paragraph checks run on the changed items only and the
    draft-wide checks (repetition) report only findings that touch them; the part balance and
    length checks always look at the whole draft. The reuse check runs when both
    ``corpus_index`` and ``corpus_lookup`` are given.
    """
    settings = settings or DEFAULT_SETTINGS
    formulations = DEFAULT_FORMULATIONS if formulations is None else tuple(formulations)
    changed = changed_set(changed_ids)
    subset = list(items) if changed is None else [it for it in items if it.id in changed]
    findings: list[Finding] = []
    if corpus_index is not None and corpus_lookup is not None:
        findings += check_reuse(
            subset,
            corpus_index,
            corpus_lookup,
            settings,
            hasher=hasher,
            label=corpus_label,
            exclude=corpus_exclude,
        )
    findings += check_repeated_phrases(items, settings, changed)
    findings += check_repeated_openings(items, settings, changed)
    findings += check_duplicate_sentences(items, settings, changed)
    findings += check_empty_talk(subset, settings)
    findings += check_formulations(subset, formulations, as_of=as_of)
    findings += check_dates(subset)
    findings += check_punctuation(subset)
    findings += check_brackets(subset)
    findings += check_slots(subset, filled_slots)
    findings += check_part_balance(items, settings)
    findings += check_length(items, settings)
    return findings
