"""Unpack uploaded batches safely: no path traversal, no zip bombs, clear Chinese refusals."""

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass

from speechdraft.text.decode import ZIP_ERRORS
from speechdraft.text.errors import UserError

MAX_MEMBERS = 500
MAX_MEMBER_BYTES = 20 * 1024 * 1024
MAX_TOTAL_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100  # uncompressed / compressed; real text compresses about 3-10x
SUPPORTED_SUFFIXES = (".txt", ".docx", ".html", ".htm")
_CONTROL_RE = re.compile("[\x00-\x1f\x7f-\x9f]")


class UploadError(UserError):
    """An upload refused as a whole (unsafe or unreadable archive)."""


@dataclass(frozen=True)
class Member:
    name: str
    data: bytes


def _safe_name(raw: str, zip_name: str) -> str | None:
    """The name to store a member under, or None for entries to skip."""
    name = raw.replace("\\", "/")
    if name.endswith("/") or name.startswith("__MACOSX/"):
        return None
    parts = [p for p in name.split("/") if p]
    if not parts or name.startswith("/") or ".." in parts or ":" in parts[0]:
        raise UploadError(f"{zip_name}：压缩包中的路径不安全：“{raw}”，已拒绝整个压缩包")
    if _CONTROL_RE.search(name):  # stored and shown as the document's name
        raise UploadError(f"{zip_name}：压缩包中的文件名含控制字符：{raw!r}，已拒绝整个压缩包")
    if posixpath.basename(name).startswith("."):
        return None
    # Keep the folders: two a.txt in different folders are different documents.
    return "/".join(parts)[-255:]


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, zip_name: str) -> bytes:
    try:
        with archive.open(info) as handle:
            # Read at most one byte past the declared size: headers can lie.
            return handle.read(info.file_size + 1)
    except ZIP_ERRORS:
        raise UploadError(
            f"{zip_name}：{info.filename} 无法解压（数据已损坏或压缩方式不受支持），已拒绝整个压缩包"
        ) from None


def zip_members(zip_name: str, data: bytes) -> list[Member]:
    """The supported files of a .zip upload, read with size and ratio limits."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except ZIP_ERRORS:
        raise UploadError(f"{zip_name}：不是有效的 zip 压缩包") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise UploadError(f"{zip_name}：压缩包内文件超过 {MAX_MEMBERS} 个")
        total = 0
        members: list[Member] = []
        for info in infos:
            name = _safe_name(info.filename, zip_name)
            if name is None:
                continue
            if info.flag_bits & 0x1:
                raise UploadError(f"{zip_name}：压缩包已加密，无法读取 {info.filename}")
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES or ratio > MAX_RATIO:
                raise UploadError(f"{zip_name}：解压后体积异常（疑似压缩炸弹），已拒绝")
            content = _read_member(archive, info, zip_name)
            if len(content) > info.file_size:
                raise UploadError(f"{zip_name}：{info.filename} 的实际大小与声明不符，已拒绝")
            members.append(Member(name, content))
    if not members:
        raise UploadError(f"{zip_name}：压缩包中没有可导入的文件")
    return members


def upload_members(file_name: str, data: bytes) -> list[Member]:
    """One uploaded file as the list of documents it holds (a .zip holds several)."""
    if file_name.lower().endswith(".zip"):
        return zip_members(file_name, data)
    return [Member(file_name, data)]
