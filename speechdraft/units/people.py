"""People as the pages name them, and the members of a unit."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from speechdraft.units.models import Membership


def person_name(user) -> str:
    """A person's name as Chinese writes it (姓 then 名, no space), else the username."""
    if user is None:
        return ""
    name = f"{user.last_name.strip()}{user.first_name.strip()}"
    return name or user.get_username()


def unit_members(units, *, exclude=None):
    """Active members of the units (ids), by name."""
    users = get_user_model().objects.filter(
        is_active=True, pk__in=Membership.objects.filter(unit_id__in=units).values("user_id")
    )
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return users.order_by("last_name", "first_name", "username")


def unit_names_of(users) -> dict[int, str]:
    """Each user's unit as the pages name it (a 科室 without its office: 综合科)."""
    rows = Membership.objects.filter(user__in=list(users)).values_list("user_id", "unit__name")
    return dict(rows)
