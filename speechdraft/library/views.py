from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from speechdraft.corpus.models import Paragraph, Status
from speechdraft.drafts.models import Draft
from speechdraft.library.forms import PrivatePhraseForm, SearchForm
from speechdraft.library.models import Phrase
from speechdraft.library.selectors import library_search, phrases_visible_to
from speechdraft.library.services import CurationError, private_phrase_save, user_dictionary_ensure


def _search(request: HttpRequest):
    form = SearchForm(request.GET or None)
    response = None
    if form.is_valid() and form.cleaned_data["q"].strip():
        data = form.cleaned_data
        user_dictionary_ensure()
        response = library_search(
            data["q"],
            kinds=[data["kind"]] if data["kind"] else [],
            roles=[data["role"]] if data["role"] else [],
            user=request.user,
            limit=30,
            expand=True,
        )
    elif form.is_bound and not form.is_valid():
        messages.error(request, "查询内容过长，请缩短后再试。")
    return form, response


@require_GET
def library_page(request: HttpRequest) -> HttpResponse:
    form, response = _search(request)
    my_drafts = list(Draft.objects.live().filter(owner=request.user).order_by("-updated_at")[:20])
    if request.htmx and request.htmx.target == "search-results":
        context = {"response": response, "my_drafts": my_drafts}
        return render(request, "library/search.html#results", context)
    context = {
        "form": form,
        "response": response,
        "my_drafts": my_drafts,
        "phrase_form": PrivatePhraseForm(),
        "my_phrases": Phrase.objects.filter(owner=request.user).order_by("-created_at")[:50],
    }
    return render(request, "library/search.html", context)


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
    from speechdraft.drafts.services import DraftError, material_insert, placement_after

    draft = get_object_or_404(
        Draft.objects.live(), pk=request.POST.get("draft") or 0, owner=request.user
    )
    paragraph = phrase = None
    if request.POST.get("paragraph"):
        paragraph = get_object_or_404(
            Paragraph, pk=request.POST["paragraph"], status=Status.APPROVED
        )
    else:
        phrase = get_object_or_404(
            phrases_visible_to(request.user), pk=request.POST.get("phrase") or 0
        )
    try:
        material_insert(
            draft,
            user=request.user,
            version=draft.version,
            placement=placement_after(draft, None),
            paragraph=paragraph,
            phrase=phrase,
        )
    except DraftError as exc:
        messages.error(request, exc.message)
        return redirect("library:search")
    messages.success(request, f"已插入《{draft.title}》。")
    return redirect("drafts:editor", draft.pk)
