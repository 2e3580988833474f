"""Ingestion quality: the parser against an annotated set of hand-written pages.

Run: .venv/bin/python bench/ingest_quality.py [DIR] [EXPECTED.json] [--json] [--min SCORE]
     [--no-write]

DIR defaults to bench/quality/docs, EXPECTED.json to bench/quality/expected.json. Every file of
the annotation is parsed with ``speechdraft.text.pipeline.parse_bytes`` and scored by checks
(below); per document the failing checks are printed, then the share of checks passed, the
documents fully right, and the failures by check kind and by class. ``--json`` prints the same
as JSON. The exit status is 0 unless ``--min SCORE`` (percent of checks passed) is given and not
reached, then 1. The summary is written to bench/RESULTS.md (section "Ingest quality") unless
``--no-write``.

Annotation format (expected.json)
---------------------------------
The truth as a careful human reads the page, not what any parser version outputs::

    {"version": 1,
     "docs": {
       "NN_short_name.txt": {
         "classes": ["A", "B"],        # A–I: the failure classes of issue #14; J: the second
                                       # sample (outlines, year headings, watermarks, site
                                       # notices, bylines); "numbering", "encoding", "control",
                                       # "negative"
         "note": "what the page reproduces",          # not scored
         "encoding": "gb18030",        # optional: the codec the file is written in (default
                                       # utf-8); scored: the parser's encoding is of that family
         "script": "traditional",      # optional; scored against ParsedFile.script
         "speeches": [{
           "title": "…",               # main title, with a subtitle (——在…上的讲话) appended
                                       # as written when there is one
           "salutation": "同志们：" | null,
           "date": "2023年3月5日" | null,   # as written, without brackets
           "speaker": "市委书记 王建国" | null,
           "parts": [{"number": "一、" | "第一，" | … | null,   # as printed; null: unnumbered
                      "heading": "…", "role": "situation" | "tasks" | "style" | "other",
                      "children": 3}],  # optional: number of level-2 sections
           "closing_starts": "同志们，…" | null,   # first characters of the closing
           "incomplete": false}],
         "must_be_absent": ["…"],      # junk: must occur in no speech (``removed`` is fine)
         "must_keep": ["…"],           # speech sentences that must be in some speech
         "placeholders": ["xx镇"],     # optional: placeholder runs, as printed, that must not
                                       # survive literally (they become slots)
         "once": ["…"]}}}              # optional: text that must occur exactly once in the
                                       # speeches (a repeated title, an outline's headings)

Annotated strings are in simplified script (the parser's output script), also for Big5 pages.

Checks and how strings are compared
-----------------------------------
Text is compared *normalised*: NFKC (full-width punctuation, letters and digits become their
ASCII forms), all whitespace removed, runs of dashes (—, ─, ―, ━) read as one ——, and
*placeholder-blind*: a slot of the output (``{{ 县区名 }}``) and a placeholder run of the
annotation (``x``/``xx``/``×××``/``X``/``***``/``○○``/``--``) both read as one blank, digits
right before a blank (20XX年) and place/body/meeting suffix characters right after one
(×××局, ***市委, ××××大会) are dropped on both sides, because a slot takes them in. The count
slot ``{{ 部分数 }}`` reads as the count the speech announced.

* ``speeches``: number of speeches. Speeches are paired with the output in order.
* ``title``, ``speaker``, ``date``: exact after normalisation (date and speaker without
  surrounding brackets); null expects None/empty.
* ``salutation``: exact after normalisation with all punctuation removed (同志们： = 同志们).
* ``parts``: number of level-1 sections. Expected parts are paired with output sections by
  an order-preserving alignment on matching headings; an unpaired expected part takes the
  first free output section between its paired neighbours, if any.
* per part ``number`` (compared without its trailing separator: 第一个问题： = 第一个问题，,
  1． = 1.), ``heading``, ``role``, ``children`` (count of level-2 sections).
  A heading passes when, after normalisation and stripping trailing 。.,;:、 (！？ are kept),
  it equals the annotation, or the annotation is a prefix of it that ends at a clause
  boundary (the output continues with ，；、) and the output heading holds no 。 — the parser
  may keep more clauses of the same lead sentence, never cut one or run into the body.
* ``closing``: the first closing paragraph starts with closing_starts; null expects no
  closing.
* ``incomplete``: bool(speech.incomplete) equals the flag.
* ``absent:…``: the junk string (NFKC, no whitespace, not placeholder-blind) is in no speech.
* ``keep:…``: the sentence is inside one text of some speech (title, heading, a paragraph…).
* ``placeholder:…``: the run is not in any speech literally, and the speeches hold a slot.
* ``once:…``: the string occurs exactly once in the speeches' texts.
* ``conservation``: share of the source's Chinese characters (after t2s) found in the speeches
  or in ``removed`` (as a multiset; slots count as up to two suffix characters each) is at
  least CONSERVATION_MIN.
* ``encoding`` / ``script`` when annotated.

A document the parser refuses (IngestError) fails all its checks.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DIR = ROOT / "bench" / "quality" / "docs"
DEFAULT_EXPECTED = ROOT / "bench" / "quality" / "expected.json"
CONSERVATION_MIN = 0.98
ROLES = ("situation", "tasks", "style", "other")

# ------------------------------------------------------------------ normalisation

BLANK = "□"
SEP = "‖"  # between the texts of a speech, so that no match runs across two of them
_SLOT_RE = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}")
_WS_RE = re.compile(r"\s+")
_DASHES_RE = re.compile(r"[—―─━]+")
_PLACEHOLDER_RE = re.compile(r"(?<![A-Za-z])[xX×✕╳*]+(?![A-Za-z])|○+|-{2,}")
# What a slot takes in after its placeholder (市名 holds 市, 单位名 局, 会议名称 大会 …).
SUFFIX_CHARS = frozenset(
    "市州盟县区旗省自治街道镇乡社村经济技术开发高新园委员会办公室局厅司集团中心学校医院银行议大"
)
_BLANK_RUN_RE = re.compile(rf"\d*{BLANK}(?:{BLANK}|[{''.join(sorted(SUFFIX_CHARS))}])*")
_HEADING_TRAIL = "。.,;:、"
_CLAUSE = ",;、"
_NUMBER_TRAIL = ",、:.;"
_PUNCT_RE = re.compile(rf"[^\w{BLANK}]")
_BRACKETS = "()[]【】〔〕"
_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def plain(text: str | None) -> str:
    """NFKC, no whitespace (for junk and placeholders: literal)."""
    return _WS_RE.sub("", unicodedata.normalize("NFKC", text or ""))


def blind(text: str | None, count: str = BLANK) -> str:
    """Normalised and placeholder-blind (see the module doc); ``count`` stands for 部分数."""
    text = _SLOT_RE.sub(lambda m: count if m.group(1) == "部分数" else BLANK, text or "")
    text = _DASHES_RE.sub("——", plain(text))
    text = _PLACEHOLDER_RE.sub(BLANK, text)
    return _BLANK_RUN_RE.sub(BLANK, text)


def heading_key(text: str | None) -> str:
    return blind(text).rstrip(_HEADING_TRAIL)


def heading_matches(got: str | None, expected: str) -> bool:
    g, e = heading_key(got), heading_key(expected)
    if not e:
        return g == e
    if g == e:
        return True
    return g.startswith(e) and g[len(e)] in _CLAUSE and "。" not in g


def number_key(text: str | None) -> str | None:
    if text is None:
        return None
    return plain(text).rstrip(_NUMBER_TRAIL)


def salutation_key(text: str | None) -> str:
    return _PUNCT_RE.sub("", blind(text))


def field_key(text: str | None) -> str:
    return blind(text).strip(_BRACKETS)


def encoding_family(name: str | None) -> str:
    name = (name or "").lower().replace("_", "-")
    if name.startswith(("gb", "cp936", "hz")):
        return "gb"
    if name.startswith(("big5", "cp950")):
        return "big5"
    if name.startswith(("utf-8", "utf8")):
        return "utf-8"
    return name


# ------------------------------------------------------------------ source text


def source_text(data: bytes, encoding: str | None) -> str:
    """The page as a reader sees it, in simplified script (how the set is annotated)."""
    import opencc

    text = data.decode(encoding or "utf-8")
    return opencc.OpenCC("t2s").convert(text)


# ------------------------------------------------------------------ checks


class Doc:
    def __init__(self, name: str, classes: list[str]):
        self.name = name
        self.classes = classes
        self.checks: list[dict] = []
        self.error: str | None = None
        self.conservation: float | None = None

    def check(self, name: str, kind: str, ok: bool, expected=None, got=None) -> None:
        self.checks.append(
            {"name": name, "kind": kind, "ok": bool(ok), "expected": expected, "got": got}
        )

    @property
    def passed(self) -> int:
        return sum(c["ok"] for c in self.checks)


def _count_word(speech) -> str:
    from speechdraft.text.numbering import chinese_numeral

    n = getattr(speech, "announced_parts", None)
    return chinese_numeral(n) if n else BLANK


def speech_texts(speech) -> list[str]:
    return [t for t in speech.texts() if t]


def _joined(speeches, key) -> str:
    return SEP.join(key(t, s) for s in speeches for t in speech_texts(s))


def _align(expected: list[dict], got: list) -> dict[int, int]:
    """Expected part index → output section index (see the module doc)."""
    n, m = len(expected), len(got)
    match = [
        [heading_matches(got[j].heading, expected[i]["heading"]) for j in range(m)]
        for i in range(n)
    ]
    lcs = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            lcs[i][j] = lcs[i + 1][j + 1] + 1 if match[i][j] else max(lcs[i + 1][j], lcs[i][j + 1])
    pairs: dict[int, int] = {}
    i = j = 0
    while i < n and j < m:
        if match[i][j] and lcs[i][j] == lcs[i + 1][j + 1] + 1:
            pairs[i] = j
            i, j = i + 1, j + 1
        elif lcs[i + 1][j] >= lcs[i][j + 1]:
            i += 1
        else:
            j += 1
    used = set(pairs.values())
    for i in range(n):
        if i in pairs:
            continue
        lo = max((pairs[k] for k in pairs if k < i), default=-1)
        hi = min((pairs[k] for k in pairs if k > i), default=m)
        free = next((j for j in range(lo + 1, hi) if j not in used), None)
        if free is not None:
            pairs[i] = free
            used.add(free)
    return pairs


def _speech_checks(doc: Doc, k: int, exp: dict, speech) -> None:
    p = f"s{k + 1}"
    missing = "no such speech"
    if speech is None:
        for field in ("title", "salutation", "date", "speaker", "parts", "closing", "incomplete"):
            doc.check(f"{p}.{field}", field, False, exp.get(field), missing)
        for i, part in enumerate(exp["parts"]):
            for field in ("number", "heading", "role") + (
                ("children",) if "children" in part else ()
            ):
                doc.check(f"{p}.p{i + 1}.{field}", field, False, part.get(field), missing)
        return
    doc.check(
        f"{p}.title",
        "title",
        blind(speech.title) == blind(exp["title"]),
        exp["title"],
        speech.title,
    )
    doc.check(
        f"{p}.salutation",
        "salutation",
        salutation_key(speech.salutation) == salutation_key(exp["salutation"]),
        exp["salutation"],
        speech.salutation,
    )
    for field in ("date", "speaker"):
        got = getattr(speech, field)
        doc.check(f"{p}.{field}", field, field_key(got) == field_key(exp[field]), exp[field], got)
    sections = speech.sections
    doc.check(
        f"{p}.parts", "parts", len(sections) == len(exp["parts"]), len(exp["parts"]), len(sections)
    )
    pairs = _align(exp["parts"], sections)
    for i, part in enumerate(exp["parts"]):
        q = f"{p}.p{i + 1}"
        sec = sections[pairs[i]] if i in pairs else None
        if sec is None:
            for field in ("number", "heading", "role") + (
                ("children",) if "children" in part else ()
            ):
                doc.check(f"{q}.{field}", field, False, part.get(field), "no such part")
            continue
        doc.check(
            f"{q}.number",
            "number",
            number_key(sec.number) == number_key(part["number"]),
            part["number"],
            sec.number,
        )
        doc.check(
            f"{q}.heading",
            "heading",
            heading_matches(sec.heading, part["heading"]),
            part["heading"],
            sec.heading,
        )
        doc.check(f"{q}.role", "role", sec.role == part["role"], part["role"], sec.role)
        if "children" in part:
            doc.check(
                f"{q}.children",
                "children",
                len(sec.children) == part["children"],
                part["children"],
                len(sec.children),
            )
    first_closing = speech.closing[0] if speech.closing else None
    want = exp["closing_starts"]
    if want is None:
        ok = first_closing is None
    else:
        ok = first_closing is not None and blind(first_closing, _count_word(speech)).startswith(
            blind(want)
        )
    doc.check(f"{p}.closing", "closing", ok, want, (first_closing or None) and first_closing[:40])
    doc.check(
        f"{p}.incomplete",
        "incomplete",
        bool(speech.incomplete) == exp["incomplete"],
        exp["incomplete"],
        list(speech.incomplete),
    )


def conservation(source: str, speeches, removed: list[str]) -> float:
    """Share of the source's Chinese characters found in the speeches or in ``removed``."""
    want = Counter(_CJK_RE.findall(source))
    total = sum(want.values())
    if not total:
        return 1.0
    have: Counter = Counter()
    slots = 0
    for speech in speeches:
        count = _count_word(speech)
        for text in speech_texts(speech):
            slots += sum(1 for m in _SLOT_RE.finditer(text) if m.group(1) != "部分数")
            text = _SLOT_RE.sub(lambda m, c=count: c if m.group(1) == "部分数" else "", text)
            have.update(_CJK_RE.findall(text))
    for line in removed:
        have.update(_CJK_RE.findall(line))
    found = sum(min(n, have[ch]) for ch, n in want.items())
    lost_suffix = sum(max(0, n - have[ch]) for ch, n in want.items() if ch in SUFFIX_CHARS)
    return min(1.0, (found + min(lost_suffix, 2 * slots)) / total)


