"""Comments (批注) in the body: the markers around the words a comment is on
(``w:commentRangeStart`` … ``w:commentRangeEnd`` and the ``w:commentReference`` run after
them), the ``word/comments.xml`` part that holds what each says, and
``word/commentsExtended.xml``, which threads answers (回复) under their comment as Word does.

A comment's ``w:id`` is its index in the content's comments; only the comments the body
refers to are written into the part. Word threads by paragraph ids: the last paragraph of
each comment carries a ``w14:paraId``, and an answer's entry names its comment's as
``w15:paraIdParent``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator, Sequence
from xml.sax.saxutils import escape

from speechdraft.ooxml.model import WordComment
from speechdraft.ooxml.package import Package
from speechdraft.ooxml.revisions import NEW, Piece, Tracker, merged, present, runs, text_of
from speechdraft.ooxml.schema import W_NS

Span = tuple[int, int, int]  # start, end, comment id (content.Span)
RT_COMMENTS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
COMMENTS_PART = "word/comments.xml"
RT_COMMENTS_EX = "http://schemas.microsoft.com/office/2011/relationships/commentsExtended"
CT_COMMENTS_EX = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml"
)
COMMENTS_EX_PART = "word/commentsExtended.xml"
W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"
W15_NS = "http://schemas.microsoft.com/office/word/2012/wordml"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
# Paragraph ids of comments: below 0x80000000 as Word requires, and in a range of their own
# (the body's paragraphs, from an office's reference document, may carry ids of their own).
PARA_ID_BASE = 0x3C000000


def para_id(comment: int) -> str:
    return f"{PARA_ID_BASE + comment:08X}"


def _start(comment: int) -> str:
    return f'<w:commentRangeStart w:id="{comment}"/>'


def _end(comment: int) -> str:
    return f'<w:commentRangeEnd w:id="{comment}"/><w:r><w:commentReference w:id="{comment}"/></w:r>'


def marked_runs(
    pieces: Sequence[Piece],
    run: Callable[[str, str], str],
    tracker: Tracker,
    spans: Iterable[Span] = (),
) -> Iterator[str]:
    """The pieces' runs (as :func:`revisions.runs` writes them), with each comment's range
    around the characters it spans (offsets in the newer text; clamped to it)."""
    pieces = merged(pieces)
    spans = list(spans)
    if not spans:
        yield from runs(pieces, run, tracker)
        return
    total = len(text_of(pieces, NEW))
    starts: dict[int, list[int]] = {}
    ends: dict[int, list[int]] = {}
    points: dict[int, list[int]] = {}
    for start, end, comment in spans:
        start = max(0, min(start, total))
        end = max(start, min(end, total))
        if start == end:
            points.setdefault(start, []).append(comment)
        else:
            starts.setdefault(start, []).append(comment)
            ends.setdefault(end, []).append(comment)
    cuts = sorted({*starts, *ends, *points})
    done: set[int] = set()

    def markers(at: int) -> Iterator[str]:
        if at in done:
            return
        done.add(at)
        for comment in ends.get(at, ()):
            yield _end(comment)
        for comment in points.get(at, ()):
            yield _start(comment) + _end(comment)
        for comment in starts.get(at, ()):
            yield _start(comment)

    at = 0
    for state, text in pieces:
        if not present(state, NEW):  # deleted text takes no comment
            yield from runs([(state, text)], run, tracker)
            continue
        k = 0
        while k < len(text):
            yield from markers(at)
            cut = next((c for c in cuts if c > at), None)
            size = len(text) - k if cut is None else min(len(text) - k, cut - at)
            yield from runs([(state, text[k : k + size])], run, tracker)
            k, at = k + size, at + size
    yield from markers(at)


def _stamp(when: datetime.datetime) -> str:
    if when.tzinfo is not None:
        when = when.astimezone(datetime.UTC)
    return when.replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def comments_xml(comments: Sequence[WordComment], used: Iterable[int]) -> bytes:
    """``word/comments.xml`` with the comments `used` (their ids), each paragraph of its text
    a paragraph of the comment."""
    out = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:comments xmlns:w="{W_NS}" xmlns:w14="{W14_NS}" xmlns:mc="{MC_NS}" mc:Ignorable="w14">'
    ]
    for comment_id in sorted(set(used)):
        comment = comments[comment_id]
        attrs = f' w:id="{comment_id}" w:author="{escape(comment.author, {chr(34): "&quot;"})}"'
        if comment.date is not None:
            attrs += f' w:date="{_stamp(comment.date)}"'
        if comment.initials:
            attrs += f' w:initials="{escape(comment.initials, {chr(34): "&quot;"})}"'
        paragraphs = comment.text.split("\n") or [""]
        last = len(paragraphs) - 1
        body = "".join(
            (f'<w:p w14:paraId="{para_id(comment_id)}">' if n == last else "<w:p>")
            + ("<w:r><w:annotationRef/></w:r>" if n == 0 else "")
            + f'<w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r></w:p>'
            for n, line in enumerate(paragraphs)
        )
        out.append(f"<w:comment{attrs}>{body}</w:comment>")
    out.append("</w:comments>")
    return "".join(out).encode("utf-8")


def comments_extended_xml(comments: Sequence[WordComment], used: Iterable[int]) -> bytes:
    """``word/commentsExtended.xml``: each comment `used` by its paragraph id, an answer with
    its comment's as parent (an answer whose comment is not written stands on its own)."""
    used = sorted(set(used))
    written = set(used)
    out = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w15:commentsEx xmlns:w15="{W15_NS}" xmlns:mc="{MC_NS}" mc:Ignorable="w15">'
    ]
    for comment_id in used:
        parent = comments[comment_id].parent
        link = f' w15:paraIdParent="{para_id(parent)}"' if parent in written else ""
        out.append(f'<w15:commentEx w15:paraId="{para_id(comment_id)}"{link} w15:done="0"/>')
    out.append("</w15:commentsEx>")
    return "".join(out).encode("utf-8")


def write_comments(package: Package, comments: Sequence[WordComment], used: Iterable[int]) -> None:
    """The comments parts, in the package and related to its main part (a reference's own
    comments parts are replaced: its body, which those comments were on, is too)."""
    used = set(used)
    package.put_part(RT_COMMENTS, COMMENTS_PART, comments_xml(comments, used), CT_COMMENTS)
    package.put_part(
        RT_COMMENTS_EX, COMMENTS_EX_PART, comments_extended_xml(comments, used), CT_COMMENTS_EX
    )
