"""Store parsed speeches: one transaction per document, idempotent by checksum."""

import hashlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from speechdraft.core.queueing import enqueue
from speechdraft.corpus import duplicates
from speechdraft.corpus.limits import TIMEOUTS
from speechdraft.corpus.mining import phrase_min_quality, user_dictionary_ensure
from speechdraft.corpus.models import (
    BatchItem,
    Paragraph,
    Role,
    Section,
    Skeleton,
    SourceDocument,
    Status,
    UploadBatch,
)
from speechdraft.corpus.signals import document_approved, document_stored, documents_shared
from speechdraft.corpus.uploads import too_large_message
from speechdraft.text import model as text_model
from speechdraft.text.errors import IngestError
from speechdraft.text.pipeline import PARSER_VERSION, parse_bytes, reusable_paragraphs
from speechdraft.text.search import index_tokens
from speechdraft.text.templating import to_brackets
from speechdraft.units.access import unit_id_of
from speechdraft.units.models import default_unit_id

logger = logging.getLogger(__name__)


def max_file_bytes() -> int:
    """One file's limit (settings.UPLOAD_MAX_FILE_BYTES): the upload page refuses larger files
    with the same figure, ingestion refuses them before parsing (the parser checks it again)."""
    return settings.UPLOAD_MAX_FILE_BYTES


Outcome = Literal["created", "updated", "unchanged", "duplicate", "failed"]


@dataclass(frozen=True)
class IngestResult:
    file_name: str
    outcome: Outcome
    message: str
    document: SourceDocument | None = None


def _checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _summary(parsed: text_model.ParsedFile) -> str:
    speeches = len(parsed.speeches)
    sections = sum(len(s.sections) for s in parsed.speeches)
    threshold = phrase_min_quality()  # those below it are not stored
    phrases = sum(p.score >= threshold for s in parsed.speeches for p in s.phrases)
    return (
        f"{speeches} 篇讲话，{sections} 个部分，{phrases} 条候选短语，清除 {len(parsed.removed)} 行"
    )


def document_ingest(
    *,
    file_name: str,
    data: bytes,
    document: SourceDocument | None = None,
    unit_id: int | None = None,
) -> IngestResult:
    """Parse `data` and store it as `file_name` in the library of unit `unit_id` (an uploaded
    `document`: its own unit; neither: the default unit). Names, checksums and copies are
    compared within that unit only: the same file in two units is two documents.

    Same bytes as an already ingested document: nothing changes. Same name, new bytes: the
    document is rebuilt in place. A speech already stored from another file (the same speech
    from another site) is linked to it, not stored twice, and the cleaner copy is the stored
    one (speechdraft.corpus.duplicates). A parse error stores nothing (an uploaded `document`
    row is marked failed with the Chinese reason).
    """
    checksum = _checksum(data)
    if document is not None:
        unit_id = document.unit_id
    elif unit_id is None:
        unit_id = default_unit_id()
    in_unit = SourceDocument.objects.filter(unit_id=unit_id)
    # A file found to be a copy, given again by name (the CLI over the same folder).
    known = (
        document
        or in_unit.filter(
            file_name=file_name, checksum=checksum, state=SourceDocument.State.DUPLICATE
        ).first()
    )
    if (
        known is not None
        and known.checksum == checksum
        and known.parser_version == PARSER_VERSION
        and known.skeletons.exists()
        and not duplicates.has_lost_copies(known)
    ):
        duplicates.document_links_refresh(known)
        return IngestResult(file_name, "unchanged", "已导入过，内容相同，跳过", known)
    twin = in_unit.filter(checksum=checksum, state=SourceDocument.State.DONE)
    if document is not None:
        twin = twin.exclude(pk=document.pk)
    twin = twin.first()
    if twin is not None and twin.file_name == file_name and twin.parser_version != PARSER_VERSION:
        twin = None  # parsed by older rules: parsed again, in place
    if twin is not None:
        if twin.file_name == file_name or document is None:
            message = (
                "已导入过，内容相同，跳过"
                if twin.file_name == file_name
                else (f"与已导入的 {twin.file_name} 内容相同，跳过")
            )
            return IngestResult(file_name, "unchanged", message, twin)
        message = f"与已导入的 {twin.file_name} 内容相同，未重复导入"
        document.duplicate_of, document.duplicate_similarity = twin, 1.0
        _mark(document, SourceDocument.State.DUPLICATE, message, checksum=checksum)
        return IngestResult(file_name, "duplicate", message, document)

    user_dictionary_ensure()
    try:
        parsed = parse_bytes(data, file_name, max_bytes=max_file_bytes())
        units = [reusable_paragraphs(speech) for speech in parsed.speeches]
    except IngestError as exc:
        if isinstance(exc.__cause__, TIMEOUTS):  # a reader's "damaged file" hiding the limit
            raise exc.__cause__ from None
        if document is not None:
            _mark(document, SourceDocument.State.FAILED, exc.message, checksum=checksum)
        return IngestResult(file_name, "failed", exc.message, document)

    with transaction.atomic():
        duplicates.ingestion_lock()
        if document is None:
            document = in_unit.filter(file_name=file_name).first()
        existed = document is not None and document.skeletons.exists()
        if document is None:
            document = SourceDocument(file_name=file_name, unit_id=unit_id)
        stored = _store(document, parsed, units, checksum=checksum, size=len(data))
        document_stored.send(
            sender=SourceDocument,
            document=document,
            parsed=duplicates.only_stored(document, parsed),
        )
    if document.state == SourceDocument.State.DUPLICATE:
        return IngestResult(file_name, "duplicate", document.error + "，未重复导入", document)
    outcome: Outcome = "updated" if existed else "created"
    return IngestResult(file_name, outcome, _summary(parsed) + _copies_note(stored), document)


