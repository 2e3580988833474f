"""Template tags of the Word export, for pages of other apps (the editor's 导出 menu)."""

from django import template

from speechdraft.exports.models import Profile
from speechdraft.exports.services import pdf_program

register = template.Library()


@register.simple_tag
def export_profiles() -> list[tuple[str, str]]:
    """(value, label) of every export profile, as the export model defines them."""
    return list(Profile.choices)


@register.simple_tag
def export_pdf_available() -> bool:
    """Whether 导出PDF is offered: LibreOffice is there to lay the Word file out."""
    return pdf_program() is not None
