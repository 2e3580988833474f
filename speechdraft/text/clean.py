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

from . import sitevoice
from .convert import has_cjk, normalize_line
from .flatten import split_flattened
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
    r"|第\s*\d+\s*页\s*[,，/／]?\s*共\s*\d+\s*页"
)
# Forum anti-copy noise: ≥3 space-separated tokens of 1–3 printable ASCII characters.
_NOISE_RE = re.compile(r"(?<![A-Za-z0-9])(?:[!-~]{1,3}[ \t]+){2,}[!-~]{1,3}(?![A-Za-z0-9])")
_SYMBOLS = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
# Every ASCII brace becomes full-width, not only pairs: a lone "{" before a placeholder
# ("{*}") would otherwise open a Jinja block with the slot that replaces it ("{{{ 地区 }}}").
_BRACES = str.maketrans({"{": "｛", "}": "｝"})


def _token_classes(token: str) -> int:
    return (
        any(ch.isalpha() for ch in token)
        + any(ch.isdigit() for ch in token)
        + any(ch in _SYMBOLS for ch in token)
    )


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
    if len(symbols) >= 3 and any(ch.isalnum() for ch in run):
        return True
    # or many tokens, most of them mixing letters, digits and symbols (d0 L2 Z& v4 N3)
    mixed = sum(_token_classes(t) >= 2 for t in tokens)
    return len(tokens) >= 4 and mixed * 2 >= len(tokens)


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
_TOC_LEADER_CHARS = frozenset(".…·-")


def _strip_toc_leader(text: str) -> str:
    """``_TOC_LEADER_RE.sub("", text)``, with the regex run on the text's tail only.

    Every match is made of leader dots, spaces and digits at the end of the text, so it lies in
    the trailing run of those characters; the character before the run is kept for the
    look-behinds. (Run over whole paragraphs, the regex tried every position: milliseconds per
    document.)
    """
    i = len(text)
    while i and (
        text[i - 1] in _TOC_LEADER_CHARS or text[i - 1].isspace() or text[i - 1].isdecimal()
    ):
        i -= 1
    if i == len(text):
        return text
    start = max(0, i - 1)
    return text[:start] + _TOC_LEADER_RE.sub("", text[start:])


# Dates as speeches print them, masked digits included: 2023年3月5日, 二〇二三年元月五日, 20**年8月9日,
# 20XX年5月9日, 201x年, 2023-03-05.
_MASK = "[xX×*＊]"
DATE_RE = re.compile(
    rf"(?:\d{{4}}|\d{{2,3}}{_MASK}{{1,2}}|{_MASK}{{4}})\s*年\s*(?:\d{{1,2}}|{_MASK}{{1,2}}|元)\s*月"
    rf"(?:\s*(?:\d{{1,2}}|{_MASK}{{1,2}})\s*[日号])?"
    r"|[〇零○一二三四五六七八九]{4}\s*年\s*(?:[一二三四五六七八九十]{1,2}|元)\s*月"
    r"(?:\s*[一二三四五六七八九十]{1,3}\s*日)?"
    r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"
)
_ROLE_RE = re.compile(
    r"书记|县长|市长|区长|省长|州长|镇长|乡长|主任|部长|局长|厅长|处长|科长|主席|委员|董事长|总经理"
    r"|校长|院长|秘书长|常委|同志|理事长|会长|队长|所长|行长|司令|领导"
)
_ADDRESS = (
    r"(?:同志们|同事们|朋友们|同学们|老师们|女士们|先生们|来宾们?|代表们|乡亲们|同胞们|战友们|青年们"
    r"|家长们|委员们|企业家们|各位领导|各位代表|各位同仁|各位委员|各位嘉宾|各位来宾|各位同事|各位老师"
    r"|各位家长|各位专家|各位[\u4e00-\u9fff]{1,8}?(?:同志|领导|代表|委员|嘉宾|来宾|同仁|同事|老师|家长"
    r"|专家|朋友)"
)
SALUTATION_RE = re.compile(
    rf"^((?:尊敬的|亲爱的)?[^。！？：:]{{0,36}}?{_ADDRESS}|大家好))[：:！!，,]?$"
)
SALUTATION_PREFIX_RE = re.compile(rf"^((?:尊敬的|亲爱的)?[^。！？：:，,]{{0,24}}?{_ADDRESS}))[：:]")

