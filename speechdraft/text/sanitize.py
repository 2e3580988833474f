"""Characters that are not text: one definition for ingestion, the editor and the export.

Not text: C0 controls but tab and line breaks (PostgreSQL refuses NUL; the XML of a .docx
cannot carry them), C1 controls, lone surrogates and non-characters, the byte-order mark,
and the bidirectional embedding, override and isolate marks (U+202A–202E, U+2066–2069,
U+200E/U+200F): a Chinese speech never means them, and U+202E turns a file name such as
讲话稿\u202excod.exe around on screen. Line separators of every kind become "\n".
"""

from __future__ import annotations

import re

NOT_TEXT = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff\ufeff\ufffe\uffff]"
)
_LINE_BREAKS = str.maketrans(
    {"\r": "\n", "\u2028": "\n", "\u2029": "\n", "\x0b": "\n", "\x0c": "\n", "\x85": "\n"}
)


def plain_text(text: str | None) -> str:
    """`text` with one kind of line break ("\\n") and nothing that is not text."""
    if not text:
        return ""
    return NOT_TEXT.sub("", str(text).replace("\r\n", "\n").translate(_LINE_BREAKS))


def one_line(text: str | None) -> str:
    """plain_text for a field of one line (a title, a name): line breaks and tabs become
    spaces, runs of them one, both ends trimmed (a full-width space is the text's own)."""
    return _RUNS.sub(" ", plain_text(text)).strip()


_RUNS = re.compile(r"[ \t\n]+")
_BREAKS = re.compile("[\t\n\r\x0b\x0c\x85\u2028\u2029]")


def holds_not_text(text: str, *, single_line: bool = False) -> bool:
    """Whether `text` holds a character that is not text; with `single_line` (a name, a
    path) a tab or a line break counts too. For input refused rather than cleaned."""
    return bool(NOT_TEXT.search(text) or (single_line and _BREAKS.search(text)))
