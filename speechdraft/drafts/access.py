"""Who may work on a draft, and which version a request says it was made on: shared by every
app whose views act on a draft (drafts, review, exports).

A user's role on a draft is one of:
- ``owner``: the one who drafts it (everything, including sharing, 送审 and 删除);
- ``edit``: shared as 协作起草 (reads, comments and changes the text);
- ``review``: shared as 审阅, or the member it was sent to for 审核 (reads and comments);
- ``signer``: the unit's 签发人 once the draft is 审核通过 or 定稿 (reads, comments, 定稿).
Who may hold a share, or be sent the draft, is a member of the draft's unit, of a unit above
it or of one of its 科室 (units.access.units_related); a 签发人 signs the drafts of their unit
and of its 科室. Anyone else (another member of the unit without a share, a member of another
unit, a curator) has no role: the draft does not exist for them (404). A role that is not
enough for what a request asks is refused with a message (403); whether the text may change
at all (送审, 定稿) is the flow's rule, checked where every change locks the draft
(versions.lock).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from speechdraft.core.errors import PlainRefusal
from speechdraft.drafts.models import Draft, DraftShare, Flow
from speechdraft.units.access import unit_id_of, units_above, units_below, units_related
from speechdraft.units.models import Membership

OWNER, EDIT, REVIEW, SIGNER = "owner", "edit", "review", "signer"

# What each need admits.
READ = frozenset({OWNER, EDIT, REVIEW, SIGNER})
COMMENT = READ
WRITE = frozenset({OWNER, EDIT})
OWN = frozenset({OWNER})

ROLE_LABELS = {OWNER: "起草人", EDIT: "协作起草", REVIEW: "审阅", SIGNER: "签发人"}
REFUSALS = {
    REVIEW: "您是这篇讲话稿的审阅人，可以阅读和批注，不能修改正文。",
    SIGNER: "您是签发人，可以阅读、批注和确认定稿，不能修改正文。",
    EDIT: "只有起草人可以进行此操作。",
}
SIGN_STATES = (Flow.APPROVED, Flow.FINAL)


# The same words whether the draft never existed, was deleted, or is not (or no longer)
# shared with the user: nothing is told about a draft one may not read.
MISSING = "找不到这篇讲话稿：它可能已被删除，或已不再与您共享。"


class DraftForbidden(PlainRefusal, PermissionDenied):
    """The user has a role on the draft, but not one that may do this."""

    status = 403


class DraftMissing(PlainRefusal, Http404):
    """No draft the user may read has this number."""

    status = 404


def is_signer(user, unit_id: int) -> bool:
    """A 签发人 of the unit or of a unit above it (the 办公室主任 signs a 科室's drafts)."""
    return Membership.objects.filter(
        user_id=user.pk, unit_id__in=units_above(unit_id), is_signer=True
    ).exists()


def draft_role(user, draft: Draft) -> str | None:
    """The user's role on the draft (see the module), or None. Kept on the draft object."""
    if user is None or not user.is_authenticated:
        return None
    cached = draft.__dict__.get("_roles", {})
    if user.pk in cached:
        return cached[user.pk]
    role = None
    if draft.owner_id == user.pk:
        role = OWNER
    elif unit_id_of(user) in units_related(draft.unit_id):
        share = DraftShare.objects.filter(draft=draft, user_id=user.pk).values("role").first()
        if share is not None:
            role = share["role"]
        elif draft.flow_reviewer_id == user.pk and draft.flow == Flow.SUBMITTED:
            role = REVIEW
        elif draft.flow in SIGN_STATES and is_signer(user, draft.unit_id):
            role = SIGNER
    draft.__dict__.setdefault("_roles", {})[user.pk] = role
    return role


def readable_q(user) -> Q:
    """The drafts the user has any role on (for lists and 我的待办)."""
    unit_id = unit_id_of(user)
    shared = Q(shares__user_id=user.pk) | Q(flow=Flow.SUBMITTED, flow_reviewer_id=user.pk)
    q = Q(owner_id=user.pk) | (Q(unit_id__in=units_related(unit_id)) & shared)
    if Membership.objects.filter(user_id=user.pk, is_signer=True).exists():
        q |= Q(unit_id__in=units_below(unit_id), flow__in=SIGN_STATES)
    return q


def drafts_readable(user) -> QuerySet[Draft]:
    return Draft.objects.live().filter(readable_q(user)).distinct()


def draft_for_user(request: HttpRequest, pk: int, need: frozenset[str] = WRITE) -> Draft:
    """The live draft `pk` when the signed-in user's role admits `need` (default: changing its
    text). No role: 404 (a draft one may not read does not exist); a role that is not enough:
    403 with why."""
    draft = Draft.objects.live().select_related("unit").filter(pk=pk).first()
    role = draft_role(request.user, draft) if draft is not None else None
    if role is None:
        raise DraftMissing(MISSING)
    if role not in need:
        raise DraftForbidden(REFUSALS.get(role, "您没有权限进行此操作。"))
    return draft


def version_sent(request: HttpRequest) -> str | None:
    """The version a change says it was made on.

    htmx sends the live version kept in #draft-version; plain forms carry their own. An
    explicit "仍然保存我的修改" names the version it overwrites. Text carried along with the
    request was saved first (drafts.views.carries_pending): the change builds on that version.
    """
    carried = getattr(request, "carried_version", None)
    if carried is not None:
        return str(carried)
    return (
        request.POST.get("force_version")
        or request.POST.get("current_version")
        or request.POST.get("version")
    )