def score_doc(path: Path, ann: dict) -> Doc:
    from speechdraft.text.errors import IngestError
    from speechdraft.text.pipeline import parse_bytes

    doc = Doc(path.name, ann.get("classes", []))
    data = path.read_bytes()
    try:
        parsed = parse_bytes(data, path.name)
    except IngestError as exc:
        doc.error = str(exc)
        parsed = None
    speeches = parsed.speeches if parsed else []
    removed = parsed.removed if parsed else []

    if "encoding" in ann:
        got = parsed.encoding if parsed else None
        doc.check(
            "encoding",
            "encoding",
            encoding_family(got) == encoding_family(ann["encoding"]),
            ann["encoding"],
            got,
        )
    if "script" in ann:
        got = parsed.script if parsed else None
        doc.check("script", "script", got == ann["script"], ann["script"], got)
    doc.check(
        "speeches",
        "speeches",
        len(speeches) == len(ann["speeches"]),
        len(ann["speeches"]),
        len(speeches),
    )
    for k, exp in enumerate(ann["speeches"]):
        _speech_checks(doc, k, exp, speeches[k] if k < len(speeches) else None)

    literal = _joined(speeches, lambda t, s: plain(t))
    blinded = _joined(speeches, lambda t, s: blind(t, _count_word(s)))
    has_slot = any(_SLOT_RE.search(t) for s in speeches for t in speech_texts(s))
    for junk in ann.get("must_be_absent", []):
        where = next(
            (t for s in speeches for t in speech_texts(s) if plain(junk) in plain(t)), None
        )
        doc.check(
            f"absent:{junk}", "absent", bool(parsed) and where is None, None, where and where[:60]
        )
    for text in ann.get("must_keep", []):
        doc.check(f"keep:{text}", "keep", bool(parsed) and blind(text) in blinded, text, None)
    for run in ann.get("placeholders", []):
        ok = bool(parsed) and plain(run) not in literal and has_slot
        doc.check(f"placeholder:{run}", "placeholder", ok, "a slot", None if ok else "literal")
    for text in ann.get("once", []):
        n = blinded.count(blind(text))
        doc.check(f"once:{text}", "once", n == 1, 1, n)
    if parsed:
        doc.conservation = conservation(source_text(data, ann.get("encoding")), speeches, removed)
    doc.check(
        "conservation",
        "conservation",
        (doc.conservation or 0) >= CONSERVATION_MIN,
        f">= {CONSERVATION_MIN}",
        None if doc.conservation is None else round(doc.conservation, 4),
    )
    return doc


