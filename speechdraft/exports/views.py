from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseStopPolling

from speechdraft.core.params import parse_id
from speechdraft.drafts.access import READ, draft_for_user, draft_role
from speechdraft.drafts.views import carries_pending
from speechdraft.exports.models import ExportJob, Format, Profile
from speechdraft.exports.services import (
    ExportRefused,
    export_request,
    job_retry,
    job_sweep,
    redline_request,
)


def _get_job_for_user(request: HttpRequest, pk: int) -> ExportJob:
    """The user's own export of a draft they may still read (a share taken back ends it)."""
    job = get_object_or_404(ExportJob.objects.select_related("draft"), pk=pk, user=request.user)
    if draft_role(request.user, job.draft) is None:
        raise Http404("找不到该导出文件。")
    return job


def _status(request: HttpRequest, job: ExportJob, *, status: int = 200) -> HttpResponse:
    response = render(request, "exports/_status.html", {"job": job}, status=status)
    if job.finished and request.htmx:
        # 286: htmx stops the every-second polling and still swaps in the final state.
        return HttpResponseStopPolling(response.content)
    return response


@require_POST
@carries_pending  # text still being typed is saved first, so the file has it
def export_start(request: HttpRequest, pk: int) -> HttpResponse:
    draft = draft_for_user(request, pk, READ)
    profile = request.POST.get("profile", Profile.GONGWEN)
    placeholders = request.POST.get("placeholders") == "1"
    file_format = request.POST.get("format", Format.DOCX)
    comments = request.POST.get("comments") == "1"  # 附带批注
    try:
        job = export_request(
            draft=draft,
            user=request.user,
            profile=profile,
            placeholders=placeholders,
            format=file_format,
            comments=comments,
        )
    except ExportRefused as exc:
        context = {
            "draft": draft,
            "error": exc.message,
            "unfilled": exc.unfilled,
            "profile": profile,
            "format": file_format,
            "comments": comments,
        }
        return render(request, "exports/_refused.html", context, status=422)
    job.refresh_from_db()
    return _status(request, job)


@require_POST
def redline_start(request: HttpRequest, pk: int) -> HttpResponse:
    """导出花脸稿: the changes between the two versions compared, as Word tracked changes."""
    draft = draft_for_user(request, pk, READ)
    base, version = parse_id(request.POST.get("a")), parse_id(request.POST.get("b"))
    profile = request.POST.get("profile", Profile.GONGWEN)
    try:
        if base is None or version is None:
            raise ExportRefused("版本号不正确，请重新选择要比较的两个版本。")
        base, version = sorted((base, version))
        job = redline_request(
            draft=draft, user=request.user, base=base, version=version, profile=profile
        )
    except ExportRefused as exc:
        context = {"draft": draft, "error": exc.message, "unfilled": [], "profile": profile}
        return render(request, "exports/_refused.html", context, status=422)
    job.refresh_from_db()
    return _status(request, job)


@require_GET
def export_status(request: HttpRequest, pk: int) -> HttpResponse:
    job = job_sweep(_get_job_for_user(request, pk))
    return _status(request, job)


@require_POST
def export_retry(request: HttpRequest, pk: int) -> HttpResponse:
    job = _get_job_for_user(request, pk)
    try:
        job = job_retry(job)
    except ExportRefused as exc:  # the user's other exports still fill their share
        context = {
            "draft": job.draft,
            "error": exc.message,
            "unfilled": [],
            "profile": job.profile,
            "format": job.format,
            "comments": job.comments,
        }
        return render(request, "exports/_refused.html", context, status=422)
    job.refresh_from_db()
    return _status(request, job)


@require_GET
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    job = _get_job_for_user(request, pk)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404("文件尚未生成")
    # FileResponse writes filename*=UTF-8''… (RFC 5987) for the Chinese name.
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.download_name(),
        content_type=job.content_type,
    )
