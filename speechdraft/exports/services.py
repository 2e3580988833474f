"""From a draft version to a Word file (or its PDF): the job row is the source of truth for
its status."""

from __future__ import annotations

import datetime
import logging
from dataclasses import replace

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from speechdraft.core.queueing import enqueue
from speechdraft.corpus.mining import user_dictionary_ensure
from speechdraft.drafts.comments import locate, open_threads
from speechdraft.drafts.models import Draft, Revision
from speechdraft.drafts.selectors import snapshot_document
from speechdraft.drafts.snapshot import Snapshot
from speechdraft.drafts.versions import revision_snapshot
from speechdraft.exports import pdf
from speechdraft.exports.models import ExportJob, Format, OfficeReference, Profile
from speechdraft.ooxml.model import (
    Block,
    Change,
    CommentSpan,
    ExportDocument,
    FontSettings,
    WordComment,
)
from speechdraft.ooxml.redline import redline_blocks
from speechdraft.ooxml.render import render_docx
from speechdraft.text.anchors import find_anchor
from speechdraft.text.diff import diff_text
from speechdraft.text.errors import UserError
from speechdraft.text.meetings import occasion_subtitle
from speechdraft.text.outline import split_salutation
from speechdraft.text.templating import MAX_VALUE_CHARS, replace_slots
from speechdraft.units.access import units_above, visible_q
from speechdraft.units.people import person_name

logger = logging.getLogger(__name__)
PLACEHOLDER = "×××"
DRAFT_FOR_COMMENT = "征求意见稿"
UNAVAILABLE = "导出服务暂不可用，请稍后点“重试”。"
# Runs of one job, whether retried after an error or delivered again because its worker process
# died (acks_late + reject_on_worker_lost): a render that kills its worker every time would
# otherwise loop for ever with the job "running".
MAX_ATTEMPTS = 4
INTERRUPTED = "导出多次中断（后台服务异常），请点“重试”；仍不成功请联系管理员。"
TIMED_OUT = "导出超时（后台服务可能中断），请点“重试”。"
# A queued job of a draft replaced by the user's newer request for the same draft: its task,
# when the worker reaches it, does nothing.
SUPERSEDED = "已被对同一讲话稿的新导出请求取代。"
ACTIVE = (ExportJob.Status.QUEUED, ExportJob.Status.RUNNING)


def busy_message(active: int) -> str:
    return f"您已有 {active} 个导出任务在进行，请等它们完成后再导出。"


class ExportRefused(UserError):
    """An export refused; `unfilled` lists the slots still to fill, if that is why."""

    def __init__(self, message: str, unfilled: list[str] | None = None) -> None:
        super().__init__(message)
        self.unfilled = unfilled or []


def _snapshot_of(draft: Draft, version: int) -> Snapshot:
    """The draft as it was at `version` (from its revision)."""
    revision = Revision.objects.filter(draft=draft, version=version).first()
    if revision is None:
        raise ExportRefused("找不到要导出的版本，请刷新后重试。")
    return revision_snapshot(revision)


def export_document(
    draft: Draft, version: int, *, placeholders: bool, comments: bool = False
) -> ExportDocument:
    """The draft at `version` as the renderer's input: numbers computed, slots filled; with
    `comments`, the draft's open 批注 on the words they concern (see `_with_comments`)."""
    snapshot = _snapshot_of(draft, version)
    document, keyed, fill = _document(draft, snapshot, placeholders=placeholders)
    return _with_comments(draft, document, keyed, snapshot, fill) if comments else document


