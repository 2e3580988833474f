"""Who sees which unit's material: one's own unit and the units above it (a 科室 works with
its office's library), plus what is marked 共享. Who works on a unit's drafts: members of the
unit, of the units above it and of its 科室 (drafts.access).

The tree of units (each unit's `parent`) is read once and kept for TREE_SECONDS; a change in
this process (the admin) is seen at once, one in another process within that time.
"""

from __future__ import annotations

import time

from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from speechdraft.units.models import Membership, Unit, default_unit_id

TREE_SECONDS = 30.0
_tree: dict = {"at": float("-inf"), "parents": {}}


@receiver(post_save, sender=Unit)
@receiver(post_delete, sender=Unit)
def _tree_changed(**_kwargs) -> None:
    _tree["at"] = float("-inf")


def _parents() -> dict[int, int | None]:
    now = time.monotonic()
    if now - _tree["at"] > TREE_SECONDS:
        _tree["parents"] = dict(Unit.objects.values_list("pk", "parent_id"))
        _tree["at"] = now
    return _tree["parents"]


def units_above(unit_id: int | None) -> tuple[int, ...]:
    """The unit and the units it is in (a 科室, then its office, …); () for no unit."""
    if unit_id is None:
        return ()
    parents = _parents()
    chain = [unit_id]
    while (parent := parents.get(chain[-1])) is not None and parent not in chain:
        chain.append(parent)
    return tuple(chain)


def units_below(unit_id: int | None) -> tuple[int, ...]:
    """The unit and every 科室 inside it, at any depth."""
    if unit_id is None:
        return ()
    parents = _parents()
    return (unit_id, *(u for u in parents if u != unit_id and unit_id in units_above(u)[1:]))


def units_related(unit_id: int | None) -> tuple[int, ...]:
    """The units whose members work together on a draft of `unit_id`: it, the units above it
    and its 科室 (not a sibling 科室: that goes through their office)."""
    return tuple(dict.fromkeys((*units_above(unit_id), *units_below(unit_id))))


def unit_id_of(user) -> int | None:
    """The user's unit id (the default unit for an account without a membership row); None for
    no user or an anonymous one. Kept on the user object for the request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    cached = user.__dict__.get("_unit_id")
    if cached is None:
        cached = (
            Membership.objects.filter(user_id=user.pk).values_list("unit_id", flat=True).first()
        )
        if cached is None:
            cached = default_unit_id()
        user.__dict__["_unit_id"] = cached
    return cached


def visible_q(unit_id: int | None, prefix: str = "") -> Q:
    """Rows of `unit_id` or a unit above it, or marked 共享 (`prefix`: the path to the
    unit-owned model, e.g. "skeleton__"). No unit (an anonymous visitor): shared rows only."""
    shared = Q(**{f"{prefix}shared": True})
    if unit_id is None:
        return shared
    units = units_above(unit_id)
    if len(units) == 1:
        return Q(**{f"{prefix}unit_id": unit_id}) | shared
    return Q(**{f"{prefix}unit_id__in": units}) | shared


def visible_to(user, prefix: str = "") -> Q:
    return visible_q(unit_id_of(user), prefix)


def curated_q(user, prefix: str = "") -> Q:
    """What a staff member curates in the admin: their unit's rows (a superuser: all)."""
    if user.is_superuser:
        return Q()
    return Q(**{f"{prefix}unit_id": unit_id_of(user)})
