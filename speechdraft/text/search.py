"""Pure pieces of library search: index tokens, query terms, ranking, highlighting.

Index tokens are jieba's search-mode words plus every CJK character bigram of the text.
The bigrams make recall complete for any query of two or more characters: a row containing
the query as a substring contains all of its bigrams, whatever jieba made of its words
(绿色低碳循环 segments as 绿色/低/碳循环, yet 低碳 is one of its bigrams). Candidates found
through tokens are then verified and ranked on the text itself, so the database only has to
answer "which rows have all (or any) of these tokens", which a GIN index does well.
"""

from __future__ import annotations

import bisect
import heapq
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from speechdraft.text import segment
from speechdraft.text.convert import to_simplified
from speechdraft.text.templating import iter_slots, strip_slots

MAX_QUERY_CHARS = 100
MAX_TERMS = 12
_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_FULLWIDTH_ALNUM = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_STRIP = re.compile(r"[^\w\u3400-\u9fff]+")
# Words too common in the genre to narrow a search; kept out of AND-matching and ranking.
STOP_TERMS = frozenset(
    "的 了 和 与 及 是 在 要 把 将 对 为 以 等 中 上 下 也 都 就 而 并 我们 各位 同志 同志们".split()
)

# How a drafter asks in speech rather than in the speech's words (怎么吸引企业来投资, 经济形势怎么
# 讲): question words and verbs of asking. Left out of a query that has other words.
SPOKEN_FILLER = frozenset(
    "怎么 怎样 怎么样 怎么办 如何 什么 哪些 哪里 咋 咋办 咋样 为啥 讲讲 说说 谈谈 写写 一下"
    " 讲 说 谈 写 搞 弄 来 去 呢 吗 啊 吧 呀 些 应该 能 会".split()
)
# Words that name a part of the speech (形势, 开场白, 结尾): a paragraph of that part has the
# word, in the sense the drafter means, whether or not its text does.
ROLE_CUES = {
    "形势": "situation",
    "开场白": "opening",
    "开场": "opening",
    "开头": "opening",
    "开头语": "opening",
    "开篇": "opening",
    "结尾": "closing",
    "结束语": "closing",
    "结语": "closing",
    "收尾": "closing",
}


def normalize(text: str) -> str:
    """The form text is compared in: simplified, NFKC (full-width Latin → ASCII), lower case."""
    return unicodedata.normalize("NFKC", to_simplified(text)).lower()


def _bigrams(text: str) -> set[str]:
    grams: set[str] = set()
    for run in _CJK_RUN.findall(text):
        grams.update(run[i : i + 2] for i in range(len(run) - 1))
    return grams


def index_tokens(text: str) -> str:
    """Space-separated tokens to store for a row (fed to to_tsvector('simple', …) on PostgreSQL)."""
    plain = normalize(strip_slots(text, " "))
    # Tokens keep only word characters: jieba returns "100%" or "5a级" as one token.
    words = {_STRIP.sub("", w) for w in segment.cut_for_search(plain)} - {""}
    return " ".join(sorted(words | _bigrams(plain)))


@dataclass(frozen=True)
class Query:
    text: str  # normalized query, punctuation and spaces removed: what "exact" means
    terms: tuple[str, ...]  # words to match, most specific first
    truncated: bool = False

    @property
    def cues(self) -> dict[str, str]:
        """{term: role} for the terms that name a part of the speech (ROLE_CUES)."""
        return {t: ROLE_CUES[t] for t in self.terms if t in ROLE_CUES}

    @property
    def empty(self) -> bool:
        return not self.terms

    def token_groups(self) -> list[tuple[str, ...]]:
        """Per term, the tokens that must all be in a row containing that term."""
        return [term_tokens(term) for term in self.terms]


