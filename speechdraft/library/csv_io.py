"""CSV export and import of library material, in the form Excel and WPS open correctly.

Export writes UTF-8 with a BOM. Import refuses a malformed or wrongly encoded file as a whole
(nothing changes); otherwise it applies each valid row and reports every row's fate.

A cell that Excel or WPS would read as a formula (first character ``=``, ``+``, ``-``, ``@``, tab
or CR) is exported behind a single quote, and import removes that quote again, so text comes
back as it was exported. Quotes already in front of such a character get one more quote on
export and lose one on import; any other leading quote is the text's own and stays.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from django.db import transaction

from speechdraft.core.params import parse_id
from speechdraft.corpus.models import Paragraph, Role, Status
from speechdraft.library.models import Phrase, PhraseKind
from speechdraft.library.services import material_text_check, tags_parse, tags_set
from speechdraft.text.errors import UserError
from speechdraft.text.templating import from_brackets, to_brackets
from speechdraft.units.models import default_unit_id

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
PHRASE_COLUMNS = ["编号", "类型", "内容", "状态", "标签", "使用次数"]
PARAGRAPH_COLUMNS = ["编号", "功能", "小标题", "内容", "状态", "标签", "来源"]


class CsvRefused(UserError):
    """A CSV file refused as a whole; nothing was imported."""


@dataclass(frozen=True)
class RowReport:
    line: int
    action: str  # 新建 / 更新 / 未变化 / 拒绝
    text: str
    reason: str = ""


def _label_map(choices) -> dict[str, str]:
    """Accept both the code and the Chinese label of a choice."""
    mapping = {}
    for value, label in choices:
        mapping[value] = value
        mapping[str(label)] = value
    return mapping


KINDS = _label_map(PhraseKind.choices)
ROLES = _label_map(Role.choices)
STATUSES = _label_map(Status.choices)


# A formula trigger, behind any number of quotes (which export escapes with one more).
_FORMULA = re.compile(r"'*[=+\-@\t\r]")


def _neutralise(cell):
    """A cell as written to the file: a text Excel/WPS would run as a formula gets a quote."""
    if isinstance(cell, str) and _FORMULA.match(cell):
        return "'" + cell
    return cell


def _restore(cell: str) -> str:
    """The inverse of :func:`_neutralise` for a cell read from a file."""
    if cell.startswith("'") and _FORMULA.match(cell, 1):
        return cell[1:]
    return cell


def _tags(obj) -> str:
    return "、".join(t.name for t in obj.tags.all())


def _write(header: list[str], rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([_neutralise(cell) for cell in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def phrases_export(queryset) -> bytes:
    rows = (
        [
            p.pk,
            p.get_kind_display(),
            to_brackets(p.text),
            p.get_status_display(),
            _tags(p),
            p.usage_count,
        ]
        for p in queryset.filter(owner__isnull=True).prefetch_related("tags")
    )
    return _write(PHRASE_COLUMNS, rows)


def paragraphs_export(queryset) -> bytes:
    rows = (
        [
            p.pk,
            p.get_role_display(),
            to_brackets(p.heading),
            to_brackets(p.text),
            p.get_status_display(),
            _tags(p),
            to_brackets(p.skeleton.title),
        ]
        for p in queryset.select_related("skeleton").prefetch_related("tags")
    )
    return _write(PARAGRAPH_COLUMNS, rows)


def _read(data: bytes, required: list[str]) -> list[tuple[int, dict[str, str]]]:
    if len(data) > MAX_IMPORT_BYTES:
        raise CsvRefused(f"文件超过 {MAX_IMPORT_BYTES // 1024 // 1024} MB，未导入。")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CsvRefused(
            "文件不是 UTF-8 编码，未导入。请在 Excel/WPS 中另存为“CSV UTF-8（逗号分隔）”。"
        ) from None
    if "\x00" in text:
        raise CsvRefused("文件含有二进制内容，不是 CSV，未导入。")
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
        header = [h.strip() for h in (reader.fieldnames or [])]
        missing = [c for c in required if c not in header]
        if missing:
            raise CsvRefused(
                f"缺少列：{'、'.join(missing)}，未导入。第一行应为：{','.join(required)}"
            )
        reader.fieldnames = header
        rows = []
        for row in reader:
            if None in row:
                raise CsvRefused(f"第 {reader.line_num} 行的列数多于表头，未导入。")
            cells = {k: _restore((v or "").strip()) for k, v in row.items()}
            rows.append((reader.line_num, cells))
            if len(rows) > MAX_ROWS:
                raise CsvRefused(f"超过 {MAX_ROWS} 行，请分批导入。")
    except csv.Error as exc:
        raise CsvRefused(f"CSV 格式错误（{exc}），未导入。") from None
    return rows


@transaction.atomic
def phrases_import(data: bytes, *, scope=None, unit_id: int | None = None) -> list[RowReport]:
    """Phrases by 编号 among `scope` (the curator's admin queryset: their unit's), else by kind
    and text in unit `unit_id` (default: the default unit), where new ones are made."""
    scope = Phrase.objects.all() if scope is None else scope
    unit_id = unit_id or default_unit_id()
    reports = []
    for line, row in _read(data, ["类型", "内容"]):
        text = from_brackets(row["内容"])  # the export writes slots as 【地区】
        kind = KINDS.get(row["类型"])
        status = STATUSES.get(row.get("状态") or "待审核")
        problems = material_text_check(text)
        if kind is None:
            problems.insert(0, f"类型“{row['类型']}”不存在（可用：{'、'.join(PhraseKind.labels)}）")
        if status is None:
            problems.insert(0, f"状态“{row['状态']}”不存在（可用：{'、'.join(Status.labels)}）")
        if problems:
            reports.append(RowReport(line, "拒绝", text[:40], "；".join(problems)))
            continue
        phrase = None
        if row.get("编号"):
            if parse_id(row["编号"]) is None:
                reports.append(RowReport(line, "拒绝", text[:40], f"编号“{row['编号']}”不是数字"))
                continue
            phrase = scope.filter(pk=parse_id(row["编号"]), owner__isnull=True).first()
            if phrase is None:
                reports.append(RowReport(line, "拒绝", text[:40], f"编号 {row['编号']} 不存在"))
                continue
        if phrase is None:
            phrase = Phrase.objects.filter(
                owner__isnull=True, unit_id=unit_id, kind=kind, text=text
            ).first()
        if phrase is None:
            phrase = Phrase.objects.create(kind=kind, text=text, status=status, unit_id=unit_id)
            action = "新建"
        else:
            clash = Phrase.objects.filter(
                owner__isnull=True, unit_id=phrase.unit_id, kind=kind, text=text
            ).exclude(pk=phrase.pk)
            if clash.exists():
                reports.append(
                    RowReport(line, "拒绝", text[:40], f"与编号 {clash[0].pk} 的短语重复")
                )
                continue
            before = (phrase.kind, phrase.text, phrase.status)
            phrase.kind, phrase.text, phrase.status = kind, text, status
            phrase.save()
            action = "更新" if before != (kind, text, status) else "未变化"
        if "标签" in row:
            tags_set(phrase, tags_parse(row["标签"]))
        reports.append(RowReport(line, action, text[:40]))
    return reports


@transaction.atomic
def paragraphs_import(data: bytes, *, scope=None, unit_id: int | None = None) -> list[RowReport]:
    """Paragraphs belong to speeches: an import updates existing ones by 编号 among `scope`
    (the curator's unit's), never creates."""
    scope = Paragraph.objects.all() if scope is None else scope
    reports = []
    for line, row in _read(data, ["编号", "内容"]):
        text = from_brackets(row["内容"])
        if parse_id(row["编号"]) is None:
            reports.append(RowReport(line, "拒绝", text[:40], "段落只能按编号更新，不能新建"))
            continue
        paragraph = scope.filter(pk=parse_id(row["编号"])).first()
        problems = material_text_check(text)
        role = ROLES.get(row.get("功能") or "") if row.get("功能") else None
        status = STATUSES.get(row.get("状态") or "") if row.get("状态") else None
        if paragraph is None:
            problems.insert(0, f"编号 {row['编号']} 不存在")
        if row.get("功能") and role is None:
            problems.append(f"功能“{row['功能']}”不存在（可用：{'、'.join(Role.labels)}）")
        if row.get("状态") and status is None:
            problems.append(f"状态“{row['状态']}”不存在（可用：{'、'.join(Status.labels)}）")
        if problems:
            reports.append(RowReport(line, "拒绝", text[:40], "；".join(problems)))
            continue
        before = (paragraph.text, paragraph.heading, paragraph.role, paragraph.status)
        paragraph.text = text
        paragraph.heading = from_brackets(row["小标题"]) if "小标题" in row else paragraph.heading
        paragraph.role = role or paragraph.role
        paragraph.status = status or paragraph.status
        paragraph.save()
        if "标签" in row:
            tags_set(paragraph, tags_parse(row["标签"]))
        after = (paragraph.text, paragraph.heading, paragraph.role, paragraph.status)
        reports.append(RowReport(line, "更新" if before != after else "未变化", text[:40]))
    return reports
