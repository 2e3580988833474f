"""Who may work on a draft, and which version a request says it was made on: shared by every
app whose views act on a draft (drafts, review, exports)."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from speechdraft.drafts.models import Draft


def draft_for_user(request: HttpRequest, pk: int) -> Draft:
    """The signed-in user's own live draft, or 404 (someone else's draft does not exist)."""
    return get_object_or_404(Draft.objects.live(), pk=pk, owner=request.user)


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
