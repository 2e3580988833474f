"""Placeholders → Jinja2 slots with Chinese names, one blank per placeholder.

Scraped speeches hide names with runs of ``*``/``＊``/``×``/``X``/``○``. The masking erased
who or where each one was, so two runs are never assumed to be the same: each becomes its own
slot, typed from what follows it and numbered when a kind repeats in one speech
(:class:`SlotNumbering`; 姓名1, 姓名2 …):

* a name: ``**同志`` / ``*书记`` / ``***县长`` → ``{{ 姓名 }}同志`` … (the title stays in the
  text); a run right after a title (``县委书记 ***``) is a name too
* a place, with its suffix taken into the slot (the value is the whole name, so 东山县县
  cannot happen): ``***市`` → ``{{ 市名 }}``, ``**县``/``X区`` → ``{{ 县区名 }}``, ``*省`` →
  ``{{ 省名 }}``, ``**镇``/``**乡``/``**街道`` → ``{{ 乡镇名 }}``, ``**村``/``**社区`` →
  ``{{ 村社区名 }}``, ``**开发区``/``**新区``/``**园区`` → ``{{ 园区名 }}``; ``×市委`` →
  ``{{ 市名 }}委``
* a body: ``**局``/``**委``/``**办``/``**公司`` … → ``{{ 单位名 }}``; a meeting: ``***会议``/
  ``**大会`` → ``{{ 会议名称 }}`` (the draft's own meeting, one slot for all)
* a number, its unit left in the text: ``***亿元`` / ``**个`` / ``第*`` → ``{{ 数字 }}亿元`` …;
  ``*月`` → ``{{ 月份 }}月``; a year: ``**年``, ``20XX年`` → ``{{ 年份 }}年``
* any other run (``宜居**``, ``**将按照…``) → ``{{ 地区 }}``: in this genre a bare placeholder
  almost always hides the place the speech is about, which the draft's 地区 fills everywhere.

Latin ``X`` counts only as a whole word of 1–3 capital X between non-Latin characters (or
after the digits of a year), and not in established terms (X光, X射线, X线, X型, X轴…);
``5A级``, ``AA信用``, ``GDP`` are never placeholders. ``×`` between digits is a multiplication
sign.

Slots of the earlier scheme (``{{ 地区 }}县``, ``{{ 姓名 }}``, ``{{ 数字 }}``) are read as
placeholders too, so stored text can be typed again by the same rules.

The count in the announcement of the parts (``我讲三点意见``, ``我想讲三句话``,
``讲三点意见``, ``我强调三点意见``) becomes the computed slot ``{{ 部分数 }}``.

Slot syntax is exactly ``{{ 名称 }}``. Input text never contains Jinja delimiters: the
cleaner turns every literal ``{``/``}`` into a full-width brace.
"""

from __future__ import annotations

import re

from .templating import BLANK_KINDS, iter_slots, replace_slots, slot_token

SLOT_REGION = "地区"
SLOT_NAME = "姓名"
SLOT_NUMBER = "数字"
SLOT_PART_COUNT = "部分数"
SLOT_MEETING = "会议名称"
# Kinds whose occurrences are separate blanks, numbered when one speech has several.
NUMBERED_KINDS = frozenset(BLANK_KINDS)

# Slots of the earlier scheme, read as placeholders again.
_OLD_SLOT = "|".join(re.escape(slot_token(name)) for name in ("地区", "姓名", "数字"))

