"""Refusals whose words are meant for the user, whichever app raises them."""

from __future__ import annotations


class PlainRefusal(Exception):
    """Mixed into PermissionDenied or Http404 when the message says, in the UI's words, why the
    request was refused. Pages show it on the 403/404 page; htmx requests get it as text
    (core.middleware.PlainRefusalMiddleware)."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
