"""Roles of level-1 sections: situation / tasks / style / other.

A scored keyword-family approach over jieba tokens of the heading (the first paragraph
helps, at a lower weight, when the heading says nothing), plus a position prior: speeches
in three or more parts usually run situation → tasks → style. Tokens shared by every
sibling heading (``抓发展`` in 上下同心抓发展 / 千帆竞逐抓发展 / 奖罚分明抓发展) say nothing
about the part and are ignored.
"""

from __future__ import annotations

from . import segment
from .model import Section

SITUATION = "situation"
TASKS = "tasks"
STYLE = "style"
OTHER = "other"

FAMILIES: dict[str, dict[str, float]] = {
    SITUATION: {
        "形势": 2.5, "成绩": 2, "成效": 1, "问题": 1, "认识": 2.5, "认清": 2.5, "理解": 2.5,
        "意义": 2.5, "站位": 2.5, "思想": 1.5, "统一思想": 2.5, "重要性": 2.5, "必要性": 2.5,
        "紧迫感": 2.5, "责任感": 2, "使命感": 2.5, "紧迫性": 2.5, "信心": 1.5, "决心": 1,
        "回顾": 2, "总结": 1.5, "差距": 1, "挑战": 1, "现状": 1.5, "为什么": 2.5, "看清": 2,
        "把握": 1, "大势": 1.5, "清醒": 1.5, "判断": 1, "斗志": 1, "同心": 1, "提高": 0.5,
        "政治": 1, "忧患": 1.5, "机遇": 0.5, "标杆": 0.5, "肯定": 1, "初心": 1, "站高": 1,
        "重视": 2.5, "高度重视": 2.5, "红线": 2, "警钟": 2, "麻痹": 2, "松懈": 1.5,
        "教训": 2, "严峻": 2, "居安思危": 2,
    },
    TASKS: {
        "重点": 1.5, "任务": 2, "举措": 1.5, "措施": 1.5, "发展": 1, "推进": 1.5, "项目": 1.5,
        "目标": 1, "攻坚": 1.5, "突破": 1, "抓好": 1, "实施": 1, "建设": 1, "创新": 1,
        "机遇": 1, "思路": 1, "赶超": 1, "产业": 1.5, "招商": 1.5, "改革": 1, "怎样": 1.5,
        "如何": 1.5, "怎么办": 2, "路径": 1.5, "工作": 0.5, "提速": 1, "一流": 0.5,
        "竞逐": 0.5, "聚焦": 1, "抢抓": 1, "经济": 1, "民生": 1, "振兴": 1, "突出重点": 2,
        "质量": 1, "提升": 1, "实践": 1,
    },
    STYLE: {
        "作风": 3, "纪律": 2.5, "责任": 2, "督查": 2, "督导": 2, "督办": 2, "保障": 2,
        "要求": 1.5, "落实": 1, "组织": 1, "领导": 1, "组织领导": 3, "问责": 2.5, "考核": 2,
        "奖惩": 2.5, "奖罚": 2.5, "担当": 2, "实干": 1.5, "苦干": 1.5, "干部": 1, "队伍": 1.5,
        "管理": 1, "状态": 1.5, "廉洁": 2, "执行力": 2, "狠抓": 1, "能力": 1, "凝心聚力": 2,
        "合力": 1, "党建": 1.5, "履职": 1.5, "严实": 1.5, "从严": 1.5, "重任": 1,
        "分明": 1, "过硬": 1, "斗争": 0.5, "机制": 1.5, "长效": 2, "常态": 1, "制度": 1.5,
        "健全": 1, "监督": 1.5, "作风建设": 2, "压紧压实": 2, "落到实处": 1.5, "自律": 2,
        "表率": 1.5, "修身": 1.5, "保障措施": 3, "营造": 1, "环境": 1, "提供": 1,
    },
}  # fmt: skip

ROLE_ORDER = (SITUATION, TASKS, STYLE)
MIN_SCORE = 1.0


_ALL_WORDS = frozenset(w for family in FAMILIES.values() for w in family)


def _tokens(text: str) -> set[str]:
    """Family words found in the jieba tokens of ``text`` (also inside longer tokens such as
    狠抓落实 or 认清形势, which jieba keeps whole), plus multi-token words (统一思想)."""
    if not text:
        return set()
    features: set[str] = set()
    for tok in segment.lcut(text):
        if len(tok) < 2:
            continue
        features.add(tok)
        if len(tok) > 2:
            features.update(w for w in _ALL_WORDS if len(w) < len(tok) and w in tok)
    features.update(w for w in _ALL_WORDS if len(w) >= 4 and w in text)
    return features


def _prior(index: int, count: int) -> dict[str, float]:
    if count >= 3:
        if index == 0:
            return {SITUATION: 1.0}
        if index == count - 1:
            return {STYLE: 1.0}
        return {TASKS: 0.75}
    if count == 2:
        return {SITUATION: 0.75} if index == 0 else {TASKS: 0.5, STYLE: 0.5}
    return {SITUATION: 1.0}  # one part: a page cut after its first part, which is the situation


# Speeches whose parts are what the speaker's unit does or will do (经验交流, 表态): each part
# is a task unless its own words say otherwise.
_PRACTICE_TITLE = ("交流发言", "经验交流", "典型发言", "经验介绍", "表态发言", "表态")


def score_roles(tokens: set[str], ignore: set[str]) -> dict[str, float]:
    scores = {role: 0.0 for role in FAMILIES}
    for role, family in FAMILIES.items():
        for tok in tokens - ignore:
            weight = family.get(tok)
            if weight:
                scores[role] += weight
    return scores


def assign_roles(sections: list[Section], title: str = "") -> None:
    """Set ``role`` on level-1 sections (in place); deeper sections keep None."""
    practice = any(word in (title or "") for word in _PRACTICE_TITLE)
    if not sections:
        return
    head_tokens = [_tokens(s.heading) for s in sections]
    shared = set.intersection(*head_tokens) if len(sections) >= 2 else set()
    count = len(sections)
    for i, section in enumerate(sections):
        scores = score_roles(head_tokens[i], shared)
        if max(scores.values()) == 0 and section.paragraphs:
            first = section.paragraphs[0][:120]
            para_scores = score_roles(_tokens(first), shared)
            scores = {r: 0.4 * v for r, v in para_scores.items()}
        for role, bonus in ({TASKS: 3.0} if practice else _prior(i, count)).items():
            scores[role] += bonus
        best = max(ROLE_ORDER, key=lambda r: (scores[r], -ROLE_ORDER.index(r)))
        section.role = best if scores[best] >= MIN_SCORE else OTHER
        for child in section.walk():
            if child is not section:
                child.role = None
