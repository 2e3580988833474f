"""Mine reusable phrase candidates from a parsed speech (regex and structure; cheap).

Every candidate carries a quality score in [0, 1] (:mod:`speechdraft.text.phrase_quality`);
the library keeps those at or above ``PHRASE_MIN_QUALITY``.

Kinds:

* ``four_char`` – 四字短语: clauses of exactly four Chinese characters that stand in a
  list (between 、/，/； separators), e.g. 心悦诚服、不带杂质、表里如一. Four characters that
  jieba does not keep apart from their neighbours (危险化学 in 危险化学品等) are no
  candidate; plain nouns (建筑施工, 专业人员) score low.
* ``parallel`` – 排比: three or more consecutive clauses of (nearly) equal length that share
  a first or last character, or a character at the same position.
* ``golden`` – 金句: a short sentence of two or more balanced clauses
  (思想是行动的先导，理论是实践的指南。).
* ``slogan`` – 口号: quoted short phrases with a numeral (“一主三优多特色”, “四个聚焦”)
  or of balanced parts (“马上就办、办就办好”); a counted noun (“五种作风”) scores low.
  Those without punctuation are also offered as jieba user-dictionary terms.
* ``transition`` – 过渡语: ``下面，我讲{{ 部分数 }}点意见。`` and the like.
* ``opening`` / ``closing`` – 开头语 / 结束语 sentences.

Positions: ``opening:p0``, ``closing:p1``, ``s2.3:p0`` (section path, paragraph index),
``s2:h`` (a heading).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from . import phrase_quality as quality
from .model import PhraseCandidate, Section, Speech
from .templating import slot_token

_SENT_RE = re.compile(r"[^。！？]*[。！？]?")
_CLAUSE_SPLIT_RE = re.compile(r"([，、；。！？：])")
_CJK_ONLY_RE = re.compile(r"^[\u4e00-\u9fff]+$")
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_FOUR_BAD_START_RE = re.compile(
    r"^(?:[在以对从把将和与及由向为被让使于是]|一是|二是|三是|四是|五是)"
)
_QUOTED_RE = re.compile(r"“([^“”]{2,14})”")
_NUMERAL_RE = re.compile(r"[一二三四五六七八九十两百千万双0-9]")
_SLOGAN_BAD_RE = re.compile(r"[，。、；：！？\s{}]")
_SLOGAN_PARALLEL_BAD_RE = re.compile(r"[。；：！？\s{}]")
_TRANSITION_RE = re.compile(
    r"(?:下面|接下来|下边|在此|这里|为此|借此机会|最后)[^。！？]{0,30}?"
    r"(?:讲|谈|强调|提|说)[^。！？]{0,20}?(?:意见|看法|要求|认识|体会|问题|方面|句话|希望|点)"
    rf"|(?:讲|谈|强调)[^。！？]{{0,6}}{re.escape(slot_token('部分数'))}[^。！？]{{0,10}}"
)
_OPENING_RE = re.compile(r"(?:今天|这次|此次|本次)[^。！？]{0,40}?(?:召开|举行|举办|开展|在这里)")
_CLOSING_START_RE = re.compile(r"^(?:同志们|朋友们|让我们)")


def _sentences(text: str) -> list[str]:
    return [s for s in _SENT_RE.findall(text) if s.strip()]


def _clauses(sentence: str) -> list[tuple[str, str]]:
    """[(clause, separator after it)]"""
    parts = _CLAUSE_SPLIT_RE.split(sentence)  # clause, separator, clause, …, clause
    return list(zip(parts[0::2], [*parts[1::2], ""], strict=True))


def _is_four(clause: str) -> bool:
    return len(clause) == 4 and _CJK_ONLY_RE.match(clause) is not None


def _similar(a: str, b: str) -> bool:
    la, lb = len(a), len(b)
    if la < 3 or lb < 3 or la - lb > 1 or lb - la > 1 or la > 16:
        return False
    if a[0] == b[0] or a[-1] == b[-1]:
        return True
    return any(a[i] == b[i] for i in range(1, min(la, lb) - 1))


def _aligned_head(first: str, second: str) -> str | None:
    """``first`` as the head of a parallel group with ``second``; a leading word such as 要
    (要比发展实绩、比实干担当…) is cut off when the rest matches ``second`` in length."""
    if _similar(first, second):
        return first
    if not 1 <= len(first) - len(second) <= 2 or len(second) < 3:
        return None
    for cut in (1, 2):
        rest = first[cut:]
        if len(rest) >= 3 and len(rest) == len(second) and _similar(rest, second):
            return rest
    return None


# Characters of a clause read on either side of four characters to tell whether jieba keeps them
# whole (危险化学品等重点领域: 危险化学 is cut from 化学品).
_CONTEXT = 5


def _four_char(context: str, start: int, memo: dict) -> tuple[str, str, float] | None:
    """The four characters at ``start`` of ``context`` (their clause) as a candidate, unless
    they are cut from a longer word. ``memo`` keeps the answers of one speech (its set
    phrases come back)."""
    key = (context, start)
    if key in memo:
        return memo[key]
    text = context[start : start + 4]
    found = None
    if len(context) == 4 and text in quality.GENRE_FOUR_CHAR:
        found = ("four_char", text, quality.four_char_score(text, [text]))
    else:
        tokens = quality.four_char_tokens(context, start)
        if tokens is not None:
            found = ("four_char", text, quality.four_char_score(text, tokens))
    memo[key] = found
    return found


def _mine_text(text: str, memo: dict | None = None) -> Iterator[tuple[str, str, float]]:
    """(kind, text, score) candidates of one paragraph."""
    memo = {} if memo is None else memo
    for sentence in _sentences(text):
        clauses = _clauses(sentence)
        if len(clauses) < 2:
            continue  # one clause: no list, no parallel, no balanced sentence
        yield from _listed_four_chars(clauses, memo)
        if "、" in sentence:
            yield from _list_ends(clauses, memo)
        yield from _parallels(clauses)
        yield from _golden(sentence, clauses)
    yield from _quoted_slogans(text)


def _listed_four_chars(
    clauses: list[tuple[str, str]], memo: dict
) -> Iterator[tuple[str, str, float]]:
    """Four-character phrases standing in a list (a clause of four next to another)."""
    for k, (clause, sep) in enumerate(clauses):
        if len(clause) != 4 or not _is_four(clause) or _FOUR_BAD_START_RE.match(clause):
            continue
        prev_clause, prev_sep = clauses[k - 1] if k > 0 else ("", "")
        next_clause = clauses[k + 1][0] if k + 1 < len(clauses) else ""
        if (sep in ("、", "，") and _is_four(next_clause)) or (
            prev_sep in ("、", "，") and _is_four(prev_clause)
        ):
            found = _four_char(clause, 0, memo)
            if found is not None:
                yield found


def _parallels(clauses: list[tuple[str, str]]) -> Iterator[tuple[str, str, float]]:
    """Runs of three or more parallel clauses (their heads alike)."""
    k = 0
    lengths = [len(c) for c, _ in clauses]
    while k < len(clauses) - 2:
        # _aligned_head needs two clauses of 3+ characters, the first at most 2 longer
        if lengths[k + 1] < 3 or not -1 <= lengths[k] - lengths[k + 1] <= 2:
            k += 1
            continue
        head = _aligned_head(clauses[k][0], clauses[k + 1][0])
        if head is None:
            k += 1
            continue
        j = k + 1
        while (
            j < len(clauses)
            and _similar(head, clauses[j][0])
            and (j == k + 1 or _similar(clauses[j - 1][0], clauses[j][0]))
        ):
            j += 1
        if j - k >= 3:
            group = [(head, clauses[k][1]), *clauses[k + 1 : j]]
            yield (
                "parallel",
                "".join(c + s for c, s in group[:-1]) + group[-1][0],
                quality.parallel_score([c for c, _ in group]),
            )
            k = j
        else:
            k += 1


def _golden(sentence: str, clauses: list[tuple[str, str]]) -> Iterator[tuple[str, str, float]]:
    """The sentence as a golden sentence when it is short and balanced."""
    body = sentence.rstrip("。！？")
    parts = [c for c, _ in clauses if c]
    if any(sep in ("、", "：") for _, sep in clauses):
        parts = []
    if 2 <= len(parts) <= 4 and len(body) <= 36 and all(5 <= len(p) <= 12 for p in parts):
        lengths = {len(p) for p in parts}
        if max(lengths) - min(lengths) <= 1 and "{{" not in body:
            yield "golden", sentence.strip(), quality.golden_score(parts)


def _quoted_slogans(text: str) -> Iterator[tuple[str, str, float]]:
    """Slogans in quotation marks: numbered ones, or balanced parts sharing a character."""
    for m in _QUOTED_RE.finditer(text):
        inner = m.group(1)
        if len(inner) < 3 or not _CJK_RE.search(inner):
            continue
        if _SLOGAN_BAD_RE.search(inner):
            # “马上就办、办就办好”: two or more balanced parts sharing a character
            if not _SLOGAN_PARALLEL_BAD_RE.search(inner) and quality.slogan_parallel_parts(inner):
                yield "slogan", inner, quality.slogan_score(inner)
        elif _NUMERAL_RE.search(inner):
            yield "slogan", inner, quality.slogan_score(inner)


def _list_ends(clauses: list[tuple[str, str]], memo: dict) -> Iterator[tuple[str, str, float]]:
    """In a 、-list of four-character items, the first and last items often carry the words
    around the list (要心悦诚服、不带杂质、表里如一、言行一致地推动): take their four
    characters next to the list, when jieba keeps them whole in their clause (not 危险化学
    from 危险化学品等行业)."""
    k = 0
    while k < len(clauses):
        j = k
        while j < len(clauses) - 1 and clauses[j][1] == "、":
            j += 1
        if j - k >= 2:  # at least three items
            middle = [c for c, _ in clauses[k + 1 : j]]
            if middle and all(_is_four(c) for c in middle):
                head, tail = clauses[k][0], clauses[j][0]
                # jieba's route near the four characters decides; a few characters beyond
                # them are context enough (words are rarely longer)
                if len(head) > 4 and _is_four(head[-4:]):
                    found = _four_char(head[-4 - _CONTEXT :], min(len(head) - 4, _CONTEXT), memo)
                    if found is not None:
                        yield found
                if len(tail) > 4 and _is_four(tail[:4]):
                    found = _four_char(tail[: 4 + _CONTEXT], 0, memo)
                    if found is not None:
                        yield found
        k = j + 1


def _walk(sections: list[Section], prefix: str = "s") -> Iterator[tuple[str, Section]]:
    for n, section in enumerate(sections, 1):
        path = f"{prefix}{n}" if prefix == "s" else f"{prefix}.{n}"
        yield path, section
        yield from _walk(section.children, path)


# A candidate found at two or more places of one speech is one the speaker leans on.
REPEAT_BONUS = 0.1


def mine_phrases(
    speech: Speech, speech_index: int, memo: dict | None = None
) -> list[PhraseCandidate]:
    """All phrase candidates of ``speech`` (deduplicated per kind and text), scored.

    ``memo`` may be shared by the speeches of one file (a compilation repeats its set
    phrases); it must not outlive a change of jieba's user dictionary.
    """
    out: dict[tuple[str, str], PhraseCandidate] = {}
    places: dict[tuple[str, str], set[str]] = {}

    def add(kind: str, text: str, position: str, score: float) -> None:
        text = text.strip()
        if not text or score <= 0:
            return
        key = (kind, text)
        found = out.get(key)
        if found is None:
            out[key] = PhraseCandidate(kind, text, speech_index, position, score)
            places[key] = {position}
        else:
            found.score = max(found.score, score)
            places[key].add(position)

    memo = {} if memo is None else memo
    for kind, text, position, score in _speech_candidates(speech, memo):
        add(kind, text, position, score)
    for key, candidate in out.items():
        if len(places[key]) > 1:
            candidate.score = round(min(1.0, candidate.score + REPEAT_BONUS), 3)
    return list(out.values())


def _speech_candidates(speech: Speech, memo: dict) -> Iterator[tuple[str, str, str, float]]:
    """(kind, text, position, score) of every candidate of ``speech``, in reading order."""

    def mined(text: str, position: str) -> Iterator[tuple[str, str, str, float]]:
        for kind, phrase, score in _mine_text(text, memo):
            yield kind, phrase, position, score

    for i, para in enumerate(speech.opening):
        position = f"opening:p{i}"
        yield from mined(para, position)
        yield from _opening_sentences(para, i, position)
    for path, section in _walk(speech.sections):
        if section.heading:
            yield from mined(section.heading, f"{path}:h")
        for i, para in enumerate(section.paragraphs):
            yield from mined(para, f"{path}:p{i}")
    last_para = len(speech.closing) - 1
    for i, para in enumerate(speech.closing):
        position = f"closing:p{i}"
        yield from mined(para, position)
        yield from _closing_sentences(para, i, i == last_para, position)


def _opening_sentences(para: str, i: int, position: str) -> Iterator[tuple[str, str, str, float]]:
    """Transitions and opening sentences of the opening's paragraph ``i``."""
    for k, sentence in enumerate(_sentences(para)):
        if _TRANSITION_RE.search(sentence):
            yield "transition", sentence, position, quality.sentence_score(sentence, matched=True)
        matched = _OPENING_RE.search(sentence) is not None
        if (i == 0 and k == 0) or matched:
            yield "opening", sentence, position, quality.sentence_score(sentence, matched=matched)


def _closing_sentences(
    para: str, i: int, last_para: bool, position: str
) -> Iterator[tuple[str, str, str, float]]:
    """Closing sentences of the closing's paragraph ``i``: the closing's first and last
    sentences, and any that opens with 同志们, 朋友们 or 让我们."""
    sentences = _sentences(para)
    for k, sentence in enumerate(sentences):
        last = last_para and k == len(sentences) - 1
        matched = last or _CLOSING_START_RE.match(sentence) is not None
        if (i == 0 and k == 0) or matched:
            yield "closing", sentence, position, quality.sentence_score(sentence, matched=matched)


def dictionary_term(slogan: str) -> bool:
    """Whether a slogan can be one word of jieba's user dictionary (“四个聚焦”, not
    “马上就办、办就办好”: jieba never joins across punctuation)."""
    return 2 <= len(slogan) <= 40 and not _SLOGAN_BAD_RE.search(slogan)


def slogans(speech: Speech, min_score: float = quality.MIN_QUALITY) -> list[str]:
    """Slogans of a speech worth a place in the jieba user dictionary (one word each, scoring
    at least ``min_score``)."""
    return [
        p.text
        for p in speech.phrases
        if p.kind == "slogan" and p.score >= min_score and dictionary_term(p.text)
    ]
