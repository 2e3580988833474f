"""One upload submission, unpacked within per-request budgets: no path traversal, no zip
bombs, clear Chinese messages, and never more than the budgets read, held or written.

The limits are the settings UPLOAD_MAX_REQUEST_BYTES (the request body), UPLOAD_MAX_FILE_BYTES
(one document: the limit ingestion applies too), UPLOAD_MAX_TOTAL_UNZIPPED_BYTES (all the
documents of the request once unzipped) and UPLOAD_MAX_FILES (documents in the request, zip
members included). In order:

1. The upload page refuses a request whose Content-Length is over the limit before parsing any
   of it (`request_refusal`; the body is only drained, unkept, so that the browser, still
   sending, gets the page rather than a reset connection: `discard_body`); `BudgetUploadHandler`
   reads the rest into temporary files, never memory, and keeps nothing past the first file
   over the count.
2. `unpack` plans from the zips' central directories, which cost nothing to read: members that
   are not speeches, too large, encrypted, unsafe or suspicious are skipped with a note, as is a
   zip that cannot be read (the other files are kept); a name given twice is renamed.
3. The request's totals (documents, unzipped bytes) are checked on that plan: past one, nothing
   is accepted and no member has been decompressed.
4. Each member is streamed in chunks into a temporary file, never past its declared size (the
   declared sizes were the budget); a member whose data is damaged is skipped with a note.
"""

import posixpath
import zipfile
from contextlib import ExitStack
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.uploadedfile import TemporaryUploadedFile, UploadedFile
from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler

from speechdraft.text.decode import ZIP_ERRORS
from speechdraft.text.errors import UserError
from speechdraft.text.sanitize import holds_not_text

MAX_RATIO = 100  # uncompressed / compressed; real text compresses about 3-10x
# What ingestion reads (speechdraft.text.decode); anything else in a batch is skipped.
SUPPORTED_SUFFIXES = (".txt", ".docx", ".docm", ".html", ".htm", ".xhtml", ".shtml")
ACCEPTED_TEXT = ".txt、.docx、.html"
# Stored and deflate only: bzip2 and lzma decompress a whole chunk at once, whatever its size.
COMPRESSIONS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
# Entries a zip may list (folders and __MACOSX/ clutter besides the documents) per document
# allowed: its central directory is read into memory before anything else can be checked.
ENTRIES_PER_FILE = 4
DIRECTORY_BYTES_PER_ENTRY = 1024
CHUNK_BYTES = 64 * 1024
_JUNK_NAMES = frozenset({"thumbs.db", "desktop.ini"})
_MB = 1024 * 1024


class UploadError(UserError):
    """An archive refused as a whole (unsafe or unreadable); the other files are kept."""


class BudgetExceeded(UploadError):
    """The submission as a whole is over a per-request limit: nothing of it is accepted."""


@dataclass(frozen=True)
class Budget:
    request_bytes: int
    file_bytes: int
    unzipped_bytes: int
    files: int

    @classmethod
    def from_settings(cls) -> "Budget":
        return cls(
            request_bytes=settings.UPLOAD_MAX_REQUEST_BYTES,
            file_bytes=settings.UPLOAD_MAX_FILE_BYTES,
            unzipped_bytes=settings.UPLOAD_MAX_TOTAL_UNZIPPED_BYTES,
            files=settings.UPLOAD_MAX_FILES,
        )


def size_text(size: int) -> str:
    """20 MB, 49.3 MB, 512 KB: whole numbers without decimals."""
    if size >= _MB:
        value, unit = size / _MB, "MB"
    elif size >= 1024:
        value, unit = size / 1024, "KB"
    else:
        return f"{size} 字节"
    return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"


def too_large_message(name: str, size: int, limit: int) -> str:
    """One file over the per-file limit: the same words at upload and at ingestion."""
    return f"文件“{name}”太大（{size_text(size)}），超过单个文件 {size_text(limit)} 的上限"


def _split(message: str) -> str:
    return f"{message}，未接收任何文件。请分批上传。"


def request_refusal(content_length: int, budget: Budget) -> str | None:
    """A request body over the limit, refused before any of it is read."""
    if content_length <= budget.request_bytes:
        return None
    return _split(
        f"本次上传共 {size_text(content_length)}，超过单次上传 {size_text(budget.request_bytes)} 的上限"
    )


# A body over the limit is drained (read and dropped) up to this many times the limit so that
# the refusal reaches the browser; past that the connection is simply not read.
DRAIN_FACTOR = 4


def discard_body(request, content_length: int, budget: Budget) -> int:
    """Read and drop a refused request's body in chunks (never held); the bytes read."""
    if content_length > budget.request_bytes * DRAIN_FACTOR:
        return 0
    read = 0
    try:
        while chunk := request.read(CHUNK_BYTES):
            read += len(chunk)
    except OSError:  # the client went away
        pass
    return read


def too_many_files_message(limit: int) -> str:
    return _split(f"一次最多上传 {limit} 个文件（压缩包内的文件也计入），本次超过了这个数量")


