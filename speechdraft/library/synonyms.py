"""Query expansion for library search (library_search(..., expand=True)).

`expand` maps each query term to words that mean about the same in the genre (安全生产 →
安全工作, 营商环境 → 营商生态). Rows found only through them are marked 近义 and rank below
literal matches. A placeholder until the curated table and the lexicon are in.
"""

from __future__ import annotations

from collections.abc import Sequence


def expand(terms: Sequence[str]) -> dict[str, list[str]]:
    """Near-synonyms per term, best first; a term without any is left out."""
    return {}
