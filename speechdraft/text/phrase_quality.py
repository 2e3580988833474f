"""Quality of mined phrase candidates: a score in [0, 1] per kind, and the cut-word test.

Cheap by design: only a candidate's own clause (a few characters) is segmented, along jieba's
dictionary route (:func:`speechdraft.text.segment.dict_cut`: the user dictionary counts, the
HMM guess of unknown words does not, so "one token" means one dictionary word), and part of
speech is a look-up of dictionary tags (:func:`speechdraft.text.segment.word_tag`); ``posseg``
never runs, and no whole text is segmented.

Signals:

* ``four_char`` (四字短语) – the genre's evaluative and action idioms (真抓实干, 心悦诚服,
  转变作风, 扎实推进) score high; plain nouns and noun phrases (建筑施工, 专业人员,
  一般干部, 乡村振兴) score low. In order: the curated genre list and jieba's 成语 (tag
  ``i``); the idiom shapes AABB, ABAB, AxAy, xAyA and number-x-number-y (敢闯敢试, 大干快干,
  五湖四海); the parts of speech of the two halves (verb + object, adverb + verb, verb +
  verb, adjective + adjective are action/evaluative; noun + noun, noun + verbal noun,
  attribute + noun, number + noun are nominal); two halves both rare as words make a
  lexicalised phrase (墨守成规, 建章立制), two common words a free one that their parts of
  speech judge; jieba's 习用语/状态词 tags (``l``, ``z``) unless the halves are plainly
  nominal; one dictionary word is better than 1+3 or 3+1; particles (的, 之, 等 …) inside mean
  a fragment. A window cut from a longer word (危险化学 from 危险化学品) is not a candidate
  at all (:func:`whole_span`).
* ``slogan`` (口号) – a quoted numbering shape with two or more numbers (一主三优多特色),
  N个 + verb (四个聚焦, 两个维护) or a quoted parallel pair (马上就办、办就办好) score high;
  a plain count of a noun (五种作风, 六件要事, 三大专题) scores low; other quoted terms with a
  number (一盘棋, 十四五) sit just above the threshold.
* ``parallel`` (排比) – balanced lengths and a shared anchor (比…、比…、比…) score high; a
  list of nouns (东湖公园、西湖公园、南湖公园) scores low; figures and long clauses lower it.
* ``golden`` (金句) – balance and a shared anchor; figures make it a statement of fact.
* ``transition`` / ``opening`` / ``closing`` – a matched pattern scores higher than a
  sentence taken by position only; very long sentences lower it.

Candidates at or above :data:`MIN_QUALITY` are worth a curator's time (the Django setting
``PHRASE_MIN_QUALITY`` defaults to it).
"""

from __future__ import annotations

import re

from . import segment
from .review import SLOGAN_ADVERBS, SLOGAN_PHRASES
from .templating import split_at_slots

MIN_QUALITY = 0.5

# The genre's four-character set phrases (the review's list of 套话) and a few standard ones
# of 作风 that jieba's dictionary tags as nouns (实事求是 n, 清正廉洁 nr).
GENRE_FOUR_CHAR: frozenset[str] = SLOGAN_PHRASES | frozenset(
    "实事求是 清正廉洁 严以律己 对党忠诚 表里如一".split()
)

# Classes of jieba tags. VN: a verbal noun (建设, 服务) in front, where it may be a verb
# (服务群众) as often as a noun (工作态度).
NOUN, VERB, VNOUN, ADJ, NUM, IDIOM, FUNC = "N", "V", "VN", "A", "M", "I", "F"
_VERB_TAGS = frozenset("v vd vi vg vq vf vx vl".split())
_ADJ_TAGS = frozenset("a ad ag al z d dg".split())
_TAIL_ADJ_TAGS = frozenset("a ag al z".split())  # 更新 d, 高速 d, 公开 ad: no predicate there
_NOUN_TAGS = frozenset("n s f t tg ng j".split())
_NUM_TAGS = frozenset("m mq q".split())
_FUNC_TAGS = frozenset("p c r u uj ul uz ud ug uv y e o k h".split())

