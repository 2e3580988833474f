"""Checks of the review panel (审稿): pure functions over plain data.

Every check takes a list of :class:`ReviewItem` (one per paragraph of the draft, in document
order) and returns a list of :class:`Finding`; offsets index ``item.text`` (or ``item.heading``
when ``finding.target == "heading"``). Messages are in Simplified Chinese.

* reuse of past speeches: :func:`check_reuse` (MinHash/LSH, see :mod:`.similarity`)
* repetition inside the draft: :func:`check_repeated_phrases`, :func:`check_repeated_openings`,
  :func:`check_duplicate_sentences`
* 空话 density: :func:`check_empty_talk`
* 提法 and wrongly written words: :func:`check_formulations` with :data:`DEFAULT_FORMULATIONS`
* format: :func:`check_dates`, :func:`check_punctuation`, :func:`check_brackets`,
  :func:`check_slots`, :func:`check_part_balance`
* length: :func:`length_summary`

:func:`review_all` runs them all. Per-paragraph checks can be given any subset of the items; the
repetition checks need the whole draft and take ``changed_ids`` to report only findings that
touch the paragraphs just saved.

Character counts (字数) are the office's count (speechdraft.text.counting): what the status
bar shows is what the length check measures. Everything here is pure Python; jieba is only read (lazily, once per
process) for its list of idioms, and never used to segment.
"""

from __future__ import annotations

import re
import statistics
import threading
from collections import defaultdict
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import lru_cache
from itertools import pairwise
from typing import Any, Literal

from .. import freshness
from ..counting import count_chars
from ..numbering import chinese_numeral
from ..similarity import LshIndex, MinHasher, best_matches, normalize
from ..templating import SLOT_RE, iter_slots

__all__ = [
    "CHECK_LABELS",
    "DATED_FORMULATIONS",
    "DEFAULT_FORMULATIONS",
    "DEFAULT_SETTINGS",
    "Finding",
    "Formulation",
    "LengthSummary",
    "ReviewItem",
    "ReviewSettings",
    "check_brackets",
    "check_dates",
    "check_duplicate_sentences",
    "check_empty_talk",
    "check_formulations",
    "check_part_balance",
    "check_punctuation",
    "check_repeated_openings",
    "check_repeated_phrases",
    "check_reuse",
    "check_slots",
    "count_chars",
    "empty_talk_ratio",
    "jieba_idioms",
    "length_summary",
    "review_all",
]

Severity = Literal["info", "warning", "error"]


# --------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """One paragraph of the draft. ``part_index``: its level-1 part, None for opening/closing."""

    id: Hashable
    part_index: int | None
    heading: str
    text: str


@dataclass(slots=True)
class Finding:
    """One problem found by a check.

    ``start``/``end`` index ``item.text`` (``item.heading`` when ``target == "heading"``);
    ``replacement``, when set, replaces exactly ``[start, end)`` (one-click fix).
    """

    check: str
    item_id: Hashable
    severity: Severity
    message: str
    start: int | None = None
    end: int | None = None
    excerpt: str = ""
    replacement: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    target: Literal["text", "heading"] = "text"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Formulation:
    """A wrong or outdated wording and its replacement (``right`` may be "" when there is none).

    A dated 提法 (``superseded_on`` set) is wrong only for text meant for a date after
    ``superseded_on``; ``valid_from``, when known, is when the wording came into use. ``note``
    is what the drafter reads: for a dated one, why (十八大已于2012年11月召开).
    See :mod:`.freshness`.
    """

    wrong: str
    right: str
    note: str = ""
    kind: Literal["outdated", "typo"] = "typo"
    valid_from: date | None = None
    superseded_on: date | None = None


# Chinese names of the checks, for the panel's filters.
CHECK_LABELS: dict[str, str] = {
    "reuse": "与往年讲话雷同",
    "repeated_phrase": "用语重复",
    "repeated_opening": "段首重复",
    "duplicate_sentence": "句子重复",
    "empty_talk": "内容空泛",
    "formulation": "提法与用字",
    "date_format": "日期格式",
    "punctuation": "标点与空格",
    "unbalanced": "括号引号不成对",
    "unfilled_slot": "空位未填",
    "part_balance": "篇幅不均",
    "length": "篇幅时长",
}

# Terms of the genre that may recur any number of times: repeating them is not a style slip.
DEFAULT_PHRASE_IGNORE: frozenset[str] = frozenset(
    """
    习近平新时代中国特色社会主义思想 习近平总书记 中国特色社会主义 高质量发展 中国式现代化
    全面从严治党 全面深化改革 全面依法治国 全面建成小康社会 全面建设小康社会
    全面建设社会主义现代化国家 全面推进乡村振兴 可持续发展 积极分子 以人民为中心
    全心全意为人民服务 不忘初心 牢记使命 解放思想 实事求是 改革开放 党中央 经济社会
    人民群众 党员干部 领导干部 领导班子 乡村振兴 营商环境 意识形态 生态文明 共同富裕
    两个确立 两个维护 四个意识 四个自信 新发展理念 新发展格局 总体国家安全观
    社会主义核心价值观 主题教育 党史学习教育 与此同时 总而言之
    """.split()
)

# Four-character 套话 common in speeches that jieba's dictionary does not tag as idioms.
SLOGAN_PHRASES: frozenset[str] = frozenset(
    """
    凝心聚力 担当作为 真抓实干 久久为功 驰而不息 踔厉奋发 勇毅前行 守正创新 笃行不怠
    履职尽责 落地见效 提质增效 走深走实 善作善成 奋勇争先 争先创优 比学赶超 只争朝夕
    埋头苦干 攻坚克难 砥砺前行 锐意进取 开拓创新 干事创业 敢于担当 勇于担当 狠抓落实
    压实责任 守土有责 守土负责 守土尽责 凝聚合力 统筹推进 精准施策 一以贯之 一抓到底
    常抓不懈 持之以恒 抓铁有痕 踏石留印 全力以赴 齐心协力 同向发力 握指成拳 乘势而上
    顺势而为 奋发有为 迎难而上 勇挑重担 主动作为 担当尽责 实干担当 求真务实 务求实效
    落到实处 抓出成效 见行见效 落细落实 出新出彩 提档升级 提速增效 再上台阶 争先进位
    赶超跨越 跨越发展 转型升级 补齐短板 强化弱项 固本培元 凝心铸魂 开创新局 开拓进取
    团结奋斗 团结一心 众志成城 共建共享 共治共享 上下同心 同心同德 不负韶华 再鼓干劲
    一鼓作气 决战决胜 奋勇前进 昂扬向上 强基固本 守正出新 走在前列 勇立潮头 奋楫争先
    争当表率 争做示范 当好先锋 作出表率 率先垂范 以上率下 以身作则 示范引领 统筹兼顾
    协调推进 整体推进 系统推进 真抓实干 埋头苦干 实干笃行 务实重行 善作善为 敢作敢为
    敢闯敢试 敢为人先 爬坡过坎 滚石上山 负重前行 逢山开路 遇水架桥 咬定目标 咬定青山
    鼓足干劲 铆足干劲 攻坚突破 奋力冲刺 决胜全年 开局起步 勇争一流
    争创一流 追赶超越 后发赶超 弯道超车 换道超车 聚力攻坚 合力攻坚 齐抓共管 上下联动
    同频共振 同题共答 统一思想 凝聚共识 提振信心 坚定信心 振奋精神 鼓舞士气 激发活力
    增强动力 厚植优势 激活动能 释放活力 蓄势赋能 赋能增效 提能升级 提标扩面
    与时俱进 常抓不懈 守土有责 一抓到底 不思进取 开拓创新 求真务实 真心实意 扎扎实实
    实实在在 认认真真 兢兢业业 一心一意 全心全意 尽心尽力 尽职尽责 恪尽职守 忠诚干净
    敢于斗争 善于斗争 担当有为 克难攻坚 比学赶帮 你追我赶 争分夺秒 马不停蹄 加压奋进
    """.split()
)

