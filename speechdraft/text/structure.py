"""Detect the structure of a speech: opening, numbered sections (up to four levels), closing.

Levels
------
Inside a span of paragraphs (the whole body for level 1, a section's paragraphs below) every
paragraph that starts with a numbering token is a candidate item. Items of one style form
*runs* of consecutive numbers (一、二、三…; a run may start above 1 when a page is missing, a
gap of one number is tolerated, a 1 starts a new run). A style is a *family* of the span
when it has a run of at least two items. The family of the level is chosen as follows:

1. families that number straight through the span (one run) beat families that restart
   (a restart means the family is nested inside something else);
2. among those, the conventional rank of the genre decides (一、/第一个问题， > 第一， >
   （一） > 1. > 一是/一要 > （1）), then the earliest first item;
3. unnumbered run-in headings (below) take the level instead when no numbered family
   exists, when the numbered family restarts, or when all its items sit inside one gap
   between run-in headings (then the numbered items are nested in a run-in section).

The chosen family's items split the span; each item's own span is searched again for the
next level (at most four levels). A numbered item's heading is the text after the token up
to the first 。！？： outside quotes (at most 60 characters; ？！ are kept, 。： dropped),
the rest of the paragraph is the section's first paragraph; a line without such a stop is
a standalone heading (``一、认清形势，增强紧迫感``).

Run-in headings
---------------
A paragraph opening with a short lead sentence (4–25 characters up to the first 。, or up to
a ， that is followed by 一是/一要/（一）…), or a short standalone line without sentence
punctuation, is a run-in candidate. At least three candidates of parallel shape (same
number of ，-separated parts, each part within two characters of the others), or two of
identical shape, make a run-in family: ``提高站位抓推进。一是…`` → heading ``提高站位抓推进``,
paragraphs ``[一是…]``.

Opening and closing
-------------------
The opening is everything between the salutation and the first level-1 item. The closing
starts at the first paragraph after the last heading of any level that opens with an
exhortation (同志们， / 同志们！ / 让我们…); failing that, the final paragraph is the closing
when it is a short exclamation to the audience (ends with ！ and carries 奋斗/贡献/新篇章/新热潮…).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .clean import CleanSpeech
from .join import join_lines
from .model import Section, Speech
from .numbering import STYLE_RANK, format_number, parse_number_token
from .placeholders import has_part_count

MAX_LEVELS = 4
RUNIN_MAX_LEAD = 25
NUMBERED_MAX_LEAD = 60

_EXHORT_RE = re.compile(
    r"^(?:[^，。！？]{0,12}?(?:同志们|朋友们|同事们|同学们|乡亲们|代表们|委员们|各位代表|各位委员|各位同志"
    r"|各位同仁)[，！,!]|让我们|最后，(?:希望|祝|让我们|我们要|号召)|以上是?(?:我|我们)的"
    r"|以上(?:汇报|发言))"
)
_CLOSING_VOCAB_RE = re.compile(
    r"让我们|奋斗|努力|贡献|新篇章|新局面|新热潮|新征程|新胜利|新成绩|新业绩|新辉煌|新高潮|再创|谱写"
    r"|开创|奋力|夺取|确保完成|而努力|而奋斗"
)
_LEAD_BAD_START_RE = re.compile(
    r"^(?:同时|此外|另外|因此|所以|但是|但|然而|总之|总的来看|目前|当前|今年|去年|明年|近年来|我们"
    r"|大家|这|那|如果|只有|虽然|对此|为此|其中|特别|尤其|比如|例如|刚才|今天|首先|其次|最后|再次"
    r"|第[一二三四五六七八九十]|[一二三四五六七八九十]是|[一二三四五六七八九十]要|要|在|从|随着"
    r"|通过|根据|按照|截至|截止|同志们)"
)
_BAD_LEAD_CHARS = frozenset("：；:;")
# An announcement of the parts without a count: 再讲几点意见, 谈几点看法, 提几点要求.
_ANNOUNCE_RE = re.compile(r"(?:讲|谈|提|强调|说)(?:一下|了)?几(?:点|个方面|个问题|句话|层意思)")


@dataclass
class _Item:
    index: int
    number: str | None
    style: str | None
    heading: str
    body: str


def sentence_end(text: str, stops: str = "。！？", start: int = 0) -> int | None:
    """Index of the first stop character outside quotes/brackets, or None."""
    depth = 0
    for i in range(start, len(text)):
        ch = text[i]
        if ch in "“‘（《「『(":
            depth += 1
        elif ch in "”’）》」』)":
            depth = max(0, depth - 1)
        elif depth == 0 and ch in stops:
            return i
    return None


def split_heading(rest: str) -> tuple[str, str]:
    """Split the text after a numbering token into (heading, body)."""
    rest = rest.strip()
    p = sentence_end(rest, "。！？：:")
    if p is None:
        return rest.rstrip("。：:"), ""
    lead = rest[:p].strip()
    if len(lead) > NUMBERED_MAX_LEAD or not lead:
        return "", rest
    term = rest[p]
    heading = lead + (term if term in "？！" else "")
    return heading, rest[p + 1 :].strip()


# ------------------------------------------------------------------ numbered families


def _runs(items: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
    runs: list[list[tuple[int, int, str]]] = []
    cur: list[tuple[int, int, str]] = []
    for item in items:
        n = item[1]
        if not cur:
            cur = [item]
            continue
        last = cur[-1][1]
        if n == 1:
            runs.append(cur)
            cur = [item]
        elif last < n <= last + 2:
            cur.append(item)
        # else: out of sequence, not an item of this list
    if cur:
        runs.append(cur)
    return [r for r in runs if len(r) >= 2]


def _numbered_family(
    tokens: list[tuple[str, int, str] | None],
    lo: int,
    hi: int,
    single: tuple[str, int, str, int] | None = None,
) -> tuple[str | None, list[list[tuple[int, int, str]]]]:
    by_style: dict[str, list[tuple[int, int, str]]] = {}
    for i in range(lo, hi):
        tok = tokens[i]
        if tok is not None:
            by_style.setdefault(tok[0], []).append((i, tok[1], tok[2]))
    families = {s: r for s, items in by_style.items() if (r := _runs(items))}
    if single is not None:
        style, n, rest, index = single
        outranks = all(
            STYLE_RANK.get(style, 9) < STYLE_RANK.get(other, 9) and index < runs[0][0][0]
            for other, runs in families.items()
        )
        if style not in families and outranks:
            return style, [[(index, n, rest)]]
    if not families:
        return None, []

    def key(style: str) -> tuple[int, int, int]:
        runs = families[style]
        return (len(runs) > 1, STYLE_RANK.get(style, 9), runs[0][0][0])

    best = min(families, key=key)
    return best, families[best]


# ------------------------------------------------------------------ run-in headings


def _runin_candidate(text: str) -> tuple[str, str] | None:
    p = sentence_end(text, "。！？")
    comma_lead, comma_body = _comma_lead(text)
    if comma_lead and (p is None or len(comma_lead) < p):
        lead, body = comma_lead, comma_body
    elif p is not None:
        lead, body = text[:p], text[p + 1 :].strip()
    elif len(text) <= RUNIN_MAX_LEAD and not any(ch in "；：;:" for ch in text):
        lead, body = text, ""  # a standalone short heading line
    else:
        return None
    if not 4 <= len(lead) <= RUNIN_MAX_LEAD or any(ch in _BAD_LEAD_CHARS for ch in lead):
        return None
    if _LEAD_BAD_START_RE.match(lead) or lead[0] in "“‘（(《":
        return None
    return lead, body


def _comma_lead(text: str) -> tuple[str, str]:
    """``提高站位抓推进，一是…`` → (lead, body) when a list starts right after a comma."""
    q = text.find("，", 0, RUNIN_MAX_LEAD + 1)
    if q < 4:
        return "", ""
    tok = parse_number_token(text[q + 1 :])
    if tok is None or tok[1] != 1 or tok[0] not in ("一是", "一要", "第一，", "（一）", "其一，"):
        return "", ""
    return text[:q], text[q + 1 :].strip()


def _shape(lead: str) -> tuple[int, ...]:
    return tuple(len(part) for part in lead.split("，"))


def _compatible(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= 2 for x, y in zip(a, b, strict=True))


def _runin_family(
    paras: list[str], tokens: list[tuple[str, int, str] | None], lo: int, hi: int
) -> list[_Item]:
    cands: list[tuple[int, str, str, tuple[int, ...]]] = []
    for i in range(lo, hi):
        if tokens[i] is not None:
            continue
        c = _runin_candidate(paras[i])
        if c is not None:
            cands.append((i, c[0], c[1], _shape(c[0])))
    if len(cands) < 2 or len(cands) > 400:
        return []
    best: list[tuple[int, str, str, tuple[int, ...]]] = []
    for ref in cands:
        group = [c for c in cands if _compatible(c[3], ref[3])]
        if len(group) > len(best):
            best = group
    if len(best) < 2:
        return []
    if len(best) == 2 and best[0][3] != best[1][3]:
        return []
    return [_Item(i, None, None, lead.rstrip("。，"), body) for i, lead, body, _ in best]


def _inside_one_gap(indices: list[int], runin: list[_Item]) -> bool:
    starts = [it.index for it in runin]
    lo_i, hi_i = min(indices), max(indices)
    if lo_i < starts[0]:
        return False
    for k, s in enumerate(starts):
        nxt = starts[k + 1] if k + 1 < len(starts) else None
        if s < lo_i and (nxt is None or hi_i < nxt):
            return True
    return False


# ------------------------------------------------------------------ levels


def _level_items(
    paras: list[str],
    tokens: list[tuple[str, int, str] | None],
    lo: int,
    hi: int,
    single: tuple[str, int, str, int] | None = None,
) -> list[_Item]:
    style, runs = _numbered_family(tokens, lo, hi, single)
    runin = _runin_family(paras, tokens, lo, hi)
    if style is not None:
        numbered_idx = [it[0] for run in runs for it in run]
        use_runin = bool(runin) and (len(runs) > 1 or _inside_one_gap(numbered_idx, runin))
        if not use_runin:
            items = []
            for run in runs:
                for i, n, rest in run:
                    heading, body = split_heading(rest)
                    items.append(_Item(i, format_number(style, n), style, heading, body))
            items.sort(key=lambda it: it.index)
            return items
    return runin


def _sections(
    paras: list[str],
    tokens: list[tuple[str, int, str] | None],
    lo: int,
    hi: int,
    level: int,
    items: list[_Item] | None = None,
) -> tuple[list[Section], int]:
    if level > MAX_LEVELS or hi - lo < 1:
        return [], hi
    if items is None:
        items = _level_items(paras, tokens, lo, hi)
    if not items:
        return [], hi
    sections: list[Section] = []
    for k, item in enumerate(items):
        end = items[k + 1].index if k + 1 < len(items) else hi
        children, first_child = _sections(paras, tokens, item.index + 1, end, level + 1)
        own = ([item.body] if item.body else []) + paras[item.index + 1 : first_child]
        sections.append(
            Section(
                number=item.number,
                style=item.style,
                heading=item.heading,
                role=None,
                paragraphs=own,
                children=children,
                level=level,
            )
        )
    return sections, items[0].index


def _closing_start(
    paras: list[str], tokens: list[tuple[str, int, str] | None], items: list[_Item]
) -> int:
    n = len(paras)
    last_head = items[-1].index if items else 0
    for i in range(last_head + 1, n):
        if tokens[i] is not None:
            last_head = i
    for i in range(last_head + 1, n):
        if _EXHORT_RE.match(paras[i]):
            return i
    if n - 1 > last_head:
        last = paras[-1]
        if len(last) <= 400 and last[-1:] in "！!" and _CLOSING_VOCAB_RE.search(last):
            return n - 1
    return n


# Styles that number the parts of a speech and nothing else: one of them alone is a part.
_PART_STYLES = frozenset({"一、", "第一个问题，"})
# Styles that open the parts when the opening has announced them (我讲三点意见：).
_ANNOUNCED_STYLES = frozenset({"一、", "第一个问题，", "第一，", "1.", "一是", "一要", "其一，"})


def _single_part(
    paras: list[str], tokens: list[tuple[str, int, str] | None]
) -> tuple[str, int, str, int] | None:
    """The first part of a speech whose page shows only that one (a preview, page 1 of 3).

    An item numbered 1 at the start of a paragraph opens the parts on its own when the opening
    announced parts (下面，我讲三点意见：) or when its style numbers only parts (一、, 第一个问题)
    and it reads as a heading with text under it; a 一、 after a list's lead-in (如下：) does not.
    """
    for i, tok in enumerate(tokens):
        if tok is None or tok[1] != 1:
            continue
        heading, _ = split_heading(tok[2])
        if not heading:
            return None
        announced = any(
            has_part_count(p) or _ANNOUNCE_RE.search(p) for p in paras[max(0, i - 3) : i]
        )
        if announced and tok[0] in _ANNOUNCED_STYLES:
            return tok[0], tok[1], tok[2], i
        lead_in = i > 0 and paras[i - 1].rstrip().endswith(("：", ":"))
        if tok[0] in _PART_STYLES and not lead_in and len(heading) <= 40 and len(paras) - i >= 2:
            return tok[0], tok[1], tok[2], i
        return None
    return None


def build_speech(clean: CleanSpeech) -> Speech:
    """Turn a cleaned speech (header fields + body lines) into a :class:`Speech`."""
    paras = join_lines(clean.body)
    tokens = [parse_number_token(p) for p in paras]
    tokens = [t if t is not None and t[2].strip() else None for t in tokens]
    items = _level_items(paras, tokens, 0, len(paras), _single_part(paras, tokens))
    closing_at = _closing_start(paras, tokens, items)
    items = [it for it in items if it.index < closing_at]
    sections, first = _sections(paras, tokens, 0, closing_at, 1, items=items)
    opening = paras[: first if sections else closing_at]
    return Speech(
        title=clean.title,
        speaker=clean.speaker,
        date=clean.date,
        salutation=clean.salutation,
        opening=opening,
        sections=sections,
        closing=paras[closing_at:],
    )