def _mark(document: SourceDocument, state: str, error: str, *, checksum: str) -> None:
    document.state = state
    document.error = error
    document.checksum = checksum
    if state != SourceDocument.State.DUPLICATE:
        document.duplicate_of, document.duplicate_similarity = None, None
    document.save(
        update_fields=[
            "state",
            "error",
            "checksum",
            "duplicate_of",
            "duplicate_similarity",
            "updated_at",
        ]
    )


def _store(
    document: SourceDocument,
    parsed: text_model.ParsedFile,
    units: list[list],
    *,
    checksum: str,
    size: int,
) -> list[tuple[Skeleton, duplicates.SpeechPlan]]:
    plans = duplicates.speeches_plan(
        document, parsed, [len(_speech_text(s)) for s in parsed.speeches]
    )
    document.checksum = checksum
    document.size = size
    document.encoding = parsed.encoding
    document.script = parsed.script
    document.removed_lines = list(parsed.removed)
    document.parser_version = PARSER_VERSION
    document.clean_text = "\n\n".join(_speech_text(s) for s in parsed.speeches)
    document.state = SourceDocument.State.DONE
    document.error = ""
    document.save()
    # Rebuild in place: a changed file replaces its speeches, never duplicates them.
    followers = duplicates.followers_of(document)
    document.skeletons.all().delete()
    skeletons: list[Skeleton] = []
    relinked: set[int] = set()
    for index, (speech, speech_units, plan) in enumerate(
        zip(parsed.speeches, units, plans, strict=True)
    ):
        target = duplicates.copy_target(plan, skeletons)
        skeleton = _store_speech(document, index, speech, speech_units, copy_of=target, plan=plan)
        if target is None:
            relinked |= duplicates.speech_indexed(skeleton, plan)
        skeletons.append(skeleton)
    relinked |= duplicates.followers_relink(followers, plans, skeletons)
    duplicates.document_links_refresh(document)
    duplicates.documents_links_refresh(relinked - {document.pk})
    return list(zip(skeletons, plans, strict=True))


def _copies_note(stored: list[tuple[Skeleton, duplicates.SpeechPlan]]) -> str:
    """What the summary adds about speeches stored already, or replaced by a cleaner copy."""
    notes = []
    for skeleton, plan in stored:
        if skeleton.is_copy and skeleton.duplicate_of is not None:
            title = to_brackets(skeleton.duplicate_of.title)
            notes.append(f"第{skeleton.index + 1}篇与《{title}》相同，未重复导入")
        elif plan.replaces is not None:
            notes.append(
                f"第{skeleton.index + 1}篇比 {plan.replaces.document.file_name} 中的同一篇更干净，取而代之"
            )
    return "".join(f"；{n}" for n in notes)