class BudgetUploadHandler(TemporaryFileUploadHandler):
    """Reads the upload page's request into temporary files and keeps nothing from the first
    file past the count, or past the byte limit (should Content-Length understate the body):
    the rest of the body, at most the request limit, is drained unkept so that the refusal
    reaches the browser. `refusal` then says why, and the page accepts nothing."""

    def __init__(self, request, budget: Budget) -> None:
        super().__init__(request)
        self.budget = budget
        self.files = 0
        self.received = 0
        self.refusal: str | None = None

    def new_file(self, *args, **kwargs) -> None:
        self.files += 1
        if self.files > self.budget.files:
            self.refusal = too_many_files_message(self.budget.files)
            raise StopUpload(connection_reset=False)
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data: bytes, start: int):
        self.received += len(raw_data)
        if self.received > self.budget.request_bytes:
            self.refusal = _split(
                f"本次上传超过单次上传 {size_text(self.budget.request_bytes)} 的上限"
            )
            raise StopUpload(connection_reset=False)
        return super().receive_data_chunk(raw_data, start)


@dataclass
class _Planned:
    """One document to create: a file as uploaded, or a member of a zip."""

    name: str
    size: int  # declared by the zip's directory for a member
    label: str  # how notes name it: 讲话.txt, or 批次.zip：2023/讲话.txt
    upload: UploadedFile
    info: zipfile.ZipInfo | None = None
    archive: zipfile.ZipFile | None = None


