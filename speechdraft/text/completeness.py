"""Is this the whole speech? Scraped pages are often a part of one: page 2 of 3, a preview cut
off behind a paywall, a copy that begins at 第二个问题. Such a source is still useful material,
but offered as a whole speech to start a draft from it misleads: it is flagged 不完整 with the
reasons, in Chinese, and a curator decides.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import pairwise

from .numbering import chinese_numeral

# A page marker the cleaner took out of the page: （第2/3页）, 第2页 共3页, 2/3页.
_PAGE = re.compile(
    r"第\s*(\d+)\s*[/／]\s*(\d+)\s*页"
    r"|第\s*(\d+)\s*页\s*[,，]?\s*共\s*(\d+)\s*页"
    r"|(?<![\d/])(\d+)\s*[/／]\s*(\d+)\s*页"
)
# What a finished speech ends with: a sentence stop, closing quote or bracket, or 谢谢大家.
_ENDS = ("。", "！", "？", "…", "”", "’", "」", "』", "）", ")", "!", "?", "谢谢", "谢谢大家")


def page_of(removed: Iterable[str]) -> tuple[int, int] | None:
    """(page, pages) when the source was one page of several."""
    for line in removed:
        for match in _PAGE.finditer(line):
            numbers = [int(g) for g in match.groups() if g]
            page, pages = numbers[0], numbers[1]
            if pages > 1 and 1 <= page <= pages:
                return page, pages
    return None


def incompleteness(
    *,
    part_numbers: list[int | None],
    announced: int | None,
    last_text: str,
    removed: Iterable[str] = (),
) -> list[str]:
    """Why the speech looks incomplete (none: it looks whole).

    `part_numbers`: the numbers of its parts in order (第二个问题 → 2; None for a part without a
    number); `announced`: the count its opening announces (我讲三点意见 → 3), if any;
    `last_text`: its last paragraph; `removed`: the lines the cleaner took out of the page.
    """
    reasons: list[str] = []
    numbers = [n for n in part_numbers if n is not None]
    if numbers and numbers[0] > 1:
        reasons.append(f"从第{chinese_numeral(numbers[0])}部分开始，前面的内容缺失")
    gaps = [a + 1 for a, b in pairwise(numbers) if b > a + 1]
    if gaps:
        reasons.append(f"部分序号不连续，缺第{chinese_numeral(gaps[0])}部分")
    if announced and announced > len(part_numbers):
        reasons.append(
            f"开头说讲{chinese_numeral(announced)}点意见，只找到 {len(part_numbers)} 个部分"
        )
    page = page_of(removed)
    if page is not None:
        reasons.append(f"来自分页网页的第 {page[0]} 页（共 {page[1]} 页）")
    tail = (last_text or "").rstrip()
    if tail and not tail.endswith(_ENDS):
        reasons.append("结尾不完整：最后一句没有写完")
    return reasons
