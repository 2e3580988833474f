from pathlib import Path

from django.core.management.base import CommandError

from speechdraft.core.commands import DatabaseCommand
from speechdraft.drafts.models import Draft
from speechdraft.exports.models import Profile
from speechdraft.exports.services import ExportRefused, render_bytes


class Command(DatabaseCommand):
    help = "把讲话稿导出为 Word 文件（与网页“导出Word”相同的排版）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("draft_id", type=int)
        parser.add_argument("--out", required=True, help="输出的 .docx 文件")
        parser.add_argument("--profile", choices=Profile.values, default=Profile.GONGWEN)
        parser.add_argument(
            "--placeholders", action="store_true", help="征求意见稿：未填写处显示为×××"
        )

    def handle(
        self, *args, draft_id: int, out: str, profile: str, placeholders: bool, **options
    ) -> None:
        draft = Draft.objects.filter(pk=draft_id).first()
        if draft is None:
            raise CommandError(f"找不到编号为 {draft_id} 的讲话稿")
        try:
            data = render_bytes(draft, draft.version, profile=profile, placeholders=placeholders)
        except ExportRefused as exc:
            raise CommandError(exc.message) from None
        Path(out).write_bytes(data)
        self.stdout.write(
            f"已导出《{draft.title}》第 {draft.version} 版到 {out}（{len(data):,} 字节）"
        )