# 套话 built as adverb + verb: 扎实推进, 切实加强, 全面提升, 不断增强 …
SLOGAN_ADVERBS: frozenset[str] = frozenset(
    """
    扎实 切实 全面 深入 大力 不断 持续 着力 积极 努力 坚决 认真 有效 稳步 全力 奋力
    始终 牢牢 充分 主动 广泛 严格 更加 务必 真正 自觉 统筹 协同 精准 高效 有序 加快
    加速 加大 加紧 全速 全面 坚定 纵深 深度 系统 整体 持久 长效 常态
    """.split()
)

# Longer slogan fragments that carry no concrete content (used for 空话 density only).
SLOGAN_FRAGMENTS: tuple[str, ...] = tuple(
    sorted(
        """
        习近平新时代中国特色社会主义思想 习近平总书记 重要讲话精神 重要指示批示精神 重要论述
        决策部署 党中央 省委省政府 市委市政府 县委县政府 区委区政府 省委 市委 县委 区委
        高质量发展 新篇章 新征程 新局面 新贡献 新的更大贡献 新的更大成绩 新成效 新突破
        新气象 新作为 新担当 新境界 新高度 新台阶 新优势 新动能 新活力 坚强保障 有力保障
        坚强政治保证 有力支撑 以人民为中心 中国式现代化 中国特色社会主义 两个确立 两个维护
        四个意识 四个自信 政治判断力 政治领悟力 政治执行力 贯彻落实 落到实处 见到实效
        取得实效 精气神 责任感 使命感 紧迫感 危机感 荣誉感 获得感 幸福感 安全感 主心骨
        排头兵 奋力谱写 不断开创 开创新局面 展现新作为 作出新贡献 各项工作 各项任务 工作要求
        同志们 我们要 大家要 一定要 必须 坚持 推动 推进 加强 提升 强化 深化 确保 努力
        进一步 上下 全力 各级 各部门 各单位 广大干部 干部群众 党员干部 领导干部
        政治站位 重要性 紧迫性 必要性 思想认识 提高认识 统一思想 高度重视 经济社会发展
        稳中求进 总基调 新发展理念 新发展格局 时不我待 撸起袖子加油干 一张蓝图绘到底
        实际行动 优异成绩 胜利召开 钉钉子精神 问题导向 目标导向 结果导向 系统观念 底线思维
        全市上下 全区上下 全县上下 全省上下 目标任务 各项工作 工作合力 强大合力 良好氛围
        浓厚氛围 思想和行动 行动自觉 思想自觉 政治责任 政治任务 重中之重 头等大事
        """.split(),
        key=len,
        reverse=True,
    )
)


@dataclass(frozen=True)
class ReviewSettings:
    """Thresholds of every check; the defaults suit a 5,000–20,000-character speech."""

    # Repetition: flag a four-character phrase used more than this many times in the draft.
    phrase_max_uses: int = 3
    phrase_ignore: frozenset[str] = DEFAULT_PHRASE_IGNORE
    # Read jieba's dictionary (once per process) for its idioms (tag i).
    use_jieba_idioms: bool = True
    # Consecutive paragraphs starting with the same ≥ this many CJK characters.
    opening_min_chars: int = 4
    # Sentences shorter than this (letters/digits/CJK) are not compared for duplicates.
    sentence_min_chars: int = 8
    # 空话: only paragraphs with at least this many CJK characters are judged …
    empty_min_chars: int = 40
    # … and flagged when at least this share of their characters is slogan.
    empty_ratio: float = 0.6
    # Opening and closing paragraphs (part_index None) are rhetorical by design.
    empty_check_opening_closing: bool = False
    # A level-1 part longer than long× or shorter than short× the median part is flagged.
    part_long_ratio: float = 2.0
    part_short_ratio: float = 0.4
    part_min_count: int = 3
    # Reuse against the corpus.
    reuse_threshold: float = 0.5
    reuse_min_chars: int = 30
    reuse_k: int = 3
    reuse_error_score: float = 0.8
    # Length.
    rate_per_minute: float = 170
    target_minutes: float | None = None


DEFAULT_SETTINGS = ReviewSettings()


# --------------------------------------------------------------------------------------------
# Shared helpers
# --------------------------------------------------------------------------------------------

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Full-width punctuation and the like (not the ideographic space U+3000).
_CJK_PUNCT = "\u3001-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65“”‘’…—·"
_CJK_RUN = re.compile(f"[{_CJK}]+")
_CJK_CHAR = re.compile(f"[{_CJK}]")


def _cjk_count(text: str) -> int:
    return len(_CJK_CHAR.findall(text))


def _excerpt(text: str, start: int, end: int, context: int = 8) -> str:
    """The words around a finding; never a cut inside a slot (the page shows a slot whole)."""
    left = max(0, start - context)
    right = min(len(text), end + context)
    for m in iter_slots(text):
        if m.start() < left < m.end():
            left = m.start()
        if m.start() < right < m.end():
            right = m.end()
    return ("…" if left else "") + text[left:right] + ("…" if right < len(text) else "")


def _in_scope(item_id: Hashable, changed: frozenset[Hashable] | None) -> bool:
    return changed is None or item_id in changed


def _changed_set(changed_ids: Iterable[Hashable] | None) -> frozenset[Hashable] | None:
    return None if changed_ids is None else frozenset(changed_ids)


_idiom_lock = threading.Lock()
_jieba_idioms: frozenset[str] | None = None
_IDIOM_LINE = re.compile(f"^([{_CJK}]{{4}}) \\d+ i\\s*$", re.M)


def jieba_idioms() -> frozenset[str]:
    """Four-character idioms (成语, tag ``i``) of jieba's dictionary, about 22,000.

    Tag ``l`` (习用语) is not used: it mixes set phrases with plain nouns (有线电视, 意见建议).

    Read once per process straight from jieba's ``dict.txt`` (~60 ms); no segmentation and no
    posseg. Empty when jieba is not installed.
    """
    global _jieba_idioms
    if _jieba_idioms is not None:
        return _jieba_idioms
    with _idiom_lock:
        if _jieba_idioms is None:
            try:
                import os

                import jieba

                path = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
                with open(path, encoding="utf-8") as fh:
                    _jieba_idioms = frozenset(_IDIOM_LINE.findall(fh.read()))
            except (ImportError, OSError):
                _jieba_idioms = frozenset()
    return _jieba_idioms


def _phrase_lexicon(settings: ReviewSettings) -> frozenset[str]:
    if settings.use_jieba_idioms:
        return _merged_lexicon(jieba_idioms())
    return SLOGAN_PHRASES


@lru_cache(maxsize=2)
def _merged_lexicon(idioms: frozenset[str]) -> frozenset[str]:
    return idioms | SLOGAN_PHRASES


def _is_slogan_window(window: str, lexicon: frozenset[str]) -> bool:
    return window in lexicon or window[:2] in SLOGAN_ADVERBS


# --------------------------------------------------------------------------------------------
# 1. Reuse against past speeches
# --------------------------------------------------------------------------------------------

_PARAGRAPH = re.compile(r"[^\n]+")


