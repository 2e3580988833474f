"""Reading the curated 提法与用字 list for the pure checks (审稿, and library 时效)."""

from __future__ import annotations

from speechdraft.review.models import Formulation
from speechdraft.text import review as checks


def formulation_rules() -> list[checks.Formulation]:
    """The active entries as the pure checks take them (speechdraft.text.freshness picks
    the dated ones where only those count)."""
    return [
        checks.Formulation(f.wrong, f.right, f.note, f.kind, f.valid_from, f.superseded_on)
        for f in Formulation.objects.filter(active=True).order_by("pk")
    ]
