"""Numbering tokens of Chinese official speeches.

One pure function family used by the parser, the editor and the DOCX export:

* :func:`chinese_numeral` – 1 → 一, 10 → 十, 21 → 二十一 …
* :func:`format_number` – render the n-th item (1-based) of a numbering style.
* :func:`parse_number_token` – recognise a numbering token at the start of a line.
* :func:`format_date` – a date as speeches write it: 2024年3月5日 or 二〇二四年三月五日.

A *style* is named by how its first item looks: ``"一、"``, ``"（一）"``, ``"1."``, ``"（1）"``,
``"第一，"``, ``"第一个问题，"``, ``"一是"``, ``"一要"`` and ``"其一，"``.
"""

from __future__ import annotations

import datetime
import re

_DIGITS = "零一二三四五六七八九"
_DIGIT_VALUE = {ch: i for i, ch in enumerate(_DIGITS)}
_DIGIT_VALUE["〇"] = 0
_DIGIT_VALUE["两"] = 2
_UNITS = {"十": 10, "百": 100, "千": 1000}

STYLES: tuple[str, ...] = (
    "一、",
    "（一）",
    "1.",
    "（1）",
    "第一，",
    "第一个问题，",
    "一是",
    "一要",
    "其一，",
)

# Conventional rank of a style in the hierarchy of the genre (0 = outermost).
# Used only as a preference when a speech does not make the nesting obvious.
STYLE_RANK: dict[str, int] = {
    "第一个问题，": 0,
    "一、": 0,
    "第一，": 1,
    "其一，": 1,
    "（一）": 2,
    "1.": 3,
    "一是": 4,
    "一要": 4,
    "（1）": 5,
}


