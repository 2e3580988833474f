"""Pure-Python Word writer of speechdraft (no Django imports anywhere in this package).

It writes GB/T 9704-2012 .docx files with lxml and zipfile from plain data.

Entry points:

* ``render.render_docx(doc, *, profile, fonts, date_style, reference) -> bytes`` – raises
  ``ValueError`` with a Chinese message (unfilled slots, unknown profile, invalid blocks, an
  unusable reference).
* ``reference.reference_check(data)`` / ``reference.reference_sanitize(data)`` – an office's
  own reference .docx: its missing styles; a copy without links out of the package.
* ``python -m speechdraft.ooxml.builtin_reference [OUT]`` – builds ``fixtures/reference.docx``.
* ``redline.redline_blocks(old, new, *, diff)`` – the blocks of a 花脸稿 (two versions as
  tracked changes) for ``render_docx``; the ``redline`` module says how a caller builds one.

Modules: ``model`` (what a caller passes: ExportDocument, Block, Profile, FontSettings) →
``content`` (text hygiene, checks; text as pieces of ``revisions``) → ``titles`` (line breaking of titles) → ``body`` (paragraph
XML) → ``compose`` (a reference formatted and filled: ``styles``, ``page``, ``reference``) →
``render``; ``comments`` writes comments (批注) on words of the body and word/comments.xml.
Shared: ``schema`` (namespaces, child order), ``package`` (the zip of parts).
``builtin_reference`` builds the built-in reference with ``compose``; ``render`` falls back to
it when the committed file is missing, so neither imports the other both ways.
"""