def _store_speech(
    document,
    index: int,
    speech: text_model.Speech,
    units: list,
    *,
    copy_of: Skeleton | None = None,
    plan: duplicates.SpeechPlan | None = None,
) -> Skeleton:
    """A speech with its sections and paragraphs; a copy of `copy_of`, its header only."""
    skeleton = Skeleton.objects.create(
        document=document,
        unit_id=document.unit_id,
        shared=document.shared,
        index=index,
        title=speech.title[:300],
        speaker=(speech.speaker or "")[:100],
        date_text=(speech.date or "")[:60],
        salutation=(speech.salutation or "")[:100],
        char_count=len(_speech_text(speech)),
        incomplete=list(speech.incomplete),
        duplicate_of=copy_of,
        similarity=plan.similarity if copy_of is not None and plan is not None else None,
    )
    if copy_of is not None:
        return skeleton
    section_rows: list[Section | None] = []
    for position, (section, parent_pos) in enumerate(_walk(speech.sections)):
        row = Section.objects.create(
            skeleton=skeleton,
            parent=section_rows[parent_pos] if parent_pos is not None else None,
            position=position,
            level=section.level,
            number=section.number or "",
            style=section.style or "",
            heading=section.heading[:300],
            role=section.role or "",
        )
        section_rows.append(row)

    # reusable_paragraphs yields opening, then section paragraphs depth-first, then closing:
    # the same order as _paragraph_owners, which says which section each one belongs to.
    owners = list(_paragraph_owners(speech, section_rows))
    if len(owners) != len(units):
        raise RuntimeError(f"paragraph units ({len(units)}) do not match the tree ({len(owners)})")
    Paragraph.objects.bulk_create(
        Paragraph(
            skeleton=skeleton,
            unit_id=skeleton.unit_id,
            shared=skeleton.shared,
            section=owner,
            position=position,
            level=unit.level or 0,
            number=(unit.number or "")[:20],
            heading=(unit.heading or "")[:300],
            text=unit.text,
            role=unit.role or Role.OTHER,
            keywords=list(unit.keywords),
            search_tokens=index_tokens(f"{unit.heading or ''} {unit.text}"),
        )
        for position, (owner, unit) in enumerate(zip(owners, units, strict=True))
    )
    return skeleton


def _walk(sections, parent_pos: int | None = None, counter: list | None = None) -> Iterator:
    """Depth-first (section, parent's index in the walk)."""
    counter = counter if counter is not None else [0]
    for section in sections:
        own = counter[0]
        counter[0] += 1
        yield section, parent_pos
        yield from _walk(section.children, own, counter)


def _paragraph_owners(speech: text_model.Speech, section_rows: list) -> Iterator:
    yield from (None for _ in speech.opening)
    for (section, _parent), row in zip(_walk(speech.sections), section_rows, strict=True):
        yield from (row for _ in section.paragraphs)
    yield from (None for _ in speech.closing)


def _speech_text(speech: text_model.Speech) -> str:
    lines = [speech.title, *speech.opening]
    for section, _parent in _walk(speech.sections):
        lines.append(f"{section.number or ''}{section.heading}")
        lines.extend(section.paragraphs)
    lines.extend(speech.closing)
    return "\n".join(line for line in lines if line)


def document_ingest_uploaded(document: SourceDocument) -> IngestResult:
    """Ingest the file an admin uploaded for `document`, recording progress on the row."""
    SourceDocument.objects.filter(pk=document.pk).update(state=SourceDocument.State.PROCESSING)
    limit = max_file_bytes()
    try:
        size = document.upload.size
        if size <= limit:
            with document.upload.open("rb") as handle:
                data = handle.read(limit + 1)
    except (OSError, ValueError):
        message = f"文件“{document.file_name}”的上传内容已丢失，请重新上传"
        _mark(document, SourceDocument.State.FAILED, message, checksum="")
        return IngestResult(document.file_name, "failed", message, document)
    if size > limit:  # stored before the upload page checked it: its real size, not the limit
        message = too_large_message(document.file_name, size, limit) + "，未导入"
        _mark(document, SourceDocument.State.FAILED, message, checksum="")
        return IngestResult(document.file_name, "failed", message, document)
    try:
        return document_ingest(file_name=document.file_name, data=data, document=document)
    except TIMEOUTS:
        raise  # the task marks it 处理超时
    except Exception:
        logger.exception("ingest of document %s failed", document.pk)
        message = internal_error_message(document.file_name)
        _mark(document, SourceDocument.State.FAILED, message, checksum="")
        return IngestResult(document.file_name, "failed", message, document)


def internal_error_message(file_name: str) -> str:
    return f"文件“{file_name}”处理时发生内部错误，已记录，请联系管理员"


# ---------------------------------------------------------------- batches


