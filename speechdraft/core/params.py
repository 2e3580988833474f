"""Numbers a request carries (ids, versions, positions) read one way everywhere.

A parameter a page sends as a number is ASCII digits: "²", "１２", "1.5", "-1", "1e9" or a
thousand digits are not ids, whatever int() would make of them (int("１２") is 12 and
"²".isdigit() is True, yet int("²") raises). Views turn None into a 404 or a message.
"""

from __future__ import annotations

MAX_DIGITS = 18  # fits a 64-bit integer column


def parse_id(raw) -> int | None:
    """`raw` as a non-negative integer, or None when it is not one (or is empty)."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw if raw >= 0 else None
    if not isinstance(raw, str) or not 0 < len(raw) <= MAX_DIGITS:
        return None
    return int(raw) if raw.isascii() and raw.isdigit() else None


def id_param(data, name: str) -> int:
    """The id `data` (request.GET or POST) names under `name`, 0 (no row has it) when it is
    missing or not an id: get_object_or_404(..., pk=id_param(request.POST, "phrase"))."""
    return parse_id(data.get(name)) or 0
