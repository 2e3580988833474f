"""What kind of meeting a speech was given at, and its year, read off its title (and date):
for choosing a skeleton (动员部署会, 工作会议, 表彰大会 …)."""

from __future__ import annotations

import re

# (kind, what in a title says so), most specific first.
KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("党课", re.compile(r"党课")),
    ("表彰大会", re.compile(r"表彰|颁奖")),
    ("动员部署会", re.compile(r"动员|部署")),
    ("推进会", re.compile(r"推进会|推进大会|擂台|比武|观摩")),
    ("座谈会", re.compile(r"座谈")),
    ("干部大会", re.compile(r"干部大会|干部会议")),
    ("全会", re.compile(r"全会|全体会议|常委会")),
    ("交流发言", re.compile(r"交流发言|表态发言|发言(?!人)")),
    ("工作会议", re.compile(r"工作会|会议|大会")),
)
OTHER = "其他"
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
# 二〇二三年 / 二零二三年 (dates of official documents are often written so).
_CN_DIGITS = {"〇": "0", "零": "0", "○": "0", "Ｏ": "0", "一": "1", "二": "2", "三": "3", "四": "4"}
_CN_DIGITS.update({"五": "5", "六": "6", "七": "7", "八": "8", "九": "9"})
_CN_YEAR = re.compile(r"([一二][〇零○Ｏ一二三四五六七八九]{3})\s*年")
_WIDE_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def meeting_kind(title: str) -> str:
    for kind, pattern in KINDS:
        if pattern.search(title or ""):
            return kind
    return OTHER


def year_of(*texts: str) -> int | None:
    """The first year (1900–2099) named in `texts`: 2023年, ２０２３年 or 二〇二三年."""
    for text in texts:
        text = (text or "").translate(_WIDE_DIGITS)
        match = _YEAR.search(text)
        if match:
            return int(match.group(1))
        match = _CN_YEAR.search(text)
        if match:
            year = int("".join(_CN_DIGITS[c] for c in match.group(1)))
            if 1900 <= year <= 2099:
                return year
    return None


# A title that names its occasion: [who] 在 … 上/时/之际 的 [总结/书面 …] 讲话/发言/致辞 [（摘要）].
_OCCASION = re.compile(
    r"在.{2,}?(?:上|中|时|之际|前夕)的?[\u4e00-\u9fff]{0,4}?(讲话|发言|致辞|贺词|报告)"
    r"(?:[（(][^）)]*[）)])?\s*\Z"
)
_GREETING = re.compile(r"致辞|贺词|致词")
_REMARKS = re.compile(r"发言(?!人)")


def names_occasion(title: str) -> bool:
    """Whether a speech's title itself names the meeting (在全市经济工作会议上的讲话), as
    opposed to a theme title (奋力开创高质量发展新局面), under which a subtitle names it."""
    lines = [line.strip() for line in (title or "").splitlines() if line.strip()]
    return any(_OCCASION.search(line.split("——")[-1]) for line in lines)


def speech_verb(title: str) -> str:
    """What the speech is called in its subtitle: 致辞 or 发言 when its title says so, else 讲话."""
    if _GREETING.search(title or ""):
        return "致辞"
    if _REMARKS.search(title or ""):
        return "发言"
    return "讲话"


def occasion_subtitle(title: str, meeting_name: str, *, always: bool = False) -> str | None:
    """The line under a theme title that names the meeting: ``——在{会议名称}上的讲话``.

    None without a meeting name, and for a title that names its occasion already (unless
    ``always``). The verb follows the title (:func:`speech_verb`).
    """
    meeting = " ".join((meeting_name or "").split()).strip("—- ")
    meeting = meeting.removeprefix("在").removesuffix("上").strip()
    if not meeting or (names_occasion(title) and not always):
        return None
    return f"——在{meeting}上的{speech_verb(title)}"
