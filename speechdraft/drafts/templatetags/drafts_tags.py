"""The editor's own tags: they render with speechdraft.drafts.render, so they live in drafts
(speechdraft.core, a leaf, imports no app above it)."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from speechdraft.drafts.render import OutlineRenderer, ops_html, proposals_html, segments_html
from speechdraft.text.diff import lines

register = template.Library()


@register.filter
def segments(parts) -> SafeString:
    """Rendered slot segments: filled values marked, unfilled slots highlighted."""
    return mark_safe(segments_html(parts))  # escaped piece by piece


@register.filter
def ops(value) -> SafeString:
    """A diff's ops as text with <ins> and <del> (see speechdraft.drafts.compare)."""
    return mark_safe(ops_html(value))  # escaped op by op


@register.filter
def op_lines(value) -> list:
    """A diff's ops cut into the new text's paragraphs."""
    return lines(value)


@register.simple_tag(takes_context=True)
def outline(context) -> SafeString:
    """The editor's outline items (see speechdraft.drafts.render for why not a template)."""
    from django.middleware.csrf import get_token
    from django.template.loader import render_to_string

    draft, editing = context["draft"], context.get("editing")
    edit_html = ""
    if editing:
        block = next((b for b in context["doc"].blocks if b.id == editing), None)
        if block is not None:
            edit_html = render_to_string(
                "drafts/_item_edit.html",
                {
                    "draft": draft,
                    "item": block,
                    "item_id": block.id,
                    "number": block.number,
                    "numbered": bool(block.level),
                    "form": context.get("edit_form"),
                    "error": context.get("edit_error"),
                },
                request=context.get("request"),
            )
    proposals = proposals_html(context["request"], draft, context.get("proposals") or [])
    renderer = OutlineRenderer(
        draft.pk,
        draft.version,
        get_token(context["request"]),
        editing,
        edit_html,
        proposals,
        # The page only reads (审阅, 签发人, or the text locked by the flow): no handles, no
        # 编辑 links. A page rendered without the editor's context (a test) edits.
        readonly=context.get("can_write") is False,
    )
    return renderer.outline(context["doc"].items)


@register.simple_tag(takes_context=True)
def open_proposals(context) -> list:
    """The draft's open proposals, read once for the outline and the import notice."""
    from speechdraft.drafts.imports import open_proposals as of_draft

    return of_draft(context["draft"])


@register.simple_tag(takes_context=True)
def import_notice(context, proposals):
    from speechdraft.drafts.imports import notice_of

    return notice_of(proposals or [], {b.id for b in context["doc"].blocks})


@register.simple_tag(takes_context=True)
def my_drafts(context) -> list:
    """The drafts the signed-in drafter may write in (their own, and those shared with them as
    协作起草), most recently edited first: the 插入到讲话稿 chooser of the library's pages
    (read once per request)."""
    from django.db.models import Q

    from speechdraft.drafts.models import Draft, DraftShare

    request = context["request"]
    if not hasattr(request, "_my_drafts"):
        user = request.user
        shared = Q(shares__user=user, shares__role=DraftShare.Role.EDIT)
        mine = Draft.objects.live().filter(Q(owner=user) | shared).distinct()
        mine = mine.order_by("-updated_at")
        request._my_drafts = list(mine)
    return request._my_drafts


@register.simple_tag(takes_context=True)
def comment_margin(context):
    """The draft's 批注 in threads, in the order of the text (drafts/comments.py)."""
    from speechdraft.drafts.comments import comments_for
    from speechdraft.drafts.selectors import draft_document

    draft = context["draft"]
    doc = context.get("doc") or draft_document(draft)
    return comments_for(draft, [b.id for b in doc.blocks])


@register.simple_tag
def todo_count(user) -> int:
    """How many drafts wait for the user (审核, 修改, 定稿): the top bar's 待办."""
    from speechdraft.drafts.flow import todo_count as count

    return count(user)
