from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from speechdraft.text.templating import MENU_LABELS, iter_slots, slot_label

register = template.Library()


@register.filter
def slots(text: str) -> SafeString:
    """Escape `text` and show each `{{ 名称 }}` slot as a marked chip."""
    out, cursor = [], 0
    text = str(text)
    for match in iter_slots(text):
        out.append(escape(text[cursor : match.start()]))
        shown = escape(slot_label(match[1]))
        out.append(f'<span class="slot" title="待填写：{escape(match[1])}">{shown}</span>')
        cursor = match.end()
    out.append(escape(text[cursor:]))
    return mark_safe("".join(out))  # every piece above is escaped


@register.filter
def speech_date(value) -> str:
    """A date as the speech's byline and the Word file write it (EXPORT_DATE_STYLE)."""
    from django.conf import settings

    from speechdraft.text.numbering import format_date

    return format_date(value, getattr(settings, "EXPORT_DATE_STYLE", "arabic")) if value else ""


@register.simple_tag
def block_lines_of(doc):
    """The preview's paragraphs: (kind, level, lead segments, body segments) per line, from
    the same lines the editor and the Word export show (speechdraft.text.outline)."""
    from speechdraft.text.outline import block_lines

    out, first = [], True
    for block in doc.blocks:
        lines = block_lines(block, first=first)
        if lines:
            first = False
        out.extend((line.kind, block.level, line.lead, line.body) for line in lines)
    return out


@register.filter
def get_level(numbering: dict, level) -> dict:
    return (numbering or {}).get(str(level)) or {}


@register.filter
def is_blank_of(name: str, doc) -> bool:
    """The variable fills one of the draft's blanks (shown with its kind, not on its own)."""
    return any(use.name == name for use in getattr(doc, "slots", ()))


@register.filter
def value_of(mapping: dict, key: str) -> str:
    return (mapping or {}).get(key, "")


@register.filter
def menu_label(name: str) -> str:
    return MENU_LABELS.get(name, name)


@register.filter
def is_blank_kind(name: str) -> bool:
    """A kind of blank (姓名, 县区名 …): each one inserted is a blank of its own."""
    from speechdraft.text.templating import BLANK_KINDS

    return name in BLANK_KINDS