_PLACEHOLDER_RE = re.compile(
    rf"{_OLD_SLOT}"
    r"|[*＊]+"
    r"|(?<![0-9０-９])[×✕╳]+(?![0-9０-９])"
    r"|(?<=[12][0-9])(?:[X×]{2}|x{2})(?=年)|(?<=20[0-9])[Xx](?=年)"
    r"|(?<![A-Za-z0-9])(?:X{1,4}|x{1,4})(?![A-Za-z0-9]|光|射线|线|型|轴|染色体|片|战警|档案)"
    # -- for a name or a number, only where what follows says what it hides
    r"|(?<![-—])-{2,3}(?![-—])(?=同志|书记|副|县长|市长|区长|主任|局长|部长|市|县|区|镇|乡|村|局|委|办"
    r"|年|月|日|个|亿|万|名|家)"
    r"|(?<![〇零一二三四五六七八九十])○+(?![〇零一二三四五六七八九十])"
)
# (kind, suffix after the run taken into the slot): longest first.
_PLACE_AFTER = (
    (re.compile(r"^(?:经济技术开发区|高新技术开发区|开发区|高新区|经开区|新区|园区)"), "园区名"),
    (re.compile(r"^(?:自治州|省|自治区)"), "省名"),
    (re.compile(r"^(?:市|州|盟)"), "市名"),
    (re.compile(r"^(?:县|区|旗)"), "县区名"),
    (re.compile(r"^(?:街道|镇|乡)"), "乡镇名"),
    (re.compile(r"^(?:社区|村)"), "村社区名"),
)
_BODY_AFTER = re.compile(
    r"^(?:委员会|办公室|局|委(?!员)|厅|办(?![理事法公])|公司|集团|中心|学校|医院|银行)"
)
_MEETING_AFTER = re.compile(r"^(?:会议|大会)")
_PERSON_AFTER_RE = re.compile(
    r"^(?:同志|(?:常务)?副?(?:书记|县长|市长|区长|省长|州长|镇长|乡长|主任|部长|局长|厅长|处长|科长|主席"
    r"|董事长|总经理|校长|院长|秘书长|理事长|会长|队长|所长|行长)|委员|常委|先生|女士|老师"
    # 对×××的讲话, **的重要指示: whose words they were
    r"|的(?:重要)?(?:讲话|指示|批示|讲话精神|指示精神))"
)
_REGION_AFTER_RE = re.compile(r"^(?:省|市|区|县|镇|乡|村|州|盟|旗|街道|社区|开发区|新区|园区)")
_NUMBER_AFTER_RE = re.compile(
    r"^(?:亿|万|千|百|元|个|家|名|户|套|亩|项|次|人(?!民|大|员|才|口|社|寿|群|事)|支|%|％|年|月|日|号"
    r"|天|届|批|座|条|台|辆|吨|米|公里|平方|公顷|倍|栋|间|件|场|篇|岁|小时|周|季度|多|余|位(?!于|置)"
    r"|所(?!长|在|有)|处(?!长|理)|起|点|分|级|层|只|头|株|棵|股|期(?!间|待)|[0-9]|\.|．)"
)
_PERSON_BEFORE_RE = re.compile(
    r"(?:书记|县长|市长|区长|省长|州长|镇长|乡长|主任|部长|局长|厅长|处长|科长|主席|委员|董事长|总经理"
    r"|校长|院长|秘书长|理事长|会长|队长|所长|行长|讲话人|主讲人|发言人|领导)[ ：:]?$"
)
_NUMBER_BEFORE_RE = re.compile(r"(?:第|近|约|共|达|超|逾|[0-9.．])$")
_PART_COUNT_RE = re.compile(
    r"((?:讲|谈|强调|提|说|从)(?:一下|了)?)([一二三四五六七八九十两]{1,3})"
    r"(点意见|点看法|点要求|点认识|点体会|点|句话|个方面的?意见|个方面|个问题|层意思|条意见)"
)


def _classify(text: str, start: int, end: int) -> tuple[str, int]:
    """(kind, length of the suffix after the run that goes into the slot)."""
    run = text[start:end]
    after = text[end : end + 8]
    before = text[max(0, start - 4) : start]
    old = run[3:-3] if run.startswith("{{ ") else None
    if run[0] in "Xx×" and before[-1:].isdigit() and after.startswith("年"):
        return "年份", 0  # 20XX年 (the digits go into the slot, see apply_slots)
    if old == SLOT_NAME or _PERSON_AFTER_RE.match(after):
        return SLOT_NAME, 0
    for pattern, kind in _PLACE_AFTER:
        match = pattern.match(after)
        if match and old != SLOT_NUMBER:
            return kind, match.end()
    if _PERSON_BEFORE_RE.search(before) and old is None:
        return SLOT_NAME, 0
    if old != SLOT_NUMBER:
        match = _MEETING_AFTER.match(after)
        if match:
            return SLOT_MEETING, match.end()
        match = _BODY_AFTER.match(after)
        if match:
            return "单位名", match.end()
    if after.startswith("年") and (old is None or old == SLOT_NUMBER):
        # 近**年来 counts years; **年 alone names one
        return (SLOT_NUMBER if _NUMBER_BEFORE_RE.search(before) else "年份"), 0
    if after.startswith("月") and (old is None or old == SLOT_NUMBER):
        return "月份", 0
    if old == SLOT_NUMBER or _NUMBER_AFTER_RE.match(after) or _NUMBER_BEFORE_RE.search(before):
        return SLOT_NUMBER, 0
    return SLOT_REGION, 0


