"""空话 density (内容空泛): paragraphs made mostly of slogans, with nothing concrete in them (no
number, date, named project, place or responsible unit)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..templating import SLOT_RE
from .chars import CJK_RUN, cjk_count
from .findings import Finding, excerpt_around, finding
from .items import LINE, ReviewItem
from .lexicons import SLOGAN_ADVERBS, SLOGAN_FRAGMENTS, phrase_lexicon
from .settings import DEFAULT_SETTINGS, ReviewSettings

_GENERIC_PREFIXES = "|".join(
    """
    重点 重大 民生 各类 各项 有关 相关 一批 这些 一些 所有 在建 新建 续建 招商 产业 实事 民心
    惠民 龙头 骨干 各个 全部 建设 工程 投资 示范 试点 大型 优质 合作 引进 签约 落地 开工 竣工
    储备 谋划 申报 争取 基础 一个 一项 这个 哪个 任何 各级 城乡
    """.split()
)
_UNITS = (
    "个百分点|万元|亿元|万亩|万人|平方公里|平方米|公顷|公里|千米|万|亿|元|亩|吨|户|人次|人|名|家"
    "|座|所|条|项|个|批|件|台|辆|处|栋|套|倍|年|个月|月|天|周|季度|次|场|期|级"
)
_CONCRETE = re.compile(
    "|".join(
        [
            r"[0-9０-９]",  # any Arabic number, date, time, percentage
            r"[A-Za-zＡ-Ｚａ-ｚ]{2,}",  # GDP, PPP, 5A …
            r"[A-Za-zＸ×＊*]+[省市县区镇乡村]",  # anonymised places (X区, **县)
            SLOT_RE.pattern,  # a slot: its value will be concrete
            # Chinese numeral + measure word, not a fixed formulation (“四个意识”, 一个…)
            f"(?<![“「])(?:[一二三四五六七八九十][十百千万亿]+|[两二三四五六七八九十])(?:{_UNITS})"
            r"(?!意识|自信|维护|确立|全面|代表|务必|服务|必须|坚持|伟大|文明|结合|大局|一百年|毫不)",
            r"[一二三四五六七八九十]+月(?:份|底|初|中旬|上旬|下旬)?|[上下]半年|年底|年初|月底|月初",
            r"第[一二三四]季度|[一二三四]季度",
            # Named projects, places and bodies (by suffix), unless the prefix is generic.
            r"(?<![各全我本该此每])[\u4e00-\u9fff]{2}"
            f"(?<!{_GENERIC_PREFIXES})"
            r"(?:项目|工程|园区|产业园|开发区|高新区|新区|大道|大桥|机场|景区"
            r"|基地|小区|社区|街道|医院|学校|高中|中学|小学|大学|学院|公司|集团|银行|新城"
            r"|二期|三期|码头|港区|车站|水库|电站|公园|广场|博物馆|图书馆|体育馆)",
            r"(?:组织部|宣传部|统战部|政法委|纪委|监委|发改委|卫健委|教育局|公安局|财政局|住建局"
            r"|人社局|商务局|统计局|审计局|税务局|应急管理局|生态环境局|自然资源局|农业农村局"
            r"|交通运输局|市场监管局|文旅局|督查室|督办室|办公室|指挥部|专班|工作组|领导小组)",
            r"[\u4e00-\u9fff]{2}(?<![大格布开结全当败僵终危饭赌骗新])局(?![面势])",
            r"[\u4e00-\u9fff]{2,}(?<!为)(?<!的)中心(?!工作|任务|环节|城区)",
        ]
    )
)
_CLAUSE = re.compile(r"[^，、；：。！？,;:!?\n“”（）()《》]+")


def empty_talk_ratio(text: str, lexicon: frozenset[str] | None = None) -> tuple[float, bool]:
    """(share of CJK characters inside slogan chunks, whether any concrete content was found).

    Slogan chunks are four-character idioms and 套话 (扎实推进, 凝心聚力 …), known slogan
    fragments (新篇章, 决策部署 …), and runs of short parallel clauses (有目标、有思路、有措施).
    Concrete content is a number, a date, a named project/place/body or a responsible unit.
    """
    lexicon = phrase_lexicon(DEFAULT_SETTINGS.use_jieba_idioms) if lexicon is None else lexicon
    concrete = _CONCRETE.search(text) is not None
    marked = bytearray(len(text))
    for run in CJK_RUN.finditer(text):
        s, base = run.group(), run.start()
        for i in range(len(s) - 3):
            w = s[i : i + 4]
            if w in lexicon or w[:2] in SLOGAN_ADVERBS:
                marked[base + i : base + i + 4] = b"\x01\x01\x01\x01"
    for frag in SLOGAN_FRAGMENTS:
        start = text.find(frag)
        while start != -1:
            marked[start : start + len(frag)] = b"\x01" * len(frag)
            start = text.find(frag, start + len(frag))
    clauses = [(m.start(), m.end(), cjk_count(m.group())) for m in _CLAUSE.finditer(text)]
    for i, (start, end, n) in enumerate(clauses):
        if not 2 <= n <= 6:
            continue
        neighbours = clauses[max(0, i - 1) : i] + clauses[i + 1 : i + 2]
        if any(2 <= k <= 6 for _, _, k in neighbours):
            marked[start:end] = b"\x01" * (end - start)
    total = 0
    slogan = 0
    for m in CJK_RUN.finditer(text):
        total += m.end() - m.start()
        slogan += marked.count(1, m.start(), m.end())
    return (slogan / total if total else 0.0), concrete


def check_empty_talk(
    items: Sequence[ReviewItem], settings: ReviewSettings = DEFAULT_SETTINGS
) -> list[Finding]:
    """内容空泛: paragraphs made mostly of slogans with no concrete content at all."""
    lexicon = phrase_lexicon(settings.use_jieba_idioms)
    findings = []
    for item in items:
        if item.part_index is None and not settings.empty_check_opening_closing:
            continue
        for m in LINE.finditer(item.text):
            para = m.group()
            if cjk_count(para) < settings.empty_min_chars:
                continue
            ratio, concrete = empty_talk_ratio(para, lexicon)
            if concrete or ratio < settings.empty_ratio:
                continue
            percent = round(ratio * 100)
            findings.append(
                finding(
                    "empty_talk",
                    item.id,
                    "warning",
                    (
                        f"内容空泛：空话占比 {percent}%，缺少数字、时间、项目、地点或责任单位等"
                        "具体内容，建议充实措施和要求"
                    ),
                    span=m.span(),
                    excerpt=excerpt_around(para, 0, min(len(para), 24), 0),
                    data={"ratio": ratio},
                )
            )
    return findings
