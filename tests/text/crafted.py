"""Builders of crafted files, shared by the text and the corpus tests."""

import io
import re
import zipfile
import zlib
from pathlib import Path

import docx

SPEECH = ["在全县经济工作会议上的讲话", "同志们：", "今天我们召开全县经济工作会议，部署明年工作。"]
DOCUMENT = "word/document.xml"
PASSWD = Path("/etc/passwd")


def base_docx(paragraphs=SPEECH) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def part(data: bytes, name: str = DOCUMENT) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(name).decode("utf-8")


def rewrite(data: bytes, name: str, content: bytes | None, extra: dict | None = None) -> bytes:
    """``data`` with part ``name`` replaced (dropped when None) and ``extra`` parts added."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            if info.filename == name:
                if content is not None:
                    out.writestr(name, content)
            else:
                out.writestr(info.filename, source.read(info.filename))
        for extra_name, extra_content in (extra or {}).items():
            out.writestr(extra_name, extra_content)
    return buffer.getvalue()


def with_dtd(doctype: str, run_text: str, name: str = DOCUMENT, encoding="utf-8") -> bytes:
    """A .docx whose part ``name`` declares ``doctype`` and whose first run is ``run_text``."""
    data = base_docx()
    xml = part(data, name)
    xml = re.sub(r"<w:t>[^<]*</w:t>", f"<w:t>{run_text}</w:t>", xml, count=1)
    xml = re.sub(r"(<\?xml[^>]*\?>\s*)", lambda m: m.group(1) + doctype, xml, count=1)
    if encoding != "utf-8":
        xml = xml.replace("encoding='UTF-8'", f"encoding='{encoding}'").replace(
            'encoding="UTF-8"', f'encoding="{encoding}"'
        )
    return rewrite(data, name, xml.encode(encoding))


XXE = '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'


def passwd_lines() -> list[str]:
    return [ln for ln in PASSWD.read_text().splitlines() if ln][:3] if PASSWD.exists() else []


def huge_part_docx(monkeypatch, size: int, name: str = DOCUMENT) -> bytes:
    """A .docx whose part ``name`` decompresses to ``size`` bytes (a few hundred KB).

    Deflating hundreds of MB takes seconds; a chunk compressed after a full flush is an
    independent deflate block, so the block is simply repeated.
    """
    chunk = b"<w:p><w:r><w:t>" + "炸弹".encode() * 10 + b"</w:t></w:r></w:p>"
    chunk *= (1 << 20) // len(chunk)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)

    class RepeatedBlock:  # zipfile's compressor interface
        def compress(self, data: bytes) -> bytes:
            return block

        def flush(self) -> bytes:
            return b"\x03\x00"  # an empty final block

    source = zipfile.ZipFile(io.BytesIO(base_docx()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            if info.filename != name:
                out.writestr(info.filename, source.read(info.filename))
        with monkeypatch.context() as patch:
            patch.setattr(zipfile, "_get_compressor", lambda *args: RepeatedBlock())
            with out.open(name, "w", force_zip64=True) as handle:
                for _ in range(size // len(chunk)):
                    handle.write(chunk)
    return buffer.getvalue()


def patched(data: bytes, signature: bytes, offset: int, value: bytes) -> bytes:
    """``data`` with ``value`` written ``offset`` bytes after the first ``signature``."""
    out = bytearray(data)
    at = out.index(signature) + offset
    out[at : at + len(value)] = value
    return bytes(out)


def zip_damages(good: bytes) -> dict[str, bytes]:
    """Ways a zip gets damaged that zipfile reports with different exceptions."""
    local, central, end = b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06"
    name_length = int.from_bytes(good[26:28], "little")
    method = (99).to_bytes(2, "little")  # AES and friends: not supported by zipfile
    return {
        "corrupt deflate stream": patched(good, local, 30 + name_length, b"\x07"),
        "wrong checksum": patched(good, central, 16, bytes(4)),
        "unsupported method": patched(patched(good, local, 8, method), central, 10, method),
        "future zip version": patched(good, central, 6, (255).to_bytes(2, "little")),
        "directory offset out of the file": patched(good, end, 16, b"\x00\xff\xff\xff"),
        "truncated": good[: len(good) // 2],
    }
