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


def meeting_kind(title: str) -> str:
    for kind, pattern in KINDS:
        if pattern.search(title or ""):
            return kind
    return OTHER


def year_of(*texts: str) -> int | None:
    for text in texts:
        match = _YEAR.search(text or "")
        if match:
            return int(match.group(1))
    return None
