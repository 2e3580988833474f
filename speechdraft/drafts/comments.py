"""批注: readers' remarks on words of a draft, their answers, and whether each is settled.

Anyone with a role on the draft (起草人, 协作起草, 审阅, 签发人: drafts/access.COMMENT) comments,
answers and marks a comment 已解决 or opens it again; views check that. A comment never
changes the text nor its version. It is anchored to the words it was made on (`anchor`, with
the text beside them and their offset), found again in the item's current text through
edits by the one anchoring rule (speechdraft.text.anchors); words no longer there, or an item
deleted, read as 原文已修改 with the original words quoted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from speechdraft.core.params import parse_id
from speechdraft.drafts.errors import DraftError
from speechdraft.drafts.models import Comment, Draft, DraftItem, Flow
from speechdraft.text.anchors import find_anchor
from speechdraft.text.sanitize import plain_text

MAX_COMMENT_CHARS = 2000
CONTEXT_CHARS = 40  # of the text beside the words, kept to find them again
FIELDS = ("heading", "body")
FINAL = "讲话稿已定稿，不能再批注。"
ITEM_MISSING = "找不到要批注的段落，可能已被删除，请刷新页面后重新选择。"
NO_WORDS = "请先在正文中选中要批注的文字。"
NO_TEXT = "请填写批注内容。"
REPLY_EMPTY = "请填写回复内容。"


def _snippet(words: str, size: int = 16) -> str:
    words = words.replace("\n", " ")
    return words if len(words) <= size else words[:size] + "…"


def _text(raw: str, empty: str) -> str:
    text = plain_text(raw or "").strip()
    if not text:
        raise DraftError(empty)
    if len(text) > MAX_COMMENT_CHARS:
        raise DraftError(
            f"批注最多 {MAX_COMMENT_CHARS} 个字（现在 {len(text)} 个字），请精简后再提交。"
        )
    return text


def _not_final(draft: Draft) -> None:
    flow = Draft.objects.filter(pk=draft.pk).values_list("flow", flat=True).first()
    if (flow or draft.flow) == Flow.FINAL:
        raise DraftError(FINAL)


@transaction.atomic
def comment_add(
    draft: Draft,
    *,
    user,
    item_id,
    field: str,
    anchor: str,
    before: str = "",
    after: str = "",
    offset=0,
    text: str,
) -> Comment:
    """A comment on the words `anchor` of one item's heading or body, as they stand in its
    current text (at `offset`, or where `before`/`after` place them if the text moved)."""
    _not_final(draft)
    item = DraftItem.objects.filter(draft=draft, pk=parse_id(item_id) or 0).first()
    if item is None:
        raise DraftError(ITEM_MISSING)
    if field not in FIELDS:
        raise DraftError("批注的位置不正确，请重新选择文字。")
    words = plain_text(anchor or "")
    if not words.strip():
        raise DraftError(NO_WORDS)
    body = _text(text, NO_TEXT)
    current = getattr(item, field)
    near = parse_id(offset) or 0
    if current[near : near + len(words)] == words:
        at: int | None = near
    else:
        at = find_anchor(current, words, plain_text(before), plain_text(after), near)
    if at is None:
        raise DraftError(
            f"所选文字“{_snippet(words)}”已不在这一段中（可能刚被修改），请刷新页面后重新选择。"
        )
    end = at + len(words)
    return Comment.objects.create(
        draft=draft,
        item=item,
        field=field,
        anchor=words,
        before=current[max(0, at - CONTEXT_CHARS) : at],
        after=current[end : end + CONTEXT_CHARS],
        offset=at,
        text=body,
        author=user,
        version=draft.version,
    )


def _thread_of(comment: Comment) -> Comment:
    """The comment a thread starts with (an answer's own comment)."""
    return comment.parent if comment.parent_id else comment


@transaction.atomic
def comment_answer(comment: Comment, *, user, text: str) -> Comment:
    """回复: an answer under the comment's thread; an answer reopens nothing by itself."""
    top = _thread_of(comment)
    _not_final(top.draft)
    return Comment.objects.create(
        draft_id=top.draft_id,
        item_id=top.item_id,
        parent=top,
        field=top.field,
        text=_text(text, REPLY_EMPTY),
        author=user,
        version=top.draft.version,
    )


@transaction.atomic
def comment_resolve(comment: Comment, *, user, resolved: bool) -> Comment:
    """标记为已解决 (`resolved`) or 重新打开, with who and when."""
    top = _thread_of(comment)
    if resolved:
        top.resolved_at, top.resolved_by = timezone.now(), user
    else:
        top.resolved_at, top.resolved_by = None, None
    top.save(update_fields=["resolved_at", "resolved_by"])
    return top


# --- where comments stand now ---------------------------------------------------------


def open_threads(draft: Draft):
    """The draft's comments that start a thread and are not 已解决."""
    return draft.comments.filter(parent__isnull=True, resolved_at__isnull=True)


@dataclass
class Thread:
    """A comment with its answers, and where its words are in the item's current text:
    `start`/`end` in its field, or `gone` (原文已修改: the words no longer there, or the item
    deleted). `moved`: found elsewhere than where it was made. A comment on a point (from a
    Word file, with no words) stands at its offset."""

    comment: Comment
    answers: list[Comment] = field(default_factory=list)
    start: int | None = None
    end: int | None = None
    moved: bool = False
    gone: bool = False

    @property
    def resolved(self) -> bool:
        return self.comment.resolved_at is not None


@dataclass
class Margin:
    """The comments of a draft as the editor's margin shows them: open ones in the order of
    the text, then the resolved ones (已解决)."""

    open: list[Thread]
    resolved: list[Thread]

    def marks(self) -> list[dict]:
        """Where the page highlights words: each open comment whose words are there."""
        return [
            {
                "id": t.comment.pk,
                "item": t.comment.item_id,
                "field": t.comment.field,
                "start": t.start,
                "end": t.end,
                "anchor": t.comment.anchor,
            }
            for t in self.open
            if not t.gone and t.end is not None and t.end > t.start
        ]


def locate(text: str | None, comment: Comment) -> tuple[int, int] | None:
    """(start, end) of the comment's words in `text` (its item's field now), None when they
    are gone (or `text` is None: the item is)."""
    if text is None:
        return None
    if not comment.anchor:
        at = min(comment.offset, len(text))
        return at, at
    at = find_anchor(text, comment.anchor, comment.before, comment.after, comment.offset)
    return None if at is None else (at, at + len(comment.anchor))


def comments_for(draft: Draft, order: list[int] | None = None) -> Margin:
    """Every comment of the draft in threads, placed in the current text. `order`: the item
    ids in reading order (the document's blocks), else by id."""
    rows = list(draft.comments.select_related("author", "resolved_by").order_by("id"))
    if not rows:
        return Margin([], [])
    tops = [c for c in rows if c.parent_id is None]
    threads = {c.pk: Thread(c) for c in tops}
    for c in rows:
        if c.parent_id in threads:
            threads[c.parent_id].answers.append(c)
    texts = {
        row["id"]: row
        for row in DraftItem.objects.filter(
            draft=draft, pk__in={c.item_id for c in tops if c.item_id}
        ).values("id", "heading", "body")
    }
    for thread in threads.values():
        c = thread.comment
        row = texts.get(c.item_id)
        found = locate(row.get(c.field if c.field in FIELDS else "body") if row else None, c)
        if found is None:
            thread.gone = True
        else:
            thread.start, thread.end = found
            thread.moved = found[0] != c.offset
    rank = {item_id: n for n, item_id in enumerate(order or [])}

    def key(t: Thread):
        c = t.comment
        if t.gone:
            return (1, 0, 0, c.pk)
        place = rank.get(c.item_id, len(rank) + (c.item_id or 0))
        return (0, place, 0 if c.field == "heading" else 1, t.start)

    ordered = sorted(threads.values(), key=key)
    return Margin(
        [t for t in ordered if not t.resolved],
        sorted(
            (t for t in ordered if t.resolved), key=lambda t: t.comment.resolved_at, reverse=True
        ),
    )