# Single characters that make a four-character window a fragment (优秀的人, 光电子等).
_PARTICLES = frozenset("的地得之等了着过们吗呢吧啊和与及或")
# First characters that make a predicate of two characters jieba does not know as a word
# (不带杂质, 敢打硬仗, 勇当标杆, 更有温度).
_PREDICATE_LEADS = frozenset("不无敢勇善争更再狠严真必须")
# Two halves both rarer than this in jieba's dictionary make a lexicalised phrase (墨守成规,
# 建章立制, 遵规守纪); two common words make a free phrase whose parts of speech tell what it
# is (建筑施工, 专业人员 nominal; 认真学习, 解决问题 predicative).
RARE_WORD_FREQ = 200
NUMERALS = "一二三四五六七八九十两百千万双0-9０-９"
_NUMERAL_RE = re.compile(f"[{NUMERALS}]+")
_NUMERAL_CHARS = frozenset("一二三四五六七八九十两百千万双0123456789０１２３４５６７８９")
_DIGIT_RE = re.compile(r"[0-9０-９%％]")
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")

# A pair of halves → base score of a four-character phrase.
_PAIRS: dict[tuple[str | None, str | None], float] = {
    (VERB, NOUN): 0.6,  # 转变作风 抢抓机遇 解决问题
    (VERB, VERB): 0.65,  # 奋斗奋进 挂图作战 推动发展
    (VERB, ADJ): 0.55,  # 狠抓落实 (落实 a)
    (ADJ, VERB): 0.6,  # 扎实推进 认真学习 积极作为
    (ADJ, ADJ): 0.7,  # 平安稳定 务实清廉
    (VNOUN, NOUN): 0.35,  # 服务群众, but 工作态度
    (VNOUN, VERB): 0.4,  # 合作共建, but 发展示范
    (VNOUN, ADJ): 0.4,
    (ADJ, NOUN): 0.25,  # 一般干部 不同层次
    (NOUN, VERB): 0.3,  # 乡村振兴 污水处理
    (NOUN, ADJ): 0.4,  # 思想僵化, but 形势严峻
    (NOUN, NOUN): 0.1,  # 道路交通 专业人员 建筑施工
    (VERB, None): 0.45,
    (None, VERB): 0.45,
    (ADJ, None): 0.45,
    (None, ADJ): 0.4,
    (NOUN, None): 0.25,
    (None, NOUN): 0.25,  # 某某集团 某某高速: a name
    (None, None): 0.4,
}
_NOMINAL_PAIRS = frozenset({(NOUN, NOUN), (NOUN, VERB), (ADJ, NOUN), (VNOUN, NOUN)})


def _tag_class(tag: str, head: bool) -> str | None:
    if tag in ("vn", "an", "b"):
        if not head:
            return NOUN
        return VNOUN if tag == "vn" else ADJ
    if tag in _VERB_TAGS:
        return VERB
    if tag in _ADJ_TAGS:
        return ADJ if head or tag in _TAIL_ADJ_TAGS else None
    if tag in _NOUN_TAGS:
        return NOUN
    if tag in _NUM_TAGS:
        return NUM if head else NOUN
    if tag in ("i", "l"):
        return IDIOM
    if tag in _FUNC_TAGS:
        return FUNC
    return None


_ALL_TAGS = (
    _VERB_TAGS | _ADJ_TAGS | _NOUN_TAGS | _NUM_TAGS | _FUNC_TAGS | {"vn", "an", "b", "i", "l"}
)
# Looked up with segment.word_tag's answer, None for a word jieba does not know.
_HEAD_CLASS: dict[str | None, str | None] = {tag: _tag_class(tag, True) for tag in _ALL_TAGS}
_TAIL_CLASS: dict[str | None, str | None] = {tag: _tag_class(tag, False) for tag in _ALL_TAGS}


def tag_class(word: str, *, head: bool = True) -> str | None:
    """The class of a dictionary word's tag; ``head`` is its place (first half or not).

    A verbal noun (vn: 建设, 服务) is VN in front and a noun at the end (项目建设); 区别词
    (b: 主动, 绩效) and adjectival nouns (an: 安全) are attributes in front and nouns at the
    end (干部绩效, 消防安全); an adverb at the end is no predicate (城市更新: 更新 is d).
    """
    return (_HEAD_CLASS if head else _TAIL_CLASS).get(segment.word_tag(word))


