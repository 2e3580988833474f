"""A PDF beside the Word file: the same .docx laid out by LibreOffice headless, where the
worker has it installed (docker-compose's image does; `EXPORT_PDF_PROGRAM` names it or turns
PDF off). No Django here: the caller hands in the program and the time limit.

Each conversion gets a LibreOffice profile of its own (two at once cannot share one) and a
fontconfig that falls back, for each GB/T 9704 face the file names but the machine lacks, to a
CJK face of the same kind (serif for 仿宋/宋体/楷体/小标宋, sans for 黑体): the line pitch and
grid come from the file, so the page holds 22 lines of 28 characters whatever the face.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape

from speechdraft.ooxml.model import FontSettings

SERIF = "Noto Serif CJK SC"
SANS = "Noto Sans CJK SC"
_SANS_FACES = ("黑体",)

FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
{aliases}
</fontconfig>
"""

MISSING = "服务器未安装 LibreOffice，不能生成 PDF：请导出 Word 文件。"
FAILED = "PDF 生成失败，请点“重试”，或先导出 Word 文件。"
TIMED_OUT = "PDF 生成超时，请点“重试”，或先导出 Word 文件。"


class PdfFailed(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def program_for(setting: str) -> str | None:
    """The LibreOffice program to run: `setting` ("off" for none, a path or program name),
    else soffice or libreoffice on PATH; None when there is none."""
    setting = (setting or "").strip()
    if setting.lower() == "off":
        return None
    if setting:
        return shutil.which(setting)
    return shutil.which("soffice") or shutil.which("libreoffice")


def substitutes(fonts: Iterable[FontSettings] = (FontSettings(), FontSettings.system())) -> dict:
    """face → the CJK face that stands in for it when it is not installed."""
    faces: dict[str, str] = {}
    for settings in fonts:
        for name in sorted(settings.names() - {settings.latin}):
            faces[name] = SANS if name in _SANS_FACES else SERIF
    return faces


def fonts_conf(faces: dict[str, str], *, prefer: bool = False) -> str:
    """A fontconfig file: each face falls back to its substitute (`prefer`: the substitute
    comes first even where the face is installed, so a test lays out the same everywhere)."""
    mode = "prefer" if prefer else "accept"
    aliases = "\n".join(
        f'  <alias binding="same"><family>{escape(name)}</family><{mode}><family>'
        f"{escape(face)}</family></{mode}></alias>"
        for name, face in faces.items()
    )
    return FONTS_CONF.format(aliases=aliases)


def convert(
    sources: list[Path], outdir: Path, *, program: str, timeout: float, prefer: bool = False
) -> list[Path]:
    """Each .docx of `sources` converted to a PDF in `outdir` (its stem, .pdf). Raises
    PdfFailed (a Chinese message) when LibreOffice fails, times out or writes nothing."""
    with tempfile.TemporaryDirectory(prefix="speechdraft-lo-") as work:
        home = Path(work)
        conf = home / "fonts.conf"
        conf.write_text(fonts_conf(substitutes(), prefer=prefer), encoding="utf-8")
        env = dict(os.environ, FONTCONFIG_FILE=str(conf), HOME=str(home))
        profile = f"-env:UserInstallation={(home / 'profile').as_uri()}"
        command = [program, profile, "--headless", "--norestore", "--convert-to", "pdf"]
        try:
            subprocess.run(
                [*command, "--outdir", str(outdir), *map(str, sources)],
                check=True,
                timeout=timeout,
                env=env,
                capture_output=True,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired:
            raise PdfFailed(TIMED_OUT) from None
        except (subprocess.CalledProcessError, OSError):
            raise PdfFailed(FAILED) from None
    pdfs = [outdir / f"{source.stem}.pdf" for source in sources]
    if not all(p.is_file() and p.stat().st_size > 0 for p in pdfs):
        raise PdfFailed(FAILED)
    return pdfs


def docx_to_pdf(data: bytes, *, program: str | None, timeout: float) -> bytes:
    """The PDF of one .docx (its bytes)."""
    if program is None:
        raise PdfFailed(MISSING)
    with tempfile.TemporaryDirectory(prefix="speechdraft-pdf-") as work:
        source = Path(work) / "speech.docx"
        source.write_bytes(data)
        (pdf,) = convert([source], Path(work), program=program, timeout=timeout)
        return pdf.read_bytes()
