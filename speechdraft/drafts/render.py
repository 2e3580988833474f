"""HTML of the editor's outline, built in Python.

The outline is the one part of the editor whose size grows with the draft: with a Django
template per item (an include, five forms, six {% url %} reversals each) a 300-item draft took
over 300 ms to render, every time anything changed. Here each action's URL is reversed once,
the CSRF token is computed once, and every piece of user text goes through `escape`.

The outline reads as the printed speech: each paragraph is the line `block_lines` makes of it
(speechdraft.text.outline), the same lines the preview, the reading text and the Word export
use. The parts a drafter types into carry `data-field` ("heading", or "body" with the index of
the body paragraph in `data-para`); editor.js makes them editable and turns them back into text,
slots included. Without JavaScript they are plain text and the row's 编辑 link opens a form.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from speechdraft.drafts.imports import open_proposals
from speechdraft.drafts.selectors import ViewItem
from speechdraft.text.diff import Op
from speechdraft.text.outline import Block, block_lines
from speechdraft.text.templating import Segment, to_brackets

# (action, label, shortcut)
_ANY_ID = 987654321987
ACTIONS = (
    ("up", "上移", "Alt+↑"),
    ("down", "下移", "Alt+↓"),
    ("indent", "降级", "Tab"),
    ("outdent", "升级", "Shift+Tab"),
    ("delete", "删除", ""),
)
# Why an action cannot apply to an item, shown on its disabled button.
REASONS = {
    "up": "已是同级第一项，不能上移",
    "down": "已是同级最后一项，不能下移",
    "indent": "前面没有可以归属的部分或要点，不能降级",
    "outdent": "已是最上一级，不能升级",
}


def blocked_actions(v: ViewItem) -> set[str]:
    """The moves that cannot apply to this item where it stands (shown disabled, with why)."""
    blocked = set()
    if v.first:
        blocked.add("up")
    if v.last:
        blocked.add("down")
    if not v.can_indent:
        blocked.add("indent")
    if v.block.parent_id is None:
        blocked.add("outdent")
    return blocked


def segments_html(parts: list[Segment] | tuple[Segment, ...]) -> str:
    """Text with its slots as chips: a filled slot shows its value, an unfilled one its name.
    A chip is one unit in the editor (never typed as braces); `data-slot` names it."""
    out = []
    for seg in parts or ():
        if seg.slot is None:
            out.append(escape(seg.text))
            continue
        name = escape(seg.slot)
        if seg.filled:
            out.append(
                f'<span class="chip" contenteditable="false" data-slot="{name}" '
                f'title="填空：{name}">{escape(seg.text)}</span>'
            )
        else:
            out.append(
                f'<span class="chip unfilled" contenteditable="false" data-slot="{name}" '
                f'title="待填写：{name}">{name}</span>'
            )
    return "".join(out)


def ops_html(ops: list[Op]) -> str:
    """A diff as one line of text (see speechdraft.drafts.compare): insertions in <ins>,
    deletions in <del>, slots as 【名称】, a line break only the old text had as ↵."""
    out = []
    for op in ops or ():
        text = escape(to_brackets(op.text)).replace("\n", "↵")
        if op.kind == "insert":
            out.append(f"<ins>{text}</ins>")
        elif op.kind == "delete":
            out.append(f"<del>{text}</del>")
        else:
            out.append(text)
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
        b.stop,
        tuple(tuple(p) for p in b.body),
        v.numbered,
        v.first_block,
        b.hint,
    )


def _body_attrs(index: int, placeholder: str = "") -> str:
    ph = f' data-ph="{placeholder}"' if placeholder else ""
    return f'data-field="body" data-para="{index}"{ph}'


@lru_cache(maxsize=8192)
def _text_markup(
    error: str,
    number: str,
    level: int,
    run_in: bool,
    heading: tuple[Segment, ...],
    stop: str,
    body: tuple[tuple[Segment, ...], ...],
    numbered: bool,
    first_block: bool,
    hint: str = "",
) -> str:
    block = Block(
        0, None, 0, level, number, run_in, list(heading), [list(p) for p in body], error, stop
    )
    out = []
    if error:
        out.append(f'<span class="item-error">{escape(error)}</span>')
    num = f'<span class="num lvl-{level}">{escape(number)}</span>' if number else ""
    # A numbered item always offers its heading; a run-in style that is a number only
    # (一是, 第一，) has none unless one was written.
    show_heading = bool(heading) or (
        numbered and not (run_in and number.endswith(("是", "要", "，")))
    )
    head_ph = "输入部分标题" if level == 1 else "输入要点标题"
    head = (
        f'<span class="ed ed-heading lvl-{level}" data-field="heading" data-ph="{head_ph}">'
        f"{segments_html(heading)}</span>"
        if show_heading
        else ""
    )
    lines = block_lines(block, first=first_block)
    if lines and lines[0].kind == "salutation":
        # The salutation and the rest of the first paragraph are one paragraph of text, shown
        # on two lines: one editable paragraph holds both.
        rest = lines[1].body if len(lines) > 1 and lines[1].para == 0 else ()
        alone = "" if rest else " alone"  # nothing after it: no second line to start
        out.append(
            f'<div class="para ed opening" {_body_attrs(0)}><span class="salutation{alone}">'
            f"{segments_html(lines[0].body)}</span>{segments_html(rest)}</div>"
        )
        lines = lines[2:] if rest else lines[1:]
    for line in lines:
        if line.kind == "heading":
            out.append(f'<p class="heading lvl-{level}">{num}{head}</p>')
        elif line.kind == "lead":
            # Always there (editor.js fills it in as a heading is typed), empty without one.
            stop_html = f'<span class="stop lvl-{level}">{escape(stop)}</span>' if head else ""
            out.append(
                f'<p class="para lead">{num}{head}{stop_html}<span class="ed ed-runin" '
                f"{_body_attrs(0, escape(hint) or '正文')}>{segments_html(line.body)}</span></p>"
            )
        else:
            out.append(
                f'<p class="para ed" {_body_attrs(line.para)}>{segments_html(line.body)}</p>'
            )
    if not out or (error and len(out) == 1):
        out.append(f'<p class="para ed" {_body_attrs(0, escape(hint) or "输入正文")}></p>')
    elif hint and not body and lines and lines[-1].kind == "heading":
        # A part still to be written: its empty body says what goes there.
        out.append(f'<p class="para ed" {_body_attrs(0, escape(hint))}></p>')
    return "".join(out)


class OutlineRenderer:
    def __init__(
        self,
        draft_pk: int,
        version: int,
        csrf_token: str,
        editing: int | None,
        edit_html: str,
        proposals: dict[int, str] | None = None,
        *,
        readonly: bool = False,
    ):
        # Each action's URL reversed once (not once per item): the part before and after the
        # item's id, which stands in as a number no real row has.
        self.urls = {
            action: reverse(f"drafts:item_{action}", args=[draft_pk, _ANY_ID]).rsplit(
                str(_ANY_ID), 1
            )
            for action, _label, _keys in ACTIONS
        }
        self.version = version
        self.token = escape(csrf_token)
        self.editing = editing
        self.edit_html = edit_html
        # The open proposals of an item (drafts/_proposals.html), under its text, outside it:
        # never part of what the drafter types.
        self.proposals = proposals or {}
        self.readonly = readonly

    def _url(self, action: str, item_id: int) -> str:
        before, after = self.urls[action]
        return f"{before}{item_id}{after}"

    def _forms(self, v: ViewItem) -> str:
        """The item's actions as plain forms: for the item open in its form (?edit=), the
        way without JavaScript. With it, one shared bar (drafts/_item_bar.html) serves every
        item, so the outline carries no buttons of its own."""
        hidden = (
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{self.token}">'
            f'<input type="hidden" name="version" value="{self.version}">'
        )
        blocked = blocked_actions(v)
        forms = []
        for action, label, _keys in ACTIONS:
            cls = "link danger" if action == "delete" else "link"
            disabled = f' disabled title="{REASONS[action]}"' if action in blocked else ""
            forms.append(
                f'<form method="post" action="{self._url(action, v.id)}">{hidden}'
                f'<button type="submit" class="{cls}"{disabled}>{label}</button></form>'
            )
        return f'<div class="item-forms" role="group" aria-label="段落操作">{"".join(forms)}</div>'

    def row(self, v: ViewItem, hints_url: str = "") -> str:
        """The item's own row (no children): its text, or its open form.

        With `hints_url` (just after a save) the row fetches that item's review hints once it
        is on the page, so checking never slows the save itself."""
        if self.readonly:
            # The text as it reads: its parts still carry data-field (批注 find the words
            # selected in them), but nothing makes them editable.
            inner = f'<div class="item-text">{_text_html(v)}</div>'
        elif v.id == self.editing:
            inner = self.edit_html + self._forms(v)
        else:
            # The real href opens the item's form where there is no JavaScript.
            inner = (
                '<span class="handle" title="拖动以调整顺序" aria-hidden="true">⠿</span>'
                f'<div class="item-text">{_text_html(v)}</div>'
                f'<a class="edit-link" href="?edit={v.id}#item-{v.id}">编辑</a>'
            )
        hints = (
            f'<div class="item-hints" id="hints-{v.id}" hx-get="{escape(hints_url)}" hx-trigger="load" '
            f'hx-swap="outerHTML"></div>'
            if hints_url
            else ""
        )
        blocked = " ".join(sorted(blocked_actions(v)))
        proposals = self.proposals.get(v.id, "")  # a rendered template: escaped there
        return (
            f'<div class="item-row" id="item-{v.id}" tabindex="-1" data-blocked="{blocked}">'
            f"{inner}{hints}{proposals}</div>"
        )

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
    renderer = OutlineRenderer(
        draft.pk,
        draft.version,
        get_token(request),
        None,
        "",
        proposals_html(request, draft, open_proposals(draft, item_id=item_id)),
    )
    return mark_safe(renderer.row(view, hints_url))  # built from escaped pieces


def proposals_html(request, draft, proposals) -> dict[int, str]:
    """Item id → its open proposals as drafts/_proposals.html shows them (insertions green and
    underlined, deletions red and struck, comments as notes, each with 接受 / 拒绝)."""
    from django.template.loader import render_to_string

    groups: dict[int, list] = {}
    for proposal in proposals:
        if proposal.item_id is not None and proposal.kind != "unplaced":
            groups.setdefault(proposal.item_id, []).append(proposal)
    return {
        item_id: render_to_string(
            "drafts/_proposals.html", {"draft": draft, "proposals": group}, request=request
        )
        for item_id, group in groups.items()
    }
