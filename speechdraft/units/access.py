"""Who sees which unit's material: one's own unit, plus what is marked 共享."""

from __future__ import annotations

from django.db.models import Q

from speechdraft.units.models import Membership, default_unit_id


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
    """Rows of `unit_id` or marked 共享 (`prefix`: the path to the unit-owned model, e.g.
    "skeleton__"). No unit (an anonymous visitor): shared rows only."""
    shared = Q(**{f"{prefix}shared": True})
    if unit_id is None:
        return shared
    return Q(**{f"{prefix}unit_id": unit_id}) | shared


def visible_to(user, prefix: str = "") -> Q:
    return visible_q(unit_id_of(user), prefix)


def curated_q(user, prefix: str = "") -> Q:
    """What a staff member curates in the admin: their unit's rows (a superuser: all)."""
    if user.is_superuser:
        return Q()
    return Q(**{f"{prefix}unit_id": unit_id_of(user)})