def chinese_numeral(n: int) -> str:
    """Return the Chinese numeral for ``n`` (1 ≤ n ≤ 9999), as used in numbering."""
    if not isinstance(n, int) or n < 1 or n > 9999:
        raise ValueError(f"编号必须是 1 到 9999 之间的整数，收到：{n!r}")
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n - 10] if n > 10 else "")
    if n < 100:
        tens, ones = divmod(n, 10)
        return _DIGITS[tens] + "十" + (_DIGITS[ones] if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        out = _DIGITS[hundreds] + "百"
        if rest == 0:
            return out
        if rest < 10:
            return out + "零" + _DIGITS[rest]
        if rest < 20:
            return out + "一" + chinese_numeral(rest)  # 一百一十二
        return out + chinese_numeral(rest)
    thousands, rest = divmod(n, 1000)
    out = _DIGITS[thousands] + "千"
    if rest == 0:
        return out
    if rest < 100:
        return out + "零" + (("一" if 10 <= rest < 20 else "") + chinese_numeral(rest))
    return out + chinese_numeral(rest)


DATE_STYLES = ("arabic", "chinese")


def format_date(value: datetime.date, style: str = "arabic") -> str:
    """``2024年3月5日`` (arabic: full year, no leading zeros) or ``二〇二四年三月五日`` (chinese:
    the year digit by digit with 〇, month and day as numerals)."""
    if style == "arabic":
        return f"{value.year}年{value.month}月{value.day}日"
    if style == "chinese":
        year = "".join("〇一二三四五六七八九"[int(d)] for d in str(value.year))
        return f"{year}年{chinese_numeral(value.month)}月{chinese_numeral(value.day)}日"
    raise ValueError(f"未知的日期格式：{style!r}（可选：arabic、chinese）")


_DATE_RE = re.compile(
    r"(\d{4}|[〇零○一二三四五六七八九]{4})\s*年\s*(\d{1,2}|[一二三四五六七八九十]{1,2})\s*月"
    r"\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*[日号]"
)


def parse_date(text: str) -> datetime.date | None:
    """The inverse of :func:`format_date` (either style) for the first date in ``text``;
    None when there is none or it is no real day."""
    match = _DATE_RE.search(text or "")
    if match is None:
        return None
    year_text, month_text, day_text = match.groups()
    if not year_text.isdigit():
        year_text = "".join(
            str("〇一二三四五六七八九".index(c.replace("零", "〇").replace("○", "〇")))
            for c in year_text
        )
    month, day = (
        int(t) if t.isdigit() else parse_chinese_numeral(t) for t in (month_text, day_text)
    )
    if month is None or day is None:
        return None
    try:
        return datetime.date(int(year_text), month, day)
    except ValueError:
        return None


def parse_chinese_numeral(text: str) -> int | None:
    """Inverse of :func:`chinese_numeral`; None when ``text`` is not a canonical numeral."""
    if not text or len(text) > 8:
        return None
    total = 0
    current = 0
    for ch in text:
        if ch in _DIGIT_VALUE:
            current = _DIGIT_VALUE[ch]
            continue
        unit = _UNITS.get(ch)
        if unit is None:
            return None
        total += (current or 1) * unit
        current = 0
    total += current
    if total < 1 or total > 9999:
        return None
    canonical = text.replace("〇", "零")
    if chinese_numeral(total) != canonical:
        return None
    return total


def format_number(style: str, n: int) -> str:
    """Render item ``n`` (1-based) in ``style``; e.g. ``format_number("一要", 9) == "九要"``."""
    if style not in STYLE_RANK:
        raise ValueError(f"未知的编号样式：{style!r}")
    if not isinstance(n, int) or n < 1:
        raise ValueError(f"编号必须是正整数，收到：{n!r}")
    if style == "1.":
        return f"{n}."
    if style == "（1）":
        return f"（{n}）"
    cn = chinese_numeral(n)
    return {
        "一、": f"{cn}、",
        "（一）": f"（{cn}）",
        "第一，": f"第{cn}，",
        "第一个问题，": f"第{cn}个问题，",
        "一是": f"{cn}是",
        "一要": f"{cn}要",
        "其一，": f"其{cn}，",
    }[style]


_CN = "[一二三四五六七八九十百零〇两]{1,5}"
_DIG = "[0-9０-９]{1,3}"
_SEP = "[，,、：:]"
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")

_TOKEN_RE = re.compile(
    rf"""^[ \t\u3000]*(?:
        第(?P<q>{_CN})个问题(?:{_SEP}|[ \t\u3000]+)
      | 第(?P<d>{_CN}){_SEP}
      | 其(?P<qi>{_CN}){_SEP}
      | (?P<shi>{_CN})是(?!否)
      | (?P<yao>{_CN})要(?!素)
      | (?P<dun>{_CN})(?:、|[．.](?![0-9０-９]))
      | [（(](?P<paren>{_CN})[）)]
      | (?P<arabic>{_DIG})[.．、](?![0-9０-９])
      | [（(](?P<parenar>{_DIG})[）)]
    )[ \t\u3000]*""",
    re.VERBOSE,
)

_GROUP_STYLE = {
    "q": "第一个问题，",
    "d": "第一，",
    "qi": "其一，",
    "shi": "一是",
    "yao": "一要",
    "dun": "一、",
    "paren": "（一）",
    "arabic": "1.",
    "parenar": "（1）",
}


def parse_number_token(line: str) -> tuple[str, int, str] | None:
    """Recognise a numbering token at the start of ``line``.

    Returns ``(style, n, rest)`` – the style name (see :data:`STYLES`), the 1-based item
    number and the rest of the line after the token – or None when the line does not start
    with a numbering token. Full- and half-width variants are accepted (``1．``, ``1、``,
    ``(1)``, ``（1）``, ``(一)``, ``第一、``).
    """
    m = _TOKEN_RE.match(line)
    if m is None:
        return None
    group = m.lastgroup
    if group is None:  # pragma: no cover - every alternative is named
        return None
    raw = m.group(group)
    n: int | None
    if group in ("arabic", "parenar"):
        n = int(raw.translate(_FULLWIDTH_DIGITS))
        if n < 1:
            return None
    else:
        n = parse_chinese_numeral(raw)
        if n is None:
            return None
    rest = line[m.end() :]
    if not rest.strip() and group in ("shi", "yao"):
        return None
    return _GROUP_STYLE[group], n, rest