def _document(draft: Draft, snapshot: Snapshot, *, placeholders: bool):
    """The renderer's input for `snapshot`; its blocks keyed by the item each comes from (the
    same across versions, for a 花脸稿), the salutation's under key 0; and how its slots are
    filled in (a stored text → the text as written)."""
    view = snapshot_document(snapshot)
    if view.unfilled and not placeholders:
        names = "、".join(view.unfilled)
        raise ExportRefused(
            f"还有 {view.unfilled_count} 处未填写：{names}。请先填写，或导出征求意见稿。",
            list(view.unfilled),
        )

    def text(segments) -> str:
        return "".join(s.text if s.filled or s.slot is None else PLACEHOLDER for s in segments)

    def fill(stored: str) -> str:
        def shown(name: str) -> str:
            value = view.values.get(name)
            filled = value is not None and str(value).strip() != ""
            return str(value)[:MAX_VALUE_CHARS] if filled else PLACEHOLDER

        return replace_slots(stored, shown)

    blocks: list[Block] = []
    keys: list[int] = []
    salutation = None
    salutation_of = None
    for b in view.blocks:
        paragraphs = [text(p) for p in b.body]
        if not blocks and salutation is None and not (b.number or b.heading) and paragraphs:
            found, rest = split_salutation(paragraphs[0])
            if found:
                salutation, salutation_of = found, b.id
                paragraphs = ([rest] if rest else []) + paragraphs[1:]
                if not paragraphs:
                    continue
        if b.number or b.heading:
            blocks.append(
                Block(
                    kind="heading",
                    level=max(1, b.level),
                    number=b.number,
                    heading=text(b.heading),
                    body="\n".join(paragraphs),
                    run_in=b.run_in,
                )
            )
            keys.append(b.id)
        elif paragraphs:
            blocks.append(Block(kind="paragraph", level=0, body="\n".join(paragraphs)))
            keys.append(b.id)
    document = ExportDocument(
        title=snapshot.title,
        speaker=snapshot.speaker or None,
        date=snapshot.date,
        salutation=salutation,
        blocks=blocks,
        subtitle=occasion_subtitle(
            snapshot.title, snapshot.meeting_name, always=settings.EXPORT_ALWAYS_SUBTITLE
        ),
        author=drafter_name(draft),
        mark=DRAFT_FOR_COMMENT if placeholders else None,
    )
    keyed = list(zip(keys, blocks, strict=True))
    if salutation_of is not None:
        keyed.insert(0, (0, salutation_of))  # the item the salutation was taken from
    return document, keyed, fill


def _keyed_blocks(keyed) -> list[tuple[int, Block]]:
    return [(key, block) for key, block in keyed if key]


# 批注 in the Word file: the open ones, each on its words in the version written.
WORDS_GONE = "（原文已修改，批注的原文：“{words}”）"


def _with_comments(draft: Draft, document: ExportDocument, keyed, snapshot, fill):
    """`document` with the draft's open comments as Word comments, their answers threaded
    under them as Word's own 回复. Each is put on its words as this version has them; one
    whose words this version does not have is put at the start of its item's text, saying
    which words it was on; one whose item is not in this version is left out."""
    tops = list(open_threads(draft).select_related("author").order_by("id"))
    if not tops:
        return document
    answers: dict[int, list] = {}
    for answer in (
        draft.comments.filter(parent__in=[c.pk for c in tops])
        .select_related("author")
        .order_by("id")
    ):
        answers.setdefault(answer.parent_id, []).append(answer)
    rows = {row["id"]: row for row in snapshot.items}
    salutation_of = next((block for key, block in keyed if key == 0), None)
    index = {item_id: n for n, (item_id, _block) in enumerate(_keyed_blocks(keyed))}
    blocks = list(document.blocks)
    heading_spans: dict[int, list[CommentSpan]] = {}
    body_spans: dict[int, list[CommentSpan]] = {}
    salutation_spans: list[CommentSpan] = []
    notes: list[WordComment] = []
    for comment in tops:
        row = rows.get(comment.item_id)
        at_salutation = comment.item_id == salutation_of and comment.field == "body"
        if row is None or (comment.item_id not in index and not at_salutation):
            continue  # not in this version
        field = "heading" if comment.field == "heading" else "body"
        stored = row.get(field) or ""
        n = index.get(comment.item_id)
        block = blocks[n] if n is not None else None
        targets = []  # (the written text, where its spans go)
        if block is not None:
            spans = heading_spans if field == "heading" else body_spans
            targets.append(
                (block.heading if field == "heading" else block.body, spans.setdefault(n, []))
            )
        if at_salutation:
            targets.append((document.salutation or "", salutation_spans))
        place = _written_place(stored, comment, targets, fill)
        text = comment.text
        if place is None:  # the words are not in this version: at the start of the item
            if not targets:
                continue
            text = WORDS_GONE.format(words=comment.anchor) + "\n" + text
            place = (targets[0][1], 0, 0)
        spans, start, end = place
        top = len(notes)
        for n, note in enumerate([comment, *answers.get(comment.pk, [])]):
            who = note.author_label
            spans.append(CommentSpan(len(notes), start, end))  # an answer: the same words
            notes.append(
                WordComment(
                    who,
                    text if n == 0 else note.text,
                    note.created_at,
                    who[:1],
                    parent=None if n == 0 else top,
                )
            )
    for n, spans in heading_spans.items():
        blocks[n] = replace(blocks[n], heading_comments=tuple(spans))
    for n, spans in body_spans.items():
        blocks[n] = replace(blocks[n], body_comments=tuple(spans))
    return replace(
        document, blocks=blocks, comments=notes, salutation_comments=tuple(salutation_spans)
    )