# ------------------------------------------------------------------ report


def load_expected(path: Path) -> dict[str, dict]:
    return json.loads(path.read_text(encoding="utf-8"))["docs"]


def run(directory: Path, expected: Path) -> dict:
    annotations = load_expected(expected)
    docs = [score_doc(directory / name, ann) for name, ann in annotations.items()]
    total = sum(len(d.checks) for d in docs)
    passed = sum(d.passed for d in docs)
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_class: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    class_totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for d in docs:
        for c in d.checks:
            by_kind[c["kind"]][0] += c["ok"]
            by_kind[c["kind"]][1] += 1
            for tag in d.classes:
                class_totals[tag][0] += c["ok"]
                class_totals[tag][1] += 1
                if not c["ok"]:
                    by_class[tag][c["kind"]].append(d.name)
    cons = [d.conservation for d in docs if d.conservation is not None]
    return {
        "docs": [
            {
                "file": d.name,
                "classes": d.classes,
                "passed": d.passed,
                "total": len(d.checks),
                "conservation": d.conservation,
                "error": d.error,
                "checks": d.checks,
            }
            for d in docs
        ],
        "total": {
            "documents": len(docs),
            "checks": total,
            "passed": passed,
            "score": round(100 * passed / total, 1) if total else 0.0,
            "documents_right": sum(d.passed == len(d.checks) for d in docs),
            "conservation_mean": round(sum(cons) / len(cons), 4) if cons else None,
        },
        "by_kind": {k: {"passed": v[0], "total": v[1]} for k, v in sorted(by_kind.items())},
        "by_class": {
            tag: {
                "passed": class_totals[tag][0],
                "total": class_totals[tag][1],
                "failing": {k: sorted(set(v)) for k, v in kinds.items()},
            }
            for tag, kinds in sorted(((t, by_class[t]) for t in class_totals), key=lambda x: x[0])
        },
    }


