"""Drafting as an office does it: sharing a draft, and its 送审 → 审核 → 定稿.

- The owner shares a draft with members of its unit as 协作起草 (edit) or 审阅 (read and
  comment): `share_set`.
- The owner (or a co-drafter) sends a version for 审核 to a named member (`flow_submit`); while
  it is there nobody changes the text (versions.lock refuses), and the owner may take it back
  (`flow_withdraw`).
- The reviewer returns it with a note (`flow_return`, 退回修改: the drafters' turn again) or
  approves it (`flow_approve`, 审核通过: the signer's turn).
- The unit's 签发人 marks it 定稿 (`flow_finalize`), after which nothing changes it; a new
  draft can be started from it (复制为新稿). The signer may also return it.

Each step is a named version of the history (送审稿, 退回修改稿, 审核通过稿, 定稿) and a FlowStep.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from speechdraft.drafts import versions
from speechdraft.drafts.access import (
    EDIT,
    OWNER,
    draft_role,
    is_signer,
)
from speechdraft.drafts.comments import open_threads
from speechdraft.drafts.errors import DraftError
from speechdraft.drafts.models import Draft, DraftShare, Flow, FlowStep
from speechdraft.drafts.selectors import draft_document
from speechdraft.text.numbering import chinese_numeral
from speechdraft.text.sanitize import plain_text
from speechdraft.units.access import unit_id_of, units_above, units_below, units_related
from speechdraft.units.models import Membership
from speechdraft.units.people import person_name, unit_members, unit_names_of

MAX_NOTE_CHARS = 2000
VERSION_NAMES = {
    FlowStep.Action.SUBMIT: "送审稿",
    FlowStep.Action.RETURN: "退回修改稿",
    FlowStep.Action.APPROVE: "审核通过稿",
    FlowStep.Action.FINALIZE: "定稿",
}


# --- sharing ----------------------------------------------------------------------------


def _member(draft: Draft, user_id) -> object:
    """A member of the draft's unit other than its owner, or a message why not."""
    try:
        user = get_user_model().objects.get(pk=int(user_id), is_active=True)
    except (TypeError, ValueError, get_user_model().DoesNotExist):
        raise DraftError("请选择本单位的一位同事。") from None
    if user.pk == draft.owner_id:
        raise DraftError("起草人本人不需要共享。")
    if unit_id_of(user) not in units_related(draft.unit_id):
        raise DraftError("只能共享给本单位（含上级单位和所属科室）的同事。")
    return user


def share_set(draft: Draft, *, user_id, role: str) -> str:
    """Share the draft with a member of its unit as 协作起草 / 审阅, or stop sharing (role "").
    Returns what was done, in words."""
    member = _member(draft, user_id)
    name = person_name(member)
    if role not in ("", DraftShare.Role.EDIT, DraftShare.Role.REVIEW):
        raise DraftError("请选择“协作起草”或“审阅”。")
    with transaction.atomic():
        versions.lock(draft, None, flow=True)
        if not role:
            if draft.flow == Flow.SUBMITTED and draft.flow_reviewer_id == member.pk:
                raise DraftError(f"讲话稿正在由{name}审核，请先撤回送审再取消共享。")
            DraftShare.objects.filter(draft=draft, user=member).delete()
            _forget_roles(draft)
            return f"已取消与{name}的共享。"
        DraftShare.objects.update_or_create(draft=draft, user=member, defaults={"role": role})
    _forget_roles(draft)
    return f"已共享给{name}（{DraftShare.Role(role).label}）。"


def _forget_roles(draft: Draft) -> None:
    draft.__dict__.pop("_roles", None)


@dataclass(frozen=True)
class ShareRow:
    user: object
    name: str
    role: str  # "", "edit", "review"
    unit: str = ""  # their unit, where the draft's colleagues are of more than one


def colleagues(draft: Draft, *, but=()) -> list[tuple[object, str, str]]:
    """(user, name, unit) of everyone who may work on the draft but its owner (and `but`):
    members of its unit, the units above it and its 科室; the unit named only where there
    are several."""
    units = units_related(draft.unit_id)
    left_out = {p.pk for p in but}
    people = [u for u in unit_members(units, exclude=draft.owner) if u.pk not in left_out]
    names = unit_names_of(people) if len(units) > 1 else {}
    return [(u, person_name(u), names.get(u.pk, "")) for u in people]


