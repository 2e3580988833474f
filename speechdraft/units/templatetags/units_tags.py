"""People as the pages name them."""

from django import template

from speechdraft.units.people import person_name

register = template.Library()


@register.filter
def person(user) -> str:
    """A person's name as the pages say it (姓名, else the username)."""
    return person_name(user) or "—"