_NAME_ONLY_RE = re.compile(
    r"^[\u4e00-\u9fff]{2,4}$|^[\u4e00-\u9fff]{1,2} [\u4e00-\u9fff]{1,2}$"
    r"|^(?:[\u4e00-\u9fff] ){2,3}[\u4e00-\u9fff]$"  # 郑 建 新: a byline spaced out
)
# Lines about the page, not the speech: 栏目：… 人气：2.37W, 颗粒名称：…, 字数：…
_META_LABEL_RE = re.compile(
    r"^(?:栏目|分类|类别|类型|人气|热度|字数|页数|大小|格式|标签|关键词|关键字|[\u4e00-\u9fff]{0,4}名称"
    r"|上传者|上传人|贡献者|上传时间|所属|适用|用途|价格|售价|下载次数|浏览量|等级|评分|星级|来源)[：:]"
)
_LABELS_RE = re.compile(r"[\u4e00-\u9fff]{2,4}[：:][^：:]{1,30}[\u4e00-\u9fff]{2,4}[：:]")
_SPEAKER_LABEL_RE = re.compile(r"^(?:主讲人?|讲话人|发言人|报告人|演讲人|作者)[：:]\s*")
# Site names printed as watermarks between paragraphs: 公文汇, 办公文档之家, XX范文网.
_WATERMARK_RE = re.compile(
    r"^[\u4e00-\u9fffA-Za-z0-9]{0,10}(?:网|之家|文库|素材库|资料库|文秘|公文汇|材料汇|范文|大全|写作)$"
)
# The shape of a speech's title: 在…上的讲话, …讲话 / 发言 / 致辞 / 闭幕词, 党课讲稿：…
MEETING_TITLE_RE = re.compile(
    r"在.{2,80}?(?:上|中|前|时|之际|期间|仪式)的(?:[\u4e00-\u9fff]{0,4})(?:讲话|发言|致辞|报告|主持词|讲评|讲稿)"
)
TITLE_SHAPE_RE = re.compile(
    MEETING_TITLE_RE.pattern
    + r"|(?:讲话|讲话稿|发言|发言稿|致辞|闭幕词|开幕词|主持词|讲稿|党课|报告|演讲稿?)(?:[（(][^（）()]{0,20}[)）])?$"
    r"|^党课讲稿[：:]"
)
_MASKED_NAME_RE = re.compile(r"\s?[*＊×X]{1,3}$")  # 区领导 **: a byline with the name masked
_DASH_RE = re.compile(r"^[—─―－~～-]{1,4}\s*")

# Numbering styles that can open the body of a speech (a heading right after the title).
_BODY_STYLES = frozenset({"一、", "（一）", "第一，", "第一个问题，", "1."})


def has_sentence_punct(text: str) -> bool:
    return any(ch in _SENT_PUNCT for ch in text)


def is_titleish(text: str, max_len: int = 80) -> bool:
    """A short line without sentence punctuation at its end or a full stop inside."""
    if not text or len(text) > max_len or not has_cjk(text, 2):
        return False
    return text[-1] not in "。！？；，、,;!?" and "。" not in text


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
    if (
        len(line) <= 60
        and "。" not in line
        and not _SPEAKER_LABEL_RE.match(line)
        and (_META_LABEL_RE.match(line) or _LABELS_RE.search(line))
    ):
        return True
    if numbered:
        return False
    if len(line) <= 14 and _WATERMARK_RE.match(line) and not _TITLE_VOCAB_RE.search(line):
        return True
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
        text = text.translate(_BRACES).strip()
        if text:
            self._items.append((idx, self._seq, text))
            self._seq += 1

    def ordered(self) -> list[str]:
        return [t for _, _, t in sorted(self._items)]


