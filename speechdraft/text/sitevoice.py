"""What a page says in its own voice, not the speaker's: found by sentence, not by line.

范文 sites and document shares wrap a speech in sentences of their own — 下面是小编为大家整理的
…，供大家参考。 / 本文由用户上传，如有侵权请联系删除。 / 预览结束，免费获取全文。 — and often glue
them to the salutation or to the speech's last sentence on one line. A line rule would keep or
lose the whole line; here each sentence is judged on its own and only the site's go.

Also here: collection labels in titles (篇一：…, …（精选文档）, 【优秀范文】), editors' notes in
brackets (（此处填写单位名称）, （一个伟人的名字加最高职务，你可以…替换）), pinyin readings after
a character (（qū）), and the marker that a writing guide's example begins (【例文】).

Every rule is a phrase the site uses about itself, its users or its files; words a speech may use
in its own sense (会员单位, 版权保护, 下载APP) are never enough alone.
"""

from __future__ import annotations

import re

# Phrases only a page says about itself (its editors, users, files, paywall).
SITE_VOICE_RE = re.compile(
    r"小编|本站|本网(?!络)|本平台|本文库|网友上传|用户上传|网友投稿|来源于网络|来自网络|源于网络"
    r"|网络收集|不代表本[站网]|如有侵权|侵权请|侵删|联系删除|请联系我们删除|予以删除|转载请|禁止转载"
    r"|不得转载|谢绝转载|二次传播|不允许.{0,4}传播|欢迎阅读|欢迎下载|为大家整理|为大家收集|为您整理"
    r"|预览结束|试读结束|免费获取全文|获取全文|(?:点击|继续|登录后?)(?:阅读|查看)全文|显示全文"
    r"|展开全文|余下全文|剩余\s*\d+\s*字|点击右下角|登录后(?:继续|查看|阅读|下载)|下载后(?:可)?编辑"
    r"|可编辑修改|可任意编辑|文档下载|下载文档|开通会员|成为会员|会员(?:可|免费|专享|下载|用户)"
    r"|定制代笔|用户资源|资源(?:仅供|均来自)|本文档|该文档|文档(?:格式|页数|大小)|[Ww][Oo][Rr][Dd]版"
    r"|直接下载|免费下载|全文共\s*\d+\s*字|仅显示\s*\d+\s*字|省略\s*\d+\s*字|正式会员|完整阅读"
    r"|收藏《|看完记得收藏"
)
# Phrases a speaker may also say (我讲的这些，供大家参考): the site's only together with a word
# about the page itself.
_WEAK_VOICE_RE = re.compile(
    r"供大家参考|供您参考|以供参考|仅供参考|仅供学习|仅供借鉴|欢迎借鉴|希望对(?:您|你|大家)有所?帮助"
)
_PAGE_WORDS_RE = re.compile(r"本文|文章|范文|文档|以上内容|资料|下载|整理|分享|收藏|例文")
# A label the page puts before its summary or note: 导语：… 编者按：…
NOTE_LABEL_RE = re.compile(
    r"^(?:导语|导读|摘要|内容摘要|内容简介|内容提要|简介|提示|温馨提示|小编按|小编提示|编者按"
    r"|编者注|阅读提示|文章导读)[：:]"
)
# Collection labels in titles: 篇1, 篇一：, 范文一：, （精选文档）, （范文）, 【优秀范文】, (3篇).
COLLECTION_LABEL_RE = re.compile(
    r"^(?:篇|范文|例文|文章|材料)[一二三四五六七八九十0-9]{1,3}\s*[：:、.．]?\s*"
    r"|[（(【\[]\s*(?:精选|优秀|最新|经典|热门|通用|推荐|完整|精品|实用)?\s*"
    r"(?:范文|文档|版|篇目|资料|汇编|合集|大全|稿)?\s*(?:[0-9一二三四五六七八九十]+\s*篇)?\s*"
    r"(?:范文|文档|版|合集|大全)?\s*[）)】\]]"
)
# What an editor's bracketed note says: an instruction to whoever copies the text.
_NOTE_WORDS_RE = re.compile(
    r"替换|可根据|根据实际|结合实际|自行|填写|填入|修改为|改为|此处|你可以|您可以|请根据|酌情|按需"
    r"|视情况|写明|具体名称"
)
_ROLE_BEFORE_RE = re.compile(r"(?:书记|主席|同志|领导|县长|市长|省长|部长|主任)$")
_BRACKETED_RE = re.compile(r"[（(]([^（()）]{2,60})[）)]")
# Pinyin after a character: 区（qū）, 氛(fēn). Tone marks make it certain.
_PINYIN_RE = re.compile(
    r"(?<=[\u4e00-\u9fff])[（(]\s*[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]*"
    r"(?:\s+[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+){0,3}\s*[）)]"
)
# The line where the speech of a writing guide begins.
EXAMPLE_MARK_RE = re.compile(
    r"^(?:【\s*(?:例文|范文|原文|正文|全文)\s*】|(?:例文|范文)(?:[一1]|如下)?[：:]|(?:附|以下为)(?:例文|范文)[：:]?)"
)

