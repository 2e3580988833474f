"""Placeholders → Jinja2 slots with Chinese names.

Scraped speeches hide names with runs of ``*``/``＊``/``×``/``X``/``○``. Each run becomes
one slot, named from what follows it (the text after the run is never touched, so the
administrative suffix stays outside the slot):

* ``**同志`` / ``*书记`` → ``{{ 姓名 }}同志`` / ``{{ 姓名 }}书记``; a run right after a
  title (``县委书记 ***``) is a name too
* ``***市`` / ``X区`` / ``**县`` → ``{{ 地区 }}市`` / ``{{ 地区 }}区`` / ``{{ 地区 }}县``
* ``***亿元`` / ``**个`` / ``*月`` / ``**万平方米`` / ``第*`` → ``{{ 数字 }}亿元`` …
* any other run (``宜居**``, ``**将按照…``) → ``{{ 地区 }}``: in this genre a bare
  placeholder almost always hides the place the speech is about.

Latin ``X`` counts only as a whole word of 1–3 capital X between non-Latin characters, and
not in established terms (X光, X射线, X线, X型, X轴…); ``5A级``, ``AA信用``, ``GDP`` are never
placeholders. ``×`` between digits is a multiplication sign.

The count in the announcement of the parts (``我讲三点意见``, ``我想讲三句话``,
``讲三点意见``, ``我强调三点意见``) becomes the computed slot ``{{ 部分数 }}``.

Slot syntax is exactly ``{{ 名称 }}``. Input text never contains Jinja delimiters: the
cleaner turns every literal ``{``/``}`` into a full-width brace.
"""

from __future__ import annotations

import re

SLOT_REGION = "地区"
SLOT_NAME = "姓名"
SLOT_NUMBER = "数字"
SLOT_PART_COUNT = "部分数"

_SLOT_RE = re.compile(r"\{\{ ([^{}\s]+) \}\}")

_PLACEHOLDER_RE = re.compile(
    r"[*＊]+"
    r"|(?<![0-9０-９])[×✕╳]+(?![0-9０-９])"
    r"|(?<![A-Za-z0-9])X{1,3}(?![A-Za-z0-9]|光|射线|线|型|轴|染色体|片|战警|档案)"
    r"|(?<![〇零一二三四五六七八九十])○+(?![〇零一二三四五六七八九十])"
)
_PERSON_AFTER_RE = re.compile(
    r"^(?:同志|书记|副书记|县长|市长|区长|省长|州长|镇长|乡长|主任|部长|局长|厅长|处长|科长|主席|委员"
    r"|董事长|总经理|校长|院长|秘书长|常委|理事长|会长|队长|所长|行长|先生|女士|老师)"
)
_REGION_AFTER_RE = re.compile(r"^(?:省|市|区|县|镇|乡|村|州|盟|旗|街道|社区|开发区|新区|园区)")
_NUMBER_AFTER_RE = re.compile(
    r"^(?:亿|万|千|百|元|个|家|名|户|套|亩|项|次|人(?!民|大|员|才|口|社|寿|群|事)|支|%|％|年|月|日|号"
    r"|天|届|批|座|条|台|辆|吨|米|公里|平方|公顷|倍|栋|间|件|场|篇|岁|小时|周|季度|多|余|位(?!于|置)"
    r"|所(?!长|在|有)|处(?!长|理)|起|点|分|级|层|只|头|株|棵|股|期(?!间|待)|[0-9]|\.|．)"
)
_PERSON_BEFORE_RE = re.compile(
    r"(?:书记|县长|市长|区长|省长|州长|镇长|乡长|主任|部长|局长|厅长|处长|科长|主席|委员|董事长|总经理"
    r"|校长|院长|秘书长|理事长|会长|队长|所长|行长|讲话人|主讲人|发言人)[ ：:]?$"
)
_NUMBER_BEFORE_RE = re.compile(r"(?:第|近|约|共|达|超|逾|[0-9.．])$")
_PART_COUNT_RE = re.compile(
    r"((?:讲|谈|强调|提|说)(?:一下|了)?)([一二三四五六七八九十两]{1,3})"
    r"(点意见|点看法|点要求|点认识|点体会|点|句话|个方面的?意见|个方面|个问题|层意思|条意见)"
)


def _slot(name: str) -> str:
    return "{{ " + name + " }}"


def _classify(text: str, start: int, end: int) -> str:
    after = text[end : end + 6]
    before = text[max(0, start - 4) : start]
    if _PERSON_AFTER_RE.match(after):
        return SLOT_NAME
    if _PERSON_BEFORE_RE.search(before) and not _REGION_AFTER_RE.match(after):
        return SLOT_NAME
    if _REGION_AFTER_RE.match(after):
        return SLOT_REGION
    if _NUMBER_AFTER_RE.match(after) or _NUMBER_BEFORE_RE.search(before):
        return SLOT_NUMBER
    return SLOT_REGION


def apply_slots(text: str) -> str:
    """Replace placeholder runs by ``{{ 地区 }}``/``{{ 姓名 }}``/``{{ 数字 }}`` slots."""
    if not text or not _PLACEHOLDER_RE.search(text):
        return text
    out: list[str] = []
    pos = 0
    for m in _PLACEHOLDER_RE.finditer(text):
        s, e = m.start(), m.end()
        run = m.group(0)
        if run[0] == "X" and not _x_in_chinese_context(text, s, e):
            continue
        out.append(text[pos:s])
        out.append(_slot(_classify(text, s, e)))
        pos = e
    out.append(text[pos:])
    return "".join(out)


def _x_in_chinese_context(text: str, s: int, e: int) -> bool:
    before = text[s - 1] if s > 0 else ""
    after = text[e] if e < len(text) else ""
    return (not before or not before.isascii() or before in '“"(（') and (
        not after or not after.isascii()
    )


def apply_part_count(text: str) -> str:
    """``我讲三点意见`` → ``我讲{{ 部分数 }}点意见`` (first announcement only)."""
    return _PART_COUNT_RE.sub(lambda m: m.group(1) + _slot(SLOT_PART_COUNT) + m.group(3), text, 1)


def announced_part_count(text: str) -> int | None:
    """The count an announcement of the parts names: 我讲三点意见 → 3, 讲两个问题 → 2."""
    from .numbering import parse_chinese_numeral

    match = _PART_COUNT_RE.search(text)
    if match is None:
        return None
    return parse_chinese_numeral(match.group(2).replace("两", "二"))


def has_part_count(text: str) -> bool:
    return _PART_COUNT_RE.search(text) is not None


def slot_names(text: str) -> list[str]:
    """Slot names used in ``text``, in order of first use, without repeats."""
    seen: dict[str, None] = {}
    for m in _SLOT_RE.finditer(text):
        seen.setdefault(m.group(1), None)
    return list(seen)


def strip_slots(text: str) -> str:
    """Text with every slot removed (used to compare with the source)."""
    return _SLOT_RE.sub("", text)