# ------------------------------------------------------------------ steps


def _strip_fragments(idx: int, raw: str, removed: _Removed) -> str:
    # Braces become full-width at the end (the removed fragments are translated as they are
    # reported), so that no Jinja delimiter reaches any output, and a ``}`` of forum noise is
    # still seen as noise.
    if "&" in raw:  # first: an escaped tag is markup the page showed, not speech text
        raw = _ENTITY_RE.sub(lambda m: _ENTITIES[m.group(0).lower()], raw)
    if "<" in raw:
        raw = _strip_markup(idx, raw, removed)
    if "#" in raw or "[" in raw:
        raw = _drop_matches(_PAYWALL_RE, idx, raw, removed)
    if "页" in raw:
        raw = _drop_matches(_PAGE_MARK_RE, idx, raw, removed)
    if " " in raw or "\t" in raw:
        raw = _strip_noise_runs(idx, raw, removed)
    if "（" in raw or "(" in raw:
        raw, notes = sitevoice.pinyin_notes(raw)
        for note in notes:
            removed.add(idx, note)
    return raw.translate(_BRACES)


def _drop_matches(pattern: re.Pattern[str], idx: int, raw: str, removed: _Removed) -> str:
    """``raw`` without the matches of ``pattern``, each reported as removed."""
    for m in pattern.finditer(raw):
        removed.add(idx, m.group(0))
    return pattern.sub("", raw)


def _strip_markup(idx: int, raw: str, removed: _Removed) -> str:
    """``raw`` without its script and style blocks and comments, then without any other tag."""
    spans = _markup_blocks(raw)
    if spans:
        kept, pos = [], 0
        for start, end in spans:
            removed.add(idx, raw[start:end])
            kept.append(raw[pos:start])
            pos = end
        raw = "".join(kept) + raw[pos:]
    return _drop_matches(_TAG_RE, idx, raw, removed)


def _strip_noise_runs(idx: int, raw: str, removed: _Removed) -> str:
    """``raw`` without the runs of forum noise that spaces set apart."""

    def drop_noise(m: re.Match[str]) -> str:
        run = m.group(0)
        if not _is_noise_run(run):
            return run
        keep = ""
        if run[0] in ")]" and _opens_bracket(raw[: m.start()], run[0]):
            keep, run = run[0], run[1:]  # the text's own bracket, closed before the noise
        removed.add(idx, run)
        return keep

    return _NOISE_RE.sub(drop_noise, raw)


def _opens_bracket(before: str, closing: str) -> bool:
    """Whether ``before`` leaves a bracket open that ``closing`` closes."""
    opening = "(（" if closing == ")" else "[【"
    closes = ")）" if closing == ")" else "]】"
    depth = 0
    for ch in before[-200:]:
        if ch in opening:
            depth += 1
        elif ch in closes:
            depth = max(0, depth - 1)
    return depth > 0


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
        if lines and lines[-1].text is None and not raw.strip():
            continue  # a run of blank lines is one paragraph break, however long
        raw = _strip_fragments(idx, raw, removed)
        line = normalize_line(raw, title=_raw_titleish(raw))
        if not line:
            lines.append(_Line(idx, None))
            continue
        pieces = [
            normalize_line(part, title=_raw_titleish(part)) for part in _spaced_paragraphs(raw)
        ] or [line]
        for piece in (p for part in pieces for p in split_flattened(part)):
            piece = _site_sentences(idx, piece, removed)
            if not piece:
                continue
            in_list, prev_text = _classify_line(
                lines, idx, piece, raw_lines, removed, in_list, prev_text
            )
    return lines


_GAP_RE = re.compile(r"(?:[ \t]{2,}|\u3000+)(?=\S)")