def check_reuse(
    items: Sequence[ReviewItem],
    index: LshIndex,
    corpus_lookup: Mapping[Hashable, Any] | Callable[[Hashable], Any],
    settings: ReviewSettings = DEFAULT_SETTINGS,
    *,
    hasher: MinHasher | None = None,
    label: Callable[[Hashable], str] | None = None,
    exclude: Collection[Hashable] = (),
) -> list[Finding]:
    """Paragraphs that closely match a corpus paragraph (past speeches, earlier drafts).

    ``label(key)`` names a match for the message, e.g. "《2023年全区经济工作会议讲话》第二部分";
    without it the message says "资料库中的段落". Each line of an item is checked on its own.
    """
    findings = []
    for item in items:
        for m in _PARAGRAPH.finditer(item.text):
            matches = best_matches(
                m.group(),
                index,
                corpus_lookup,
                k=settings.reuse_k,
                threshold=settings.reuse_threshold,
                hasher=hasher,
                min_chars=settings.reuse_min_chars,
                exclude=exclude,
            )
            if not matches:
                continue
            best = matches[0]
            name = label(best.key) if label else "资料库中的段落"
            percent = round(best.score * 100)
            findings.append(
                Finding(
                    check="reuse",
                    item_id=item.id,
                    severity="warning" if best.score >= settings.reuse_error_score else "info",
                    message=f"此段与{name}相似度 {percent}%，请确认是否在同一场合重复使用",
                    start=m.start(),
                    end=m.end(),
                    excerpt=_excerpt(item.text, m.start(), min(m.end(), m.start() + 24), 0),
                    data={
                        "matches": [
                            {"key": x.key, "score": x.score, "containment": x.containment}
                            for x in matches
                        ]
                    },
                )
            )
    return findings


# --------------------------------------------------------------------------------------------
# 2. Repetition inside the draft
# --------------------------------------------------------------------------------------------


def _ignored_offsets(text: str, ignore: Iterable[str]) -> set[int]:
    blocked: set[int] = set()
    for term in ignore:
        start = text.find(term)
        while start != -1:
            blocked.update(range(start, start + len(term)))
            start = text.find(term, start + 1)
    return blocked


@lru_cache(maxsize=8192)
def _phrase_windows(
    text: str, ignore: tuple[str, ...], lexicon: frozenset[str]
) -> dict[str, tuple[int, ...]]:
    """{window: offsets} of the phrase-like four-character windows of `text` (_is_slogan_window),
    leaving out those wholly inside a term of `ignore`. Kept per text: small (a paragraph has a
    few such windows), and the same paragraphs are checked after every save."""
    blocked = _ignored_offsets(text, ignore) if ignore else set()
    out: dict[str, list[int]] = defaultdict(list)
    for run in _CJK_RUN.finditer(text):
        s, base = run.group(), run.start()
        for i in range(len(s) - 3):
            window = s[i : i + 4]
            if not _is_slogan_window(window, lexicon):
                continue
            if blocked and (base + i in blocked and base + i + 3 in blocked):
                continue
            out[window].append(base + i)
    return {w: tuple(offs) for w, offs in out.items()}


def check_repeated_phrases(
    items: Sequence[ReviewItem],
    settings: ReviewSettings = DEFAULT_SETTINGS,
    changed_ids: Iterable[Hashable] | None = None,
) -> list[Finding]:
    """Four-character set phrases (idioms, 套话 like 扎实推进) used too often in the draft.

    Counts every four-character window of CJK text over the whole draft; a window is reported
    when it is used more than ``phrase_max_uses`` times and is phrase-like (a jieba idiom, a
    known 套话, or adverb + verb). A window always found inside the same longer run is reported
    once as that run (扎实推进乡村振兴, not 扎实推进 and 实推进乡 …). Terms of the genre
    (``phrase_ignore``) never count. One finding per phrase and paragraph.
    """
    changed = _changed_set(changed_ids)
    limit = settings.phrase_max_uses
    lexicon = _phrase_lexicon(settings)
    ignore = tuple(settings.phrase_ignore)
    texts = [item.text for item in items]
    # Only phrase-like windows can be reported, and a paragraph's are found once per process
    # (the hints after every save read the same paragraphs again). Checking some items only
    # (on save): only windows those items have can make a finding there (a longer run that
    # holds one is in those items too), so only they are counted.
    found = [_phrase_windows(text, ignore, lexicon) for text in texts]
    wanted: set[str] | None = None
    if changed is not None:
        wanted = {w for item, f in zip(items, found, strict=True) if item.id in changed for w in f}
    positions: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for idx, windows in enumerate(found):
        for window, offsets in windows.items():
            if wanted is None or window in wanted:
                positions[window].extend((idx, off) for off in offsets)

    repeated: dict[str, list[tuple[int, int]]] = {}
    for window, occ in positions.items():
        if len(occ) > limit and _is_slogan_window(window, lexicon):
            occ = _non_overlapping(occ, 4)
            if len(occ) > limit:
                repeated[window] = occ
    phrases = _merge_overlapping(texts, repeated)
    findings = []
    for phrase, occ in phrases.items():
        by_item: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for idx, off in occ:
            by_item[idx].append((off, off + len(phrase)))
        for idx, spans in by_item.items():
            item = items[idx]
            if not _in_scope(item.id, changed):
                continue
            start, end = spans[0]
            findings.append(
                Finding(
                    check="repeated_phrase",
                    item_id=item.id,
                    severity="info",
                    message=(
                        f"「{phrase}」在全文出现 {len(occ)} 次（超过 {limit} 次），"
                        "建议变换说法或删去部分"
                    ),
                    start=start,
                    end=end,
                    excerpt=_excerpt(item.text, start, end),
                    data={"phrase": phrase, "count": len(occ), "spans": [list(s) for s in spans]},
                )
            )
    order = {item.id: i for i, item in enumerate(items)}
    findings.sort(key=lambda f: (order.get(f.item_id, len(items)), f.start or 0))
    return findings


def _non_overlapping(occ: list[tuple[int, int]], width: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for idx, off in occ:
        if out and out[-1][0] == idx and off < out[-1][1] + width:
            continue
        out.append((idx, off))
    return out


def _merge_overlapping(
    texts: list[str], repeated: dict[str, list[tuple[int, int]]]
) -> dict[str, list[tuple[int, int]]]:
    """Join repeated windows that overlap at every one of their occurrences into one phrase.

    更加扎实 and 扎实推进, always together as 更加扎实推进, become that one phrase; windows that
    also occur on their own keep their own count.
    """
    at: dict[tuple[int, int], str] = {}
    for window, occ in repeated.items():
        for pos in occ:
            at[pos] = window
    parent = {w: w for w in repeated}

    def root(w: str) -> str:
        while parent[w] != w:
            w = parent[w]
        return w

    shift: dict[str, int] = {w: 0 for w in repeated}  # offset of w relative to its root
    for window in sorted(repeated):
        occ = repeated[window]
        for d in (1, 2, 3):
            other = at.get((occ[0][0], occ[0][1] + d))
            if other is None or len(repeated[other]) != len(occ):
                continue
            if all(at.get((idx, off + d)) == other for idx, off in occ):
                a, b = root(window), root(other)
                if a != b:
                    # other starts d after window: re-anchor b's group on a.
                    delta = _offset(window, parent, shift) + d - _offset(other, parent, shift)
                    parent[b] = a
                    shift[b] = delta
    groups: dict[str, list[str]] = defaultdict(list)
    for w in repeated:
        groups[root(w)].append(w)
    phrases: dict[str, list[tuple[int, int]]] = {}
    for anchor, members in groups.items():
        offsets = [_offset(w, parent, shift) for w in members]
        lo, hi = min(offsets), max(offsets) + 4
        occ = [(idx, off + lo) for idx, off in repeated[anchor]]
        idx0, off0 = occ[0]
        phrase = texts[idx0][off0 : off0 + hi - lo]
        phrases.setdefault(phrase, occ)
    return phrases


def _offset(w: str, parent: dict[str, str], shift: dict[str, int]) -> int:
    """Offset of window ``w`` from the root of its group (sum of shifts up the chain)."""
    total = 0
    while parent[w] != w:
        total += shift[w]
        w = parent[w]
    return total


# Numbering and sequencing words that make identical openings deliberate.
_MARKER_START = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、]|[一二三四五六七八九十]+[、是要来]"
    r"|第[一二三四五六七八九十\d]+|其[一二三四五六七八九十]|首先|其次|再次|最后|一方面|另一方面)"
)


