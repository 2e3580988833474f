"""Slots in paragraph text: `{{ 地区 }}`-style variables, parsed and rendered in a sandbox.

Material text may contain only plain variable slots. Anything else Jinja2 would accept
(filters, attribute access, calls, arithmetic, loops, blocks) is refused up front, so user
text can never reach Python internals or run unbounded work. Rendering still goes through
ImmutableSandboxedEnvironment with StrictUndefined as a second wall.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from jinja2 import StrictUndefined, TemplateSyntaxError, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

from speechdraft.text.errors import UserError

# Variables every draft knows. 部分数 is computed from the number of level-1 parts.
# The draft's own fields fill these; 部分数 is computed from the number of level-1 parts.
WELL_KNOWN_SLOTS: tuple[str, ...] = ("地区", "会议名称", "讲话人", "日期", "部分数")
# Blanks of ingested speeches, one per placeholder, numbered when a kind repeats (姓名2).
BLANK_KINDS: tuple[str, ...] = (
    "姓名",
    "省名",
    "市名",
    "县区名",
    "园区名",
    "乡镇名",
    "村社区名",
    "单位名",
    "数字",
    "年份",
    "月份",
)
STANDARD_SLOTS: tuple[str, ...] = WELL_KNOWN_SLOTS + BLANK_KINDS
_NUMBERED = re.compile(rf"^(?:{'|'.join(BLANK_KINDS)})[0-9]{{1,4}}$")


# How a slot reads where no draft fills it: its name, or what it stands for.
_SHOWN_AS = {"部分数": "几"}
MENU_LABELS = {"部分数": "部分的数目（自动计算）"}


def slot_label(name: str) -> str:
    """A slot as a person reads it where it is not filled (【地区】, 讲【几】点意见)."""
    return _SHOWN_AS.get(name, name)


# A slot's name: Chinese characters, ASCII letters and digits (and "_" after the first
# character), at most 20; never a Jinja name (RESERVED_NAMES).
NAME_PATTERN = r"[A-Za-z\u3400-\u9fff][A-Za-z0-9_\u3400-\u9fff]{0,19}"
# The one pattern of a slot in stored text: {{ 名称 }}, spaces inside optional; group 1 is
# the name. Every module that finds, renames or removes slots goes through this module
# (iter_slots, replace_slots, strip_slots, slot_names); static/js/editor.js mirrors it.
SLOT_RE = re.compile(rf"\{{\{{\s*({NAME_PATTERN})\s*\}}\}}")
_BRACKETED = re.compile(rf"【({NAME_PATTERN})】")


def slot_token(name: str) -> str:
    """A slot as it is stored: ``{{ 名称 }}``."""
    return "{{ " + name + " }}"


def iter_slots(text: str) -> Iterator[re.Match[str]]:
    """Every slot of `text` in reading order; `match.group(1)` is its name."""
    return SLOT_RE.finditer(text or "")


def replace_slots(text: str, replacement: Callable[[str], str] | str) -> str:
    """`text` with each slot replaced: by `replacement(name)`, or by a fixed string."""
    if isinstance(replacement, str):
        return SLOT_RE.sub(lambda m: replacement, text or "")
    return SLOT_RE.sub(lambda m: replacement(m.group(1)), text or "")


def strip_slots(text: str, stand_in: str = "") -> str:
    """`text` without its slots (each replaced by `stand_in`)."""
    return replace_slots(text, stand_in)


def split_at_slots(text: str) -> list[str]:
    """`text` cut into literal runs and whole slot tokens, in order (empty runs dropped)."""
    pieces, cursor = [], 0
    for m in iter_slots(text):
        pieces += [text[cursor : m.start()], m.group(0)]
        cursor = m.end()
    pieces.append((text or "")[cursor:])
    return [piece for piece in pieces if piece]


def template_syntax_at(text: str) -> int:
    """Where `text` first holds anything a template would read ({{ or {%), or -1."""
    found = [at for at in (text.find("{{"), text.find("{%")) if at != -1]
    return min(found) if found else -1


def slot_names(text: str) -> list[str]:
    """Names of the slots written in `text`, in order of first use, without repeats. Never
    raises: `validate_slots` says whether the text's slots are acceptable."""
    seen: dict[str, None] = {}
    for m in iter_slots(text):
        seen.setdefault(m.group(1), None)
    return list(seen)


def to_brackets(text: str) -> str:
    """Slots as a person writes them in a plain text box: {{ 地区 }} → 【地区】."""
    return replace_slots(text, lambda name: f"【{name}】")


def from_brackets(text: str, names: Iterable[str] = ()) -> str:
    """【地区】 → {{ 地区 }} for the slots every draft knows and the draft's own `names`; any
    other 【…】 is the text's own (【重要】 stays as written)."""
    names = set(names)
    return _BRACKETED.sub(
        lambda m: (
            slot_token(m.group(1)) if known_slot(m.group(1)) or m.group(1) in names else m.group(0)
        ),
        text or "",
    )


def known_slot(name: str) -> bool:
    """A slot every draft understands: a well-known one or a blank (姓名, 姓名3 …)."""
    return name in STANDARD_SLOTS or bool(_NUMBERED.match(name))


MAX_TEMPLATE_CHARS = 50_000
MAX_VALUE_CHARS = 500
_NAME = re.compile(rf"^{NAME_PATTERN}$")

_env = ImmutableSandboxedEnvironment(
    undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True, cache_size=0
)
# Names Jinja gives a meaning of its own (its globals, its template variables, its keywords):
# a slot of that name would read Jinja's value, or not parse.
RESERVED_NAMES = frozenset(
    {*_env.globals, "self", "super", "loop", "caller", "varargs", "kwargs", "config"}
    | {"and", "or", "not", "in", "is", "if", "else", "for", "true", "false", "none"}
    | {"True", "False", "None"}
)
_SLOT_INSIDE = re.compile(rf"\s*({NAME_PATTERN})\s*")
_ATTRIBUTE = re.compile(r"[\w)\]'\"]\s*[.\[]")
_CALL = re.compile(r"\w\s*\(")
_TRIM = re.compile(r"^[-+]|[-+]$")


class SlotError(UserError):
    """Text with slots that cannot be accepted; `message` is Chinese and says why."""


@dataclass(frozen=True)
class Segment:
    """A piece of rendered text: literal text, or a slot with its value (None if unfilled)."""

    text: str
    slot: str | None = None
    filled: bool = True


# What a parsed text is made of: literal text and slot names.
_Part = nodes.TemplateData | nodes.Name


def _walk_output(tree: nodes.Template, source: str) -> list[_Part]:
    body = tree.body
    if len(body) != 1 or not isinstance(body[0], nodes.Output):
        if not body:
            return []
        raise SlotError("只允许 {{ 名称 }} 形式的填空，不能使用 {% … %} 语句")
    parts: list[_Part] = []
    for node in body[0].nodes:
        if isinstance(node, nodes.TemplateData | nodes.Name):
            parts.append(node)
            continue
        raise SlotError(_describe(node))
    return parts


def _describe(node: nodes.Node) -> str:
    if isinstance(node, nodes.Filter):
        return "填空中不能使用过滤器（|），请只写 {{ 名称 }}"
    if isinstance(node, nodes.Getattr | nodes.Getitem):
        return "填空中不能访问属性或下标，请只写 {{ 名称 }}"
    if isinstance(node, nodes.Call):
        return "填空中不能调用函数，请只写 {{ 名称 }}"
    if isinstance(node, nodes.Const | nodes.BinExpr | nodes.UnaryExpr | nodes.Compare):
        return "填空中不能写常量或表达式，请只写 {{ 名称 }}"
    return "填空中只能写变量名，请只写 {{ 名称 }}"


def _inside_problem(inside: str) -> str:
    """Why the text between {{ and }} is not a slot name (a Chinese message)."""
    stripped = inside.strip()
    if _TRIM.search(stripped):
        return "填空只能写成 {{ 名称 }}，不能使用 {{- … -}} 或 {{+ … }} 的写法"
    if "|" in stripped:
        return "填空中不能使用过滤器（|），请只写 {{ 名称 }}"
    if _ATTRIBUTE.search(stripped):
        return "填空中不能访问属性或下标，请只写 {{ 名称 }}"
    if _CALL.search(stripped):
        return "填空中不能调用函数，请只写 {{ 名称 }}"
    name = _SLOT_INSIDE.fullmatch(inside)
    if name is None:
        if stripped and re.fullmatch(r"[\w\u3400-\u9fff]+", stripped):
            return (
                f"填空名称“{stripped[:20]}”不合法：只能用汉字、字母、数字，且不以数字或下划线开头"
            )
        return "填空中不能写常量或表达式，请只写 {{ 名称 }}"
    return f"填空名称“{name.group(1)}”是系统保留的名称，请换一个名称"


def _check_slots_written_plainly(text: str) -> None:
    """Every {{ … }} must be {{ 名称 }} with an acceptable name; refused before Jinja parses
    anything, so no expression (however deeply nested) ever reaches its parser."""
    at = text.find("{{")
    while at != -1:
        end = text.find("}}", at + 2)
        if end == -1:
            line = text.count("\n", 0, at) + 1
            raise SlotError(f"填空语法错误（第 {line} 行）：请检查 {{{{ 和 }}}} 是否成对")
        inside = text[at + 2 : end]
        name = _SLOT_INSIDE.fullmatch(inside)
        if name is None or name.group(1) in RESERVED_NAMES:
            raise SlotError(_inside_problem(inside))
        at = text.find("{{", end + 2)


@lru_cache(maxsize=4096)
def _parse(text: str) -> tuple[_Part, ...]:
    if len(text) > MAX_TEMPLATE_CHARS:
        raise SlotError(f"文字过长（超过 {MAX_TEMPLATE_CHARS} 字），无法处理填空")
    if "{%" in text or "{#" in text:
        raise SlotError("只允许 {{ 名称 }} 形式的填空，不能使用 {% … %} 语句或 {# … #} 注释")
    _check_slots_written_plainly(text)
    try:
        tree = _env.parse(text)
    except TemplateSyntaxError as exc:
        raise SlotError(
            f"填空语法错误（第 {exc.lineno} 行）：请检查 {{{{ 和 }}}} 是否成对"
        ) from None
    parts = tuple(_walk_output(tree, text))
    for node in parts:
        if isinstance(node, nodes.Name) and not _NAME.match(node.name):
            raise SlotError(f"填空名称“{node.name}”不合法：只能用汉字、字母、数字")  # a second wall
    return parts


def valid_slot_name(name: str) -> bool:
    return bool(_NAME.match(name or "")) and name not in RESERVED_NAMES


def validate_slots(text: str) -> None:
    """Raise SlotError (a Chinese message) unless every slot of `text` is a plain
    ``{{ 名称 }}`` with an acceptable name, and nothing else is template syntax."""
    _parse(text)


def slot_check(text: str, known: Iterable[str]) -> list[str]:
    """Chinese problems with `text`: bad syntax, or slots that are not known variables.

    `known` is listed in the message in its own order (sets are sorted).
    """
    known = sorted(known) if isinstance(known, set | frozenset) else list(known)
    try:
        validate_slots(text)
    except SlotError as exc:
        return [exc.message]
    names = slot_names(text)
    unknown = [name for name in names if name not in known and not known_slot(name)]
    if unknown:
        listed = "、".join(slot_token(n) for n in unknown)
        return [f"未知的填空变量：{listed}（可用：{'、'.join(known)}）"]
    return []


def values_key(variables: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """The slot values as a hashable key (made once per outline, not once per paragraph)."""
    return tuple(sorted((k, str(v)) for k, v in variables.items()))


def segments(
    text: str, variables: dict[str, str], key: tuple[tuple[str, str], ...] | None = None
) -> list[Segment]:
    """Text split into literal runs and slots, with the values that fill them. `key`: the
    values' `values_key`, when the caller has it already."""
    if "{" not in text:  # most paragraphs have no slot: skip the parser
        return [Segment(text)] if text else []
    # The editor re-renders every item after each change: the same texts with the same values.
    return list(_segments_cached(text, values_key(variables) if key is None else key))


@lru_cache(maxsize=8192)
def _segments_cached(text: str, values: tuple[tuple[str, str], ...]) -> tuple[Segment, ...]:
    variables = dict(values)
    result: list[Segment] = []
    for node in _parse(text):
        if isinstance(node, nodes.TemplateData):
            result.append(Segment(node.data))
        else:
            value = variables.get(node.name)
            filled = value is not None and str(value).strip() != ""
            shown = str(value)[:MAX_VALUE_CHARS] if filled else slot_token(node.name)
            result.append(Segment(shown, slot=node.name, filled=filled))
    return tuple(result)


def render(text: str, variables: dict[str, str], *, unfilled: str | None = None) -> str:
    """Fill the slots of `text`.

    Unfilled slots raise SlotError, unless `unfilled` is given: then it stands in for them
    (for example "×××" in a 征求意见稿).
    """
    _parse(text)  # refuses anything but plain slots before Jinja sees it
    values = {k: str(v)[:MAX_VALUE_CHARS] for k, v in variables.items() if str(v).strip()}
    missing = [n for n in slot_names(text) if n not in values]
    if missing:
        if unfilled is None:
            raise SlotError("未填写：" + "、".join(missing))
        values.update(dict.fromkeys(missing, unfilled))
    return _env.from_string(text).render(values)