def _spaced_paragraphs(raw: str) -> list[str]:
    """A long line whose paragraphs are only set apart by runs of spaces (a page copied out of
    a PDF or a table): the paragraphs again. [] when the line is not such a line."""
    text = raw.strip()
    if len(text) < 120:
        return []
    parts = [p for p in _GAP_RE.split(text) if p.strip()]
    return parts if len(parts) >= 3 else []


def _site_sentences(idx: int, line: str, removed: _Removed) -> str:
    """The line without the page's own sentences and editors' notes (both reported)."""
    if len(line) <= 80 and "。" not in line:
        line, labels = sitevoice.strip_collection_labels(line)  # …讲话（精选文档）
        for label in labels:
            removed.add(idx, label)
    if sitevoice.NOTE_LABEL_RE.match(line) and len(line) <= 300:
        removed.add(idx, line)  # 导语：… 编者按：… the page's summary, not the speech
        return ""
    trailing = sitevoice.TRAILING_LABEL_RE.search(line)
    if trailing:
        removed.add(idx, trailing.group(0))
        line = line[: trailing.start()]
    line, gone = sitevoice.split_site_sentences(line)
    for sentence in gone:
        removed.add(idx, sentence)
    line, notes = sitevoice.editor_notes(line)
    for note in notes:
        removed.add(idx, note)
    return line.strip()


def _classify_line(
    lines: list[_Line],
    idx: int,
    line: str,
    raw_lines: list[str],
    removed: _Removed,
    in_list: bool,
    prev_text: str | None,
) -> tuple[bool, str | None]:
    """Keep ``line`` (appended to ``lines``) or report it removed; the new list state."""
    if _LIST_MARKER_RE.match(line):
        removed.add(idx, line)
        return True, prev_text
    if classify_boilerplate(line):
        removed.add(idx, line)
        return in_list, prev_text
    if in_list:
        if (_is_short_unpunctuated(line) or _DOC_TITLE_RE.match(line)) and not _salutation_follows(
            raw_lines, idx
        ):
            removed.add(idx, line)
            return in_list, prev_text
        in_list = False  # a paragraph, or the title of the speech itself
    if line == prev_text:
        removed.add(idx, line)  # a repeated line (titles repeated 2–3 times)
        return in_list, prev_text
    lines.append(_Line(idx, line))
    return in_list, line


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
    text = _strip_toc_leader(text)
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
    entries = _toc_entries(texts, toc_at)
    if len(entries) < 2:
        return _split_by_salutation(lines)
    toc_end = entries[-1] + 1
    starts = _toc_entry_starts(texts, entries, toc_end)
    # everything up to the end of the contents goes: compilation title, 目录, entries
    _report_lines(lines[:toc_end], removed)
    if len(starts) < 2:
        return _split_by_salutation(lines[toc_end:])
    _report_lines(lines[toc_end : starts[0][0]], removed)  # preface of the compilation
    return _toc_segments(lines, starts)


def _report_lines(lines: list[_Line], removed: _Removed) -> None:
    """Report every non-blank line of ``lines`` removed."""
    for ln in lines:
        if ln.text is not None:
            removed.add(ln.idx, ln.text)


def _toc_entries(texts: list[str | None], toc_at: int) -> list[int]:
    """Indexes of the entries of the table of contents whose heading (目录) is at ``toc_at``."""
    entries: list[int] = []
    first_style: str | None = None
    i = toc_at + 1
    while i < len(texts):
        t = texts[i]
        if t is None:
            if entries and first_style is None:
                break  # unnumbered entries end at a blank line
            i += 1
            continue
        token = parse_number_token(t)
        if not is_titleish(_strip_toc_leader(t), 80) or SALUTATION_RE.match(t):
            break
        if not entries:
            first_style = token[0] if token else None
        elif first_style is not None and (token is None or token[0] != first_style):
            break
        if entries and _norm_key(t) == _norm_key(texts[entries[0]] or ""):
            break  # the first entry reappears: the contents are over
        entries.append(i)
        i += 1
    return entries


