"""Shared helpers for the text-core tests."""

from __future__ import annotations

import re
from pathlib import Path

from speechdraft.text.convert import to_simplified
from speechdraft.text.decode import decode_bytes
from speechdraft.text.model import ParsedFile

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "corpus"

_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SLOT_RE = re.compile(r"\{\{ [^{}]+ \}\}")
_NUMERALS = set("零〇一二三四五六七八九十百千两")


def sample(prefix: str) -> tuple[str, bytes]:
    path = next(CORPUS.glob(f"{prefix}_*.txt"))
    return path.name, path.read_bytes()


def cjk(text: str) -> str:
    return "".join(_CJK_RE.findall(text))


def _section_texts(section: dict) -> list[str]:
    out = [section["number"] or "", section["heading"]]
    out.extend(section["paragraphs"])
    for child in section["children"]:
        out.extend(_section_texts(child))
    return out


def output_texts(parsed: ParsedFile) -> list[str]:
    out: list[str] = []
    for speech in parsed.to_json_dict()["speeches"]:
        for key in ("title", "speaker", "date", "salutation"):
            out.append(speech[key] or "")
        out.extend(speech["opening"])
        for section in speech["sections"]:
            out.extend(_section_texts(section))
        out.extend(speech["closing"])
    return out


def _strip_numerals(text: str) -> str:
    return "".join(ch for ch in text if ch not in _NUMERALS)


def expected_body_lines(data: bytes, filename: str, removed: list[str]) -> list[str]:
    """CJK characters of each source line, minus what the parser reported as removed."""
    text = to_simplified(decode_bytes(data, filename).text)
    removed_lines = {cjk(r) for r in removed}
    fragments = sorted({cjk(r) for r in removed if cjk(r)}, key=len, reverse=True)
    kept: list[str] = []
    for line in text.splitlines():
        chars = cjk(line)
        if not chars or chars in removed_lines:
            continue
        for frag in fragments:
            if frag in chars and frag != chars:
                chars = chars.replace(frag, "", 1)
        chars = _strip_numerals(chars)
        if chars:
            kept.append(chars)
    return kept


def missing_from_output(data: bytes, filename: str, parsed: ParsedFile) -> str:
    """'' when every kept source line appears, in order and unbroken, in the output text
    (modulo slots and numerals); otherwise the first line that does not."""
    produced = _strip_numerals(cjk(_SLOT_RE.sub("", "\n".join(output_texts(parsed)))))
    pos = 0
    for chars in expected_body_lines(data, filename, parsed.removed):
        found = produced.find(chars, pos)
        end = found + len(chars)
        if found < 0:
            # A blank for a place, body or meeting holds the suffix after its placeholder
            # (***市 → {{ 市名 }}): those characters may be in the blank instead.
            pattern = "".join(
                f"(?:{re.escape(c)})?" if c in _SUFFIX_CHARS else re.escape(c) for c in chars
            )
            match = re.compile(pattern).search(produced, pos)
            if match is None or not match.group(0):
                return chars
            found, end = match.start(), match.end()
        pos = end
    return ""


_SUFFIX_CHARS = set(
    "市州盟县区旗省自治街道镇乡社村经济技术开发高新园委员会办公室局厅司集团中心学校医院银行议大"
)
