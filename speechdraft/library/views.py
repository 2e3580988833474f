from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from speechdraft.core.params import id_param
from speechdraft.corpus.mining import user_dictionary_ensure
from speechdraft.corpus.models import Paragraph, Status
from speechdraft.drafts.models import Draft
from speechdraft.library import listing
from speechdraft.library.facets import Filters
from speechdraft.library.forms import PrivatePhraseForm, SearchForm
from speechdraft.library.models import Phrase
from speechdraft.library.selectors import phrases_visible_to
from speechdraft.library.services import (
    CurationError,
    favourite_set,
    private_phrase_save,
)


def _my_drafts(request: HttpRequest) -> list[Draft]:
    return list(Draft.objects.live().filter(owner=request.user).order_by("-updated_at"))


@require_GET
def library_page(request: HttpRequest) -> HttpResponse:
    """素材库: search, or browse by facets; 收藏 and 最近使用 as tabs."""
    form = SearchForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        messages.error(request, "查询内容过长，请缩短后再试。")
    filters = Filters.from_query(request.GET)
    if filters.searching:
        user_dictionary_ensure()
    context = {
        **listing.library_page(filters, user=request.user).context(),
        "my_drafts": _my_drafts(request),
        "fav_action": reverse("library:favourite"),
    }
    if request.htmx and request.htmx.target == "search-results":
        return render(request, "library/search.html#results", context)
    context["form"] = form
    context["phrase_form"] = PrivatePhraseForm()
    context["my_phrases"] = Phrase.objects.filter(owner=request.user).order_by("-created_at")[:50]
    return render(request, "library/search.html", context)


@require_GET
def paragraph_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """查看全文: an approved paragraph with its source speech and neighbours. From the
    editor (htmx, ?draft=): the dialog's content, inserting through the editor's own path."""
    paragraph = get_object_or_404(
        Paragraph.objects.select_related("skeleton"), pk=pk, status=Status.APPROVED
    )
    draft = None
    if id_param(request.GET, "draft"):
        draft = (
            Draft.objects.live()
            .filter(owner=request.user, pk=id_param(request.GET, "draft"))
            .first()
        )
    context = {
        "view": listing.paragraph_view(paragraph, user=request.user),
        "result": listing.results_for([paragraph], user=request.user)[0],
    }
    if request.htmx and draft is not None:
        context["draft"] = draft
        context["fav_action"] = reverse("drafts:favourite", args=[draft.pk])
        return render(request, "library/paragraph.html#detail", context)
    context["my_drafts"] = _my_drafts(request)
    context["chosen"] = draft.pk if draft is not None else None
    context["fav_action"] = reverse("library:favourite")
    return render(request, "library/paragraph.html", context)


def favourite_target(request: HttpRequest) -> dict:
    """The paragraph or phrase a 收藏 button names (404 when the user may not use it)."""
    if request.POST.get("paragraph"):
        paragraph = get_object_or_404(
            Paragraph,
            pk=id_param(request.POST, "paragraph"),
            status=Status.APPROVED,
        )
        return {"paragraph": paragraph}
    return {
        "phrase": get_object_or_404(
            phrases_visible_to(request.user), pk=id_param(request.POST, "phrase")
        )
    }


def favourite_response(request: HttpRequest, item: dict, *, fav_action: str, fallback: str):
    """收藏 / 取消收藏 done: htmx gets the button in its new state, a plain form goes back."""
    on = favourite_set(user=request.user, on=request.POST.get("on") == "1", **item)
    if request.htmx:
        result = listing.results_for([*item.values()], user=request.user)[0]
        wide = request.POST.get("wide") == "1"
        context = {"r": result, "fav_action": fav_action, "wide": wide}
        return render(request, "library/_favourite.html", context)
    messages.success(request, "已收藏。" if on else "已取消收藏。")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = fallback
    return redirect(target)


@require_POST
def favourite_toggle(request: HttpRequest) -> HttpResponse:
    item = favourite_target(request)
    return favourite_response(
        request,
        item,
        fav_action=reverse("library:favourite"),
        fallback=reverse("library:search"),
    )


@require_POST
def private_phrase_create(request: HttpRequest) -> HttpResponse:
    form = PrivatePhraseForm(request.POST)
    if form.is_valid():
        try:
            private_phrase_save(user=request.user, **form.cleaned_data)
            messages.success(request, "已保存到“我的短语”。")
        except CurationError as exc:
            messages.error(request, f"未保存：{exc.message}")
    else:
        messages.error(request, "未保存：请填写短语内容并选择类型。")
    return redirect("library:search")


@require_POST
def private_phrase_delete(request: HttpRequest, pk: int) -> HttpResponse:
    phrase = get_object_or_404(Phrase, pk=pk, owner=request.user)
    phrase.delete()
    messages.success(request, "已删除。")
    return redirect("library:search")


@require_POST
def insert_into_draft(request: HttpRequest) -> HttpResponse:
    """插入到讲话稿 from the library page: the material goes to the end of the chosen draft's
    parts (before its closing), through the editor's own service."""
    from speechdraft.drafts.services import DraftError, material_insert, placement_for_material

    draft = get_object_or_404(
        Draft.objects.live(), pk=id_param(request.POST, "draft"), owner=request.user
    )
    paragraph = phrase = None
    if request.POST.get("paragraph"):
        paragraph = get_object_or_404(
            Paragraph, pk=id_param(request.POST, "paragraph"), status=Status.APPROVED
        )
    else:
        phrase = get_object_or_404(
            phrases_visible_to(request.user), pk=id_param(request.POST, "phrase")
        )
    try:
        material_insert(
            draft,
            user=request.user,
            version=draft.version,
            placement=placement_for_material(
                draft,
                None,
                has_heading=bool(paragraph is not None and paragraph.heading),
                role=paragraph.role if paragraph is not None else None,
            ),
            paragraph=paragraph,
            phrase=phrase,
        )
    except DraftError as exc:
        messages.error(request, exc.message)
        return redirect("library:search")
    messages.success(request, f"已插入《{draft.title}》。")
    return redirect("drafts:editor", draft.pk)