def _toc_entry_starts(
    texts: list[str | None], entries: list[int], toc_end: int
) -> list[tuple[int, str]]:
    """Each entry found again after the contents, in order: (index, text) of its title line."""
    where: dict[str, list[int]] = {}
    for j in range(toc_end, len(texts)):
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
    return starts


def _toc_segments(
    lines: list[_Line], starts: list[tuple[int, str]]
) -> list[tuple[list[_Line], _Line | None]]:
    """One segment per speech found from the contents, titled by its entry's line."""
    segments: list[tuple[list[_Line], _Line | None]] = []
    for k, (j, title) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(lines)
        title_text = _strip_toc_leader(title)
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
    # the first speech keeps its own header; split only before later title+salutation pairs,
    # and not where the page prints the first speech's title again (its page 2, a repeat)
    first_body = next((i for i in nonblank if _body_start_score(texts[i] or "")), None)
    header_keys = {
        _norm_key(texts[i] or "") for i in nonblank if first_body is not None and i < first_body
    }
    starts = [
        s
        for s in starts
        if first_body is not None
        and s > first_body
        and _norm_key(texts[s] or "") not in header_keys
    ]
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


def _is_title_candidate(text: str) -> bool:
    if not is_titleish(text) or parse_number_token(text) is not None or _is_note(text):
        return False
    return not text.endswith(("：", ":"))  # a salutation or a label, never a title


def _title_class(text: str) -> int:
    """How much a header line reads like the speech's title: 2 = 在…上的讲话 shape, 1 = words of
    a title, 0 = neither (a page headline, a slogan)."""
    bare = sitevoice.strip_collection_labels(text)[0]
    if TITLE_SHAPE_RE.search(bare):
        return 2
    return 1 if _TITLE_VOCAB_RE.search(bare) else 0


def _join_broken_titles(titles: list[_Line]) -> list[_Line]:
    """在全市第十五届人民代表大会 / 第六次会议上的讲话 → one title: two title lines in a row that
    only together have the shape of a title."""
    out: list[_Line] = []
    for ln in titles:
        text = ln.text or ""
        if out:
            prev = out[-1].text or ""
            joined = prev + text
            if (
                not _DASH_RE.match(text)
                and not text.startswith("在")
                and not MEETING_TITLE_RE.search(prev)
                and not MEETING_TITLE_RE.search(text)
                and MEETING_TITLE_RE.search(joined)
                and len(joined) <= 80
            ):
                out[-1] = _Line(out[-1].idx, joined)
                continue
        out.append(ln)
    return out


_BRACKET_GROUP_RE = re.compile(r"[（(][^（）()]{0,60}[)）]")


def _subtitle_date(text: str, speech: CleanSpeech, idx: int, removed: _Removed) -> str:
    """——2021年2月27日在…大会上的讲话 / ——在…上的讲话（2023年1月5日，根据录音整理）: the date is the
    speech's date and leaves the title; a bracketed note around it goes with it (reported)."""
    date = DATE_RE.search(text)
    if date is None:
        return text
    if speech.date is None:
        speech.date = date.group(0).replace(" ", "")
    for group in _BRACKET_GROUP_RE.finditer(text):
        if group.start() <= date.start() and date.end() <= group.end():
            rest = text[group.start() + 1 : date.start()] + text[date.end() : group.end() - 1]
            rest = rest.strip(" ，,、")
            if rest:
                removed.add(idx, rest)
            return (text[: group.start()] + text[group.end() :]).strip()
    return (text[: date.start()] + text[date.end() :]).replace("—— ", "——").strip()


