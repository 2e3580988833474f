"""Errors raised by the text core."""

from __future__ import annotations


class UserError(ValueError):
    """Input refused for a reason the user can act on; ``message`` says why, in Chinese.

    Every app's refusals derive from it, so views and commands show ``message`` as it is.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


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


class UnsafeFileError(IngestError):
    """A file refused because its content looks crafted against the parser (XML entity
    definitions, parts that decompress to hundreds of MB…), before it is parsed."""
