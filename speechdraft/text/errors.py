"""Errors raised by the text core."""

from __future__ import annotations


class IngestError(Exception):
    """A file cannot be ingested.

    ``message`` is a user-facing explanation in Simplified Chinese that names the file;
    ``filename`` is the name the file was uploaded or read under.
    """

    def __init__(self, message: str, filename: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.filename = filename

    def __str__(self) -> str:
        return self.message
