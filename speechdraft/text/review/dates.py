"""日期格式: dates written with a leading zero in the month or the day."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .findings import Finding, finding
from .items import ReviewItem, fields

_DATE = re.compile(r"(?<![\d.])(?:(\d{4})年)?(\d{1,2})月(?:(\d{1,2})日)?")


def check_dates(items: Sequence[ReviewItem]) -> list[Finding]:
    """Dates with a leading zero (2024年03月05日 → 2024年3月5日)."""
    findings = []
    for item in items:
        for target, text in fields(item):
            if "月" not in text:
                continue
            for m in _DATE.finditer(text):
                year, month, day = m.groups()
                padded = (len(month) == 2 and month[0] in "0０") or (
                    day is not None and len(day) == 2 and day[0] in "0０"
                )
                if not padded or int(month) == 0 or (day is not None and int(day) == 0):
                    continue
                fixed = (f"{int(year)}年" if year else "") + f"{int(month)}月"
                if day is not None:
                    fixed += f"{int(day)}日"
                findings.append(
                    finding(
                        "date_format",
                        item.id,
                        "warning",
                        f"日期中的月、日不加“0”：「{m.group()}」应写作「{fixed}」",
                        span=m.span(),
                        text=text,
                        replacement=fixed,
                        target=target,
                    )
                )
    return findings