def share_rows(draft: Draft) -> list[ShareRow]:
    """Every colleague of the draft (colleagues), with their share (or none)."""
    shares = dict(DraftShare.objects.filter(draft=draft).values_list("user_id", "role"))
    return [ShareRow(u, name, shares.get(u.pk, ""), unit) for u, name, unit in colleagues(draft)]


def shared_names(draft: Draft) -> list[tuple[str, str]]:
    """(name, role label) of everyone it is shared with."""
    shares = DraftShare.objects.filter(draft=draft).select_related("user")
    return [(person_name(s.user), s.get_role_display()) for s in shares]


# --- the flow ---------------------------------------------------------------------------


def _note(text: str) -> str:
    note = plain_text(text or "").strip()
    if len(note) > MAX_NOTE_CHARS:
        raise DraftError(
            f"意见最多 {MAX_NOTE_CHARS} 个字（现在 {len(note)} 个字），请精简后再提交。"
        )
    return note


def _version_name(draft: Draft, action: str) -> str:
    """送审稿, then 送审稿（二）, 送审稿（三）…: unique among the draft's named versions."""
    base = VERSION_NAMES[action]
    taken = set(draft.revisions.exclude(name="").values_list("name", flat=True))
    if base not in taken:
        return base
    n = 2
    while f"{base}（{chinese_numeral(n)}）" in taken:
        n += 1
    return f"{base}（{chinese_numeral(n)}）"


def _step(draft: Draft, user, action: str, summary: str, *, to_user=None, note: str = "") -> None:
    """Record the step: a revision of its own (named when the step makes a version), then its
    FlowStep."""
    versions.commit(draft, user, FlowStep.Action(action).label, summary=summary, stage_changed=True)
    name = _version_name(draft, action) if action in VERSION_NAMES else ""
    draft.revisions.filter(version=draft.version).update(name=name, pinned=True)
    FlowStep.objects.create(
        draft=draft, action=action, user=user, to_user=to_user, version=draft.version, note=note
    )
    _forget_roles(draft)


def _locked(draft: Draft, version) -> Draft:
    return versions.lock(draft, version, flow=True)


@transaction.atomic
def flow_submit(draft: Draft, *, user, version, reviewer_id, note: str = "") -> str:
    """送审: the current version goes to `reviewer_id` (a member of the unit) for 审核."""
    note = _note(note)
    reviewer = _member(draft, reviewer_id)
    if reviewer.pk == user.pk:
        raise DraftError("不能送给自己审核，请选择另一位同事。")
    draft = _locked(draft, version)
    if draft_role(user, draft) not in (OWNER, EDIT):
        raise DraftError("只有起草人和协作起草人可以送审。")
    if draft.flow not in (Flow.OPEN, Flow.RETURNED):
        raise DraftError(f"讲话稿现在是“{draft.get_flow_display()}”，不能再次送审。")
    share = DraftShare.objects.filter(draft=draft, user=reviewer).first()
    if share is None:  # the reviewer keeps reading it after returning or approving it
        DraftShare.objects.create(draft=draft, user=reviewer, role=DraftShare.Role.REVIEW)
    draft.flow, draft.flow_reviewer, draft.flow_at = Flow.SUBMITTED, reviewer, timezone.now()
    if draft.stage == Draft.Stage.DRAFTING:
        draft.stage = Draft.Stage.REVISING
    name = person_name(reviewer)
    _step(draft, user, FlowStep.Action.SUBMIT, f"送审：交{name}审核", to_user=reviewer, note=note)
    return f"已送{name}审核。审核期间正文不能修改；如需修改，可以撤回。"