def _clean_title(title: str, idx: int, removed: _Removed) -> str:
    """The title without collection labels (篇一：, （精选文档）) and a doubled label."""
    bare, labels = sitevoice.strip_collection_labels(title)
    for label in labels:
        removed.add(idx, label)
    undoubled = sitevoice.undouble(bare)
    if undoubled != bare:
        removed.add(idx, bare[: len(bare) - len(undoubled)])
    return undoubled.strip() or title


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
    titles = _join_broken_titles(_read_header_lines(header, speech, forced_title, removed))
    if titles and forced_title is None:
        _choose_title(titles, speech, removed)
    else:
        _report_lines(titles, removed)
    if speech.title:
        speech.title = _clean_title(speech.title, header[0].idx if header else 0, removed)
    body = _take_salutation(body, speech)
    speech.body = [ln.text for ln in body if ln.text]
    return speech


def _read_header_lines(
    header: list[_Line], speech: CleanSpeech, forced_title: str | None, removed: _Removed
) -> list[_Line]:
    """Take the date and the speaker from the lines above the body; the title candidates.

    Any other line of the header is reported removed."""
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
        label = _SPEAKER_LABEL_RE.match(t)
        if label and speech.speaker is None and len(t) <= 30:
            speech.speaker = t[label.end() :].strip() or None  # 主讲人：张三
            continue
        if (
            _is_speaker_line(t)
            and speech.speaker is None
            and (titles or forced_title or _MASKED_NAME_RE.search(t))
        ):
            speech.speaker = t.strip("（）() ")
            continue
        if _is_title_candidate(t):
            titles.append(ln)
            continue
        removed.add(ln.idx, t)
    return titles


def _choose_title(titles: list[_Line], speech: CleanSpeech, removed: _Removed) -> None:
    """The title from the candidates (with its ——subtitle), a bare name next to it the speaker;
    the other candidates are reported removed."""
    chosen = max(range(len(titles)), key=lambda n: (_title_class(titles[n].text or ""), n))
    keep = {chosen}
    title = titles[chosen].text or ""
    if _DASH_RE.match(title) and chosen > 0 and not _DASH_RE.match(titles[chosen - 1].text or ""):
        keep.add(chosen - 1)
    elif chosen + 1 < len(titles) and _DASH_RE.match(titles[chosen + 1].text or ""):
        keep.add(chosen + 1)
    parts = []
    for n in sorted(keep):
        text = titles[n].text or ""
        if _DASH_RE.match(text):
            text = _DASH_RE.sub("——", text, count=1)
            text = _subtitle_date(text, speech, titles[n].idx, removed)
        parts.append(text)
    speech.title = "".join(parts).strip()
    for n, ln in enumerate(titles):
        if n in keep:
            continue
        text = ln.text or ""
        byline = n == max(keep) + 1 or (n == min(keep) - 1 and " " in text)
        if byline and speech.speaker is None and _NAME_ONLY_RE.match(text):
            speech.speaker = text.replace(" ", "")  # a bare name under (or over) the title
            continue
        removed.add(ln.idx, text)


def _take_salutation(body: list[_Line], speech: CleanSpeech) -> list[_Line]:
    """Set the salutation from the body's first line(s); the body without it."""
    first = body[0].text or ""
    m = SALUTATION_RE.match(first)
    if m:
        speech.salutation = first
        body = body[1:]
        # 尊敬的各位企业家朋友， / 各位领导、同志们：  one salutation over two lines
        if body and not first.endswith(("：", ":")) and SALUTATION_RE.match(body[0].text or ""):
            speech.salutation = first + (body[0].text or "")
            body = body[1:]
    else:
        m = SALUTATION_PREFIX_RE.match(first)
        if m:
            speech.salutation = first[: m.end()]
            rest = first[m.end() :].strip()
            body = ([_Line(body[0].idx, rest)] if rest else []) + body[1:]
    return body


def _drop(lines: list[_Line], keep, removed: _Removed) -> list[_Line]:
    out = []
    for ln in lines:
        if ln.text is not None and not keep(ln):
            removed.add(ln.idx, ln.text)
        else:
            out.append(ln)
    return out


