"""Render a speech manuscript (讲话稿) to .docx in the official-document format (GB/T 9704-2012).

The exports app adapts its models to :class:`~speechdraft.ooxml.model.ExportDocument` and calls
:func:`render_docx`.
"""

from __future__ import annotations

from functools import cache
from os import PathLike
from pathlib import Path

from speechdraft.ooxml.builtin_reference import REFERENCE_PATH, build_reference
from speechdraft.ooxml.compose import compose
from speechdraft.ooxml.content import prepare
from speechdraft.ooxml.model import PROFILES, ExportDocument, FontSettings, Profile
from speechdraft.text.numbering import DATE_STYLES


@cache
def _builtin_reference() -> bytes:
    """The committed reference, read once per process; built in memory if it is missing."""
    if REFERENCE_PATH.exists():
        return REFERENCE_PATH.read_bytes()
    return build_reference()


def _profile(name: str) -> Profile:
    try:
        return PROFILES[name]
    except KeyError:
        options = "、".join(PROFILES)
        raise ValueError(f"未知的版式：{name!r}（可选：{options}）") from None


def render_docx(
    doc: ExportDocument,
    *,
    profile: str = "gongwen",
    fonts: FontSettings | None = None,
    date_style: str = "arabic",
    reference: bytes | Path | None = None,
) -> bytes:
    """Render ``doc`` to the bytes of a .docx file.

    With the built-in reference the ``profile`` and ``fonts`` (default :class:`FontSettings`) are
    always applied. With an office's own ``reference`` its styles, page setup, headers and
    footers rule: ``fonts`` is applied only when given, and only the ``"large"`` profile changes
    sizes, spacing and page-number alignment. The reference's body content is replaced.

    Raises ``ValueError`` (Chinese message) for unfilled slots (``{{``/``{%``), an unknown
    profile or date style, invalid blocks, or a reference that is unreadable or lacks a style.
    """
    prof = _profile(profile)
    if date_style not in DATE_STYLES:
        raise ValueError(f"未知的日期格式：{date_style!r}（可选：arabic、chinese）")
    content = prepare(doc, date_style)
    if reference is None:
        return compose(_builtin_reference(), content, prof, fonts or FontSettings(), builtin=True)
    data = Path(reference).read_bytes() if isinstance(reference, str | PathLike) else reference
    return compose(bytes(data), content, prof, fonts, builtin=False)
