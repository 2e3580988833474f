"""A draft's history as a person reads it: what each change did, in words, and which
changes read as one version. Plain data, no Django.

Every change stays a revision of its own (撤销 and 重做 walk them one by one); the history page
shows a run of changes to one item by one person within a few minutes as one version, and
says what it changed where: 修改第二部分（一）, 插入素材《…》, 调整第三部分顺序.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

# Consecutive changes of one item by one person read as one version while they fall within
# this long of the first of them: a morning's work on one paragraph is a few versions, not one.
GROUP_SECONDS = 5 * 60
MAX_NAME_CHARS = 20
SHORT_CHARS = 12


def short(text: str, limit: int = SHORT_CHARS) -> str:
    """The first words of a text, to name it in a label: one line, at most `limit` characters
    and an ellipsis when cut."""
    line = " ".join((text or "").split())
    return line if len(line) <= limit else line[:limit] + "…"


def order_summary(parent_place: str, *, numbered: bool = True) -> str:
    """Reordering among siblings: 调整第三部分顺序 (the children of a part); at the root,
    调整各部分顺序 (or 调整段落顺序 for an opening or closing paragraph)."""
    if parent_place:
        return f"调整{parent_place}顺序"
    return "调整各部分顺序" if numbered else "调整段落顺序"


def move_summary(action: str, old_place: str) -> str:
    """An item moved under another parent (drag and drop, 升级, 降级), from where it was to
    "{place}", which the commit fills with where it is now."""
    if not old_place:
        return f"{action}（移到{{place}}）"
    if action in ("升级", "降级"):
        return f"{action}：{old_place} → {{place}}"
    return f"把{old_place}移到{{place}}"


@dataclass(frozen=True)
class Step:
    """One revision as the history lists it (its stored fields, nothing decoded)."""

    version: int
    user_id: int | None
    created_at: datetime.datetime
    label: str
    group_key: str = ""
    name: str = ""
    stage_changed: bool = False
    row: Any = None  # what the caller listed (a Revision), handed back in the group


@dataclass
class Version:
    """What the history shows as one version: one revision or a run of them, newest last."""

    steps: list[Step] = field(default_factory=list)

    @property
    def last(self) -> Step:
        return self.steps[-1]

    @property
    def first(self) -> Step:
        return self.steps[0]

    @property
    def version(self) -> int:
        return self.last.version

    @property
    def label(self) -> str:
        return self.last.label

    @property
    def name(self) -> str:
        return self.last.name

    @property
    def count(self) -> int:
        return len(self.steps)


def _continues(version: Version, step: Step) -> bool:
    last = version.last
    return (
        bool(step.group_key)
        and step.group_key == last.group_key
        and step.user_id == last.user_id
        and not step.stage_changed
        and not last.stage_changed
        and not last.name  # a named version is where a run ends
        and (step.created_at - version.first.created_at).total_seconds() <= GROUP_SECONDS
    )


def group_steps(steps: Sequence[Step]) -> list[Version]:
    """The versions the history shows, oldest first: consecutive steps of one item (or one
    list's order) by one person within GROUP_SECONDS of the first of them are one; a stage change and
    a named version always stand alone at their end of a run."""
    versions: list[Version] = []
    for step in sorted(steps, key=lambda s: s.version):
        if versions and _continues(versions[-1], step):
            versions[-1].steps.append(step)
        else:
            versions.append(Version([step]))
    return versions
