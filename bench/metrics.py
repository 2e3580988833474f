"""Ranking metrics over graded judgements (pure functions, no Django).

Gains are 2^grade - 1 (grades 0, 1, 2 → 0, 1, 3) with the usual log2(rank + 1) discount.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence


def gain(grade: int) -> float:
    return 2.0**grade - 1.0


def dcg(grades: Sequence[int], k: int) -> float:
    return sum(gain(g) / math.log2(rank + 2) for rank, g in enumerate(grades[:k]))


def ndcg_at_k(ranked: Sequence[str], judged: Mapping[str, int], k: int = 10) -> float:
    """DCG of the top k of `ranked` over the DCG of the best possible top k of `judged`."""
    ideal = dcg(sorted(judged.values(), reverse=True), k)
    if ideal == 0:
        return 0.0
    return dcg([judged.get(item, 0) for item in ranked], k) / ideal


def recall_at_k(
    ranked: Sequence[str], judged: Mapping[str, int], k: int = 10, *, grade: int = 2
) -> float:
    """Share of the items graded `grade` or more found in the top k, out of min(k, how many).

    Capped at k so that a query with 300 fitting paragraphs can still reach 1.0.
    """
    wanted = {item for item, g in judged.items() if g >= grade}
    if not wanted:
        return 0.0
    found = len(wanted.intersection(ranked[:k]))
    return found / min(k, len(wanted))
