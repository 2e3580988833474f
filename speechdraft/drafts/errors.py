"""What a refused change to a draft raises: services and versions both refuse with these."""

from __future__ import annotations

from speechdraft.text.errors import UserError

STALE_MESSAGE = "此稿已在其他窗口修改，请刷新后再操作（您刚才输入的内容仍保留在下方）。"


class DraftError(UserError):
    """A change to a draft refused; nothing was changed."""


class StaleDraft(DraftError):
    def __init__(self) -> None:
        super().__init__(STALE_MESSAGE)