def _written_place(stored: str, comment, targets, fill):
    """(spans list, start, end) of the comment's words in the first of `targets` (the written
    texts of its field) that holds them, slots filled in as written; None when none does."""
    found = locate(stored, comment)
    if found is None:
        return None
    start, end = found
    words = fill(stored[start:end])
    before = fill(stored[max(0, start - 40) : start])
    after = fill(stored[end : end + 40])
    near = len(fill(stored[:start]))
    for written, spans in targets:
        if not words:
            return spans, min(near, len(written)), min(near, len(written))
        at = find_anchor(written, words, before, after, near)
        if at is not None:
            return spans, at, at + len(words)
    return None


def _word_changes(old: str, new: str) -> list[Change]:
    """The word-level comparison of the compare page (text/diff.py), as the writer's pieces."""
    return [Change(op.kind, op.text) for op in diff_text(old, new)]


def _redline_revisions(draft: Draft, base: int, version: int) -> dict[int, Revision]:
    """The two revisions a 花脸稿 compares, by version; refused when they cannot be."""
    if base >= version:
        raise ExportRefused("花脸稿要比较两个不同的版本：请选择较早和较新的版本。")
    revisions = {
        r.version: r
        for r in Revision.objects.select_related("user").filter(
            draft=draft, version__in=(base, version)
        )
    }
    if len(revisions) != 2:
        raise ExportRefused("找不到要比较的版本，请刷新后重试。")
    return revisions


def redline_document(draft: Draft, base: int, version: int) -> ExportDocument:
    """The 花脸稿 from version `base` to `version`: the newer version with every change since
    the older one as a tracked change (修订) by whoever made the newer version, at its time.
    Blanks still unfilled read ×××: a marked-up copy is for reading the changes, not for use."""
    revisions = _redline_revisions(draft, base, version)
    user_dictionary_ensure()  # words as the drafter's dictionary cuts them, as on the page
    old_doc, old_keyed, _ = _document(draft, revision_snapshot(revisions[base]), placeholders=True)
    new_doc, new_keyed, _ = _document(
        draft, revision_snapshot(revisions[version]), placeholders=True
    )
    newer = revisions[version]
    return replace(
        new_doc,
        blocks=redline_blocks(
            _keyed_blocks(old_keyed), _keyed_blocks(new_keyed), diff=_word_changes
        ),
        old_title=old_doc.title,
        old_subtitle=old_doc.subtitle,
        revision_author=person_name(newer.user) or drafter_name(draft),
        revision_date=newer.created_at,
        track_revisions=True,
        mark=None,
    )


def drafter_name(draft: Draft) -> str:
    """The drafter (起草人) as the file's author: 姓名, else the username."""
    owner = draft.owner
    return person_name(owner)