def parse_query(raw: str, *, spoken: bool = True) -> Query:
    """Query terms: jieba words of the query (user dictionary included), stop words dropped,
    and (`spoken`) the SPOKEN_FILLER words when others remain."""
    raw = raw or ""
    truncated = len(raw) > MAX_QUERY_CHARS
    plain = normalize(raw[:MAX_QUERY_CHARS])
    compact = _STRIP.sub("", plain)
    words: dict[str, None] = {}
    for chunk in _STRIP.split(plain):
        if not chunk:
            continue
        for token in segment.lcut(chunk):
            word = _STRIP.sub("", token)
            if word and word not in STOP_TERMS:
                words.setdefault(word, None)
    meant = [w for w in words if w not in SPOKEN_FILLER] if spoken else []
    terms = sorted(meant or words, key=lambda w: -len(w))[:MAX_TERMS]
    return Query(text=compact, terms=tuple(terms), truncated=truncated)


def rank_key(query: Query, text: str, *, simplified: bool = False) -> tuple[int, int, int]:
    """Sort key: exact phrase first, then rows with every term, then by terms matched.

    Returns (tier, -matched, length); tier 3 means "no term at all" (not a result).
    `simplified=True` skips the traditional→simplified step for text known to be simplified
    already (everything stored in the library is), which is most of the ranking cost.
    """
    plain = compact(text, simplified=simplified)
    matched = sum(1 for term in query.terms if term in plain)
    if query.text and len(query.text) >= 2 and query.text in plain:
        tier = 0
    elif matched == len(query.terms) and matched:
        tier = 1
    elif matched:
        tier = 2
    else:
        tier = 3
    return tier, -matched, len(text)