def word_freq(word: str) -> int:
    """jieba's dictionary frequency of ``word`` (0 for a word it does not know)."""
    return segment.word_freq(word)


def whole_span(tokens: list[str], start: int, length: int = 4) -> list[str] | None:
    """The tokens covering exactly ``[start, start + length)`` of ``"".join(tokens)``, or None
    when a token crosses either end (the window is cut from a longer word)."""
    pos = 0
    out: list[str] = []
    for token in tokens:
        end = pos + len(token)
        if end <= start:
            pos = end
            continue
        if pos < start:
            return None
        if end > start + length:
            return None
        out.append(token)
        if end == start + length:
            return out
        pos = end
    return None


def four_char_tokens(context: str, start: int) -> list[str] | None:
    """jieba's tokens of the four characters at ``start`` in ``context`` (their clause), or None
    when jieba does not keep them apart from their neighbours (危险化学 in 危险化学品)."""
    if len(context) == 4:  # a whole clause: nothing to be cut from
        return segment.dict_cut(context)
    return whole_span(segment.dict_cut(context), start)


def idiom_shape(text: str) -> bool:
    """AABB (扎扎实实), ABAB, AxAy (敢闯敢试), xAyA (大干快干), 1x2y (五湖四海, 一岗双责)."""
    if len(text) != 4:
        return False
    a, b, c, d = tuple(text)
    if a == c or b == d:
        return True
    if a == b and c == d:
        return True
    return a in _NUMERAL_CHARS and c in _NUMERAL_CHARS


def _clamp(value: float) -> float:
    return round(min(1.0, max(0.0, value)), 3)


def _halves(text: str) -> tuple[str | None, str | None]:
    first, second = text[:2], text[2:]
    head = _HEAD_CLASS.get(segment.word_tag(first))
    if head is None and first[0] in _PREDICATE_LEADS:
        head = VERB  # 不带杂质 敢打硬仗 更有温度
    elif first in SLOGAN_ADVERBS and head != VERB:
        head = ADJ  # 全力追赶 系统谋划: adverb + verb (全力, 系统 are tagged n)
    return head, _TAIL_CLASS.get(segment.word_tag(second))


def four_char_score(text: str, tokens: list[str]) -> float:
    """Score of a four-character candidate; ``tokens`` are jieba's tokens of it in context."""
    if text in GENRE_FOUR_CHAR:
        return 0.95
    whole = len(tokens) == 1
    whole_tag = segment.word_tag(text) if whole else None
    if whole_tag == "i":
        return 0.9
    if text[2] == "之" or (not whole and any(t in _PARTICLES for t in tokens[1:])):
        return 0.1  # 优秀的人 新材料等 书香之城 (idioms such as 当务之急 are jieba's 成语)
    head, tail = _halves(text)
    if head == NUM:
        score = 0.15  # 千亿产值 一个中心 三方力量
    else:
        score = _PAIRS.get((head, tail), 0.4)
        freq = segment.word_freq
        if score < 0.55 and freq(text[:2]) < RARE_WORD_FREQ and freq(text[2:]) < RARE_WORD_FREQ:
            score = 0.55  # lexicalised: 墨守成规 建章立制 遵规守纪
    shape = idiom_shape(text)
    if shape:
        if score < 0.7:
            score = 0.7
    elif whole_tag in ("l", "z") and score < 0.6 and (head, tail) not in _NOMINAL_PAIRS:
        score = 0.6  # 表里如一 狠抓落实, but not 消防安全 (l, noun + noun)
    if whole:
        score += 0.05
    elif not shape and any(len(t) == 3 for t in tokens):
        score -= 0.1  # 1+3 or 3+1 (近距离考): rarely one unit
    return _clamp(score)


# --- slogans -------------------------------------------------------------------------------