def _short(value, n: int = 50) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= n else text[: n - 1] + "…"


def format_text(result: dict) -> str:
    lines: list[str] = []
    for d in result["docs"]:
        status = "ok" if d["passed"] == d["total"] else "FAIL"
        cons = "" if d["conservation"] is None else f", conservation {d['conservation']:.3f}"
        lines.append(f"{d['file']}: {d['passed']}/{d['total']} {status}{cons}")
        if d["error"]:
            lines.append(f"    refused: {d['error']}")
        for c in d["checks"]:
            if not c["ok"]:
                lines.append(
                    f"    ✗ {c['name']}: expected {_short(c['expected'])} got {_short(c['got'])}"
                )
    t = result["total"]
    lines += [
        "",
        f"checks passed: {t['passed']}/{t['checks']} = {t['score']}%",
        f"documents fully right: {t['documents_right']}/{t['documents']}",
        f"mean conservation: {t['conservation_mean']}",
        "",
        "by check kind (passed/total):",
    ]
    for kind, v in result["by_kind"].items():
        lines.append(f"  {kind:<13} {v['passed']:>4}/{v['total']:<4}")
    lines.append("")
    lines.append("failures by class (check kind ×documents: their numbers):")
    for tag, v in result["by_class"].items():
        lines.append(f"  {tag} ({v['passed']}/{v['total']} passed)")
        for kind, names in sorted(v["failing"].items(), key=lambda kv: -len(kv[1])):
            lines.append(f"    {kind} ×{len(names)}: {', '.join(n.split('_')[0] for n in names)}")
    return "\n".join(lines)