def render_bytes(
    draft: Draft,
    version: int,
    *,
    profile: str,
    placeholders: bool,
    base_version: int | None = None,
    comments: bool = False,
) -> bytes:
    """The Word file of `version` (or, with `base_version`, its 花脸稿 from that version);
    with `comments`, the draft's open 批注 as Word comments."""
    if base_version is not None:
        document = redline_document(draft, base_version, version)
    else:
        document = export_document(draft, version, placeholders=placeholders, comments=comments)
    document = replace(document, exported_at=timezone.now())
    fonts = FontSettings.system() if settings.EXPORT_FONTS == "system" else FontSettings()
    # The draft's unit's default reference, else its office's (for a 科室), else a 共享 one
    # (a superuser's for every unit).
    nearest = {unit: n for n, unit in enumerate(units_above(draft.unit_id))}
    reference = min(
        OfficeReference.objects.filter(visible_q(draft.unit_id), is_default=True),
        key=lambda r: (r.shared, nearest.get(r.unit_id, len(nearest)), r.pk),
        default=None,
    )
    data = reference.file.read() if reference else None
    try:
        return render_docx(
            document,
            profile=profile,
            fonts=fonts if not data else None,
            date_style=settings.EXPORT_DATE_STYLE,
            reference=data,
        )
    except ValueError as exc:
        raise ExportRefused(str(exc)) from None


def pdf_program() -> str | None:
    """The LibreOffice this process would run for a PDF (None: PDF is not offered)."""
    return pdf.program_for(settings.EXPORT_PDF_PROGRAM)


def pdf_bytes(data: bytes) -> bytes:
    """The PDF of an exported .docx; ExportRefused (its Chinese message) when it fails."""
    try:
        return pdf.docx_to_pdf(data, program=pdf_program(), timeout=settings.EXPORT_PDF_TIMEOUT)
    except pdf.PdfFailed as exc:
        raise ExportRefused(exc.message) from None


# --- jobs ------------------------------------------------------------------------------
#
# Fairness: each user has at most EXPORT_MAX_ACTIVE_PER_USER jobs queued or running, so one
# user's burst of clicks never stands in front of everyone else's export. Admission happens
# under a lock on the user's row (PostgreSQL; SQLite serialises writers anyway), so requests
# racing from several tabs cannot get past the limit together.


def _lock_user(user_id: int) -> None:
    """Serialise this user's export admissions until the transaction ends.

    FOR NO KEY UPDATE, not FOR UPDATE: a change of one of the user's drafts, made meanwhile
    under the draft's lock (by a co-drafter, or in another tab), re-checks the draft's owner key
    when it commits (its row updated twice in one transaction), and that check's key share must
    not wait for this lock while the export here waits for the draft's (a deadlock)."""
    list(
        get_user_model().objects.select_for_update(no_key=True).filter(pk=user_id).values_list("pk")
    )


def _stale_condition() -> Q:
    """Queued or running rows judged lost, as job_is_stale judges one job."""
    cutoff = timezone.now() - datetime.timedelta(seconds=settings.EXPORT_STALE_SECONDS)
    return (
        Q(started_at__lt=cutoff)
        | Q(started_at=None, requeued_at__lt=cutoff)
        | Q(started_at=None, requeued_at=None, created_at__lt=cutoff)
    )


def _sweep_lost(user_id: int) -> None:
    """Mark the user's lost jobs failed (as their status poll would), so that a worker that
    died never leaves them counting against the limit."""
    ExportJob.objects.filter(_stale_condition(), user_id=user_id, status__in=ACTIVE).update(
        status=ExportJob.Status.FAILED, error=TIMED_OUT, finished_at=timezone.now()
    )