def check_repeated_openings(
    items: Sequence[ReviewItem],
    settings: ReviewSettings = DEFAULT_SETTINGS,
    changed_ids: Iterable[Hashable] | None = None,
) -> list[Finding]:
    """Consecutive body paragraphs of the same part that open with the same words.

    Compares the text (not the headings, whose parallel openings are the genre) of neighbouring
    items; flags when they share at least ``opening_min_chars`` CJK characters at the start and
    neither opens with a numbering or sequencing word (一是/二是, 第一, 首先 …). Short shared
    openings such as 要…/要… or 坚持…/坚持… stay below the threshold. The finding sits on the
    second paragraph; with ``changed_ids`` it is reported when either paragraph changed.
    """
    changed = _changed_set(changed_ids)
    findings = []
    for prev, cur in pairwise(items):
        if prev.part_index != cur.part_index:
            continue
        if changed is not None and prev.id not in changed and cur.id not in changed:
            continue
        a, b = prev.text, cur.text
        lead = len(b) - len(b.lstrip())
        a, b = a.lstrip(), b.lstrip()
        if not a or not b or _MARKER_START.match(a) or _MARKER_START.match(b):
            continue
        n = 0
        limit = min(len(a), len(b))
        while n < limit and a[n] == b[n]:
            n += 1
        opening = b[:n]
        if _cjk_count(opening) < settings.opening_min_chars:
            continue
        findings.append(
            Finding(
                check="repeated_opening",
                item_id=cur.id,
                severity="info",
                message=f"与上一段开头相同（「{opening}」），建议变换开头",
                start=lead,
                end=lead + n,
                excerpt=opening,
                data={"previous_id": prev.id, "opening": opening},
            )
        )
    return findings


_SENTENCE = re.compile(r"[^。！？!?；;\n]+(?:[。！？!?；;]+[”’」』）)]*)?")


@lru_cache(maxsize=8192)
def _sentence_keys(text: str, min_chars: int) -> tuple[tuple[str, int, int], ...]:
    """(normalized sentence, start, end) of the sentences of `text` long enough to compare;
    kept per text (the same paragraphs are checked after every save)."""
    out = []
    for m in _SENTENCE.finditer(text):
        key = normalize(m.group())
        if len(key) >= min_chars:
            start = m.start() + (len(m.group()) - len(m.group().lstrip()))
            out.append((key, start, m.end()))
    return tuple(out)


def check_duplicate_sentences(
    items: Sequence[ReviewItem],
    settings: ReviewSettings = DEFAULT_SETTINGS,
    changed_ids: Iterable[Hashable] | None = None,
) -> list[Finding]:
    """The same sentence (ignoring punctuation and spaces) written twice anywhere in the draft.

    With ``changed_ids``, every occurrence of a sentence that also occurs in a changed item is
    reported (the copies elsewhere change status too).
    """
    changed = _changed_set(changed_ids)
    groups: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for idx, item in enumerate(items):
        for key, start, end in _sentence_keys(item.text, settings.sentence_min_chars):
            groups[key].append((idx, start, end))
    findings = []
    for occ in groups.values():
        if len(occ) < 2:
            continue
        ids = {items[idx].id for idx, _, _ in occ}
        if changed is not None and not ids & changed:
            continue
        for idx, start, end in occ:
            item = items[idx]
            others = [
                {"item_id": items[j].id, "start": s, "end": e}
                for j, s, e in occ
                if (j, s) != (idx, start)
            ]
            where = "本段" if all(o["item_id"] == item.id for o in others) else "全文"
            findings.append(
                Finding(
                    check="duplicate_sentence",
                    item_id=item.id,
                    severity="warning",
                    message=f"此句在{where}重复出现（共 {len(occ)} 次），请删去或改写重复的一处",
                    start=start,
                    end=end,
                    excerpt=item.text[start:end],
                    data={"others": others, "count": len(occ)},
                )
            )
    order = {item.id: i for i, item in enumerate(items)}
    findings.sort(key=lambda f: (order.get(f.item_id, len(items)), f.start or 0))
    return findings


# --------------------------------------------------------------------------------------------
# 3. 空话 density
# --------------------------------------------------------------------------------------------

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
    lexicon = _phrase_lexicon(DEFAULT_SETTINGS) if lexicon is None else lexicon
    concrete = _CONCRETE.search(text) is not None
    marked = bytearray(len(text))
    for run in _CJK_RUN.finditer(text):
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
    clauses = [(m.start(), m.end(), _cjk_count(m.group())) for m in _CLAUSE.finditer(text)]
    for i, (start, end, n) in enumerate(clauses):
        if not 2 <= n <= 6:
            continue
        neighbours = clauses[max(0, i - 1) : i] + clauses[i + 1 : i + 2]
        if any(2 <= k <= 6 for _, _, k in neighbours):
            marked[start:end] = b"\x01" * (end - start)
    total = 0
    slogan = 0
    for m in _CJK_RUN.finditer(text):
        total += m.end() - m.start()
        slogan += marked.count(1, m.start(), m.end())
    return (slogan / total if total else 0.0), concrete


def check_empty_talk(
    items: Sequence[ReviewItem], settings: ReviewSettings = DEFAULT_SETTINGS
) -> list[Finding]:
    """内容空泛: paragraphs made mostly of slogans with no concrete content at all."""
    lexicon = _phrase_lexicon(settings)
    findings = []
    for item in items:
        if item.part_index is None and not settings.empty_check_opening_closing:
            continue
        for m in _PARAGRAPH.finditer(item.text):
            para = m.group()
            if _cjk_count(para) < settings.empty_min_chars:
                continue
            ratio, concrete = empty_talk_ratio(para, lexicon)
            if concrete or ratio < settings.empty_ratio:
                continue
            percent = round(ratio * 100)
            findings.append(
                Finding(
                    check="empty_talk",
                    item_id=item.id,
                    severity="warning",
                    message=(
                        f"内容空泛：空话占比 {percent}%，缺少数字、时间、项目、地点或责任单位等"
                        "具体内容，建议充实措施和要求"
                    ),
                    start=m.start(),
                    end=m.end(),
                    excerpt=_excerpt(para, 0, min(len(para), 24), 0),
                    data={"ratio": ratio},
                )
            )
    return findings


# --------------------------------------------------------------------------------------------
# 4. 提法 and wrongly written words
# --------------------------------------------------------------------------------------------


def _typos(pairs: str, note: str = "") -> list[Formulation]:
    out = []
    for pair in pairs.split():
        wrong, right = pair.split("→")
        out.append(Formulation(wrong, right, note, "typo"))
    return out


_REFORM_2018 = "2018年党和国家机构改革后已更名或整合，请按本地现行机构名称核对"
# 十三届全国人大一次会议 approved the 国务院机构改革方案 on 2018-03-17; the local reforms of
# cities and counties were to be completed by the end of March 2019.
_STATE_2018 = date(2018, 3, 17)
_LOCAL_2018 = date(2019, 3, 31)
# 国家卫生健康委员会 renamed 新型冠状病毒肺炎 to 新型冠状病毒感染 on 2022-12-26.
_COVID_RENAMED = date(2022, 12, 26)

