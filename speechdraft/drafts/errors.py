"""What a refused change to a draft raises: services and versions both refuse with these."""

from __future__ import annotations

from speechdraft.text.errors import UserError
from speechdraft.units.people import person_name

STALE_MESSAGE = "此稿已在其他窗口修改，请刷新后再操作（您刚才输入的内容仍保留在下方）。"


class DraftError(UserError):
    """A change to a draft refused; nothing was changed."""


class StaleDraft(DraftError):
    def __init__(self) -> None:
        super().__init__(STALE_MESSAGE)


class DraftLocked(DraftError):
    """The draft is with its reviewer or signer, or 定稿: its text may not change now."""


def frozen_message(draft) -> str:
    """Why the draft's text may not change now ("" when it may): it is with its reviewer or
    signer, or 定稿."""
    flow = draft.flow
    if flow == "submitted":
        who = person_name(draft.flow_reviewer) or "审核人"
        return f"讲话稿已送{who}审核，暂不能修改；如需修改，请起草人先撤回送审。"
    if flow == "approved":
        return "讲话稿已审核通过，正在等待签发人定稿，暂不能修改。"
    if flow == "final":
        return "讲话稿已定稿，不能再修改；如需修改，请复制为新稿。"
    return ""