@transaction.atomic
def flow_withdraw(draft: Draft, *, user, version) -> str:
    """撤回: the owner takes a submitted draft back before it is reviewed."""
    draft = _locked(draft, version)
    if draft.flow != Flow.SUBMITTED:
        raise DraftError("讲话稿不在审核中，无需撤回。")
    if draft_role(user, draft) not in (OWNER, EDIT):
        raise DraftError("只有起草人和协作起草人可以撤回送审。")
    reviewer = draft.flow_reviewer
    draft.flow, draft.flow_at = Flow.OPEN, timezone.now()
    _step(draft, user, FlowStep.Action.WITHDRAW, "撤回送审", to_user=reviewer)
    return "已撤回送审，可以继续修改。"


def _may_decide(draft: Draft, user) -> bool:
    """The reviewer it was sent to (while 待审核), or a signer (while 待定稿)."""
    if draft.flow == Flow.SUBMITTED:
        return draft.flow_reviewer_id == user.pk
    if draft.flow == Flow.APPROVED:
        return is_signer(user, draft.unit_id)
    return False


RETURN_WHY = "退回修改请写明要改什么：填写退回意见，或先在正文中选中文字批注要修改的地方。"


@transaction.atomic
def flow_return(draft: Draft, *, user, version, note: str = "") -> str:
    """退回修改: back to the drafters with the reviewer's (or signer's) note."""
    note = _note(note)
    draft = _locked(draft, version)
    if not _may_decide(draft, user):
        raise DraftError(_not_your_turn(draft))
    if not note and not open_threads(draft).exists():
        raise DraftError(RETURN_WHY)  # the drafters would not know what to change
    draft.flow, draft.flow_at = Flow.RETURNED, timezone.now()
    owner = draft.owner
    _step(draft, user, FlowStep.Action.RETURN, "退回修改", to_user=owner, note=note)
    return f"已退回{person_name(owner)}修改。"


@transaction.atomic
def flow_approve(draft: Draft, *, user, version, note: str = "") -> str:
    """审核通过: the signer's turn."""
    note = _note(note)
    draft = _locked(draft, version)
    if draft.flow != Flow.SUBMITTED or draft.flow_reviewer_id != user.pk:
        raise DraftError(_not_your_turn(draft))
    draft.flow, draft.flow_at = Flow.APPROVED, timezone.now()
    _step(draft, user, FlowStep.Action.APPROVE, "审核通过", note=note)
    if not signers(draft):
        return "已审核通过。本单位还没有指定签发人，请联系管理员指定后由签发人定稿。"
    return "已审核通过，等待签发人定稿。"


@transaction.atomic
def flow_finalize(draft: Draft, *, user, version) -> str:
    """定稿, by the unit's signer: from now on nothing changes the draft."""
    draft = _locked(draft, version)
    if draft.flow != Flow.APPROVED or not is_signer(user, draft.unit_id):
        raise DraftError(_not_your_turn(draft))
    blanks = blanks_text(draft, fresh=True)
    if blanks:  # a 定稿 can no longer be filled in: its Word file would carry ×××
        raise DraftError(f"{blanks}定稿后不能再修改，请退回起草人填写后再定稿。")
    draft.flow, draft.flow_at, draft.stage = Flow.FINAL, timezone.now(), Draft.Stage.FINAL
    _step(draft, user, FlowStep.Action.FINALIZE, "定稿")
    return "已定稿。定稿后讲话稿不能再修改；如需修改，请复制为新稿。"


def blanks_text(draft: Draft, *, fresh: bool = False) -> str:
    """'还有 2 处未填写：会议名称、地区。', or '' when every blank of the draft is filled."""
    unfilled = draft_document(draft, fresh=fresh).unfilled
    if not unfilled:
        return ""
    return f"还有 {sum(unfilled.values())} 处未填写：{'、'.join(unfilled)}。"


def signers(draft: Draft):
    ids = Membership.objects.filter(unit_id__in=units_above(draft.unit_id), is_signer=True).values(
        "user_id"
    )
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True))


def _not_your_turn(draft: Draft) -> str:
    return f"现在不是您处理这篇讲话稿的时候（{turn_text(draft)}）。"