# A conservative starting list: well-known 错别字 of official writing, and 提法 whose change is
# documented. Curators extend it as data; every entry must never match correct text.
DEFAULT_FORMULATIONS: tuple[Formulation, ...] = (
    *_typos(
        """
        心无旁鹜→心无旁骛 心无旁鸯→心无旁骛 好高鹜远→好高骛远 按步就班→按部就班 再接再励→再接再厉
        谈笑风声→谈笑风生 一股作气→一鼓作气 变本加利→变本加厉 走头无路→走投无路
        默守成规→墨守成规 迫不急待→迫不及待 不径而走→不胫而走 一愁莫展→一筹莫展
        别出新裁→别出心裁 明辩是非→明辨是非 委屈求全→委曲求全 记忆尤新→记忆犹新
        一如继往→一如既往 既往开来→继往开来 再所不辞→在所不辞 相辅相承→相辅相成
        言简意骇→言简意赅 精兵减政→精兵简政 功亏一溃→功亏一篑 披星带月→披星戴月
        歪风斜气→歪风邪气 励精图志→励精图治 针贬时弊→针砭时弊 迫在眉捷→迫在眉睫
        涣然一新→焕然一新 直接了当→直截了当 出谋化策→出谋划策 因地治宜→因地制宜
        以身做则→以身作则 关怀倍至→关怀备至 重蹈复辙→重蹈覆辙 励行节约→厉行节约
        坚苦奋斗→艰苦奋斗 融汇贯通→融会贯通 陈词烂调→陈词滥调 义无返顾→义无反顾
        中流抵柱→中流砥柱 如火如茶→如火如荼 推委扯皮→推诿扯皮 布署→部署 松驰→松弛
        """
    ),
    Formulation("千罗万象", "包罗万象", "或作“森罗万象”，视语境选用", "typo"),
    Formulation("一带一路战略", "一带一路倡议", "规范表述为“一带一路”倡议，不称“战略”", "outdated"),
    Formulation(
        "“一带一路”战略", "“一带一路”倡议", "规范表述为“一带一路”倡议，不称“战略”", "outdated"
    ),
    Formulation("供给侧改革", "供给侧结构性改革", "规范表述，不宜简称", "outdated"),
    Formulation(
        "新型冠状病毒肺炎",
        "新型冠状病毒感染",
        "2022年12月起更名为“新型冠状病毒感染”；回顾当时工作的表述请按最新文件核对",
        "outdated",
        superseded_on=_COVID_RENAMED,
    ),
    Formulation(
        "新冠肺炎",
        "新冠病毒感染",
        "2022年12月起更名为“新型冠状病毒感染”；回顾当时工作的表述请按最新文件核对",
        "outdated",
        superseded_on=_COVID_RENAMED,
    ),
    Formulation(
        "有中国特色社会主义", "中国特色社会主义", "早期表述，现统一为“中国特色社会主义”", "outdated"
    ),
    Formulation(
        "全面建设小康社会",
        "全面建设社会主义现代化国家",
        "全面建成小康社会后，现阶段的表述为“全面建设社会主义现代化国家”；"
        "回顾历史时可保留，请按最新文件核对",
        "outdated",
    ),
    Formulation("国土资源局", "自然资源局", _REFORM_2018, "outdated", None, _LOCAL_2018),
    Formulation("环境保护部", "生态环境部", _REFORM_2018, "outdated", None, _STATE_2018),
    Formulation("环保局", "生态环境局", _REFORM_2018, "outdated", None, _LOCAL_2018),
    Formulation("卫计委", "卫健委", _REFORM_2018, "outdated", None, _LOCAL_2018),
    Formulation("安监局", "应急管理局", _REFORM_2018, "outdated", None, _LOCAL_2018),
    Formulation(
        "国家工商行政管理总局", "国家市场监督管理总局", _REFORM_2018, "outdated", None, _STATE_2018
    ),
)


def _dated(
    wrong: str, right: str, note: str, superseded_on: str, valid_from: str | None = None
) -> Formulation:
    return Formulation(
        wrong,
        right,
        note,
        "outdated",
        date.fromisoformat(valid_from) if valid_from else None,
        date.fromisoformat(superseded_on),
    )


def _renamed(pairs: str, note: str, superseded_on: str, valid_from: str | None = None):
    """Bodies renamed or merged on one date: "old→new" pairs ("old→" when there is no one
    successor); ``note`` may name them as {old} and {new}."""
    out = []
    for pair in pairs.split():
        old, new = pair.split("→")
        out.append(_dated(old, new, note.format(old=old, new=new), superseded_on, valid_from))
    return out


_CONGRESS = "党的{n}已于{when}召开"
_PLENUM_SPIRIT = "党的{n}已于{when}召开，应学习贯彻最近一次党代会精神"
_XIAOKANG = "2021年7月1日已宣告全面建成小康社会，现阶段为全面建设社会主义现代化国家"
_POVERTY = "2021年2月已宣告脱贫攻坚战取得全面胜利，现阶段为巩固拓展脱贫攻坚成果同乡村振兴有效衔接"
_EPIDEMIC = (
    "2023年1月8日起新冠病毒感染实施“乙类乙管”，疫情防控转入新阶段，已不是当前工作部署；"
    "回顾当时工作时可保留"
)
_STATE_2013 = "2013年国务院机构改革组建{new}"
_STATE_2018_NEW = "2018年国务院机构改革后组建{new}，不再保留{old}"
_PARTY_2018 = "2018年深化党和国家机构改革，{old}改为{new}"
_LOCAL_2018_NOTE = "2018—2019年地方机构改革后已整合或更名，请按本地现行机构名称核对"