def apply_slots(text: str) -> str:
    """Replace placeholder runs by typed slots (``{{ 姓名 }}``, ``{{ 市名 }}`` …), one per run;
    :class:`SlotNumbering` then tells apart the ones of a kind in one speech."""
    if not text or not _PLACEHOLDER_RE.search(text):
        return text
    out: list[str] = []
    pos = 0
    for m in _PLACEHOLDER_RE.finditer(text):
        s, e = m.start(), m.end()
        if s < pos:
            continue  # inside a suffix already taken into the slot before
        run = m.group(0)
        if (
            run[0] in "Xx"
            and not _x_in_chinese_context(text, s, e)
            and not text[s - 1 : s].isdigit()
        ):
            continue
        kind, suffix = _classify(text, s, e)
        if kind == "年份" and text[s - 1 : s].isdigit():
            # 20XX年, 201x年: the digits before the mask are part of the blank
            s -= 4 - len(run) if text[s - (4 - len(run)) : s].isdigit() else 0
        out.append(text[pos:s])
        out.append(slot_token(kind))
        pos = e + suffix
    out.append(text[pos:])
    return "".join(out)


def slot_kind(name: str) -> str:
    """The kind of a slot: 姓名2 → 姓名, 地区 → 地区."""
    kind = name.rstrip("0123456789")
    return kind if kind in NUMBERED_KINDS else name


class SlotNumbering:
    """Tell apart the blanks of one kind in one speech: a kind that occurs once keeps its
    name (姓名); one that occurs more is numbered in reading order (姓名1, 姓名2 …).

    Count every text of the speech first (:meth:`count`), then :meth:`number` each."""

    def __init__(self) -> None:
        self.total: dict[str, int] = {}
        self.seen: dict[str, int] = {}

    def count(self, text: str) -> None:
        for m in iter_slots(text):
            if m.group(1) in NUMBERED_KINDS:
                self.total[m.group(1)] = self.total.get(m.group(1), 0) + 1

    def number(self, text: str) -> str:
        if not text or "{{" not in text:
            return text

        def rename(kind: str) -> str:
            if kind not in NUMBERED_KINDS or self.total.get(kind, 0) < 2:
                return slot_token(kind)
            self.seen[kind] = self.seen.get(kind, 0) + 1
            return slot_token(f"{kind}{self.seen[kind]}")

        return replace_slots(text, rename)


_SUFFIX_AFTER = ("省", "市", "州", "盟", "县", "区", "旗", "镇", "乡", "村", "局", "委")


def doubled_suffix(text: str, name: str, value: str) -> str | None:
    """The suffix a value would double where the text after its slot starts with it:
    ``{{ 地区 }}县`` filled with 东山县 reads 东山县县. None when it reads right."""
    value = (value or "").strip()
    if not value or not value.endswith(_SUFFIX_AFTER):
        return None
    token = slot_token(name)
    start = text.find(token)
    while start >= 0:
        after = text[start + len(token) : start + len(token) + 1]
        if after and after == value[-1]:
            return after
        start = text.find(token, start + 1)
    return None


def renumber_slots(text: str, taken: set[str]) -> str:
    """Slots of material put into a draft that already has blanks of those kinds: each gets a
    name of its own there (the draft's 姓名1 is not the material's 姓名1)."""
    mapping: dict[str, str] = {}

    def rename(name: str) -> str:
        kind = slot_kind(name)
        if kind not in NUMBERED_KINDS:
            return slot_token(name)
        if name not in mapping:
            if name not in taken and name not in mapping.values():
                mapping[name] = name
            else:
                n = 1
                while f"{kind}{n}" in taken or f"{kind}{n}" in mapping.values():
                    n += 1
                mapping[name] = f"{kind}{n}"
        return slot_token(mapping[name])

    return replace_slots(text, rename)


def _x_in_chinese_context(text: str, s: int, e: int) -> bool:
    before = text[s - 1] if s > 0 else ""
    after = text[e] if e < len(text) else ""
    return (not before or not before.isascii() or before in '“"(（') and (
        not after or not after.isascii()
    )


def apply_part_count(text: str) -> str:
    """``我讲三点意见`` → ``我讲{{ 部分数 }}点意见`` (first announcement only)."""
    return _PART_COUNT_RE.sub(
        lambda m: m.group(1) + slot_token(SLOT_PART_COUNT) + m.group(3), text, 1
    )


def announced_part_count(text: str) -> int | None:
    """The count an announcement of the parts names: 我讲三点意见 → 3, 讲两个问题 → 2."""
    from .numbering import parse_chinese_numeral

    match = _PART_COUNT_RE.search(text)
    if match is None:
        return None
    return parse_chinese_numeral(match.group(2).replace("两", "二"))


def has_part_count(text: str) -> bool:
    return _PART_COUNT_RE.search(text) is not None
