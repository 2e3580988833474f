"""提法与用字: outdated 提法 and wrongly written words, with the wording to put instead (a
one-click fix). Dated 提法 count only for a draft dated after they were superseded."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from .. import freshness
from .findings import Finding, Severity, finding
from .formulation_rules import DEFAULT_FORMULATIONS, Formulation
from .items import ReviewItem, fields


def check_formulations(
    items: Sequence[ReviewItem],
    formulations: Iterable[Formulation] = DEFAULT_FORMULATIONS,
    *,
    as_of: date | None = None,
) -> list[Finding]:
    """Outdated 提法 and wrongly written words, with the replacement for a one-click fix.

    ``as_of`` is the draft's date (today when None): a dated 提法 counts only after its
    ``superseded_on``, and its replacement is the wording in force then (see :mod:`.freshness`).
    """
    as_of = as_of or date.today()
    table = tuple(formulations)
    rules = tuple(f for f in table if freshness.in_force(f, as_of))
    findings = []
    for item in items:
        for target, text in fields(item):
            if not text:
                continue
            for m in freshness.find_rules(text, rules):
                f = m.rule
                severity, message, right = _verdict(f, text[m.start : m.end], table, as_of)
                data: dict[str, Any] = {"wrong": f.wrong, "right": right, "kind": f.kind}
                if f.superseded_on is not None:
                    data["superseded_on"] = f.superseded_on.isoformat()
                findings.append(
                    finding(
                        "formulation",
                        item.id,
                        severity,
                        message,
                        span=(m.start, m.end),
                        text=text,
                        replacement=(right or None) if m.exact else None,
                        data=data,
                        target=target,
                    )
                )
    return findings


def _verdict(
    rule: Formulation, wrong: str, table: tuple[Formulation, ...], as_of: date
) -> tuple[Severity, str, str]:
    """(severity, message, the wording to put instead or "") of `rule` matching `wrong`."""
    if freshness.is_dated(rule):
        chain = freshness.replacement_chain(rule, table, as_of)
        right = chain[-1].right
        reasons = [r.note for r in chain if r.note]
        message = f"提法「{wrong}」已过时"
        if reasons:
            message += "：" + "；".join(dict.fromkeys(reasons))
        if right:
            message += f"，建议改为「{right}」"
        return "warning", message, right
    right = rule.right
    severity: Severity = "warning"
    if rule.kind == "typo":
        message = f"疑似错别字：「{rule.wrong}」应为「{rule.right}」"
        severity = "error"
    elif right:
        message = f"提法「{rule.wrong}」已不再使用或不规范，建议改为「{right}」"
    else:
        message = f"提法「{rule.wrong}」已不再使用或不规范"
    if rule.note:
        message += f"（{rule.note}）"
    return severity, message, right
