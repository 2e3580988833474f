import re

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseStopPolling

from speechdraft.drafts.access import READ, draft_for_user, version_sent
from speechdraft.drafts.models import Draft, DraftItem
from speechdraft.drafts.services import DraftError
from speechdraft.drafts.views import after_change, carries_pending
from speechdraft.review.models import ReviewRun
from speechdraft.review.services import draft_review, finding_apply, finding_dismiss, review_request

FINDING_KEY = re.compile(r"[0-9a-f]{20}")


def _panel(request: HttpRequest, draft: Draft, run: ReviewRun | None) -> HttpResponse:
    response = render(request, "review/_panel.html", {"draft": draft, "run": run})
    if (
        run is not None
        and run.status in (ReviewRun.Status.DONE, ReviewRun.Status.FAILED)
        and request.htmx
    ):
        return HttpResponseStopPolling(response.content)
    return response


def _drop_finding(run: ReviewRun, key: str) -> None:
    """A dismissed or applied finding leaves the panel without a new review."""
    run.findings = [f for f in run.findings if f.get("key") != key]
    run.save(update_fields=["findings"])


@require_POST
@carries_pending
def review_start(request: HttpRequest, pk: int) -> HttpResponse:
    """全文审稿: queued for a worker so a long draft never blocks the editor."""
    draft = draft_for_user(request, pk)
    run = review_request(draft)
    run.refresh_from_db()
    return _panel(request, draft, run)


@require_GET
def review_status(request: HttpRequest, pk: int, run_id: int) -> HttpResponse:
    draft = draft_for_user(request, pk, READ)
    run = get_object_or_404(ReviewRun, pk=run_id, draft=draft)
    return _panel(request, draft, run)


@require_POST
def review_dismiss(request: HttpRequest, pk: int, run_id: int) -> HttpResponse:
    draft = draft_for_user(request, pk)
    run = get_object_or_404(ReviewRun, pk=run_id, draft=draft)
    key = request.POST.get("key", "")
    if not FINDING_KEY.fullmatch(key):  # keys are what _finding_key makes: 20 hex digits
        raise Http404("没有这条审稿提示。")
    finding_dismiss(draft, key)
    _drop_finding(run, key)
    return _panel(request, draft, run)


@require_POST
@carries_pending
def review_apply(request: HttpRequest, pk: int, run_id: int) -> HttpResponse:
    """一键替换, then the document re-renders; the finding leaves the panel."""
    draft = draft_for_user(request, pk)
    run = get_object_or_404(ReviewRun, pk=run_id, draft=draft)
    key = request.POST.get("key", "")
    finding = next((f for f in run.findings if f.get("key") == key), None)
    if finding is None or finding.get("replacement") is None:
        return after_change(
            request, draft, error=DraftError("这条提示已处理或不可自动替换，请重新审稿。")
        )
    try:
        finding_apply(
            draft,
            user=request.user,
            version=version_sent(request),
            item_id=finding["item_id"],
            target=finding.get("target", "text"),
            original=finding.get("original", ""),
            replacement=finding["replacement"],
        )
    except DraftError as exc:
        return after_change(request, draft, error=exc)
    _drop_finding(run, key)
    return after_change(request, draft, notice=f"已替换为“{finding['replacement']}”。")


@require_GET
def review_hints(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    """The checks for one just-saved item (审稿 on save), shown under it."""
    draft = draft_for_user(request, pk, READ)
    get_object_or_404(DraftItem, draft=draft, pk=item_id)
    report = draft_review(draft, changed_ids=[item_id])
    hints: dict[tuple, dict] = {}  # one line per kind of finding, however often it occurs
    for f in report.findings:
        if f["item_id"] == item_id:
            hint = hints.setdefault((f["label"], f["message"]), {**f, "times": 0})
            hint["times"] += 1
    shown = list(hints.values())[:6]
    return render(request, "review/_hints.html", {"item_id": item_id, "hints": shown})