def highlight_spans(text: str, query: Query, also: Iterable[str] = ()) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) spans of `text` to highlight: the exact query, or terms
    (and `also`, the expansions searched for)."""
    norm = normalize(text)
    if len(norm) != len(text):  # NFKC changed lengths (rare ligatures): match the raw text
        norm = text
    needles = [query.text] if query.text and query.text in norm else [*query.terms, *also]
    # Linear in the text's length (times the needles): which characters a span or a slot
    # already covers is kept in masks, not compared span by span.
    spans: list[tuple[int, int]] = []
    taken = bytearray(len(norm))
    for needle in sorted(set(needles), key=len, reverse=True):
        if not needle:
            continue
        start = norm.find(needle)
        while start != -1:
            end = start + len(needle)
            if taken.find(1, start, end) == -1:
                spans.append((start, end))
                taken[start:end] = b"\x01" * (end - start)
            start = norm.find(needle, end)
    # A match inside a slot's name ({{ 地区 }}) is not a match of the text: the page shows
    # the slot whole, as a chip.
    in_slot = bytearray(len(text))
    for m in iter_slots(text):
        in_slot[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
    return sorted(sp for sp in spans if in_slot.find(1, sp[0], sp[1]) == -1)


def snippet_window(text: str, spans: list[tuple[int, int]], width: int = 120) -> tuple[int, int]:
    """(start, end) of a window of about `width` characters around the first highlight."""
    if len(text) <= width:
        return 0, len(text)
    first = spans[0][0] if spans else 0
    start = max(0, min(first - width // 4, len(text) - width))
    end = start + width
    for m in iter_slots(text):  # never a cut inside a slot
        if m.start() < start < m.end():
            start = m.start()
        if m.start() < end < m.end():
            end = m.end()
    return start, end


# --- relevance ranking ----------------------------------------------------------------------
#
# BM25 over the rows' own text (Robertson & Zaragoza's formulation, with Lucene's idf that
# stays positive), plus the signals a drafter reads as "this paragraph is about it": a term
# in the heading counts more than one in the body (BM25F-style field weights), and once more
# when it is in the lead sentence (heading + first sentence) and among the keywords. The
# whole query found as written is scored again as one more term. Scoring reads the text as
# stored, lower-cased (query terms never hold punctuation, so they are found in it as they
# are, and never across a comma as in the compact form rank_key uses); skipping the removal
# of punctuation halves the cost of reading 600 candidates.

K1 = 1.2  # how fast repeated occurrences stop adding (term-frequency saturation)
B = 0.75  # how much a long row is discounted against rows of average length
HEADING_WEIGHT = 2.0  # an occurrence in the heading counts 1 + this
LEAD_WEIGHT = 1.5  # a term in the lead sentence counts this much more, once
KEYWORD_WEIGHT = 1.5  # a term among the paragraph's keywords counts this much more, once
EXACT_WEIGHT = 1.0  # the query as written: one more term, weighing all terms' idf together
NEAR_WEIGHT = 0.5  # an occurrence of an expansion (synonym) against one of the term itself
ROLE_BOOST = 1.2  # a row of the part the drafter is writing, against one of similar score
MAX_EXPANSIONS = 3  # per term
_SENTENCE_END = re.compile(r"[。！？!?；;]")
_STRIP_KEEP_BAR = re.compile(r"[^\w\u3400-\u9fff|]+")


def _plain(text: str) -> str:
    """Stored (simplified) text as terms are looked for in it: lower case, ASCII digits and
    letters (NFKC only matters for full-width ones, and it is costly)."""
    return (unicodedata.normalize("NFKC", text) if _FULLWIDTH_ALNUM.search(text) else text).lower()


def compact(text: str, *, simplified: bool = True) -> str:
    """The form rank_key matches rows in: normalized, punctuation and spaces removed."""
    return _STRIP.sub("", _plain(text) if simplified else normalize(text))


# What "the same text" ignores at either end (a phrase is cut without its full stop).
_END_PUNCT = " \t\r\n\u3000。．.，,、；;：:！!？?…—-～~“”‘’\"'（）()《》〈〉「」『』【】[]"


def same_text_key(text: str) -> str:
    return text.strip(_END_PUNCT)


class Doc(NamedTuple):  # a tuple: hundreds are made per search, and made fast
    """A candidate row as scoring reads it (see _plain).

    `text` is the heading, a line break and the body (or the body alone); the heading is its
    first `heading_len` characters and the lead sentence its first `lead_len`. `keywords`
    are joined by "|", which no term contains.
    """

    text: str
    heading_len: int = 0
    lead_len: int = 0
    keywords: str = ""

    @property
    def body(self) -> str:
        return self.text[self.heading_len + 1 :] if self.heading_len else self.text

    def weighted_count(self, term: str) -> float:
        count = self.text.count(term)
        if not count:
            return 0.0
        weighted = float(count)
        if self.heading_len:
            weighted += HEADING_WEIGHT * self.text.count(term, 0, self.heading_len)
        if self.lead_len and self.text.find(term, 0, self.lead_len) != -1:
            weighted += LEAD_WEIGHT
        if self.keywords and term in self.keywords:
            weighted += KEYWORD_WEIGHT
        return weighted


def paragraph_doc(heading: str, text: str, keywords=()) -> Doc:
    body = _plain(text)
    first = _SENTENCE_END.search(body)
    lead = first.end() if first else len(body)
    # One pass over all keywords: "|" is kept as their separator.
    words = _STRIP_KEEP_BAR.sub("", "|".join(keywords).lower()) if keywords else ""
    if not heading:
        return Doc(body, 0, lead, words)
    head = _plain(heading)
    return Doc(f"{head}\n{body}", len(head), len(head) + 1 + lead, words)


def phrase_doc(text: str) -> Doc:
    return Doc(_plain(text))


def idf(documents: int, df: int) -> float:
    """Inverse document frequency of a term in `df` of `documents` rows (never negative)."""
    df = min(max(df, 0), documents)
    return math.log(1 + (documents - df + 0.5) / (df + 0.5))


def document_frequencies(terms: Sequence[str], docs: Iterable[Doc]) -> dict[str, int]:
    """How many of `docs` contain each term (exact when `docs` are all the rows that could)."""
    counts = dict.fromkeys(terms, 0)
    for doc in docs:
        for term in terms:
            if term in doc.text:
                counts[term] += 1
    return counts


def clean_expansions(query: Query, expanded: Mapping[str, Sequence[str]]) -> dict[str, tuple]:
    """Expansions worth searching for, per query term: normalized, at most MAX_EXPANSIONS.

    `expanded` may also have keys that several terms spell together (压实 + 责任 → 压实责任,
    see SynonymIndex.expand): their alternatives count for each of those terms.
    Dropped: stop words, the query's own terms, and anything containing the term or contained
    in it (every row with 安全生产 has 安全: counting both would count one occurrence twice).
    """
    out: dict[str, tuple] = {}
    seen = set(query.terms)
    joint = [(key, words) for key, words in expanded.items() if key not in seen]
    for term in query.terms:
        kept: list[str] = []
        words = list(expanded.get(term, ()) or ())
        words += [w for key, ws in joint if term in key for w in ws]
        for word in words:
            word = _STRIP.sub("", normalize(str(word)))
            if (
                not word
                or word in seen
                or word in STOP_TERMS
                or term in word
                or word in term
                or len(kept) >= MAX_EXPANSIONS
            ):
                continue
            kept.append(word)
            seen.add(word)
        if kept:
            out[term] = tuple(kept)
    return out


def term_tokens(term: str) -> tuple[str, ...]:
    """The index tokens a row containing `term` must all have (see Query.token_groups)."""
    grams = sorted(_bigrams(term)) if _CJK_RUN.fullmatch(term) and len(term) > 2 else []
    return tuple(grams) if grams else (term,)


class Relevance(NamedTuple):
    score: float
    tier: int  # as rank_key's: 0 the query as written, 1 every term, 2 some, 3 none
    near: bool  # found only through expansions


def relevance(
    query: Query,
    doc: Doc,
    idfs: Mapping[str, float],
    avg_length: float,
    expansions: Mapping[str, Sequence[str]] | None = None,
    role: str = "",
) -> Relevance:
    """BM25 score of `doc` for `query`, with field weights, the exact query and expansions.

    The sum is scaled by the idf-weighted share of terms the row has (an expansion counts
    NEAR_WEIGHT of its term), so that a row with every term outranks one repeating a few.
    `role`: the part of the speech the row belongs to; a term naming that part (ROLE_CUES:
    形势 for a situation paragraph) counts as found once, in the lead sentence.
    """
    # saturated(tf) = tf (K1 + 1) / (tf + norm), norm the length-normalized K1. The loop is
    # Doc.weighted_count written out: it runs for every term of every candidate.
    text, heading_len, lead_len, keywords = doc
    norm = K1 * (1 - B + B * len(text) / avg_length) if avg_length > 0 else K1
    score = weight_all = weight_matched = 0.0
    literal = near = 0
    for term in query.terms:
        weight = idfs.get(term, 1.0)
        weight_all += weight
        tf: float = text.count(term)
        if not tf and role and ROLE_CUES.get(term) == role:
            tf = 1 + LEAD_WEIGHT
            literal += 1
            weight_matched += weight
        elif tf:
            literal += 1
            weight_matched += weight
            if heading_len:
                tf += HEADING_WEIGHT * text.count(term, 0, heading_len)
            if lead_len and text.find(term, 0, lead_len) != -1:
                tf += LEAD_WEIGHT
            if keywords and term in keywords:
                tf += KEYWORD_WEIGHT
        if expansions and term in expansions:
            tf_near = sum(doc.weighted_count(word) for word in expansions[term])
            if tf_near and not tf:
                near += 1
                weight_matched += NEAR_WEIGHT * weight
            tf += NEAR_WEIGHT * tf_near
        if tf:
            score += weight * tf * (K1 + 1) / (tf + norm)
    exact = len(query.text) >= 2 and query.text in doc.text
    if exact and query.text not in query.terms:
        tf = doc.weighted_count(query.text)
        score += EXACT_WEIGHT * weight_all * tf * (K1 + 1) / (tf + norm)
    if weight_all:
        score *= weight_matched / weight_all
    if exact:
        tier = 0
    elif literal == len(query.terms) and literal:
        tier = 1
    elif literal or near:
        tier = 2
    else:
        tier = 3
    return Relevance(score, tier, near=bool(near) and not literal and not exact)


@dataclass(slots=True)
class Ranked:
    """One scored candidate for `arrange`: `ref` is the caller's handle on the row."""

    ref: object
    doc: Doc
    score: float
    tier: int
    is_phrase: bool
    tiebreak: tuple = ()
    near: bool = False
    merged: list[Ranked] = field(default_factory=list)  # phrases shown as this paragraph

    @property
    def key(self) -> tuple:
        return (-self.score, self.tier, self.is_phrase, len(self.doc.text), self.tiebreak)