_SENTENCE_RE = re.compile(r"[^。！？!?]*(?:[。！？!?]+[”’」』）)]*|$)")


def sentences(line: str) -> list[str]:
    """``line`` cut after each 。！？ (closing quotes stay with their sentence); "" parts dropped."""
    return [s for s in _SENTENCE_RE.findall(line) if s]


def is_site_voice(text: str) -> bool:
    """Whether ``text`` (a sentence or a short line) is the page speaking of itself."""
    if SITE_VOICE_RE.search(text):
        return True
    return bool(_WEAK_VOICE_RE.search(text) and _PAGE_WORDS_RE.search(text))


def split_site_sentences(line: str) -> tuple[str, list[str]]:
    """(the line without the site's sentences, the sentences removed).

    A sentence that starts with a salutation (同志们：经…) keeps the salutation and what follows:
    only the part before it, in the site's voice, goes.
    """
    if not SITE_VOICE_RE.search(line) and not _WEAK_VOICE_RE.search(line):
        return line, []
    kept: list[str] = []
    removed: list[str] = []
    for sentence in sentences(line):
        if is_site_voice(sentence):
            removed.append(sentence)
        else:
            kept.append(sentence)
    return "".join(kept).strip(), removed


# A collection's next piece announced at the end of a line: …开好局、起好步！篇2
TRAILING_LABEL_RE = re.compile(r"(?<=[。！？!?”])\s*篇[0-9一二三四五六七八九十]{1,3}[：:]?$")


def strip_collection_labels(title: str) -> tuple[str, list[str]]:
    """(title without 篇一：/（精选文档）/【优秀范文】 labels, the labels removed)."""
    removed = [m.group(0) for m in COLLECTION_LABEL_RE.finditer(title)]
    if not removed:
        return title, []
    return COLLECTION_LABEL_RE.sub("", title).strip(), removed


def undouble(title: str) -> str:
    """党课讲稿党课讲稿：… → 党课讲稿：… (a page's label printed twice before the title)."""
    for size in range(min(12, len(title) // 2), 1, -1):
        if title[:size] == title[size : 2 * size]:
            return title[size:]
    return title


def editor_notes(line: str) -> tuple[str, list[str]]:
    """Bracketed instructions to the copier: a note inside a sentence becomes ×××, a blank the
    slot rules type from its context; a note at the end of a sentence or alone is dropped. Both
    are reported."""
    if "（" not in line and "(" not in line:
        return line, []
    removed: list[str] = []

    def replace(match: re.Match[str]) -> str:
        if not _NOTE_WORDS_RE.search(match.group(1)):
            return match.group(0)
        removed.append(match.group(0))
        before = line[match.start() - 1 : match.start()] if match.start() else ""
        after = line[match.end() : match.end() + 1]
        stops = "。！？；，、：“”"
        inside = bool(before) and before not in stops and bool(after) and after not in stops
        # after 总书记 / 同志 the text already says who: the note only asks for the exact wording
        named = _ROLE_BEFORE_RE.search(line[max(0, match.start() - 3) : match.start()]) is not None
        return "×××" if inside and not named else ""

    out = _BRACKETED_RE.sub(replace, line)
    return out, removed


def pinyin_notes(line: str) -> tuple[str, list[str]]:
    if "（" not in line and "(" not in line:
        return line, []
    found = _PINYIN_RE.findall(line)
    if not found:
        return line, []
    return _PINYIN_RE.sub("", line), found
