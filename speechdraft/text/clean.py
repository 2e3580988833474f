"""Remove web boilerplate and split a document into speeches.

The rules are written for the genre (scraped 讲话稿 pages), not for particular sites:

* **Fragments** removed from inside a line, the rest kept: paywall markers
  (``##paidbegin##``), page markers in titles (``(第2/3页)``), forum anti-copy noise
  (runs of 1–3-character ASCII tokens mixing letters, digits and symbols).
* **Lines** removed: lines without any Chinese character (URLs, ids, lone numbers such as
  ``221381``); lines carrying a *strong* boilerplate phrase (发布时间/来源：/共计N个字/
  预计阅读时长/加入收藏/点击下载/推荐度/上一篇/下一篇/相关推荐/QQ群/领取福利/版权所有/
  breadcrumbs ``位置：首页>…``/document names ``《….doc》``/domains …); short lines with
  several *weak* boilerplate words (会员/收藏/分享/下载/订阅/资料/微信/扫码/举报/免费…);
  consecutive repeats of a line (titles repeated two or three times); short title-like lines
  after a 相关推荐-style marker; the trailing run of short unpunctuated lines after the
  body ends (related-title lists).
* **Header**: the lines before the body starts (salutation, first real paragraph or first
  numbered heading) give the title (the last title-like line, preferring ones that read
  like a speech title), an optional speaker and date; everything else there is site noise.
* **Table of contents**: ``目录`` followed by short title lines is removed, and each entry
  that reappears later as a line starts a new speech (汇编).

Every removed line or fragment is reported, in document order.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .convert import has_cjk, normalize_line
from .numbering import parse_number_token

# ------------------------------------------------------------------ fragments

# Markup left in text copied from web pages: script/style elements with their content,
# comments, and tags (whose inner text is speech text and stays). Only tag-shaped runs: a
# name right after "<", so "a < b" or "《" are never touched.
_MARKUP_BLOCK_RE = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>|<!--.*?-->", re.I | re.S)
# _MARKUP_BLOCK_RE.finditer looks for the end from every opening, so a line of unclosed
# "<!--" or "<script>" costs its length squared: _markup_blocks finds the same matches with
# these, and stops looking for an end that was not there from an earlier opening.
_MARKUP_OPEN_RE = re.compile(r"<(?:(script|style)\b|!--)", re.I)
_MARKUP_GT_RE = re.compile(">")
_MARKUP_END_RE = {
    "script": re.compile(r"</script\s*>", re.I),
    "style": re.compile(r"</style\s*>", re.I),
    "--": re.compile("-->"),
}
_TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]{0,20}(?:\s[^<>]{0,400})?/?>")
# Named entities such copies carry; numeric ones are left alone.
_ENTITIES = {
    "&nbsp;": " ",
    "&ensp;": " ",
    "&emsp;": " ",
    "&amp;": "&",
    "&lt;": "<",
    "&gt;": ">",
    "&quot;": '"',
    "&apos;": "'",
    "&#39;": "'",
    "&ldquo;": "“",
    "&rdquo;": "”",
    "&lsquo;": "‘",
    "&rsquo;": "’",
    "&mdash;": "—",
    "&hellip;": "…",
    "&middot;": "·",
}
_ENTITY_RE = re.compile("|".join(re.escape(e) for e in _ENTITIES), re.I)
_PAYWALL_RE = re.compile(r"#{2}[A-Za-z][A-Za-z_]{1,20}#{2}|\[/?(?:paid|hide|free)[^\]]{0,20}\]")
_PAGE_MARK_RE = re.compile(
    r"[（(]\s*第\s*\d+\s*[/／]\s*\d+\s*页\s*[)）]"
    r"|[（(]\s*第\s*\d+\s*页(?:\s*[,，]?\s*共\s*\d+\s*页)?\s*[)）]"
)
# Forum anti-copy noise: ≥3 space-separated tokens of 1–3 printable ASCII characters.
_NOISE_RE = re.compile(r"(?<![A-Za-z0-9])(?:[!-~]{1,3}[ \t]+){2,}[!-~]{1,3}(?![A-Za-z0-9])")
_SYMBOLS = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
# Every ASCII brace becomes full-width, not only pairs: a lone "{" before a placeholder
# ("{*}") would otherwise open a Jinja block with the slot that replaces it ("{{{ 地区 }}}").
_BRACES = str.maketrans({"{": "｛", "}": "｝"})


def _markup_blocks(raw: str) -> list[tuple[int, int]]:
    """Spans of ``_MARKUP_BLOCK_RE.finditer(raw)``, found in time linear in ``raw``."""
    spans: list[tuple[int, int]] = []
    missing: set[str] = set()  # kinds whose end (or ">") is absent from here on
    pos = 0
    while len(missing) < len(_MARKUP_END_RE) and (m := _MARKUP_OPEN_RE.search(raw, pos)):
        kind = m.group(1).lower() if m.group(1) else "--"
        end = None
        if kind not in missing:
            start: int | None = m.end()
            if kind != "--":
                gt = _MARKUP_GT_RE.search(raw, m.end())
                start = None if gt is None else gt.end()
                if gt is None:
                    missing.update(("script", "style"))
            if start is not None:
                close = _MARKUP_END_RE[kind].search(raw, start)
                if close is None:
                    missing.add(kind)
                else:
                    end = close.end()
        if end is None:
            pos = m.start() + 1
        else:
            spans.append((m.start(), end))
            pos = end
    return spans


def _is_noise_run(run: str) -> bool:
    tokens = run.split()
    if len(tokens) < 3:
        return False
    # mixed shapes: several distinct symbols together with letters or digits
    symbols = {ch for ch in run if ch in _SYMBOLS}
    return len(symbols) >= 3 and any(ch.isalnum() for ch in run)


# ------------------------------------------------------------------ line classes

_SENT_PUNCT = "，。！？；：,.!?;:"

# Phrases that never occur in the text of a speech (any line up to 200 characters).
_STRONG_RE = re.compile(
    r"共计\s*\d+\s*个?字|预计阅读|阅读时长|加入收藏|收藏本[页站文]|设为首页|点击下载|下载全文|下载本文"
    r"|下载文档|推荐度|上一篇|下一篇|上一页|下一页|相关推荐|相关文章|相关阅读|相关范文|猜你喜欢"
    r"|热门推荐|推荐阅读|延伸阅读|热门文章|最新文章|QQ群|ＱＱ群|领取福利|免费领取|版权所有|版权声明"
    r"|转载请|本文来源|文章来源|浏览次数|阅读次数|阅读量|责任编辑|当前位置|您的位置"
    r"|(?:所在)?位置[:：]\s*(?:首页|主页|网站)|首页\s*[>»›/]|[>»›]\s*首页|返回顶部|返回首页"
    r"|返回列表|打印本页|关闭窗口|本帖最后由|ICP备|公网安备|Copyright|copyright|©|免责声明"
    r"|联系我们|关注公众号|关注微信|微信公众号[:：]|微信号[:：]|扫码关注|扫码下载|扫码领取|扫码添加"
    r"|扫码加|开通VIP|VIP会员|\.(?:docx?|pdf|txt|wps|pptx?)\s*[》」]?\s*$|Word文档|word文档|本文的"
    r"|https?://|www\.|[A-Za-z0-9][A-Za-z0-9-]*\.(?:com|cn|net|org|cc|top|vip|info|xyz|shop)\b"
)
# Page-chrome labels that a speech may use in other senses (资金来源：…): only on short lines.
_STRONG_SHORT_RE = re.compile(
    r"来源[:：]|作者[:：]|编辑[:：]|发布时间|发布日期|发表时间|更新时间|阅读[:：]\s*\d|点击[:：]\s*\d"
    r"|浏览[:：]\s*\d|字号[:：]|字体[:：]|分享到|时间[:：]\s*\d{4}"
)
# Vocabulary of site chrome; a short line with several of these words is boilerplate.
_WEAK_RE = re.compile(
    r"会员|收藏|分享|下载|订阅|资料|微信|公众号|扫码|扫一扫|举报|福利|权益|禁止|仅供|文档|打印|登录"
    r"|注册|倒卖|免费|赠送|群[:：]|来源|阅读|浏览|点赞|评论|回复|转发|关注|作者|编辑|网友|投稿"
    r"|范文|文库|首页|栏目|专题|标签|热门|推荐|精选|更多|查看|原文|链接|复制|客服|充值|VIP|积分"
    r"|金币|课件|Word|PDF|写作|平台|网站|本站|站长|admin|实时|手机版|电脑版|APP|App"
)
# The part of that vocabulary that only site chrome uses: one of these is enough on a short
# unpunctuated line that does not read like a speech title.
_CHROME_RE = re.compile(
    r"会员|收藏|下载|订阅|扫码|扫一扫|倒卖|赠送|积分|金币|充值|客服|VIP|登录|注册|范文|文库|本站"
    r"|网站|站长|admin|手机版|电脑版|APP|课件|网友|投稿|点赞|首页|栏目|标签|热门|Word|PDF|文档|打印"
)
# Words of a speech title: a short line with them needs more evidence to be boilerplate.
_TITLE_VOCAB_RE = re.compile(
    r"讲话|发言|致辞|报告|会议|大会|上的|动员|部署|座谈|总结|汇报|表态|党课|演讲|主持词"
)
_LIST_MARKER_RE = re.compile(
    r"^(?:相关推荐|相关文章|相关阅读|相关范文|猜你喜欢|热门推荐|推荐阅读|延伸阅读|热门文章|最新文章"
    r"|更多相关|你可能感兴趣|精彩推荐|相关资料)"
)
_BREADCRUMB_RE = re.compile(r"[>»›]")
_DOC_TITLE_RE = re.compile(r"^《[^》]{1,80}》$")
_COURTESY_RE = re.compile(r"谢谢|再见")
_TOC_RE = re.compile(r"^目\s*录[:：]?$")
# Dot leaders and page numbers; "讲话 12" reads "讲话12" once spaces next to Chinese are gone.
# A run is only tried from its first character (the lookbehinds): tried from each of them, a
# line of dots not followed by a page number costs its length squared.
_TOC_LEADER_RE = re.compile(
    r"(?:(?<!\.)\.{3,}|(?<!…)…+|(?<!·)·{3,}|(?<!-)-{3,})\s*\d*\s*$|(?<!\s)\s+\d{1,3}$"
    r"|(?<=[\u4e00-\u9fff》”）])\d{1,3}$"
)

DATE_RE = re.compile(
    r"\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?"
    r"|[〇零○一二三四五六七八九]{4}\s*年\s*[一二三四五六七八九十]{1,2}\s*月(?:\s*[一二三四五六七八九十]{1,3}\s*日)?"
    r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"
)
_ROLE_RE = re.compile(
    r"书记|县长|市长|区长|省长|州长|镇长|乡长|主任|部长|局长|厅长|处长|科长|主席|委员|董事长|总经理"
    r"|校长|院长|秘书长|常委|同志|理事长|会长|队长|所长|行长|司令"
)
SALUTATION_RE = re.compile(
    r"^((?:尊敬的)?[^。！？：:]{0,36}?(?:同志们|同事们|朋友们|同学们|老师们|女士们|先生们|来宾们?"
    r"|代表们|乡亲们|各位领导|各位代表|各位同仁|各位委员|各位嘉宾|各位来宾|各位同事|大家好))[：:！!，,]?$"
)
SALUTATION_PREFIX_RE = re.compile(
    r"^((?:尊敬的)?[^。！？：:，,]{0,24}?(?:同志们|同事们|朋友们|同学们|老师们|女士们|先生们|来宾们?"
    r"|代表们|乡亲们|各位领导|各位代表|各位同仁|各位委员|各位嘉宾|各位来宾|各位同事))[：:]"
)

_NAME_ONLY_RE = re.compile(r"^[\u4e00-\u9fff]{2,4}$|^[\u4e00-\u9fff]{1,2} [\u4e00-\u9fff]{1,2}$")

# Numbering styles that can open the body of a speech (a heading right after the title).
_BODY_STYLES = frozenset({"一、", "（一）", "第一，", "第一个问题，", "1."})


def has_sentence_punct(text: str) -> bool:
    return any(ch in _SENT_PUNCT for ch in text)


def is_titleish(text: str, max_len: int = 80) -> bool:
    """A short line without sentence punctuation at its end or a full stop inside."""
    if not text or len(text) > max_len or not has_cjk(text, 2):
        return False
    if text[-1] in "。！？；，、,;!?" or "。" in text:
        return False
    return True


def _is_short_unpunctuated(text: str, max_len: int = 40) -> bool:
    return len(text) <= max_len and not any(ch in "，。！？；,!?;" for ch in text)


def _raw_titleish(raw: str) -> bool:
    s = raw.strip()
    return 0 < len(s) <= 60 and not has_sentence_punct(s)


def classify_boilerplate(line: str) -> bool:
    """True when a (normalised) line is web boilerplate rather than speech text."""
    if not has_cjk(line):
        return True  # URLs, ids, lone numbers, separators
    numbered = parse_number_token(line) is not None
    if len(line) <= 200 and _STRONG_RE.search(line):
        return True
    if (
        len(line) <= 60
        and "。" not in line
        and line.count("，") <= 1
        and _STRONG_SHORT_RE.search(line)
    ):
        return True
    if numbered:
        return False
    if len(line) <= 60 and len(_BREADCRUMB_RE.findall(line)) >= 2:
        return True
    if len(line) <= 40:
        hits = len(_WEAK_RE.findall(line))
        if line.endswith("。"):
            return hits >= 4
        if hits >= 2:
            return True
        if (
            _CHROME_RE.search(line)
            and not _TITLE_VOCAB_RE.search(line)
            and _is_short_unpunctuated(line, 24)
        ):
            return True
    return False


# ------------------------------------------------------------------ results


@dataclass
class CleanSpeech:
    title: str = ""
    speaker: str | None = None
    date: str | None = None
    salutation: str | None = None
    body: list[str] = field(default_factory=list)


@dataclass
class CleanResult:
    speeches: list[CleanSpeech]
    removed: list[str]


@dataclass
class _Line:
    idx: int
    text: str | None  # None for a blank line


class _Removed:
    """Collects removed lines/fragments with their position, reported in document order."""

    def __init__(self) -> None:
        self._items: list[tuple[int, int, str]] = []
        self._seq = 0

    def add(self, idx: int, text: str) -> None:
        text = text.strip()
        if text:
            self._items.append((idx, self._seq, text))
            self._seq += 1

    def ordered(self) -> list[str]:
        return [t for _, _, t in sorted(self._items)]


# ------------------------------------------------------------------ steps


def _strip_fragments(idx: int, raw: str, removed: _Removed) -> str:
    # First, so that no Jinja delimiter reaches any output, the removed fragments included.
    raw = raw.translate(_BRACES)
    if "&" in raw:  # first: an escaped tag is markup the page showed, not speech text
        raw = _ENTITY_RE.sub(lambda m: _ENTITIES[m.group(0).lower()], raw)
    if "<" in raw:
        spans = _markup_blocks(raw)
        if spans:
            kept, pos = [], 0
            for start, end in spans:
                removed.add(idx, raw[start:end])
                kept.append(raw[pos:start])
                pos = end
            raw = "".join(kept) + raw[pos:]
        for m in _TAG_RE.finditer(raw):
            removed.add(idx, m.group(0))
        raw = _TAG_RE.sub("", raw)
    if "#" in raw or "[" in raw:
        for m in _PAYWALL_RE.finditer(raw):
            removed.add(idx, m.group(0))
        raw = _PAYWALL_RE.sub("", raw)
    if "页" in raw:
        for m in _PAGE_MARK_RE.finditer(raw):
            removed.add(idx, m.group(0))
        raw = _PAGE_MARK_RE.sub("", raw)
    if " " in raw or "\t" in raw:

        def drop_noise(m: re.Match[str]) -> str:
            if _is_noise_run(m.group(0)):
                removed.add(idx, m.group(0))
                return ""
            return m.group(0)

        raw = _NOISE_RE.sub(drop_noise, raw)
    return raw


def _salutation_follows(raw_lines: list[str], idx: int) -> bool:
    """Whether the next non-blank raw line opens a speech (同志们：…)."""
    for raw in raw_lines[idx + 1 : idx + 6]:
        stripped = raw.strip().replace(":", "：")
        if stripped:
            return bool(SALUTATION_RE.match(stripped) or SALUTATION_PREFIX_RE.match(stripped))
    return False


def _first_pass(text: str, removed: _Removed) -> list[_Line]:
    lines: list[_Line] = []
    prev_text: str | None = None
    in_list = False
    raw_lines = text.split("\n")
    for idx, raw in enumerate(raw_lines):
        raw = _strip_fragments(idx, raw, removed)
        line = normalize_line(raw, title=_raw_titleish(raw))
        if not line:
            lines.append(_Line(idx, None))
            continue
        if _LIST_MARKER_RE.match(line):
            removed.add(idx, line)
            in_list = True
            continue
        if classify_boilerplate(line):
            removed.add(idx, line)
            continue
        if in_list:
            if (
                _is_short_unpunctuated(line) or _DOC_TITLE_RE.match(line)
            ) and not _salutation_follows(raw_lines, idx):
                removed.add(idx, line)
                continue
            in_list = False  # a paragraph, or the title of the speech itself
        if line == prev_text:
            removed.add(idx, line)  # a repeated line (titles repeated 2–3 times)
            continue
        prev_text = line
        lines.append(_Line(idx, line))
    return lines


def _trim_tail(lines: list[_Line], removed: _Removed) -> list[_Line]:
    """Drop the trailing run of short unpunctuated lines (related-title lists)."""
    end = len(lines)
    cut = end
    for i in range(end - 1, -1, -1):
        text = lines[i].text
        if text is None:
            continue
        if _COURTESY_RE.search(text):
            break
        if _DOC_TITLE_RE.match(text) or (
            _is_short_unpunctuated(text) and parse_number_token(text) is None
        ):
            cut = i
            continue
        break
    if cut == end:
        return lines
    # Keep at least something when the whole document is short lines (then the
    # structure step reports "no speech text").
    for line in lines[cut:]:
        if line.text is not None:
            removed.add(line.idx, line.text)
    return lines[:cut]


def _norm_key(text: str) -> str:
    token = parse_number_token(text)
    if token is not None:
        text = token[2]
    text = _TOC_LEADER_RE.sub("", text)
    return re.sub(r"[\s\u3000，。、：:；;！!？?“”\"'‘’《》（）()·—-]", "", text)


def _split_toc(lines: list[_Line], removed: _Removed) -> list[tuple[list[_Line], _Line | None]]:
    """Find a table of contents; return speech segments (lines, forced title line or None)."""
    texts = [ln.text for ln in lines]
    toc_at = next(
        (i for i, t in enumerate(texts) if t is not None and _TOC_RE.match(t.replace(" ", ""))),
        None,
    )
    if toc_at is None:
        return _split_by_salutation(lines)
    entries: list[int] = []
    first_style: str | None = None
    i = toc_at + 1
    while i < len(lines):
        t = texts[i]
        if t is None:
            if entries and first_style is None:
                break  # unnumbered entries end at a blank line
            i += 1
            continue
        token = parse_number_token(t)
        if not is_titleish(_TOC_LEADER_RE.sub("", t), 80) or SALUTATION_RE.match(t):
            break
        if not entries:
            first_style = token[0] if token else None
        elif first_style is not None and (token is None or token[0] != first_style):
            break
        if entries and _norm_key(t) == _norm_key(texts[entries[0]] or ""):
            break  # the first entry reappears: the contents are over
        entries.append(i)
        i += 1
    if len(entries) < 2:
        return _split_by_salutation(lines)
    toc_end = entries[-1] + 1
    # find each entry again after the contents, in order
    where: dict[str, list[int]] = {}
    for j in range(toc_end, len(lines)):
        t = texts[j]
        if t is not None and len(t) <= 100:
            where.setdefault(_norm_key(t), []).append(j)
    starts: list[tuple[int, str]] = []
    pos = toc_end
    for e in entries:
        key = _norm_key(texts[e] or "")
        candidates = where.get(key, []) if key else []
        k = bisect.bisect_left(candidates, pos)
        if k < len(candidates):
            j = candidates[k]
            starts.append((j, texts[j] or ""))
            pos = j + 1
    # everything up to the end of the contents goes: compilation title, 目录, entries
    for ln in lines[:toc_end]:
        if ln.text is not None:
            removed.add(ln.idx, ln.text)
    if len(starts) < 2:
        return _split_by_salutation(lines[toc_end:])
    for ln in lines[toc_end : starts[0][0]]:
        if ln.text is not None:
            removed.add(ln.idx, ln.text)  # preface of the compilation
    segments: list[tuple[list[_Line], _Line | None]] = []
    for k, (j, title) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(lines)
        title_text = _TOC_LEADER_RE.sub("", title)
        token = parse_number_token(title_text)
        if token is not None and token[0] == "1.":
            title_text = token[2]
        segments.append((lines[j + 1 : end], _Line(lines[j].idx, title_text.strip())))
    return segments


def _split_by_salutation(lines: list[_Line]) -> list[tuple[list[_Line], _Line | None]]:
    """Split when several speeches follow each other: title line + salutation line."""
    texts = [ln.text for ln in lines]
    nonblank = [i for i, t in enumerate(texts) if t is not None]
    starts: list[int] = []
    for k, i in enumerate(nonblank):
        t = texts[i] or ""
        if k == 0 or not SALUTATION_RE.match(t):
            continue
        prev = texts[nonblank[k - 1]] or ""
        if is_titleish(prev) and _TITLE_VOCAB_RE.search(prev) and parse_number_token(prev) is None:
            starts.append(nonblank[k - 1])
    # the first speech keeps its own header; split only before later title+salutation pairs
    first_body = next((i for i in nonblank if _body_start_score(texts[i] or "")), None)
    starts = [s for s in starts if first_body is not None and s > first_body]
    if not starts:
        return [(lines, None)]
    bounds = [0, *starts, len(lines)]
    return [(lines[bounds[k] : bounds[k + 1]], None) for k in range(len(bounds) - 1)]


def _is_note(text: str) -> bool:
    """A line wholly in brackets: （2023年1月5日）, （根据录音整理）."""
    return text[:1] in "（(【[" and text[-1:] in "）)】]"


def _body_start_score(text: str) -> bool:
    if SALUTATION_RE.match(text) or SALUTATION_PREFIX_RE.match(text):
        return True
    if text.startswith("—") or _is_note(text):
        return False  # a subtitle (——在…上的讲话) or a note under the title
    token = parse_number_token(text)
    if token is not None and token[0] in _BODY_STYLES and token[2].strip():
        return True
    if len(text) >= 30 and any(ch in "，。；！？" for ch in text):
        return True
    return len(text) >= 8 and text[-1] in "。！？；"


def _is_date_line(text: str) -> bool:
    if len(text) > 40:
        return False
    m = DATE_RE.search(text)
    if not m:
        return False
    rest = DATE_RE.sub("", text)
    rest = re.sub(r"[\s（）()\[\]【】,，、\-—:：0-9]", "", rest)
    return len(rest) <= 2 or (bool(_ROLE_RE.search(rest)) and not _TITLE_VOCAB_RE.search(rest))


def _is_speaker_line(text: str) -> bool:
    if len(text) > 30 or any(ch in "。！？；" for ch in text):
        return False
    if _TITLE_VOCAB_RE.search(text) or text.startswith("在"):
        return False
    return bool(_ROLE_RE.search(text))


def _split_speaker_date(text: str) -> tuple[str | None, str | None]:
    m = DATE_RE.search(text)
    date = m.group(0).replace(" ", "") if m else None
    rest = text[: m.start()] + text[m.end() :] if m else text  # a second date stays in rest
    rest = re.sub(r"^[\s（(]+|[\s）)]+$", "", rest).strip(" ，,、")
    rest = rest.replace("（", "").replace("）", "").strip()
    return (rest or None), date


def _header(lines: list[_Line], forced: _Line | None, removed: _Removed) -> CleanSpeech | None:
    content = [ln for ln in lines if ln.text is not None]
    speech = CleanSpeech()
    forced_title = forced.text if forced is not None else None
    if forced_title is not None:
        speech.title = forced_title
    start = next((k for k, ln in enumerate(content) if _body_start_score(ln.text or "")), None)
    if start is None:
        for ln in ([forced] if forced is not None else []) + content:
            removed.add(ln.idx, ln.text or "")  # the title of a speech without a body too
        return None
    header, body = content[:start], content[start:]
    titles: list[_Line] = []
    for ln in header:
        t = ln.text or ""
        if _is_date_line(t) and speech.date is None:
            speaker, speech.date = _split_speaker_date(t)
            if speaker and _ROLE_RE.search(speaker) and speech.speaker is None:
                speech.speaker = speaker
            elif speaker:
                removed.add(ln.idx, speaker)  # a place (（2023年12月20日 北京）) or a second name
            continue
        if _is_speaker_line(t) and speech.speaker is None and (titles or forced_title):
            speech.speaker = t.strip("（）() ")
            continue
        if is_titleish(t) and parse_number_token(t) is None and not _is_note(t):
            titles.append(ln)
            continue
        removed.add(ln.idx, t)
    if titles and forced_title is None:
        preferred = [ln for ln in titles if _TITLE_VOCAB_RE.search(ln.text or "")]
        chosen = preferred[-1] if preferred else titles[-1]
        k = titles.index(chosen)
        title = chosen.text or ""
        keep = {k}
        if title.startswith("—") and k > 0:
            title = (titles[k - 1].text or "") + title
            keep.add(k - 1)
        elif k + 1 < len(titles) and (titles[k + 1].text or "").startswith("—"):
            title = title + (titles[k + 1].text or "")
            keep.add(k + 1)
        speech.title = title.strip()
        for n, ln in enumerate(titles):
            if n in keep:
                continue
            text = ln.text or ""
            if n > max(keep) and speech.speaker is None and _NAME_ONLY_RE.match(text):
                speech.speaker = text  # a bare name under the title
                continue
            removed.add(ln.idx, text)
    else:
        for ln in titles:
            removed.add(ln.idx, ln.text or "")
    first = body[0].text or ""
    m = SALUTATION_RE.match(first)
    if m:
        speech.salutation = first
        body = body[1:]
    else:
        m = SALUTATION_PREFIX_RE.match(first)
        if m:
            speech.salutation = first[: m.end()]
            rest = first[m.end() :].strip()
            body = ([_Line(body[0].idx, rest)] if rest else []) + body[1:]
    speech.body = [ln.text for ln in body if ln.text]
    return speech


def clean_text(text: str) -> CleanResult:
    """Clean a whole (simplified) document and split it into speeches."""
    removed = _Removed()
    lines = _first_pass(text, removed)
    lines = _trim_tail(lines, removed)
    speeches: list[CleanSpeech] = []
    for segment, forced in _split_toc(lines, removed):
        speech = _header(segment, forced, removed)
        if speech is None:
            continue
        if speech.body:
            speeches.append(speech)
        else:  # a title (and salutation) with nothing under it
            idx = next((ln.idx for ln in segment if ln.text), 0)
            for value in (speech.title, speech.speaker, speech.date, speech.salutation):
                if value:
                    removed.add(idx, value)
    return CleanResult(speeches=speeches, removed=removed.ordered())