def _one_per_text(items: list[Ranked]) -> list[Ranked]:
    """Of items with the same text (but for punctuation at either end), the best only."""
    best: dict[str, Ranked] = {}
    for r in items:
        text = same_text_key(r.doc.text)
        if text and (text not in best or r.key < best[text].key):
            best[text] = r
    return [r for r in items if best.get(same_text_key(r.doc.text), r) is r]


def arrange(items: Iterable[Ranked], limit: int) -> list[Ranked]:
    """The best `limit` items, best first, one per text, no phrase above a paragraph holding it.

    A phrase whose text is a paragraph's whole text (but for punctuation at either end) is
    merged into that paragraph (which keeps the better score). A phrase contained in other
    paragraphs goes right below the lowest of them: it is checked when it reaches the top,
    so only phrases that would be shown cost a search over the paragraphs' text. The items
    given are left as they are; merged paragraphs come back as new items.
    """
    paragraphs: list[Ranked] = []
    phrases: list[Ranked] = []
    for r in items:
        (phrases if r.is_phrase else paragraphs).append(r)
    # The same text twice (a unit's copy and a 共享 one, an office's and its 科室's): the
    # better placed one stands for both.
    paragraphs, phrases = _one_per_text(paragraphs), _one_per_text(phrases)
    by_text: dict[str, int] = {}
    for i, p in enumerate(paragraphs):
        by_text.setdefault(same_text_key(p.doc.body), i)
    merged: dict[int, list[Ranked]] = {}
    alone: list[Ranked] = []
    for r in phrases:
        at = by_text.get(same_text_key(r.doc.text))
        if at is None:
            alone.append(r)
        else:
            merged.setdefault(at, []).append(r)
    for i, group in merged.items():
        p = paragraphs[i]
        paragraphs[i] = replace(
            p,
            score=max(p.score, *(r.score for r in group)),
            tier=min(p.tier, *(r.tier for r in group)),
            near=p.near and all(r.near for r in group),
            merged=[*p.merged, *group],
        )

    keys = [p.key for p in paragraphs]
    joined = "\x00".join(p.doc.text for p in paragraphs)
    starts, offset = [], 0
    for p in paragraphs:
        starts.append(offset)
        offset += len(p.doc.text) + 1

    def lowest_holder(text: str) -> tuple | None:
        lowest, at = None, joined.find(text)
        while at != -1:
            i = bisect.bisect_right(starts, at) - 1
            if lowest is None or keys[i] > lowest:
                lowest = keys[i]
            at = joined.find(text, starts[i + 1]) if i + 1 < len(starts) else -1
        return lowest

    heap = [(key, i, False) for i, key in enumerate(keys)]
    heap += [(r.key, i, True) for i, r in enumerate(alone)]
    heapq.heapify(heap)
    checked: set[int] = set()
    out: list[Ranked] = []
    while heap and len(out) < limit:
        key, i, is_phrase = heapq.heappop(heap)
        if not is_phrase:
            out.append(paragraphs[i])
            continue
        text = same_text_key(alone[i].doc.text)
        if i not in checked and text:
            checked.add(i)
            lowest = lowest_holder(text)
            if lowest is not None and lowest > key:
                heapq.heappush(heap, ((*lowest, 1), i, True))
                continue
        out.append(alone[i])
    return out


def suggestion_score(usage_count: int, heading: str, text: str, keywords=()) -> float:
    """How good a paragraph is to suggest for a part: used before, and reads as a unit.

    Use counts most; then a heading (a paragraph that states its point), keywords (it is
    about something), and a length a speech paragraph has (about 80-400 characters).
    """
    length = len(text)
    fit = 1.0 if 80 <= length <= 400 else 0.5 if 40 <= length <= 800 else 0.0
    return math.log1p(usage_count) * 2 + fit + (0.5 if heading else 0) + (0.5 if keywords else 0)