@transaction.atomic
def documents_upload(files, *, notes=(), user=None) -> UploadBatch:
    """Store one submission's accepted files (name, File: a temporary file, moved into the
    storage rather than copied) and queue the batch as one job, after commit. A name already
    stored in the uploader's unit is the same document, uploaded again: rebuilt in place when
    its content changed. The documents belong to the uploader's unit."""
    unit_id = unit_id_of(user) or default_unit_id()
    batch = UploadBatch.objects.create(created_by=user, unit_id=unit_id, notes=list(notes))
    replaced: list[str] = []
    items = []
    for position, (name, content) in enumerate(files):
        document, _ = SourceDocument.objects.get_or_create(file_name=name, unit_id=unit_id)
        if document.upload:
            replaced.append(document.upload.name)
        document.upload.save(name.replace("/", "_"), content, save=False)
        document.state = SourceDocument.State.PENDING
        document.error = ""
        document.save()
        items.append(BatchItem(batch=batch, position=position, document=document, file_name=name))
    BatchItem.objects.bulk_create(items)

    def after_commit() -> None:
        # The files replaced go once the new ones are recorded, never before.
        storage = SourceDocument._meta.get_field("upload").storage
        for old in replaced:
            try:
                storage.delete(old)
            except OSError:
                logger.warning("could not delete replaced upload %s", old)
        batch_enqueue(batch.pk)

    transaction.on_commit(after_commit)
    return batch


QUEUE_UNAVAILABLE = (
    "后台服务暂不可用，文件已保存但未导入。请稍后在列表中勾选它，执行“重新导入所选文件”。"
)
_UNFINISHED = (SourceDocument.State.PENDING, SourceDocument.State.PROCESSING)


def batch_enqueue(batch_id: int) -> None:
    """Queue the batch's job (or the rest of it). A broker that cannot be reached fails its
    files with a message (they stay stored, to be re-imported) instead of leaving them 排队中."""

    def unavailable() -> None:
        items = BatchItem.objects.filter(batch_id=batch_id, state=SourceDocument.State.PENDING)
        SourceDocument.objects.filter(
            pk__in=items.values("document_id"), state=SourceDocument.State.PENDING
        ).update(state=SourceDocument.State.FAILED, error=QUEUE_UNAVAILABLE)
        items.update(state=SourceDocument.State.FAILED, message=QUEUE_UNAVAILABLE)
        batch_finish(batch_id)

    enqueue("corpus.ingest_batch", batch_id, unavailable=unavailable)


def batch_next_item(batch_id: int) -> BatchItem | None:
    """The first item not finished: one still 处理中 was interrupted (its worker was lost) and
    is taken again."""
    return (
        BatchItem.objects.filter(batch_id=batch_id, state__in=_UNFINISHED)
        .select_related("document")
        .order_by("position")
        .first()
    )


def batch_item_ingest(item: BatchItem) -> None:
    """Ingest one item's document and record how it went on the item (TIMEOUTS propagate)."""
    BatchItem.objects.filter(pk=item.pk).update(state=SourceDocument.State.PROCESSING)
    document = item.document
    if document is None:  # deleted while queued
        _item_record(item, SourceDocument.State.FAILED, "文件已在导入前被删除，未导入")
        return
    result = document_ingest_uploaded(document)
    state = SourceDocument.objects.filter(pk=document.pk).values_list("state", flat=True).first()
    if state is None or state in _UNFINISHED:  # deleted meanwhile, or not marked: the outcome
        failed = result.outcome == "failed"
        state = SourceDocument.State.FAILED if failed else SourceDocument.State.DONE
    _item_record(item, state, result.message)


def batch_item_fail(item_id: int, message: str | None = None) -> None:
    """An item stopped by a time limit (message None: the document's own 处理超时 message) or
    an internal error."""
    item = BatchItem.objects.select_related("document").filter(pk=item_id).first()
    if item is None:
        return
    if message is None:
        document = item.document
        message = document.error if document is not None else ""
    elif item.document is not None:
        SourceDocument.objects.filter(pk=item.document_id, state__in=_UNFINISHED).update(
            state=SourceDocument.State.FAILED, error=message
        )
    _item_record(item, SourceDocument.State.FAILED, message)


def batch_processing_item(batch_id: int) -> BatchItem | None:
    return BatchItem.objects.filter(
        batch_id=batch_id, state=SourceDocument.State.PROCESSING
    ).first()


def _item_record(item: BatchItem, state: str, message: str) -> None:
    item.state, item.message = state, message
    BatchItem.objects.filter(pk=item.pk).update(state=state, message=message)