def _admit(user_id: int, draft_id: int | None, *, keep: int | None = None) -> None:
    """Make room for one more job of this user, or refuse it. Call under `_lock_user`, after
    `_sweep_lost`.

    The user's queued jobs of the same draft are superseded (a new click replaces them instead
    of piling up); `keep` is the job being retried, which neither counts nor is superseded.
    Refusing raises, so the transaction rolls the superseding back.
    """
    mine = ExportJob.objects.filter(user_id=user_id)
    if keep is not None:
        mine = mine.exclude(pk=keep)
    if draft_id is not None:
        # A 花脸稿 is another file than the draft's own: a new export does not replace it.
        mine.filter(
            draft_id=draft_id, status=ExportJob.Status.QUEUED, base_version__isnull=True
        ).update(status=ExportJob.Status.FAILED, error=SUPERSEDED, finished_at=timezone.now())
    active = mine.filter(status__in=ACTIVE).count()
    if active >= settings.EXPORT_MAX_ACTIVE_PER_USER:
        raise ExportRefused(busy_message(active))


def export_request(
    *,
    draft: Draft,
    user,
    profile: str,
    placeholders: bool = False,
    format: str = Format.DOCX,
    comments: bool = False,
) -> ExportJob:
    """A job for the draft's current version: an identical one still to come or finished is
    reused as is; otherwise a new one, within the user's limit (see `_admit`). `comments`
    (附带批注, Word only): the draft's open comments go into the file as Word comments, as
    they stand when it renders; comments change without a new version, so a finished file
    with them is not reused."""
    if profile not in Profile.values:
        raise ExportRefused("导出样式不正确。")
    if format not in Format.values:
        raise ExportRefused("导出文件类型不正确。")
    if format == Format.PDF and pdf_program() is None:
        raise ExportRefused(pdf.MISSING)
    export_document(draft, draft.version, placeholders=placeholders)  # refuse unfilled slots now

    def still_current() -> None:
        # Under the draft's lock, so typing saved meanwhile cannot fold this version away.
        version = (
            Draft.objects.select_for_update().values_list("version", flat=True).get(pk=draft.pk)
        )
        if version != draft.version:
            raise ExportRefused("稿子刚刚有改动，请再点一次“导出Word”。")

    return _job_for(
        user,
        dict(
            draft=draft,
            draft_version=draft.version,
            base_version=None,
            profile=profile,
            placeholders=placeholders,
            format=format,
            comments=comments and format == Format.DOCX,
        ),
        check=still_current,
        supersede=True,
    )


def redline_request(*, draft: Draft, user, base: int, version: int, profile: str) -> ExportJob:
    """A job for the 花脸稿 from version `base` to `version` (both kept from being folded into
    later typing); an identical one still to come or finished is reused."""
    if profile not in Profile.values:
        raise ExportRefused("导出样式不正确。")
    _redline_revisions(draft, base, version)  # refused now, not by the worker; rendered there
    return _job_for(
        user,
        dict(
            draft=draft,
            draft_version=version,
            base_version=base,
            profile=profile,
            placeholders=True,
            format=Format.DOCX,
        ),
    )


def _job_for(user, fields: dict, *, check=None, supersede: bool = False) -> ExportJob:
    """The job of exactly these `fields`: an identical one still to come or finished is reused
    as is; otherwise a new one, within the user's limit (see `_admit`; `supersede`: the user's
    queued jobs of the draft give way to it), its versions pinned. `check` runs under the
    user's lock before a new job is made."""
    draft = fields["draft"]
    with transaction.atomic():
        _lock_user(user.pk)
        _sweep_lost(user.pk)  # a lost identical job is not reused: it would only time out
        reusable = (
            ExportJob.objects.filter(**fields, user=user)
            .exclude(status=ExportJob.Status.FAILED)
            .first()
        )
        finished = reusable is not None and reusable.status == ExportJob.Status.DONE
        if reusable is not None and not (finished and (not reusable.file or reusable.comments)):
            return reusable
        if check is not None:
            check()
        _admit(user.pk, draft.pk if supersede else None)
        versions = {fields["draft_version"], fields["base_version"]} - {None}
        Revision.objects.filter(draft=draft, version__in=versions).update(pinned=True)
        job = ExportJob.objects.create(**fields, title=draft.title, user=user)
        transaction.on_commit(lambda: job_enqueue(job.pk))
    return job