def turn_text(draft: Draft) -> str:
    """Where the draft stands and whose turn it is, in words."""
    if draft.flow == Flow.SUBMITTED:
        return f"待{person_name(draft.flow_reviewer) or '审核人'}审核"
    if draft.flow == Flow.APPROVED:
        names = "、".join(person_name(u) for u in signers(draft)) or "签发人"
        return f"审核通过，待{names}定稿"
    if draft.flow == Flow.RETURNED:
        return f"已退回，待{person_name(draft.owner)}修改"
    if draft.flow == Flow.FINAL:
        step = draft.flow_steps.filter(action=FlowStep.Action.FINALIZE).select_related("user")
        step = step.order_by("-id").first()
        if step is None:
            return "定稿后不能再修改"
        day = timezone.localtime(step.created_at)  # the office's day, as the page shows times
        return f"{person_name(step.user)}于{day:%Y-%m-%d}定稿，不能再修改"
    return f"起草人：{person_name(draft.owner)}"


@dataclass(frozen=True)
class FlowState:
    """What the draft page shows of the flow for one user: where it stands, the steps so
    far, and what this user may do now."""

    flow: str
    label: str
    turn: str
    role: str
    steps: list
    may_submit: bool
    may_withdraw: bool
    may_decide: bool  # 退回修改 / 审核通过 (reviewer) or 退回修改 / 定稿 (signer)
    may_finalize: bool
    reviewers: list  # whom it may be sent to
    note: FlowStep | None = None  # the 退回意见 the drafters are to act on
    blanks: str = ""  # to whoever decides: the blanks left, which keep it from 定稿

    @property
    def my_turn(self) -> bool:
        return (self.may_submit and self.flow == Flow.RETURNED) or self.may_decide


def flow_state(draft: Draft, user) -> FlowState:
    role = draft_role(user, draft)
    drafter = role in (OWNER, EDIT)
    deciding = _may_decide(draft, user)
    steps = list(draft.flow_steps.select_related("user", "to_user").order_by("id"))
    open_ = draft.flow in (Flow.OPEN, Flow.RETURNED)
    blanks = blanks_text(draft) if deciding else ""
    last = steps[-1] if steps else None
    returned = last if last and last.action == FlowStep.Action.RETURN and last.note else None
    return FlowState(
        note=returned if draft.flow == Flow.RETURNED else None,
        flow=draft.flow,
        label=draft.get_flow_display(),
        turn=turn_text(draft),
        role=role or "",
        steps=steps,
        may_submit=drafter and open_,
        may_withdraw=drafter and draft.flow == Flow.SUBMITTED,
        may_decide=deciding,
        may_finalize=deciding and draft.flow == Flow.APPROVED and not blanks,
        blanks=blanks,
        reviewers=[
            (u.pk, f"{name}（{unit}）" if unit else name)
            for u, name, unit in colleagues(draft, but=[user])
        ]
        if drafter and open_
        else [],
    )


def _waiting(user) -> list[tuple[str, Q]]:
    """What waits for the user, as (what to do, the drafts): the one rule of 我的待办."""
    waiting = [
        ("审核", Q(flow=Flow.SUBMITTED, flow_reviewer=user)),
        ("修改（已退回）", Q(flow=Flow.RETURNED, owner=user)),
        ("修改（已退回）", Q(flow=Flow.RETURNED, shares__user=user, shares__role=EDIT)),
    ]
    unit_id = unit_id_of(user)
    if is_signer(user, unit_id):  # their unit's drafts and its 科室's
        waiting.append(("定稿", Q(flow=Flow.APPROVED, unit_id__in=units_below(unit_id))))
    return waiting


def todo_for(user) -> list[tuple[Draft, str]]:
    """我的待办: drafts waiting for the user, with what to do."""
    live = Draft.objects.live().select_related("owner", "flow_reviewer")
    rows = [(d, what) for what, q in _waiting(user) for d in live.filter(q)]
    return sorted(rows, key=lambda row: row[0].flow_at or row[0].updated_at, reverse=True)


def todo_count(user) -> int:
    """How many drafts wait for the user (the top bar's 待办), in one count."""
    if user is None or not user.is_authenticated:
        return 0
    q = Q(pk__in=[])
    for _what, waiting in _waiting(user):
        q |= waiting
    return Draft.objects.live().filter(q).values("pk").distinct().count()
