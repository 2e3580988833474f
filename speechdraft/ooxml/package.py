"""A .docx as a zip of parts: the reference is read whole; only the parts changed are
re-serialised, everything else (letterhead headers, images, theme) is copied byte for byte."""

from __future__ import annotations

import io
import posixpath
import zipfile

from lxml import etree

from speechdraft.ooxml.schema import PARSER, PKG_REL_NS, RT_OFFICE_DOCUMENT

CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"

_MAX_REFERENCE_BYTES = 50 * 1024 * 1024


def _rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


class Package:
    def __init__(self, data: bytes):
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            infos = archive.infolist()
            if sum(info.file_size for info in infos) > _MAX_REFERENCE_BYTES:
                raise ValueError("参考文档过大，无法使用。")
            self.names = [info.filename for info in infos if not info.is_dir()]
            self.blobs = {name: archive.read(name) for name in self.names}
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as exc:
            raise ValueError("无法读取参考文档：不是有效的 Word 文档（.docx）。") from exc
        self._trees: dict[str, etree._Element] = {}
        main = self.related("", RT_OFFICE_DOCUMENT)
        if not main or main[0][1] not in self.blobs:
            raise ValueError("无法读取参考文档：找不到文档正文部分。")
        self.main = main[0][1]

    def xml(self, name: str) -> etree._Element:
        """The parsed part; parts obtained here are written back on :meth:`to_bytes`."""
        if name not in self._trees:
            try:
                self._trees[name] = etree.fromstring(self.blobs[name], PARSER)
            except etree.XMLSyntaxError as exc:
                raise ValueError(f"无法读取参考文档：{name} 不是有效的 XML。") from exc
        return self._trees[name]

    def related(self, source: str, rel_type: str | None = None) -> list[tuple[str, str]]:
        """(rId, part name) of the internal relationships of ``source`` ('' = the package)."""
        rels = _rels_name(source) if source else "_rels/.rels"
        if rels not in self.blobs:
            return []
        base = posixpath.dirname(source)
        found = []
        for rel in self.xml(rels):
            if rel.get("TargetMode") == "External":
                continue
            if rel_type is not None and rel.get("Type") != rel_type:
                continue
            target = rel.get("Target", "")
            if target.startswith("/"):
                name = target.lstrip("/")
            else:
                name = posixpath.normpath(posixpath.join(base, target))
            found.append((rel.get("Id", ""), name))
        return found

    def part(self, rel_type: str) -> str | None:
        parts = self.related(self.main, rel_type)
        return parts[0][1] if parts and parts[0][1] in self.blobs else None

    def put_part(self, rel_type: str, name: str, blob: bytes, content_type: str) -> str:
        """The main part's part of `rel_type` made `blob`: the one it has replaced, else
        `name` added with its content type and relationship. Returns the part's name."""
        found = self.part(rel_type)
        if found is not None:
            self.blobs[found] = blob
            self._trees.pop(found, None)
            return found
        types = self.xml("[Content_Types].xml")
        for override in types.findall(f"{{{CT_NS}}}Override"):
            if override.get("PartName", "").lstrip("/") == name:
                types.remove(override)
        etree.SubElement(
            types, f"{{{CT_NS}}}Override", PartName="/" + name, ContentType=content_type
        )
        rels_name = _rels_name(self.main)
        if rels_name not in self.blobs:
            self.names.append(rels_name)
            self.blobs[rels_name] = f'<Relationships xmlns="{PKG_REL_NS}"/>'.encode()
        rels = self.xml(rels_name)
        taken = {rel.get("Id") for rel in rels}
        number = 1
        while f"rId{number}" in taken:
            number += 1
        target = posixpath.relpath(name, posixpath.dirname(self.main))
        etree.SubElement(
            rels,
            f"{{{PKG_REL_NS}}}Relationship",
            Id=f"rId{number}",
            Type=rel_type,
            Target=target,
        )
        if name not in self.blobs:
            self.names.append(name)
        self.blobs[name] = blob
        self._trees.pop(name, None)
        return name

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in self.names:
                if name in self._trees:
                    blob = etree.tostring(
                        self._trees[name], xml_declaration=True, encoding="UTF-8", standalone=True
                    )
                else:
                    blob = self.blobs[name]
                # A fixed timestamp keeps the output (and the committed reference) reproducible.
                info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, blob)
        return out.getvalue()
