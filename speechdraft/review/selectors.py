"""Reading the curated 提法与用字 list for the pure checks (审稿, and library 时效)."""

from __future__ import annotations

from speechdraft.review.models import Formulation
from speechdraft.text import review as checks


def formulation_rules() -> list[checks.Formulation]:
    """The active entries as the pure checks take them (speechdraft.text.freshness picks
    the dated ones where only those count)."""
    fields = ("wrong", "right", "note", "kind", "valid_from", "superseded_on")
    rows = Formulation.objects.filter(active=True).order_by("pk").values_list(*fields)
    return [checks.Formulation(*row) for row in rows]
