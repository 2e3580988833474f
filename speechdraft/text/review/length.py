"""篇幅: level-1 parts much longer or shorter than the others (篇幅不均), and the draft's 字数 and
预计时长 against a target (篇幅时长). 字数 is the office's count (speechdraft.text.counting): what
the status bar shows is what these checks measure."""

from __future__ import annotations

import statistics
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from ..counting import count_chars
from ..numbering import chinese_numeral
from .findings import Finding, finding
from .items import ReviewItem
from .settings import DEFAULT_SETTINGS, ReviewSettings


def _part_chars(items: Sequence[ReviewItem]) -> dict[int, tuple[Hashable, int]]:
    """part index → (id of its first item, 字数), in order of first appearance."""
    parts: dict[int, tuple[Hashable, int]] = {}
    for item in items:
        if item.part_index is None:
            continue
        first, chars = parts.get(item.part_index, (item.id, 0))
        parts[item.part_index] = (first, chars + count_chars(item.heading) + count_chars(item.text))
    return parts


def check_part_balance(
    items: Sequence[ReviewItem], settings: ReviewSettings = DEFAULT_SETTINGS
) -> list[Finding]:
    """Level-1 parts much longer or shorter than the median part (needs the whole draft)."""
    parts = _part_chars(items)
    if len(parts) < settings.part_min_count:
        return []
    median = statistics.median(chars for _, chars in parts.values())
    if median <= 0:
        return []
    findings = []
    for ordinal, (part_index, (first_id, chars)) in enumerate(parts.items(), start=1):
        ratio = chars / median
        name = f"第{chinese_numeral(ordinal)}部分"
        if ratio > settings.part_long_ratio:
            message = (
                f"{name}篇幅明显偏长：约 {chars} 字，是各部分中位数（约 {round(median)} 字）的 "
                f"{ratio:.1f} 倍，建议压缩或拆分"
            )
        elif ratio < settings.part_short_ratio:
            message = (
                f"{name}篇幅明显偏短：约 {chars} 字，仅为各部分中位数（约 {round(median)} 字）"
                f"的 {round(ratio * 100)}%，建议充实或并入其他部分"
            )
        else:
            continue
        findings.append(
            finding(
                "part_balance",
                first_id,
                "info",
                message,
                data={"part_index": part_index, "chars": chars, "median": median, "ratio": ratio},
            )
        )
    return findings


@dataclass(frozen=True, slots=True)
class LengthSummary:
    chars: int
    minutes: float
    per_part: list[tuple[int | None, int]]
    over_target: bool | None
    message: str


def length_summary(
    items: Sequence[ReviewItem],
    rate_per_minute: float = 170,
    target_minutes: float | None = None,
) -> LengthSummary:
    """字数 and 预计时长 of the draft.

    字数 is :func:`speechdraft.text.counting.count_chars` (headings included). ``per_part`` lists (part_index, 字数) in document order, the
    opening and the closing as separate ``None`` entries.
    """
    if rate_per_minute <= 0:
        raise ValueError("rate_per_minute must be positive")
    per_part: list[list[Any]] = []
    where: dict[int, list[Any]] = {}
    total = 0
    for item in items:
        n = count_chars(item.heading) + count_chars(item.text)
        total += n
        if item.part_index is None:
            if per_part and per_part[-1][0] is None:
                per_part[-1][1] += n
            else:
                per_part.append([None, n])
        elif item.part_index in where:
            where[item.part_index][1] += n
        else:
            entry = [item.part_index, n]
            where[item.part_index] = entry
            per_part.append(entry)
    minutes = round(total / rate_per_minute, 1)
    message = f"全文约 {total} 字，按每分钟 {rate_per_minute:g} 字计，预计讲话约 {minutes:g} 分钟"
    over: bool | None = None
    if target_minutes is not None:
        over = minutes > target_minutes
        if over:
            extra = round(minutes - target_minutes, 1)
            cut = round((minutes - target_minutes) * rate_per_minute)
            message += (
                f"，超出目标时长（{target_minutes:g} 分钟）约 {extra:g} 分钟，需压缩约 {cut} 字"
            )
        else:
            message += f"，在目标时长（{target_minutes:g} 分钟）以内"
    return LengthSummary(total, minutes, [(p, n) for p, n in per_part], over, message)


def check_length(items: Sequence[ReviewItem], settings: ReviewSettings) -> list[Finding]:
    """The draft over ``settings.target_minutes`` (nothing without a target)."""
    if settings.target_minutes is None:
        return []
    summary = length_summary(items, settings.rate_per_minute, settings.target_minutes)
    if not summary.over_target:
        return []
    return [
        finding(
            "length",
            None,
            "info",
            summary.message,
            data={"chars": summary.chars, "minutes": summary.minutes},
        )
    ]