def _example_starts(lines: list[_Line], removed: _Removed) -> list[_Line]:
    """A writing guide with an example (【例文】): the speech is the example, not the advice."""
    for k, ln in enumerate(lines):
        if ln.text is not None and (mark := sitevoice.EXAMPLE_MARK_RE.match(ln.text)):
            rest = ln.text[mark.end() :].strip()
            after = [x for x in lines[k + 1 :] if x.text]
            if len(after) < 2:
                return lines
            for before in lines[:k]:
                if before.text is not None:
                    removed.add(before.idx, before.text)
            removed.add(ln.idx, ln.text[: len(ln.text) - len(rest)])
            return ([_Line(ln.idx, rest)] if rest else []) + lines[k + 1 :]
    return lines


def _drop_watermarks(lines: list[_Line], removed: _Removed) -> list[_Line]:
    """A short line printed again and again between paragraphs is the site's mark."""
    counts: dict[str, int] = {}
    for ln in lines:
        t = ln.text
        if t is not None and len(t) <= 20 and not has_sentence_punct(t):
            counts[t] = counts.get(t, 0) + 1
    marks = {t for t, n in counts.items() if n >= 3 and parse_number_token(t) is None}
    if not marks:
        return lines
    return _drop(lines, lambda ln: ln.text not in marks, removed)


_OUTLINE_LABEL_RE = re.compile(r"(?:目\s*录|提\s*纲|内容提要|主要内容|讲话提纲)[:：]?")


def _outline_item(text: str) -> tuple[str, int, str] | None:
    """(style, number, key) of a line that is only a numbered heading (an outline's entry)."""
    token = parse_number_token(text)
    if token is None:
        return None
    bare = _strip_toc_leader(token[2]).rstrip("；;。，,")
    if not bare or len(bare) > 40 or "。" in bare:
        return None
    return token[0], token[1], _norm_key(bare)


def _numbered_lines(
    lines: list[_Line], content: list[int]
) -> dict[tuple[str, int], list[tuple[int, str]]]:
    """The numbered lines by (style, number): their indexes and keys, in order."""
    later: dict[tuple[str, int], list[tuple[int, str]]] = {}
    for k in content:
        token = parse_number_token(lines[k].text or "")
        if token is not None:
            later.setdefault((token[0], token[1]), []).append((k, _norm_key(token[2])))
    return later


def _outline_run_gone(
    lines: list[_Line],
    content: list[int],
    later: dict[tuple[str, int], list[tuple[int, str]]],
    run: list[tuple[int, tuple[str, int, str]]],
) -> set[int]:
    """The indexes to drop for a run of consecutive outline entries: all of them (and the
    label above them) when their headings come again later, else none."""
    if len(run) < 2:
        return set()
    titles = sum(1 for k, _ in run if TITLE_SHAPE_RE.search(lines[k].text or ""))
    if titles * 2 > len(run):
        return set()  # the contents of a compilation: its speeches' titles (see _split_toc)
    last = run[-1][0]
    found = 0
    for _, (style, n, key) in run:
        seen = later.get((style, n), [])
        first = bisect.bisect_right(seen, (last, "\uffff"))
        # its next few occurrences only: bounded work however often a number recurs
        if any(other.startswith(key) for _, other in seen[first : first + 3]):
            found += 1
    if not (found == len(run) or (len(run) >= 4 and found >= len(run) - 1)):
        return set()
    gone = {k for k, _ in run}
    before = [k for k in content if k < run[0][0]]
    if before and _OUTLINE_LABEL_RE.fullmatch(lines[before[-1]].text or ""):
        gone.add(before[-1])
    return gone