def batch_finish(batch_id: int) -> None:
    if not BatchItem.objects.filter(batch_id=batch_id, state__in=_UNFINISHED).exists():
        UploadBatch.objects.filter(pk=batch_id, finished_at__isnull=True).update(
            finished_at=timezone.now()
        )


@dataclass(frozen=True)
class BatchProgress:
    total: int
    finished: int
    failed: int
    duplicate: int

    @property
    def running(self) -> bool:
        return self.finished < self.total

    @property
    def percent(self) -> int:
        return round(100 * self.finished / self.total) if self.total else 100


@transaction.atomic
def documents_share(documents, *, shared: bool) -> int:
    """Mark documents 共享 (every unit sees them) or not, with their speeches and paragraphs.
    A superuser's decision (the admin offers it to superusers only)."""
    ids = [d.pk for d in documents]
    count = SourceDocument.objects.filter(pk__in=ids).update(shared=shared)
    Skeleton.objects.filter(document_id__in=ids).update(shared=shared)
    Paragraph.objects.filter(skeleton__document_id__in=ids).update(shared=shared)
    documents_shared.send(sender=SourceDocument, document_ids=ids, shared=shared)
    return count


@transaction.atomic
def skeletons_share(skeletons, *, shared: bool) -> int:
    """Mark speeches 共享 or not, with their paragraphs."""
    ids = [s.pk for s in skeletons]
    count = Skeleton.objects.filter(pk__in=ids).update(shared=shared)
    Paragraph.objects.filter(skeleton_id__in=ids).update(shared=shared)
    return count


def batch_progress(batch: UploadBatch) -> BatchProgress:
    states = list(batch.items.values_list("state", flat=True))
    return BatchProgress(
        total=len(states),
        finished=sum(s not in _UNFINISHED for s in states),
        failed=states.count(SourceDocument.State.FAILED),
        duplicate=states.count(SourceDocument.State.DUPLICATE),
    )


@transaction.atomic
def documents_reingest(documents, *, user=None) -> UploadBatch | None:
    """Queue stored uploads again, as one batch (after a failure, an outage or a parser
    improvement); None when none of them has a stored upload."""
    documents = [d for d in documents if d.upload]
    if not documents:
        return None
    batch = UploadBatch.objects.create(
        created_by=user, unit_id=unit_id_of(user) or default_unit_id()
    )
    SourceDocument.objects.filter(pk__in=[d.pk for d in documents]).update(
        state=SourceDocument.State.PENDING, error=""
    )
    BatchItem.objects.bulk_create(
        BatchItem(batch=batch, position=position, document=d, file_name=d.file_name)
        for position, d in enumerate(documents)
    )
    transaction.on_commit(lambda: batch_enqueue(batch.pk))
    return batch


@dataclass(frozen=True)
class Approval:
    """What document_approve changed from 待审核 to 已采用, and the skeletons it left waiting."""

    skeletons: int
    paragraphs: int
    phrases: int
    incomplete_waiting: int

    def __str__(self) -> str:
        if self.skeletons or self.paragraphs or self.phrases:
            text = (
                f"已采用 {self.skeletons} 个讲话骨架、{self.paragraphs} 个段落、"
                f"{self.phrases} 条短语"
            )
        else:
            text = "没有待审核的内容需要采用"
        if self.incomplete_waiting:
            text += f"；{self.incomplete_waiting} 个不完整的讲话骨架仍待审核"
        return text


def document_approve(document: SourceDocument) -> Approval:
    """Mark what is mined from `document` and still waits for review (待审核) as approved, for
    a corpus already vetted. A curator's decisions stand: what is 已弃用 stays so. The
    library approves the phrases mined from it (document_approved answers with their count)."""
    waiting = {"status": Status.CANDIDATE}
    paragraphs = Paragraph.objects.filter(skeleton__document=document, **waiting).update(
        status=Status.APPROVED
    )
    # A speech that looks incomplete is good material but not a whole speech to start from:
    # its skeleton waits for a curator's deliberate approval.
    stored = Skeleton.objects.stored().filter(document=document, **waiting)
    skeletons = stored.filter(incomplete=[]).update(status=Status.APPROVED)
    answers = document_approved.send(sender=SourceDocument, document=document)
    phrases = sum(count for _receiver, count in answers if isinstance(count, int))
    return Approval(skeletons, paragraphs, phrases, incomplete_waiting=stored.count())