# 时效: wording that was right until an event or a reform, each with its date (see
# speechdraft.text.freshness). Only facts that are certain; curators extend it as data.
DATED_FORMULATIONS: tuple[Formulation, ...] = (
    # Party congresses: "about to be held" after it was held; the spirit to study after the next.
    *(
        _dated(f"{prefix}{n}{suffix}", "", _CONGRESS.format(n=n, when=when), held)
        for n, when, held in (
            ("十八大", "2012年11月", "2012-11-08"),
            ("十九大", "2017年10月", "2017-10-18"),
            ("二十大", "2022年10月", "2022-10-16"),
        )
        for prefix, suffix in (("", "即将召开"), ("", "即将胜利召开"), ("迎接党的", ""))
    ),
    _dated(
        "学习贯彻党的十八大精神",
        "学习贯彻党的十九大精神",
        _PLENUM_SPIRIT.format(n="十九大", when="2017年10月"),
        "2017-10-18",
        "2012-11-08",
    ),
    _dated(
        "学习贯彻党的十九大精神",
        "学习贯彻党的二十大精神",
        _PLENUM_SPIRIT.format(n="二十大", when="2022年10月"),
        "2022-10-16",
        "2017-10-18",
    ),
    _dated(
        "学习贯彻十九大精神",
        "学习贯彻党的二十大精神",
        _PLENUM_SPIRIT.format(n="二十大", when="2022年10月"),
        "2022-10-16",
        "2017-10-18",
    ),
    # Anniversaries and events that were ahead.
    _dated("迎接建党100周年", "", "建党100周年庆祝活动已于2021年7月1日举行", "2021-07-01"),
    _dated("迎接建党一百周年", "", "建党100周年庆祝活动已于2021年7月1日举行", "2021-07-01"),
    _dated(
        "迎接新中国成立70周年", "", "新中国成立70周年庆祝活动已于2019年10月1日举行", "2019-10-01"
    ),
    _dated("北京冬奥会即将", "", "北京冬奥会已于2022年2月举办", "2022-02-04"),
    _dated("杭州亚运会即将", "", "杭州亚运会已于2023年9月举办", "2023-09-23"),
    # Goals reached: 全面建成小康社会 (2021-07-01), 脱贫攻坚 (2021-02-25).
    _dated("决胜全面建成小康社会", "", _XIAOKANG, "2021-07-01"),
    _dated("确保如期全面建成小康社会", "", _XIAOKANG, "2021-07-01"),
    _dated("全面建成小康社会决胜阶段", "", _XIAOKANG, "2021-07-01"),
    _dated("决胜全面小康", "", _XIAOKANG, "2021-07-01"),
    _dated("打赢脱贫攻坚战", "", _POVERTY, "2021-02-25"),
    _dated("决战决胜脱贫攻坚", "", _POVERTY, "2021-02-25"),
    _dated("打好精准脱贫攻坚战", "", _POVERTY, "2021-02-25"),
    # Five-year plans: 十三五 2016—2020, 十四五 2021—2025, 十五五 from 2026.
    _dated(
        "“十三五”规划",
        "“十四五”规划",
        "“十三五”规划期为2016—2020年，2021年起实施“十四五”规划；回顾时可保留",
        "2020-12-31",
        "2016-01-01",
    ),
    _dated(
        "“十四五”规划",
        "“十五五”规划",
        "“十四五”规划期为2021—2025年，2026年起实施“十五五”规划；回顾时可保留",
        "2025-12-31",
        "2021-01-01",
    ),
    _dated("编制“十四五”规划", "", "“十四五”规划纲要已于2021年3月审议通过", "2021-03-11"),
    _dated("谋划“十四五”", "", "“十四五”规划纲要已于2021年3月审议通过", "2021-03-11"),
    _dated("“十三五”收官之年", "", "“十三五”收官之年是2020年", "2020-12-31"),
    _dated("“十四五”开局之年", "", "“十四五”开局之年是2021年", "2021-12-31"),
    _dated("“十四五”收官之年", "", "“十四五”收官之年是2025年", "2025-12-31"),
    # COVID-19: managed as a Class B disease from 2023-01-08 (乙类乙管).
    *(
        _dated(wrong, "", _EPIDEMIC, "2023-01-08")
        for wrong in (
            "常态化疫情防控",
            "疫情防控常态化",
            "新冠肺炎疫情防控",
            "新冠疫情防控",
            "疫情防控和经济社会发展",
            "抓紧抓实抓细疫情防控",
            "疫情防控阻击战",
            "动态清零",
            "外防输入、内防反弹",
        )
    ),
    _dated(
        "乙类甲管",
        "乙类乙管",
        "2023年1月8日起新冠病毒感染由“乙类甲管”调整为“乙类乙管”",
        "2023-01-08",
    ),
    # 2013 reform of the State Council (approved 2013-03-14).
    _dated(
        "铁道部",
        "",
        "2013年国务院机构改革撤销铁道部，行政职责划入交通运输部和国家铁路局，"
        "企业职责由中国铁路总公司（今中国国家铁路集团有限公司）承担",
        "2013-03-14",
    ),
    *_renamed(
        """
        卫生部→国家卫生和计划生育委员会 国家人口和计划生育委员会→国家卫生和计划生育委员会
        国家广播电影电视总局→国家新闻出版广电总局 新闻出版总署→国家新闻出版广电总局
        """,
        _STATE_2013,
        "2013-03-14",
    ),
    # 2018 reform of the State Council (approved 2018-03-17).
    *_renamed(
        """
        国土资源部→自然资源部 国家测绘地理信息局→自然资源部
        国家安全生产监督管理总局→应急管理部 国家安监总局→应急管理部
        国家质量监督检验检疫总局→国家市场监督管理总局 国家质检总局→国家市场监管总局
        国家工商总局→国家市场监管总局
        农业部→农业农村部 文化部→文化和旅游部 国家旅游局→文化和旅游部
        国家林业局→国家林业和草原局 国家粮食局→国家粮食和物资储备局
        国务院法制办公室→司法部 国务院法制办→司法部
        中国银行业监督管理委员会→中国银行保险监督管理委员会
        中国保险监督管理委员会→中国银行保险监督管理委员会 银监会→银保监会 保监会→银保监会
        """,
        _STATE_2018_NEW,
        "2018-03-17",
    ),
    *_renamed(
        "国家卫生和计划生育委员会→国家卫生健康委员会 国家卫生计生委→国家卫生健康委 "
        "国家卫计委→国家卫健委",
        _STATE_2018_NEW,
        "2018-03-17",
        "2013-03-14",
    ),
    _dated(
        "国家新闻出版广电总局",
        "国家广播电视总局",
        "2018年国务院机构改革后组建国家广播电视总局，新闻出版和电影管理职责划入中央宣传部",
        "2018-03-17",
        "2013-03-14",
    ),
    *(
        _dated(
            wrong,
            "",
            "2018年国务院机构改革后，食品安全监管由国家市场监督管理总局负责，"
            "药品监管由国家药品监督管理局负责",
            "2018-03-17",
        )
        for wrong in ("国家食品药品监督管理总局", "国家食药监总局")
    ),
    # 国家监察委员会 was inaugurated on 2018-03-23.
    *_renamed(
        "监察部→国家监察委员会 国家预防腐败局→国家监察委员会",
        "2018年组建国家监察委员会，不再保留{old}",
        "2018-03-23",
    ),
    *_renamed(
        """
        中央全面深化改革领导小组→中央全面深化改革委员会 中央深改组→中央深改委
        中央网络安全和信息化领导小组→中央网络安全和信息化委员会
        中央财经领导小组→中央财经委员会 中央外事工作领导小组→中央外事工作委员会
        """,
        _PARTY_2018,
        "2018-03-21",
    ),
    # Local bodies of the 2018—2019 reform (cities and counties by the end of March 2019).
    *_renamed(
        "工商局→市场监督管理局 质监局→市场监督管理局 食药监局→市场监督管理局 "
        "农业局→农业农村局 卫生计生委→卫生健康委",
        _LOCAL_2018_NOTE,
        "2019-03-31",
    ),
    # 扶贫办 → 国家乡村振兴局 (2021-02-25) → 农业农村部 (2023 reform, approved 2023-03-10).
    *_renamed(
        "国务院扶贫开发领导小组办公室→国家乡村振兴局 国务院扶贫办→国家乡村振兴局",
        "2021年2月国务院扶贫办改为国家乡村振兴局",
        "2021-02-25",
    ),
    _dated(
        "扶贫办",
        "乡村振兴局",
        "2021年起各地扶贫办陆续改为乡村振兴局，请按本地现行机构名称核对",
        "2021-02-25",
    ),
    _dated(
        "国家乡村振兴局",
        "农业农村部",
        "2023年国务院机构改革后不再单设国家乡村振兴局，职责划入农业农村部"
        "（加挂国家乡村振兴局牌子）",
        "2023-03-10",
        "2021-02-25",
    ),
    # 2023 reform: 国家金融监督管理总局 (inaugurated 2023-05-18), 中央金融委员会.
    *_renamed(
        "中国银行保险监督管理委员会→国家金融监督管理总局 银保监会→国家金融监督管理总局",
        "2023年5月起由国家金融监督管理总局履行职责，不再保留中国银行保险监督管理委员会",
        "2023-05-18",
        "2018-03-17",
    ),
    *_renamed(
        "国务院金融稳定发展委员会→中央金融委员会 国务院金融委→中央金融委员会",
        "2023年党和国家机构改革组建中央金融委员会，不再保留国务院金融稳定发展委员会",
        "2023-03-16",
    ),
    # Campaigns that ended (学习教育、主题教育).
    _dated(
        "深入开展党的群众路线教育实践活动",
        "",
        "党的群众路线教育实践活动已于2014年10月总结",
        "2014-10-08",
    ),
    _dated(
        "开展“不忘初心、牢记使命”主题教育",
        "",
        "“不忘初心、牢记使命”主题教育于2019年开展，已于2020年1月总结",
        "2020-01-08",
    ),
    _dated("开展党史学习教育", "", "党史学习教育于2021年开展，已经结束", "2021-12-31"),
    _dated(
        "开展学习贯彻习近平新时代中国特色社会主义思想主题教育",
        "",
        "学习贯彻习近平新时代中国特色社会主义思想主题教育于2023年4月至2024年初开展，已经结束",
        "2024-01-31",
    ),
    _dated("开展党纪学习教育", "", "党纪学习教育于2024年4月至7月开展，已经结束", "2024-07-31"),
)


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
        for target, text in (("heading", item.heading), ("text", item.text)):
            if not text:
                continue
            for m in freshness.find_rules(text, rules):
                f = m.rule
                wrong = text[m.start : m.end]
                if freshness.is_dated(f):
                    chain = freshness.replacement_chain(f, table, as_of)
                    right = chain[-1].right
                    reasons = [r.note for r in chain if r.note]
                    message = f"提法「{wrong}」已过时"
                    if reasons:
                        message += "：" + "；".join(dict.fromkeys(reasons))
                    if right:
                        message += f"，建议改为「{right}」"
                    severity: Severity = "warning"
                elif f.kind == "typo":
                    right = f.right
                    message = f"疑似错别字：「{f.wrong}」应为「{f.right}」"
                    severity = "error"
                else:
                    right = f.right
                    if right:
                        message = f"提法「{f.wrong}」已不再使用或不规范，建议改为「{right}」"
                    else:
                        message = f"提法「{f.wrong}」已不再使用或不规范"
                    severity = "warning"
                if f.note and not freshness.is_dated(f):
                    message += f"（{f.note}）"
                data: dict[str, Any] = {"wrong": f.wrong, "right": right, "kind": f.kind}
                if f.superseded_on is not None:
                    data["superseded_on"] = f.superseded_on.isoformat()
                findings.append(
                    Finding(
                        check="formulation",
                        item_id=item.id,
                        severity=severity,
                        message=message,
                        start=m.start,
                        end=m.end,
                        excerpt=_excerpt(text, m.start, m.end),
                        replacement=(right or None) if m.exact else None,
                        data=data,
                        target=target,  # type: ignore[arg-type]
                    )
                )
    return findings


