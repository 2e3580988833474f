import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_SLOT = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")


@register.filter
def slots(text: str) -> SafeString:
    """Escape `text` and show each `{{ 名称 }}` slot as a marked chip."""
    out, cursor = [], 0
    text = str(text)
    for match in _SLOT.finditer(text):
        out.append(escape(text[cursor : match.start()]))
        out.append(
            f'<span class="slot" title="待填写：{escape(match[1])}">{escape(match[1])}</span>'
        )
        cursor = match.end()
    out.append(escape(text[cursor:]))
    return mark_safe("".join(out))  # every piece above is escaped


@register.filter
def segments(parts) -> SafeString:
    """Rendered slot segments: filled values marked, unfilled slots highlighted."""
    out = []
    for seg in parts or ():
        if seg.slot is None:
            out.append(escape(seg.text))
        elif seg.filled:
            out.append(
                f'<span class="slot-filled" title="{escape(seg.slot)}">{escape(seg.text)}</span>'
            )
        else:
            out.append(f'<span class="slot unfilled" title="待填写">{escape(seg.slot)}</span>')
    return mark_safe("".join(out))  # every piece above is escaped


@register.filter
def get_level(numbering: dict, level) -> dict:
    return (numbering or {}).get(str(level)) or {}