_COUNT_RE = re.compile(f"^([{NUMERALS}]+)([个大种类项件条只点张位名次批支座套部组])(.+)$")
# Nouns too general to name anything when counted (六个能力, 三大专题).
GENERIC_NOUNS: frozenset[str] = frozenset(
    """
    作风 能力 问题 方面 工作 任务 要事 事情 事项 措施 要求 目标 专题 会 会议 意见 建议
    办法 做法 经验 举措 事 人 手 件 项 点 条 类 种 环节 内容 领域 部门 单位 干部 群众
    """.split()
)
_PARALLEL_SLOGAN_SPLIT_RE = re.compile("[、，]")


def _lead_class(text: str) -> str | None:
    """Class of ``text`` as a word, else of its first jieba token."""
    cls = tag_class(text, head=True)
    if cls is None and len(text) > 1:
        tokens = segment.dict_cut(text)
        if tokens and tokens[0] != text:
            cls = tag_class(tokens[0], head=True)
    return cls


def slogan_parallel_parts(inner: str) -> list[str] | None:
    """The parts of a quoted parallel slogan (马上就办、办就办好), or None if it is not one."""
    parts = _PARALLEL_SLOGAN_SPLIT_RE.split(inner)
    if not 2 <= len(parts) <= 4 or not all(2 <= len(p) <= 8 for p in parts):
        return None
    if not all(_CJK_RE.search(p) for p in parts):
        return None
    if max(map(len, parts)) - min(map(len, parts)) > 1:
        return None
    shared = set(parts[0]).intersection(*map(set, parts[1:]))
    return parts if shared else None


def slogan_score(inner: str) -> float:
    """Score of a quoted slogan candidate (the text inside the quotes)."""
    if _PARALLEL_SLOGAN_SPLIT_RE.search(inner):
        parts = slogan_parallel_parts(inner)
        if not parts:
            return 0.0
        return 0.3 if _mostly_nominal(parts) else 0.8  # 生产圈、生活圈、生态圈: a list
    runs = _NUMERAL_RE.findall(inner)
    if not runs:
        return 0.0
    score = 0.55
    if len(runs) >= 2:
        score = 0.85  # 一主三优多特色 两不愁三保障 5清单1台账
    else:
        m = _COUNT_RE.match(inner)
        if m and m.group(1) != "一":  # 一盘棋, 一把手: idioms, not counts
            measure, rest = m.group(2), m.group(3)
            cls = _lead_class(rest)
            if rest in GENERIC_NOUNS or len(rest) == 1:
                score = 0.2  # 六个能力 三大专题 四只手 三个会
            elif cls in (VERB, ADJ):
                score = 0.8  # 四个聚焦 两个维护 六个明显提升
            elif measure in ("个", "大"):
                score = 0.55  # 四大战略 六个一线: a numbered set of named things
            else:
                score = 0.2  # 五种作风 六件要事 百名…干部: a plain count
        elif segment.word_tag(inner) in ("i", "l"):
            score = 0.7  # 一盘棋 一条龙
    if len(inner) > 10:
        score -= 0.1
    return _clamp(score)


# --- parallel and golden sentences --------------------------------------------------------


def _balance(parts: list[str]) -> float:
    spread = max(map(len, parts)) - min(map(len, parts))
    return {0: 1.0, 1: 0.75, 2: 0.5}.get(spread, 0.2)


def _anchor(parts: list[str]) -> float:
    """1 when all parts share a first or last character or one at the same place, else 0."""
    first = parts[0]
    if all(p[:1] == first[:1] for p in parts) or all(p[-1:] == first[-1:] for p in parts):
        return 1.0
    n = min(map(len, parts))
    if any(all(p[i] == first[i] for p in parts) for i in range(n)):
        return 1.0
    return 0.0


# Tags before a part's last word that make the part a predicate (比发展实绩, 有目标,
# 以科学考评激励…, 把难点当联系点, 向上“争钱”, 更有品味).
_PREDICATE_TAGS = _VERB_TAGS | frozenset("d p c i l".split())
_NOMINAL_FINAL_TAGS = frozenset("n vn an b j m q ng".split())  # 集团 考核 安全 制 度


