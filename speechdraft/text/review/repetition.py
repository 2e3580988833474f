"""Repetition inside the draft: set phrases used too often (用语重复), consecutive paragraphs
opening alike (段首重复) and sentences written twice (句子重复). These checks need the whole
draft; with ``changed_ids`` they report only findings that touch the paragraphs just saved."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from functools import lru_cache
from itertools import pairwise

from ..similarity import normalize
from .chars import CJK_RUN, cjk_count
from .findings import Finding, finding
from .items import ReviewItem, changed_set, in_scope
from .lexicons import is_slogan_window, phrase_lexicon
from .settings import DEFAULT_SETTINGS, ReviewSettings


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
    """{window: offsets} of the phrase-like four-character windows of `text` (is_slogan_window),
    leaving out those wholly inside a term of `ignore`. Kept per text: small (a paragraph has a
    few such windows), and the same paragraphs are checked after every save."""
    blocked = _ignored_offsets(text, ignore) if ignore else set()
    out: dict[str, list[int]] = defaultdict(list)
    for run in CJK_RUN.finditer(text):
        s, base = run.group(), run.start()
        for i in range(len(s) - 3):
            window = s[i : i + 4]
            if not is_slogan_window(window, lexicon):
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
    changed = changed_set(changed_ids)
    limit = settings.phrase_max_uses
    lexicon = phrase_lexicon(settings.use_jieba_idioms)
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
        if len(occ) > limit and is_slogan_window(window, lexicon):
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
            if not in_scope(item.id, changed):
                continue
            findings.append(
                finding(
                    "repeated_phrase",
                    item.id,
                    "info",
                    (
                        f"「{phrase}」在全文出现 {len(occ)} 次（超过 {limit} 次），"
                        "建议变换说法或删去部分"
                    ),
                    span=spans[0],
                    text=item.text,
                    data={"phrase": phrase, "count": len(occ), "spans": [list(s) for s in spans]},
                )
            )
    return _in_document_order(findings, items)


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
    changed = changed_set(changed_ids)
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
        if cjk_count(opening) < settings.opening_min_chars:
            continue
        findings.append(
            finding(
                "repeated_opening",
                cur.id,
                "info",
                f"与上一段开头相同（「{opening}」），建议变换开头",
                span=(lead, lead + n),
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
    changed = changed_set(changed_ids)
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
                finding(
                    "duplicate_sentence",
                    item.id,
                    "warning",
                    f"此句在{where}重复出现（共 {len(occ)} 次），请删去或改写重复的一处",
                    span=(start, end),
                    excerpt=item.text[start:end],
                    data={"others": others, "count": len(occ)},
                )
            )
    return _in_document_order(findings, items)


def _in_document_order(findings: list[Finding], items: Sequence[ReviewItem]) -> list[Finding]:
    """`findings` sorted by their item's place in the draft, then by offset (in place)."""
    order = {item.id: i for i, item in enumerate(items)}
    findings.sort(key=lambda f: (order.get(f.item_id, len(items)), f.start or 0))
    return findings
