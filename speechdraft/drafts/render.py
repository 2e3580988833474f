"""HTML of the editor's outline, built in Python.

The outline is the one part of the editor whose size grows with the draft: with a Django
template per item (an include, five forms, six {% url %} reversals each) a 300-item draft took
over 300 ms to render, every time anything changed. Here URLs are formatted from one prefix,
the CSRF token is computed once, and every piece of user text goes through `escape`.
The markup is the same as the templates it replaced: drafts/_document.html includes the result.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape

from django.utils.safestring import SafeString, mark_safe

from speechdraft.drafts.selectors import ViewItem
from speechdraft.text.templating import Segment

ACTIONS = (
    ("up", "上移"),
    ("down", "下移"),
    ("indent", "降级"),
    ("outdent", "升级"),
    ("delete", "删除"),
)


def segments_html(parts: list[Segment] | tuple[Segment, ...]) -> str:
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
    return "".join(out)


def _text_html(v: ViewItem) -> str:
    b = v.block
    # Most rows are unchanged from one version to the next (a move only renumbers), so the
    # markup of an item's text is kept by its content.
    return _text_markup(
        b.error,
        b.number,
        b.level,
        b.run_in,
        tuple(b.heading),
        tuple(tuple(p) for p in b.body),
    )


@lru_cache(maxsize=8192)
def _text_markup(
    error: str,
    number: str,
    level: int,
    run_in: bool,
    heading: tuple[Segment, ...],
    body: tuple[tuple[Segment, ...], ...],
) -> str:
    out = []
    if error:
        out.append(f'<span class="item-error">{escape(error)}</span>')
    if number or heading:
        head = escape(number) + segments_html(heading)
        if run_in and body:
            stop = "。" if heading else ""
            out.append(
                f'<span class="para"><span class="runin-heading lvl-{level}">{head}{stop}</span>'
                f"{segments_html(body[0])}</span>"
            )
            out.extend(f'<span class="para">{segments_html(p)}</span>' for p in body[1:])
        else:
            out.append(f'<span class="heading lvl-{level}">{head}</span>')
            out.extend(f'<span class="para">{segments_html(p)}</span>' for p in body)
    elif body:
        out.extend(f'<span class="para">{segments_html(p)}</span>' for p in body)
    else:
        out.append('<span class="para muted">（空段落）</span>')
    return "".join(out)


class OutlineRenderer:
    def __init__(
        self, draft_pk: int, version: int, csrf_token: str, editing: int | None, edit_html: str
    ):
        self.prefix = f"/drafts/{draft_pk}/items/"
        self.version = version
        self.token = escape(csrf_token)
        self.editing = editing
        self.edit_html = edit_html

    def _actions(self, v: ViewItem) -> str:
        item = f"{self.prefix}{v.id}/"
        forms = [
            f'<a href="?edit={v.id}#item-{v.id}" hx-get="{item}edit/" hx-target="#item-{v.id}" '
            f'hx-swap="innerHTML">编辑</a>'
        ]
        for action, label in ACTIONS:
            extra, cls = "", "link"
            if action == "delete":
                below = "及其下级内容" if v.children else ""
                extra = f' hx-confirm="确定删除这一段{below}？（可用“撤销”恢复）"'
                cls = "link danger"
            forms.append(
                f'<form method="post" action="{item}{action}/" hx-post="{item}{action}/" '
                f'hx-target="#document" hx-swap="outerHTML"{extra}>'
                f'<input type="hidden" name="csrfmiddlewaretoken" value="{self.token}">'
                f'<input type="hidden" name="version" value="{self.version}">'
                f'<button type="submit" class="{cls}">{label}</button></form>'
            )
        return f'<div class="item-actions">{"".join(forms)}</div>'

    def row(self, v: ViewItem, hints_url: str = "") -> str:
        """The item's own row (no children): its text and buttons, or its open editor.

        With `hints_url` (just after a save) the row fetches that item's review hints once it
        is on the page, so checking never slows the save itself."""
        if v.id == self.editing:
            inner = self.edit_html
        else:
            # Clicking the text opens the in-place editor; the real href works without JavaScript.
            inner = (
                '<span class="handle" title="拖动以调整顺序" aria-hidden="true">⠿</span>'
                f'<a class="item-text" href="?edit={v.id}#item-{v.id}" hx-get="{self.prefix}{v.id}/edit/" '
                f'hx-target="#item-{v.id}" hx-swap="innerHTML">{_text_html(v)}</a>{self._actions(v)}'
            )
        hints = (
            f'<div class="item-hints" id="hints-{v.id}" hx-get="{escape(hints_url)}" hx-trigger="load" '
            f'hx-swap="outerHTML"></div>'
            if hints_url
            else ""
        )
        return f'<div class="item-row" id="item-{v.id}">{inner}{hints}</div>'

    def item(self, v: ViewItem) -> str:
        kind = f"numbered level-{v.block.level}" if v.numbered else "para"
        children = ""
        if v.numbered:
            inner = "".join(self.item(c) for c in v.children)
            children = f'<ol class="outline" data-parent="{v.id}">{inner}</ol>'
        return f'<li class="item {kind}" data-id="{v.id}">{self.row(v)}{children}</li>'

    def outline(self, items: list[ViewItem]) -> SafeString:
        # Every piece of user text above went through escape() or segments_html().
        return mark_safe("".join(self.item(v) for v in items))


def render_row(request, draft, doc, item_id: int, hints_url: str = "") -> SafeString:
    """One item's row, as it appears in the outline, after that item alone changed."""
    from django.middleware.csrf import get_token

    view = doc.find(item_id)
    if view is None:
        return mark_safe("")
    renderer = OutlineRenderer(draft.pk, draft.version, get_token(request), None, "")
    return mark_safe(renderer.row(view, hints_url))  # built from escaped pieces
