"""A 花脸稿 (redline copy): the difference between two versions of a speech as a Word file with
real tracked changes (修订), which Word and WPS show in review mode and accept or reject.

A caller builds the blocks of both versions as for an ordinary export, each with a key that
stays the same across versions (the item's id), lets :func:`redline_blocks` line them up, and
renders the newer document with those blocks::

    blocks = redline_blocks(old_keyed, new_keyed, diff=word_diff)
    doc = dataclasses.replace(
        new_doc, blocks=blocks, old_title=old_doc.title, old_subtitle=old_doc.subtitle,
        revision_author=editor, revision_date=saved_at, track_revisions=True,
    )
    data = render_docx(doc)

The writer marks, per item: text inserted and deleted inside a heading or a body (``w:ins``,
``w:del`` with ``w:delText``, a paragraph break as the paragraph mark's revision); a number that
changed (the old one deleted, the new one inserted); an item added or deleted (its paragraphs'
marks too, so accepting or rejecting removes the paragraphs themselves); an item moved (its old
place in ``w:moveFrom``, its new place in ``w:moveTo``, inside ``w:moveFromRange*`` /
``w:moveToRange*`` of one ``w:name``; text inserted at the new place is an insertion there,
text the move lost stays at the old place). Every revision has a unique ``w:id``, the author
and the date. A changed title or subtitle is shown whole, the older deleted and the newer
inserted (``old_title``, ``old_subtitle``); the speaker, date and salutation are the newer
version's, unmarked, and so is a change of level, kind or run-in (the newer layout is used).
``track_revisions`` writes ``w:trackRevisions`` (settings.xml), so that the reader's own edits
are tracked too; an office's reference without a settings part is left without it.

Word keeps a document's last paragraph: a deleted last item leaves an empty paragraph when its
deletion is accepted.

``diff`` is any word-level comparison returning :class:`Change` pieces (a comparison module's
ops map one to one: ``Change(op.kind, op.text)``); the default compares characters.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Callable, Hashable, Sequence

from speechdraft.ooxml.model import Block, Change
from speechdraft.text.diff import longest_increasing

Diff = Callable[[str, str], Sequence[Change]]


def char_diff(old: str, new: str) -> list[Change]:
    """``old`` → ``new`` character by character (difflib, no junk heuristic)."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    out: list[Change] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.append(Change("equal", old[i1:i2]))
            continue
        if i2 > i1:
            out.append(Change("delete", old[i1:i2]))
        if j2 > j1:
            out.append(Change("insert", new[j1:j2]))
    return out


def _stable(old_index: dict[Hashable, int], new_keys: Sequence[Hashable]) -> set[Hashable]:
    """The items kept in order: a longest run of common items increasing in both versions
    (the others moved)."""
    common = [key for key in new_keys if key in old_index]
    kept = longest_increasing([old_index[key] for key in common])
    return {common[i] for i in kept}


def _compared(old: Block, new: Block, diff: Diff, **extra: object) -> Block:
    def changes(before: str, after: str) -> Sequence[Change] | None:
        return None if before == after else list(diff(before, after))

    return dataclasses.replace(
        new,
        heading_changes=changes(old.heading, new.heading),
        body_changes=changes(old.body, new.body),
        **extra,  # type: ignore[arg-type]
    )


def redline_blocks(
    old: Sequence[tuple[Hashable, Block]],
    new: Sequence[tuple[Hashable, Block]],
    *,
    diff: Diff = char_diff,
) -> list[Block]:
    """The blocks of a 花脸稿 from both versions' (key, block) in order, numbers as each
    version had them: a key in both is the same item (compared, and moved when it left the
    order of the others); a key in one version only is an item added or deleted. A deleted or
    moved-away item stays where the older version had it among its neighbours.

    Raises ``ValueError`` when a key occurs twice in one version.
    """
    for keyed in (old, new):
        if len({key for key, _ in keyed}) != len(keyed):
            raise ValueError("同一版本中有重复的项。")
    old_index = {key: index for index, (key, _) in enumerate(old)}
    new_blocks = dict(new)
    stable = _stable(old_index, [key for key, _ in new])
    out: list[Block] = []
    i = j = 0
    while i < len(old) or j < len(new):
        if i < len(old) and old[i][0] not in stable:
            key, block = old[i]
            if key in new_blocks:
                out.append(dataclasses.replace(block, change="move_from", move_key=str(key)))
            else:
                out.append(dataclasses.replace(block, change="delete"))
            i += 1
        elif j < len(new) and new[j][0] not in stable:
            key, block = new[j]
            if key in old_index:
                before = old[old_index[key]][1]
                out.append(_compared(before, block, diff, change="move_to", move_key=str(key)))
            else:
                out.append(dataclasses.replace(block, change="insert"))
            j += 1
        else:
            before, after = old[i][1], new[j][1]
            number = before.number if before.number != after.number else None
            out.append(_compared(before, after, diff, old_number=number))
            i += 1
            j += 1
    return out
