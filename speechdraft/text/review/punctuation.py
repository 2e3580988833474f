"""标点与空格 and 括号引号不成对: half-width punctuation and stray spaces in Chinese text (with
full-width replacements), and quotes and brackets left without their other half."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .chars import CJK, CJK_CHAR, CJK_PUNCT
from .findings import Finding, finding
from .items import LINE, ReviewItem, Target, fields

_CTX = f"{CJK}{CJK_PUNCT}"
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
        for target, text in fields(item):
            if not text:
                continue
            for m in _HALF_PUNCT.finditer(text):
                ch = m.group(1)
                findings.append(
                    finding(
                        "punctuation",
                        item.id,
                        "warning",
                        f"中文中应使用全角{_NAMES[ch]}「{_FULL[ch]}」",
                        span=m.span(),
                        text=text,
                        replacement=_FULL[ch],
                        target=target,
                    )
                )
            findings.extend(_pair_findings(item, target, text))
            if target == "text":
                for m in _CJK_SPACE.finditer(text):
                    findings.append(
                        finding(
                            "punctuation",
                            item.id,
                            "info",
                            "汉字之间不应有空格",
                            span=m.span(),
                            text=text,
                            replacement="",
                            target=target,
                        )
                    )
    order = {item.id: i for i, item in enumerate(items)}
    findings.sort(key=lambda f: (order.get(f.item_id, len(items)), f.target, f.start or 0))
    return findings


def _pair_findings(item: ReviewItem, target: Target, text: str) -> list[Finding]:
    out: list[Finding] = []
    if "(" in text or ")" in text:
        stack: list[int] = []
        for i, ch in enumerate(text):
            if ch == "(":
                stack.append(i)
            elif ch == ")" and stack:
                j = stack.pop()
                if CJK_CHAR.search(text, j + 1, i):
                    for pos, full in ((j, "（"), (i, "）")):
                        out.append(_half_pair(item, target, text, pos, full, "括号", (j, i)))
    if '"' in text:
        quotes = [i for i, ch in enumerate(text) if ch == '"']
        for j, i in zip(quotes[::2], quotes[1::2], strict=False):
            if CJK_CHAR.search(text, j + 1, i):
                for pos, full in ((j, "“"), (i, "”")):
                    out.append(_half_pair(item, target, text, pos, full, "引号", (j, i)))
    return out


def _half_pair(
    item: ReviewItem,
    target: Target,
    text: str,
    pos: int,
    full: str,
    name: str,
    pair: tuple[int, int],
) -> Finding:
    return finding(
        "punctuation",
        item.id,
        "warning",
        f"中文中应使用全角{name}「{full}」",
        span=(pos, pos + 1),
        text=text,
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
        for target, text in fields(item):
            if not text:
                continue
            for line in LINE.finditer(text):
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
                        finding(
                            "unbalanced",
                            item.id,
                            "warning",
                            message,
                            span=(pos, pos + 1),
                            text=text,
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