# --------------------------------------------------------------------------------------------
# 5. Format
# --------------------------------------------------------------------------------------------

_DATE = re.compile(r"(?<![\d.])(?:(\d{4})年)?(\d{1,2})月(?:(\d{1,2})日)?")


def _fields(item: ReviewItem) -> tuple[tuple[Literal["text", "heading"], str], ...]:
    return (("heading", item.heading), ("text", item.text))


def check_dates(items: Sequence[ReviewItem]) -> list[Finding]:
    """Dates with a leading zero (2024年03月05日 → 2024年3月5日)."""
    findings = []
    for item in items:
        for target, text in _fields(item):
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
                    Finding(
                        check="date_format",
                        item_id=item.id,
                        severity="warning",
                        message=f"日期中的月、日不加“0”：「{m.group()}」应写作「{fixed}」",
                        start=m.start(),
                        end=m.end(),
                        excerpt=_excerpt(text, m.start(), m.end()),
                        replacement=fixed,
                        target=target,
                    )
                )
    return findings


_CTX = f"{_CJK}{_CJK_PUNCT}"
# Straight quotes and half-width brackets count as context: they are fixed by the same check.
_HALF_PUNCT = re.compile(
    f'(?<=[{_CTX}"()])[ \\t\u00a0]*([,;:?!])[ \\t\u00a0]*(?=[{_CTX}"()]|\\n|\\Z)'
)
_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
_NAMES = {",": "逗号", ";": "分号", ":": "冒号", "?": "问号", "!": "叹号"}
_CJK_SPACE = re.compile(f"(?<=[{_CTX}])[ \\t\u00a0]+(?=[{_CTX}])")


def check_punctuation(items: Sequence[ReviewItem]) -> list[Finding]:
    """Half-width punctuation and stray spaces in Chinese text, with full-width replacements.

    * ``, ; : ? !`` right after a Chinese character (or full-width punctuation) and before one
      (or at the end of a line): 3.5, 17:30, URLs and English text are left alone;
    * half-width ``( )`` and straight double quotes whose content contains Chinese;
    * spaces between two Chinese characters (not in headings, where a space may separate the
      two halves of a title).
    """
    findings = []
    for item in items:
        for target, text in _fields(item):
            if not text:
                continue
            for m in _HALF_PUNCT.finditer(text):
                ch = m.group(1)
                findings.append(
                    Finding(
                        check="punctuation",
                        item_id=item.id,
                        severity="warning",
                        message=f"中文中应使用全角{_NAMES[ch]}「{_FULL[ch]}」",
                        start=m.start(),
                        end=m.end(),
                        excerpt=_excerpt(text, m.start(), m.end()),
                        replacement=_FULL[ch],
                        target=target,
                    )
                )
            findings.extend(_pair_findings(item, target, text))
            if target == "text":
                for m in _CJK_SPACE.finditer(text):
                    findings.append(
                        Finding(
                            check="punctuation",
                            item_id=item.id,
                            severity="info",
                            message="汉字之间不应有空格",
                            start=m.start(),
                            end=m.end(),
                            excerpt=_excerpt(text, m.start(), m.end()),
                            replacement="",
                            target=target,
                        )
                    )
    order = {item.id: i for i, item in enumerate(items)}
    findings.sort(key=lambda f: (order.get(f.item_id, len(items)), f.target, f.start or 0))
    return findings


def _pair_findings(
    item: ReviewItem, target: Literal["text", "heading"], text: str
) -> list[Finding]:
    out: list[Finding] = []
    if "(" in text or ")" in text:
        stack: list[int] = []
        for i, ch in enumerate(text):
            if ch == "(":
                stack.append(i)
            elif ch == ")" and stack:
                j = stack.pop()
                if _CJK_CHAR.search(text, j + 1, i):
                    for pos, full in ((j, "（"), (i, "）")):
                        out.append(_half_pair(item, target, text, pos, full, "括号", (j, i)))
    if '"' in text:
        quotes = [i for i, ch in enumerate(text) if ch == '"']
        for j, i in zip(quotes[::2], quotes[1::2], strict=False):
            if _CJK_CHAR.search(text, j + 1, i):
                for pos, full in ((j, "“"), (i, "”")):
                    out.append(_half_pair(item, target, text, pos, full, "引号", (j, i)))
    return out


def _half_pair(
    item: ReviewItem,
    target: Literal["text", "heading"],
    text: str,
    pos: int,
    full: str,
    name: str,
    pair: tuple[int, int],
) -> Finding:
    return Finding(
        check="punctuation",
        item_id=item.id,
        severity="warning",
        message=f"中文中应使用全角{name}「{full}」",
        start=pos,
        end=pos + 1,
        excerpt=_excerpt(text, pos, pos + 1),
        replacement=full,
        data={"pair": list(pair)},
        target=target,
    )


_OPENERS = {"“": "”", "（": "）", "《": "》", "〈": "〉", "【": "】", "「": "」", "『": "』"}
_CLOSERS = {v: k for k, v in _OPENERS.items()}
_PAIR_NAMES = {
    "“": "引号",
    "（": "括号",
    "《": "书名号",
    "〈": "书名号",
    "【": "方括号",
    "「": "引号",
    "『": "引号",
}


def check_brackets(items: Sequence[ReviewItem]) -> list[Finding]:
    """Unbalanced “” （） 《》 〈〉 【】 「」 『』 within one paragraph (heading or text)."""
    findings = []
    for item in items:
        for target, text in _fields(item):
            if not text:
                continue
            for line in _PARAGRAPH.finditer(text):
                for pos, ch in _unbalanced(line.group()):
                    pos += line.start()
                    opener = ch in _OPENERS
                    name = _PAIR_NAMES[ch if opener else _CLOSERS[ch]]
                    other = _OPENERS[ch] if opener else _CLOSERS[ch]
                    message = (
                        f"{name}不成对：「{ch}」缺少对应的「{other}」"
                        if opener
                        else f"{name}不成对：「{ch}」前面没有对应的「{other}」"
                    )
                    findings.append(
                        Finding(
                            check="unbalanced",
                            item_id=item.id,
                            severity="warning",
                            message=message,
                            start=pos,
                            end=pos + 1,
                            excerpt=_excerpt(text, pos, pos + 1),
                            data={"char": ch, "missing": other},
                            target=target,
                        )
                    )
    return findings


