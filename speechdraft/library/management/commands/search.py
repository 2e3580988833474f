import json

from speechdraft.core.commands import DatabaseCommand
from speechdraft.corpus.mining import user_dictionary_ensure
from speechdraft.corpus.models import Status
from speechdraft.library.selectors import RANKINGS, library_search


class Command(DatabaseCommand):
    help = "在素材库中检索（与网页相同的检索与排序）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("queries", nargs="+", help="检索词，可给多个")
        parser.add_argument("--limit", type=int, default=10)
        parser.add_argument("--kind", action="append", default=[], help="类型，可重复")
        parser.add_argument("--all", action="store_true", help="包括未审核和已弃用的素材")
        parser.add_argument("--json", action="store_true", help="每个检索词输出一行 JSON")
        parser.add_argument(
            "--ranking", choices=RANKINGS, default="relevance", help="排序：相关度或旧的分层"
        )
        parser.add_argument("--prefer-role", default="", help="优先的部分（如 closing）")

    def handle(self, *args, queries, limit, kind, all, json: bool, **options) -> None:
        user_dictionary_ensure()
        statuses = Status.values if all else [Status.APPROVED]
        for query in queries:
            response = library_search(
                query,
                kinds=kind,
                limit=limit,
                statuses=statuses,
                ranking=options["ranking"],
                prefer_role=options["prefer_role"],
            )
            rows = [{"kind": r.kind, "text": r.obj.text, "tier": r.tier} for r in response.results]
            if json:
                self.stdout.write(_dumps({"query": query, "results": rows}))
                continue
            self.stdout.write(f"【{query}】{response.message}")
            for i, r in enumerate(response.results, 1):
                snippet = "".join(f"[{t}]" if hit else t for t, hit in r.parts)
                self.stdout.write(f"  {i}. {r.label} {snippet}  {r.source}")


def _dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False)