def is_nominal(part: str) -> bool:
    """Whether ``part`` is a noun phrase: it ends in a noun (or a verbal noun: 项目建设) and no
    verb, adverb or preposition comes before it (重大项目, 东湖公园, 项目服务中心, 书香之城).

    A slot (``{{ 地区 }}``) is a noun; a verbal noun in front governs what follows
    (认可{{ 地区 }}); an unknown last word after known ones is read by its last character
    (书香之城: 之城 → 城), after unknown ones it tells nothing.
    """
    raw = [
        t
        for piece in split_at_slots(part)
        for t in ([piece] if piece.startswith("{{") else segment.dict_cut(piece))
    ]
    words = [k for k, t in enumerate(raw) if _CJK_RE.search(t) or t.startswith("{{")]
    if not words:
        return False
    last = raw[words[-1]]
    before = [k for k in words[:-1] if not raw[k].startswith("{{")]
    final: str | None
    if last.startswith("{{"):
        final = "n"
    else:
        final = segment.word_tag(last)
        if final is None and all(segment.word_tag(raw[k]) for k in before):
            final = segment.word_tag(last[-1])
    if final not in _NOMINAL_FINAL_TAGS:
        return False
    if before and segment.word_tag(raw[before[0]]) == "vn":
        return False

    def single_han(k: int) -> bool:
        return 0 <= k < len(raw) and len(raw[k]) == 1 and _CJK_RE.match(raw[k]) is not None

    # A one-character verb is a predicate in front (有目标) or between words (今年是开局,
    # “问”出正气); next to another single character it is part of a name jieba does not know
    # (a place name of single characters before 小镇).
    for n, k in enumerate(before):
        tag = segment.word_tag(raw[k])
        if tag not in _PREDICATE_TAGS:
            continue
        if (
            n > 0
            and len(raw[k]) == 1
            and tag in _VERB_TAGS
            and (single_han(k - 1) or single_han(k + 1))
        ):
            continue
        return False
    return True


def _mostly_nominal(parts: list[str]) -> bool:
    """At least two thirds of ``parts`` are noun phrases (segmenting no more parts than needed).

    Only parts of four characters (重大项目、重点工作、重要任务) or with one last character
    (东湖公园、西湖公园、南湖公园; 书香之城、山水之城) can make a list of names; longer
    clauses with different ends are sentences, and are not segmented at all.
    """
    if max(map(len, parts)) > 4 and len({p[-1] for p in parts}) > 1:
        return False
    need = -(-2 * len(parts) // 3)
    nominal = 0
    for k, part in enumerate(parts):
        if is_nominal(part):
            nominal += 1
            if nominal >= need:
                return True
        elif nominal + len(parts) - k - 1 < need:
            return False
    return False


def parallel_score(parts: list[str]) -> float:
    """Score of a 排比 made of ``parts`` (its clauses without separators)."""
    parts = [p for p in parts if p]
    if len(parts) < 3:
        return 0.0
    score = 0.35 + 0.3 * _balance(parts) + 0.25 * _anchor(parts)
    if len(parts) >= 4:
        score += 0.05
    if _mostly_nominal(parts):
        score = min(score, 0.3)  # 东湖公园、西湖公园、南湖公园: a list of names
    if any(_DIGIT_RE.search(p) for p in parts):
        score -= 0.2
    if max(map(len, parts)) > 14:
        score -= 0.1
    return _clamp(score)


def golden_score(parts: list[str]) -> float:
    """Score of a 金句 made of ``parts`` (its clauses)."""
    parts = [p for p in parts if p]
    if not parts:
        return 0.0
    score = 0.45 + 0.25 * _balance(parts) + 0.2 * _anchor(parts)
    if len(parts) == 2:
        score += 0.05
    if any(_DIGIT_RE.search(p) for p in parts):
        score -= 0.3  # 增长8.5%，完成年度目标: a fact, not a saying
    return _clamp(score)


def sentence_score(sentence: str, *, matched: bool) -> float:
    """Score of a transition, opening or closing sentence: ``matched`` when its wording or its
    place as the speech's very last sentence (not only a paragraph's first) made it one."""
    score = 0.75 if matched else 0.55
    n = len(sentence)
    if n > 150:
        score -= 0.1
    if n < 6:
        score -= 0.2
    return _clamp(score)