def job_enqueue(job_id: int) -> None:
    """Queue the render; a broker that cannot be reached fails the job with a retry offer."""

    def unavailable() -> None:
        ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED).update(
            status=ExportJob.Status.FAILED, error=UNAVAILABLE, finished_at=timezone.now()
        )

    enqueue("exports.render", job_id, unavailable=unavailable)


def job_retry(job: ExportJob) -> ExportJob:
    """Queue a failed or lost job again: a new request, so within the user's limit too."""
    if job.status != ExportJob.Status.FAILED and not job_is_stale(job):
        return job
    with transaction.atomic():
        _lock_user(job.user_id)
        current = ExportJob.objects.get(pk=job.pk)  # a retry clicked twice queues it once
        if current.status != ExportJob.Status.FAILED and not job_is_stale(current):
            return current
        _sweep_lost(current.user_id)
        _admit(current.user_id, current.draft_id, keep=current.pk)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.QUEUED,
            error="",
            requeued_at=timezone.now(),
            started_at=None,
            finished_at=None,
            attempts=0,
        )
        transaction.on_commit(lambda: job_enqueue(job.pk))
    job.refresh_from_db()
    return job


def job_is_stale(job: ExportJob) -> bool:
    """Queued or running for too long: the worker died or the broker lost it."""
    if job.finished:
        return False
    since = job.started_at or job.requeued_at or job.created_at
    return (timezone.now() - since).total_seconds() > settings.EXPORT_STALE_SECONDS


def job_sweep(job: ExportJob) -> ExportJob:
    """Mark a lost job failed so the user gets a 重试 button instead of waiting forever."""
    if job_is_stale(job):
        ExportJob.objects.filter(pk=job.pk, status__in=["queued", "running"]).update(
            status=ExportJob.Status.FAILED, error=TIMED_OUT, finished_at=timezone.now()
        )
        job.refresh_from_db()
    return job


def job_run(job_id: int) -> str:
    """Render one job. Idempotent: a finished job is left alone; a re-run overwrites its file.

    Only a queued or running job (running: delivered again after its worker died) is rendered;
    one superseded, swept as lost or failed meanwhile is not: its task does nothing.
    """
    job = ExportJob.objects.select_related("draft").filter(pk=job_id).first()
    if job is None:
        return "missing"
    if job.status == ExportJob.Status.DONE and job.file:
        return "done"
    if job.status not in ACTIVE:
        return "skipped"
    if job.draft is None:
        job_fail(job.pk, "讲话稿已被删除，无法导出。")
        return "failed"
    if job.attempts >= MAX_ATTEMPTS:
        job_fail(job.pk, INTERRUPTED)
        return "failed"
    # Claimed only if still queued or running: a request superseding it at this very moment
    # either wins (and this task stops here) or finds it running (and leaves it be).
    claimed = ExportJob.objects.filter(pk=job.pk, status__in=ACTIVE).update(
        status=ExportJob.Status.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1
    )
    if not claimed:
        return "skipped"
    try:
        data = render_bytes(
            job.draft,
            job.draft_version,
            profile=job.profile,
            placeholders=job.placeholders,
            base_version=job.base_version,
            comments=job.comments,
        )
        if job.format == Format.PDF:
            data = pdf_bytes(data)  # from the very .docx a Word export of it gives
    except ExportRefused as exc:
        job_fail(job.pk, exc.message)
        return "failed"
    job.refresh_from_db()
    if job.file:
        job.file.delete(save=False)
    job.file.save(
        f"draft{job.draft_id}-v{job.draft_version}-{job.profile}.{job.format}",
        ContentFile(data),
        save=False,
    )
    job.status = ExportJob.Status.DONE
    job.error = ""
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "status", "error", "finished_at"])
    return "done"


def job_fail(job_id: int, message: str) -> None:
    ExportJob.objects.filter(pk=job_id).update(
        status=ExportJob.Status.FAILED, error=message, finished_at=timezone.now()
    )
