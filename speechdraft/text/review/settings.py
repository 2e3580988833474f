"""Thresholds of the checks (:class:`ReviewSettings`)."""

from __future__ import annotations

from dataclasses import dataclass

from .lexicons import DEFAULT_PHRASE_IGNORE


@dataclass(frozen=True)
class ReviewSettings:
    """Thresholds of every check; the defaults suit a 5,000–20,000-character speech."""

    # Repetition: flag a four-character phrase used more than this many times in the draft.
    phrase_max_uses: int = 3
    phrase_ignore: frozenset[str] = DEFAULT_PHRASE_IGNORE
    # Read jieba's dictionary (once per process) for its idioms (tag i).
    use_jieba_idioms: bool = True
    # Consecutive paragraphs starting with the same ≥ this many CJK characters.
    opening_min_chars: int = 4
    # Sentences shorter than this (letters/digits/CJK) are not compared for duplicates.
    sentence_min_chars: int = 8
    # 空话: only paragraphs with at least this many CJK characters are judged …
    empty_min_chars: int = 40
    # … and flagged when at least this share of their characters is slogan.
    empty_ratio: float = 0.6
    # Opening and closing paragraphs (part_index None) are rhetorical by design.
    empty_check_opening_closing: bool = False
    # A level-1 part longer than long× or shorter than short× the median part is flagged.
    part_long_ratio: float = 2.0
    part_short_ratio: float = 0.4
    part_min_count: int = 3
    # Reuse against the corpus.
    reuse_threshold: float = 0.5
    reuse_min_chars: int = 30
    reuse_k: int = 3
    reuse_error_score: float = 0.8
    # Length.
    rate_per_minute: float = 170
    target_minutes: float | None = None


DEFAULT_SETTINGS = ReviewSettings()
