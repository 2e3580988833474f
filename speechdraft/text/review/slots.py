"""空位未填: ``{{ 名称 }}`` slots of the draft that have no value yet (slot syntax is
speechdraft.text.templating's)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..templating import iter_slots
from .findings import Finding, finding
from .items import ReviewItem, fields


def check_slots(
    items: Sequence[ReviewItem], filled_slots: Mapping[str, Any] | None = None
) -> list[Finding]:
    """``{{ 名称 }}`` slots whose name has no (non-blank) value in ``filled_slots``."""
    filled = {
        name
        for name, value in (filled_slots or {}).items()
        if value is not None and str(value).strip()
    }
    findings = []
    for item in items:
        for target, text in fields(item):
            if "{{" not in text:
                continue
            for m in iter_slots(text):
                name = m.group(1)
                if name in filled:
                    continue
                findings.append(
                    finding(
                        "unfilled_slot",
                        item.id,
                        "error",
                        f"空位「{name}」尚未填写",
                        span=m.span(),
                        text=text,
                        data={"slot": name},
                        target=target,
                    )
                )
    return findings
