"""Pure-Python text core of speechdraft (no Django imports anywhere in this package).

Entry points (``speechdraft.text.pipeline``):

* ``parse_bytes(data, filename, *, max_bytes=20 MB) -> ParsedFile`` – raises
  ``errors.IngestError`` (``.message`` in Chinese, naming the file; ``.filename``).
* ``reusable_paragraphs(speech) -> list[ParagraphUnit]`` – what the library stores.

Modules, in pipeline order: ``decode`` (bytes → text: UTF-8/BOM, UTF-16, GB18030, Big5,
.docx, HTML) → ``convert`` (t2s, script detection, punctuation and spaces) → ``clean``
(boilerplate, header, contents, compilations) → ``join`` (broken lines) → ``structure``
(opening, sections in up to four levels, closing) → ``roles`` → ``placeholders`` → ``phrases``.
Shared: ``numbering`` (numbering tokens), ``segment`` (jieba, loaded once per process),
``model`` (plain dataclasses).
"""