def _unbalanced(line: str) -> list[tuple[int, str]]:
    stack: list[tuple[int, str]] = []
    bad: list[tuple[int, str]] = []
    for i, ch in enumerate(line):
        if ch in _OPENERS:
            stack.append((i, ch))
        elif ch in _CLOSERS:
            want = _CLOSERS[ch]
            depth = next((k for k in range(len(stack) - 1, -1, -1) if stack[k][1] == want), None)
            if depth is None:
                bad.append((i, ch))
            else:
                bad.extend(stack[depth + 1 :])
                del stack[depth:]
    bad.extend(stack)
    bad.sort()
    return bad


def check_slots(
    items: Sequence[ReviewItem], filled_slots: Mapping[str, Any] | None = None
) -> list[Finding]:
    """``{{ 名称 }}`` slots whose name has no (non-blank) value in ``filled_slots``."""
    filled = {
        name
        for name, value in (filled_slots or {}).items()
        if value is not None and str(value).strip()
    }
    findings = []
    for item in items:
        for target, text in _fields(item):
            if "{{" not in text:
                continue
            for m in iter_slots(text):
                name = m.group(1)
                if name in filled:
                    continue
                findings.append(
                    Finding(
                        check="unfilled_slot",
                        item_id=item.id,
                        severity="error",
                        message=f"空位「{name}」尚未填写",
                        start=m.start(),
                        end=m.end(),
                        excerpt=_excerpt(text, m.start(), m.end()),
                        data={"slot": name},
                        target=target,
                    )
                )
    return findings


def _part_chars(items: Sequence[ReviewItem]) -> dict[int, tuple[Hashable, int]]:
    """part index → (id of its first item, 字数), in order of first appearance."""
    parts: dict[int, tuple[Hashable, int]] = {}
    for item in items:
        if item.part_index is None:
            continue
        first, chars = parts.get(item.part_index, (item.id, 0))
        parts[item.part_index] = (first, chars + count_chars(item.heading) + count_chars(item.text))
    return parts


def check_part_balance(
    items: Sequence[ReviewItem], settings: ReviewSettings = DEFAULT_SETTINGS
) -> list[Finding]:
    """Level-1 parts much longer or shorter than the median part (needs the whole draft)."""
    parts = _part_chars(items)
    if len(parts) < settings.part_min_count:
        return []
    median = statistics.median(chars for _, chars in parts.values())
    if median <= 0:
        return []
    findings = []
    for ordinal, (part_index, (first_id, chars)) in enumerate(parts.items(), start=1):
        ratio = chars / median
        name = f"第{chinese_numeral(ordinal)}部分"
        if ratio > settings.part_long_ratio:
            message = (
                f"{name}篇幅明显偏长：约 {chars} 字，是各部分中位数（约 {round(median)} 字）的 "
                f"{ratio:.1f} 倍，建议压缩或拆分"
            )
        elif ratio < settings.part_short_ratio:
            message = (
                f"{name}篇幅明显偏短：约 {chars} 字，仅为各部分中位数（约 {round(median)} 字）"
                f"的 {round(ratio * 100)}%，建议充实或并入其他部分"
            )
        else:
            continue
        findings.append(
            Finding(
                check="part_balance",
                item_id=first_id,
                severity="info",
                message=message,
                data={"part_index": part_index, "chars": chars, "median": median, "ratio": ratio},
            )
        )
    return findings


# --------------------------------------------------------------------------------------------
# 6. Length
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LengthSummary:
    chars: int
    minutes: float
    per_part: list[tuple[int | None, int]]
    over_target: bool | None
    message: str


def length_summary(
    items: Sequence[ReviewItem],
    rate_per_minute: float = 170,
    target_minutes: float | None = None,
) -> LengthSummary:
    """字数 and 预计时长 of the draft.

    字数 is :func:`speechdraft.text.counting.count_chars` (headings included). ``per_part`` lists (part_index, 字数) in document order, the
    opening and the closing as separate ``None`` entries.
    """
    if rate_per_minute <= 0:
        raise ValueError("rate_per_minute must be positive")
    per_part: list[list[Any]] = []
    where: dict[int, list[Any]] = {}
    total = 0
    for item in items:
        n = count_chars(item.heading) + count_chars(item.text)
        total += n
        if item.part_index is None:
            if per_part and per_part[-1][0] is None:
                per_part[-1][1] += n
            else:
                per_part.append([None, n])
        elif item.part_index in where:
            where[item.part_index][1] += n
        else:
            entry = [item.part_index, n]
            where[item.part_index] = entry
            per_part.append(entry)
    minutes = round(total / rate_per_minute, 1)
    message = f"全文约 {total} 字，按每分钟 {rate_per_minute:g} 字计，预计讲话约 {minutes:g} 分钟"
    over: bool | None = None
    if target_minutes is not None:
        over = minutes > target_minutes
        if over:
            extra = round(minutes - target_minutes, 1)
            cut = round((minutes - target_minutes) * rate_per_minute)
            message += (
                f"，超出目标时长（{target_minutes:g} 分钟）约 {extra:g} 分钟，需压缩约 {cut} 字"
            )
        else:
            message += f"，在目标时长（{target_minutes:g} 分钟）以内"
    return LengthSummary(total, minutes, [(p, n) for p, n in per_part], over, message)


# --------------------------------------------------------------------------------------------
# Everything
# --------------------------------------------------------------------------------------------


def review_all(
    items: Sequence[ReviewItem],
    *,
    settings: ReviewSettings | None = None,
    formulations: Iterable[Formulation] | None = None,
    filled_slots: Mapping[str, Any] | None = None,
    corpus_index: LshIndex | None = None,
    corpus_lookup: Mapping[Hashable, Any] | Callable[[Hashable], Any] | None = None,
    changed_ids: Iterable[Hashable] | None = None,
    corpus_label: Callable[[Hashable], str] | None = None,
    corpus_exclude: Collection[Hashable] = (),
    hasher: MinHasher | None = None,
    as_of: date | None = None,
) -> list[Finding]:
    """Run every check. ``items`` is always the whole draft, in order.

    ``as_of``: the draft's date, for dated 提法 (today when None).

    With ``changed_ids``, per-paragraph checks run on the changed items only and the
    draft-wide checks (repetition) report only findings that touch them; the part balance and
    length checks always look at the whole draft. The reuse check runs when both
    ``corpus_index`` and ``corpus_lookup`` are given.
    """
    settings = settings or DEFAULT_SETTINGS
    formulations = DEFAULT_FORMULATIONS if formulations is None else tuple(formulations)
    changed = _changed_set(changed_ids)
    subset = list(items) if changed is None else [it for it in items if it.id in changed]
    findings: list[Finding] = []
    if corpus_index is not None and corpus_lookup is not None:
        findings += check_reuse(
            subset,
            corpus_index,
            corpus_lookup,
            settings,
            hasher=hasher,
            label=corpus_label,
            exclude=corpus_exclude,
        )
    findings += check_repeated_phrases(items, settings, changed)
    findings += check_repeated_openings(items, settings, changed)
    findings += check_duplicate_sentences(items, settings, changed)
    findings += check_empty_talk(subset, settings)
    findings += check_formulations(subset, formulations, as_of=as_of)
    findings += check_dates(subset)
    findings += check_punctuation(subset)
    findings += check_brackets(subset)
    findings += check_slots(subset, filled_slots)
    findings += check_part_balance(items, settings)
    if settings.target_minutes is not None:
        summary = length_summary(items, settings.rate_per_minute, settings.target_minutes)
        if summary.over_target:
            findings.append(
                Finding(
                    check="length",
                    item_id=None,
                    severity="info",
                    message=summary.message,
                    data={"chars": summary.chars, "minutes": summary.minutes},
                )
            )
    return findings
