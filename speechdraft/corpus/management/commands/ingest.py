import json
import sys
from pathlib import Path

from django.core.management.base import CommandError

from speechdraft.core.commands import DatabaseCommand
from speechdraft.corpus.mining import user_dictionary_ensure
from speechdraft.corpus.services import (
    Approval,
    IngestResult,
    document_approve,
    document_ingest,
    max_file_bytes,
)
from speechdraft.text.errors import IngestError
from speechdraft.text.pipeline import parse_bytes
from speechdraft.units.models import Unit, default_unit_id


def _files(paths: list[str]) -> list[Path]:
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file() and not any(part.startswith(".") for part in p.parts)
            )
        elif path.is_file():
            found.append(path)
        else:
            raise CommandError(f"找不到文件或目录：{raw}")
    return found


def _unit_id(name: str) -> int:
    if not name:
        return default_unit_id()
    found = Unit.objects.filter(name=name).values_list("pk", flat=True).first()
    if found is None:
        raise CommandError(f"找不到单位：{name}（请先在管理后台创建该单位）")
    return found


class Command(DatabaseCommand):
    help = "导入讲话稿文件（.txt 任意常见编码、.docx、.html）或目录；相同内容重复导入不会产生重复数据。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="+", help="文件或目录")
        parser.add_argument("--dry-run", action="store_true", help="只解析，不写入数据库")
        parser.add_argument("--json", action="store_true", help="每个文件输出一行 JSON")
        parser.add_argument(
            "--approve",
            action="store_true",
            help="导入的（包括以前已导入的）待审核段落、短语和讲话骨架设为“已采用”"
            "（用于已审核的语料，如示例语料）；已弃用的不变",
        )
        parser.add_argument(
            "--unit",
            default="",
            help="导入到哪个单位的素材库（单位名称；不填则为默认单位）",
        )

    def handle(
        self,
        *args,
        paths: list[str],
        dry_run: bool,
        json: bool,
        approve: bool,
        unit: str,
        **options,
    ) -> None:
        self.approve = approve
        self.unit_id = None
        if not dry_run:
            self.unit_id = _unit_id(unit)
        failures = 0
        for path in _files(paths):
            ok = self._one(path, dry_run=dry_run, as_json=json)
            failures += not ok
        if failures:
            self.stderr.write(f"共 {failures} 个文件导入失败。")
            sys.exit(1)

    def _one(self, path: Path, *, dry_run: bool, as_json: bool) -> bool:
        name = path.name
        if path.stat().st_size > max_file_bytes():
            limit = max_file_bytes() // (1024 * 1024)
            return self._report(
                IngestResult(name, "failed", f"文件“{name}”超过 {limit} MB 上限，未导入"), as_json
            )
        data = path.read_bytes()
        if dry_run:
            user_dictionary_ensure()
            try:
                parsed = parse_bytes(data, name, max_bytes=max_file_bytes())
            except IngestError as exc:
                return self._report(IngestResult(name, "failed", exc.message), as_json)
            if as_json:
                self.stdout.write(_dumps(parsed.to_json_dict()))
            else:
                titles = "、".join(f"《{s.title}》" for s in parsed.speeches)
                self.stdout.write(f"{name}：{len(parsed.speeches)} 篇讲话 {titles}（未写入）")
            return True
        result = document_ingest(file_name=name, data=data, unit_id=self.unit_id)
        approval = None
        # Files imported before (未变化) too: --approve says their material is vetted.
        if (
            self.approve
            and result.document is not None
            and result.outcome in ("created", "updated", "unchanged")
        ):
            approval = document_approve(result.document)
        return self._report(result, as_json, approval)

    def _report(
        self, result: IngestResult, as_json: bool, approval: Approval | None = None
    ) -> bool:
        ok = result.outcome != "failed"
        if as_json:
            payload = {"file": result.file_name, "outcome": result.outcome}
            payload["message" if ok else "error"] = result.message
            if approval is not None:
                payload["approved"] = {
                    "skeletons": approval.skeletons,
                    "paragraphs": approval.paragraphs,
                    "phrases": approval.phrases,
                }
            self.stdout.write(_dumps(payload))
        elif ok:
            label = {"created": "已导入", "updated": "已更新", "unchanged": "未变化"}.get(
                result.outcome, "已跳过"
            )
            approved = f"；{approval}" if approval is not None else ""
            self.stdout.write(f"{label} {result.file_name}：{result.message}{approved}")
        else:
            self.stderr.write(f"导入失败：{result.message}")
        return ok


def _dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False)