def results_section(result: dict, command: str) -> str:
    t = result["total"]
    rows = "\n".join(
        f"| {k} | {v['passed']} | {v['total']} | {100 * v['passed'] / v['total']:.0f} % |"
        for k, v in result["by_kind"].items()
    )
    classes = "\n".join(
        f"| {tag} | {v['passed']}/{v['total']} | "
        + (
            ", ".join(
                f"{k} ×{len(n)}"
                for k, n in sorted(v["failing"].items(), key=lambda kv: -len(kv[1]))
            )
            or "—"
        )
        + " |"
        for tag, v in result["by_class"].items()
    )
    return f"""
{t["documents"]} hand-written pages with annotated truth (bench/quality/, format in
bench/ingest_quality.py), {t["checks"]} checks. Command: `{command}`.

**{t["passed"]}/{t["checks"]} checks passed = {t["score"]} %; documents fully right:
{t["documents_right"]}/{t["documents"]}; mean text conservation {t["conservation_mean"]}.**

| check | passed | total | |
| --- | ---: | ---: | ---: |
{rows}

A page counts in each of its classes; ×N: N documents of the class fail a check of that kind.

| class | passed | failing checks |
| --- | --- | --- |
{classes}
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir", nargs="?", default=str(DEFAULT_DIR))
    parser.add_argument("expected", nargs="?", default=str(DEFAULT_EXPECTED))
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--min", type=float, default=None, help="fail below this %% of checks")
    parser.add_argument("--no-write", action="store_true", help="leave bench/RESULTS.md alone")
    args = parser.parse_args(argv)
    result = run(Path(args.dir), Path(args.expected))
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        print(format_text(result))
    if not args.no_write:
        from bench.results import write_section

        write_section(
            "Ingest quality", results_section(result, ".venv/bin/python bench/ingest_quality.py")
        )
    if args.min is not None and result["total"]["score"] < args.min:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
