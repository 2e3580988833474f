from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from speechdraft.core.params import id_param
from speechdraft.corpus.mining import user_dictionary_ensure
from speechdraft.corpus.models import Paragraph
from speechdraft.library import listing
from speechdraft.library.facets import Filters
from speechdraft.library.forms import PrivatePhraseForm, SearchForm
from speechdraft.library.models import Phrase
from speechdraft.library.selectors import paragraphs_visible_to, phrases_visible_to
from speechdraft.library.services import (
    CurationError,
    favourite_set,
    private_phrase_save,
)


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
    """查看全文: an approved paragraph with its source speech and neighbours; ?draft= (from
    the editor, without JavaScript) preselects that draft in the 插入到 chooser. The editor's
    dialog shows the same content through drafts:material_detail."""
    paragraph = get_object_or_404(
        paragraphs_visible_to(request.user).select_related("skeleton"), pk=pk
    )
    context = {
        **paragraph_context(request, paragraph),
        "chosen": id_param(request.GET, "draft"),
        "fav_action": reverse("library:favourite"),
    }
    return render(request, "library/paragraph.html", context)


def paragraph_context(request: HttpRequest, paragraph: Paragraph) -> dict:
    """What library/paragraph.html shows of one paragraph (the page, or the editor's dialog)."""
    return {
        "view": listing.paragraph_view(paragraph, user=request.user),
        "result": listing.results_for([paragraph], user=request.user)[0],
    }


def favourite_target(request: HttpRequest) -> dict:
    """The paragraph or phrase a 收藏 button names (404 when the user may not use it)."""
    if request.POST.get("paragraph"):
        paragraph = get_object_or_404(
            paragraphs_visible_to(request.user), pk=id_param(request.POST, "paragraph")
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