@dataclass
class Unpacked:
    """The accepted documents, in the order given, each a temporary file; and what the
    curator is told about the rest (skipped, renamed)."""

    files: list[tuple[str, UploadedFile]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def close(self) -> None:
        for _name, upload in self.files:
            upload.close()


def _safe_name(raw: str, zip_name: str) -> str | None:
    """The name to store a member under, or None for entries to skip without a word."""
    name = raw.replace("\\", "/")
    if name.endswith("/") or name.startswith("__MACOSX/"):
        return None
    parts = [p for p in name.split("/") if p]
    if not parts or name.startswith("/") or ".." in parts or ":" in parts[0]:
        raise UploadError(f"{zip_name}：压缩包中的路径不安全：“{raw}”，已拒绝整个压缩包")
    if holds_not_text(name, single_line=True):  # stored and shown as the document's name
        raise UploadError(f"{zip_name}：压缩包中的文件名含控制字符：{raw!r}，已拒绝整个压缩包")
    base = posixpath.basename(name)
    if base.startswith(".") or base.lower() in _JUNK_NAMES:
        return None
    # Keep the folders: two a.txt in different folders are different documents.
    return "/".join(parts)[-255:]


def _refusal(
    name: str, size: int, budget: Budget, zip_name: str = "", info: zipfile.ZipInfo | None = None
) -> str | None:
    """Why a file (or the member `info` of `zip_name`) is not a document to import, or None."""
    label = f"{zip_name}：{name}" if zip_name else f"“{name}”"
    lower = name.lower()
    if lower.endswith(".zip"):
        if not zip_name:
            return None
        return f"{label} 是压缩包中的压缩包，不会展开，已跳过（请解压后单独上传）"
    if not lower.endswith(SUPPORTED_SUFFIXES):
        return f"{label} 不是可导入的讲话稿文件（只接受 {ACCEPTED_TEXT}），已跳过"
    if info is not None:
        if info.flag_bits & 0x1:
            return f"{label} 已加密，无法读取，已跳过"
        if info.compress_type not in COMPRESSIONS:
            return f"{label} 使用了不支持的压缩方式，已跳过（请用常见的 zip 格式重新压缩）"
        if info.file_size / max(info.compress_size, 1) > MAX_RATIO:
            return f"{label} 解压后体积异常（疑似压缩炸弹），已跳过"
    if size > budget.file_bytes:
        where = f"{zip_name}：" if zip_name else ""
        return f"{where}{too_large_message(name, size, budget.file_bytes)}，已跳过"
    if size == 0:
        return f"{label} 是空文件，已跳过"
    return None


def _open_archive(upload: UploadedFile, budget: Budget) -> zipfile.ZipFile:
    """The zip, its directory checked for size before zipfile reads all of it."""
    zip_name = upload.name
    try:
        upload.seek(0)
        end = zipfile._EndRecData(upload.file)  # None when there is no end record
    except ZIP_ERRORS:
        end = None
    if end is None:
        raise UploadError(f"{zip_name}：不是有效的 zip 压缩包，已跳过")
    entries, directory = end[zipfile._ECD_ENTRIES_TOTAL], end[zipfile._ECD_SIZE]
    if entries * 46 > directory or directory > upload.size:  # 46: an entry's fixed part
        raise UploadError(f"{zip_name}：不是有效的 zip 压缩包（目录已损坏），已跳过")
    limit = budget.files * ENTRIES_PER_FILE
    if entries > limit:
        raise BudgetExceeded(
            _split(
                f"{zip_name}：压缩包内有 {entries} 个条目，超过单次上传 {budget.files} 个文件的上限"
            )
        )
    if directory > (limit + 64) * DIRECTORY_BYTES_PER_ENTRY:
        raise UploadError(f"{zip_name}：压缩包目录异常（{size_text(directory)}），已跳过")
    try:
        return zipfile.ZipFile(upload.file)
    except ZIP_ERRORS:
        raise UploadError(f"{zip_name}：不是有效的 zip 压缩包（或已损坏），已跳过") from None


def _plan_archive(
    upload: UploadedFile, budget: Budget, notes: list[str], stack: ExitStack
) -> list[_Planned]:
    zip_name = upload.name
    archive = stack.enter_context(_open_archive(upload, budget))
    planned: list[_Planned] = []
    pending_notes: list[str] = []
    for info in archive.infolist():
        name = _safe_name(info.filename, zip_name)  # UploadError: the whole zip is refused
        if name is None:
            continue
        reason = _refusal(name, info.file_size, budget, zip_name, info)
        if reason is not None:
            pending_notes.append(reason)
            continue
        label = f"{zip_name}：{name}"
        planned.append(_Planned(name, info.file_size, label, upload, info, archive))
    notes.extend(pending_notes)
    if not planned and not pending_notes:
        notes.append(f"{zip_name}：压缩包中没有可导入的文件")
    return planned


def _plan(
    uploads: list[UploadedFile], budget: Budget, notes: list[str], stack: ExitStack
) -> list[_Planned]:
    planned: list[_Planned] = []
    for upload in uploads:
        name = (upload.name or "（未命名）")[-255:]
        if name.lower().endswith(".zip"):
            try:
                planned += _plan_archive(upload, budget, notes, stack)
            except BudgetExceeded:
                raise
            except UploadError as exc:
                notes.append(exc.message)
            continue
        reason = _refusal(name, upload.size, budget)
        if reason is not None:
            notes.append(reason)
        else:
            planned.append(_Planned(name, upload.size, f"“{name}”", upload))
    return planned


def _numbered(name: str, n: int) -> str:
    folder, base = posixpath.split(name)
    stem, dot, suffix = base.rpartition(".")
    if not stem:  # no suffix
        stem, dot, suffix = base, "", ""
    base = f"{stem}（{n}）{dot}{suffix}"
    return posixpath.join(folder, base)[-255:] if folder else base[-255:]


def _rename_duplicates(planned: list[_Planned], notes: list[str]) -> None:
    """A name given twice (two zips with 讲话.txt): the later one becomes 讲话（2）.txt."""
    taken = {p.name for p in planned}
    seen: set[str] = set()
    for item in planned:
        if item.name in seen:
            n = 2
            while _numbered(item.name, n) in taken:
                n += 1
            renamed = _numbered(item.name, n)
            notes.append(
                f"{item.label} 与本次上传的另一个文件同名，两个都已保留，这一个改名为“{renamed}”"
            )
            item.name = renamed
            taken.add(renamed)
        seen.add(item.name)


def _check_budget(planned: list[_Planned], budget: Budget) -> None:
    if len(planned) > budget.files:
        raise BudgetExceeded(
            _split(
                f"本次上传共有 {len(planned)} 个文件（含压缩包内的文件），"
                f"超过单次上传 {budget.files} 个的上限"
            )
        )
    total = sum(p.size for p in planned)
    if total > budget.unzipped_bytes:
        raise BudgetExceeded(
            _split(
                f"本次上传的文件解压后共 {size_text(total)}，"
                f"超过单次上传解压后 {size_text(budget.unzipped_bytes)} 的上限"
            )
        )


def _extract(item: _Planned, notes: list[str]) -> UploadedFile | None:
    """A member streamed into a temporary file, never past its declared size."""
    assert item.info is not None and item.archive is not None
    staged = TemporaryUploadedFile(
        posixpath.basename(item.name), "application/octet-stream", 0, None
    )
    written = 0
    try:
        with item.archive.open(item.info) as member:
            while chunk := member.read(CHUNK_BYTES):
                written += len(chunk)
                if written > item.size:  # headers can lie
                    notes.append(f"{item.label} 的实际大小与声明不符，已跳过")
                    staged.close()
                    return None
                staged.write(chunk)
    except ZIP_ERRORS:
        notes.append(f"{item.label} 无法解压（数据已损坏或压缩方式不受支持），已跳过")
        staged.close()
        return None
    staged.seek(0)
    staged.size = written
    return staged


def unpack(uploads: list[UploadedFile], budget: Budget) -> Unpacked:
    """The documents of one submission, in order, with notes on what was not accepted.

    Raises BudgetExceeded when the submission as a whole is over a limit (nothing accepted).
    """
    result = Unpacked()
    with ExitStack() as stack:
        planned = _plan(uploads, budget, result.notes, stack)
        _check_budget(planned, budget)
        _rename_duplicates(planned, result.notes)
        try:
            for item in planned:
                staged = item.upload if item.info is None else _extract(item, result.notes)
                if staged is not None:
                    staged.seek(0)
                    result.files.append((item.name, staged))
        except BaseException:
            result.close()
            raise
    return result