def _drop_outline(lines: list[_Line], removed: _Removed) -> list[_Line]:
    """A 目录/提纲 of the speech's own headings printed before them (above the speech, or after
    下边主要讲三个问题：) is navigation: each entry comes again later as a numbered heading with
    text under it. The entries go; the headings stay where the text is."""
    content = [k for k, ln in enumerate(lines) if ln.text is not None]
    later = _numbered_lines(lines, content)
    gone: set[int] = set()
    run: list[tuple[int, tuple[str, int, str]]] = []
    for k in content:
        item = _outline_item(lines[k].text or "")
        if item is not None and (
            not run or (run[-1][1][0] == item[0] and item[1] == run[-1][1][1] + 1)
        ):
            run.append((k, item))
            continue
        gone |= _outline_run_gone(lines, content, later, run)
        run = [(k, item)] if item is not None and item[1] == 1 else []
    gone |= _outline_run_gone(lines, content, later, run)
    if not gone:
        return lines
    keep = [k not in gone for k in range(len(lines))]
    out = []
    for k, ln in enumerate(lines):
        if keep[k]:
            out.append(ln)
        elif ln.text is not None:
            removed.add(ln.idx, ln.text)
    return out


def _drop_repeated_titles(speech: CleanSpeech, idx_of: dict[str, int], removed: _Removed) -> None:
    """The title printed again inside the body (page 2 of a scrape) is not speech text."""
    if not speech.title:
        return
    key = _norm_key(_DASH_RE.split(speech.title)[0]) if speech.title else ""
    whole = _norm_key(speech.title)
    body: list[str] = []
    seen: set[str] = set()
    replay = -1  # after the title printed again: how far its beginning is printed again too
    for text in speech.body:
        k = _norm_key(text)
        if k and k in (whole, key) and len(text) <= 100:
            removed.add(idx_of.get(text, 0), text)
            replay = 0
            continue
        if replay == 0 and SALUTATION_RE.match(text) and text == speech.salutation:
            removed.add(idx_of.get(text, 0), text)  # and its salutation printed again
            continue
        if replay >= 0 and replay < len(body) and body[replay] == text:
            removed.add(idx_of.get(text, 0), text)
            replay += 1
            continue
        replay = -1
        if len(text) >= 20 and text in seen:
            removed.add(idx_of.get(text, 0), text)  # a paragraph the page printed twice
            continue
        seen.add(text)
        body.append(text)
    speech.body = body


def clean_text(text: str) -> CleanResult:
    """Clean a whole (simplified) document and split it into speeches."""
    removed = _Removed()
    lines = _first_pass(text, removed)
    lines = _example_starts(lines, removed)
    lines = _drop_watermarks(lines, removed)
    lines = _drop_outline(lines, removed)
    lines = _trim_tail(lines, removed)
    speeches: list[CleanSpeech] = []
    idx_of = {ln.text: ln.idx for ln in lines if ln.text is not None}
    for segment, forced in _split_toc(lines, removed):
        speech = _header(segment, forced, removed)
        if speech is None:
            continue
        _drop_repeated_titles(speech, idx_of, removed)
        if speech.body:
            speeches.append(speech)
        else:  # a title (and salutation) with nothing under it
            idx = next((ln.idx for ln in segment if ln.text), 0)
            for value in (speech.title, speech.speaker, speech.date, speech.salutation):
                if value:
                    removed.add(idx, value)
    speeches = _merge_headline(speeches, idx_of, removed)
    return CleanResult(speeches=speeches, removed=removed.ordered())


def _merge_headline(
    speeches: list[CleanSpeech], idx_of: dict[str, int], removed: _Removed
) -> list[CleanSpeech]:
    """A page's headline and lead above the speech are not a speech of their own: a first part
    without a salutation and with a few short lines, before speeches that have one."""
    if len(speeches) < 2 or speeches[0].salutation or not all(s.salutation for s in speeches[1:]):
        return speeches
    first = speeches[0]
    if len(first.body) > 2 or sum(len(t) for t in first.body) > 200:
        return speeches
    for value in (first.title, first.speaker, first.date, *first.body):
        if value:
            removed.add(idx_of.get(value, 0), value)
    return speeches[1:]
