"""The editor. Every view: decorators → _get_draft_for_user (404 for others) → form → one
service call → the page, or for htmx the fragments that changed."""

from __future__ import annotations

import dataclasses
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from speechdraft.core.params import id_param, parse_id
from speechdraft.corpus.mining import user_dictionary_ensure
from speechdraft.corpus.models import Paragraph, Role, Skeleton
from speechdraft.corpus.uploads import Budget, discard_body, too_large_message
from speechdraft.drafts import comments, flow, imports, selectors, services, versions
from speechdraft.drafts.access import (
    COMMENT,
    OWN,
    OWNER,
    READ,
    REFUSALS,
    ROLE_LABELS,
    WRITE,
    draft_for_user,
    draft_role,
    version_sent,
)
from speechdraft.drafts.errors import frozen_message
from speechdraft.drafts.forms import DetailsForm, DraftCreateForm, ItemForm, numbering_from_post
from speechdraft.drafts.history import MAX_NAME_CHARS
from speechdraft.drafts.models import LEVEL_STYLES, Comment, Draft, DraftItem, Flow, Proposal
from speechdraft.drafts.render import ACTIONS, REASONS, render_row
from speechdraft.drafts.selectors import (
    DRAFT_SORTS,
    DRAFTS_PER_PAGE,
    DraftFilter,
    anchor_role,
    draft_document,
    drafts_for,
    drafts_search,
    drafts_trashed,
    snapshot_document,
)
from speechdraft.drafts.services import (
    DraftError,
    ItemConflict,
    ItemEdit,
    ItemMissing,
    StaleDraft,
)
from speechdraft.library import listing
from speechdraft.library.forms import KIND_CHOICES
from speechdraft.library.selectors import (
    library_search,
    paragraphs_visible_to,
    phrases_visible_to,
)
from speechdraft.library.views import favourite_response, favourite_target, paragraph_context
from speechdraft.text.counting import COUNT_RULE
from speechdraft.units.access import visible_q, visible_to

# (kind, label, shortcut, what it adds)
INSERT_BUTTONS = [
    ("part", "添加部分", "Ctrl+Alt+1", "在当前部分之后添加一个新的部分（一、）"),
    ("point", "添加要点", "Ctrl+Alt+2", "在当前部分或要点之后添加下一个要点（（一）、1.）"),
    ("paragraph", "添加段落", "Ctrl+Alt+0", "在当前位置之后添加一段正文"),
]
ITEM_ACTIONS = [(action, label, keys, REASONS.get(action, "")) for action, label, keys in ACTIONS]
SHORTCUTS = [
    ("Ctrl+Z", "撤销"),
    ("Ctrl+Shift+Z 或 Ctrl+Y", "重做"),
    ("Ctrl+Enter", "立即保存"),
    ("Alt+↑ / Alt+↓", "上移 / 下移当前段落"),
    ("Tab / Shift+Tab（光标在段首时）", "降级 / 升级"),
    ("Ctrl+Alt+1", "添加部分（一、）"),
    ("Ctrl+Alt+2", "添加要点（（一）、1.）"),
    ("Ctrl+Alt+0", "添加段落"),
    ("Enter", "在正文中另起一段；在小标题末尾转到正文"),
    ("Backspace（在空段的段首）", "删除这一空段"),
    ("↑ / ↓（在段首或段尾）", "转到上一段 / 下一段"),
    ("Esc", "离开正在编辑的段落"),
    ("Ctrl+Alt+M（选中文字后）", "批注选中的文字"),
    ("?", "显示本帮助"),
]


def carries_pending(view):
    """Every change from the editor carries the text typed into the page and not saved yet
    (`pending`): it is saved first, as a change of its own, so no action can discard it. When
    that save is refused (another window changed the draft) the action is not done either,
    and the page keeps the text."""

    @wraps(view)
    def wrapped(request: HttpRequest, pk: int, *args, **kwargs) -> HttpResponse:
        raw = request.POST.get("pending")
        if request.method != "POST" or not raw:
            return view(request, pk, *args, **kwargs)
        draft = draft_for_user(request, pk)
        try:
            services.draft_items_update(
                draft,
                user=request.user,
                version=version_sent(request),
                edits=services.pending_edits(raw),
            )
        except DraftError as exc:
            return after_change(request, draft, error=exc)
        request.carried_version = draft.version
        response = view(request, pk, *args, **kwargs)
        response["X-Pending-Saved"] = str(draft.version)  # the page may forget that text now
        return response

    return wrapped


def _editor_context(
    draft: Draft, *, user=None, editing: int | None = None, fresh: bool = False, **extra
) -> dict:
    can_undo, can_redo = versions.history_state(draft)
    role = draft_role(user, draft) if user is not None else OWNER
    frozen = frozen_message(draft)
    # The text may change here: the user drafts it (owner, 协作起草) and it is not with its
    # reviewer or signer, nor 定稿. Otherwise the page reads, and takes comments.
    can_write = role in WRITE and not frozen
    context = {
        "role": role,
        "role_label": ROLE_LABELS.get(role, ""),
        "can_write": can_write,
        "frozen": frozen,
        # Why the page only reads (shown where the editing tools would be).
        "readonly_note": "" if can_write else frozen or REFUSALS.get(role, ""),
        # New comments and answers: until the draft is 定稿.
        "comments_open": draft.flow != Flow.FINAL,
        # Read only where a template shows it (the editor page, not the fragments of a change).
        "flow": SimpleLazyObject(lambda: flow.flow_state(draft, user))
        if user is not None
        else None,
        "draft": draft,
        "doc": draft_document(draft, fresh=fresh),
        "level_styles": LEVEL_STYLES,
        "kind_choices": KIND_CHOICES,
        "role_choices": Role.choices,
        "stages": stage_choices(draft),
        "insert_buttons": INSERT_BUTTONS,
        "shortcuts": SHORTCUTS,
        "count_rule": COUNT_RULE,
        "slot_names": services.slot_menu(draft),
        "item_actions": ITEM_ACTIONS,
        "can_undo": can_undo,
        "can_redo": can_redo,
    }
    if editing is not None and can_write:
        item = DraftItem.objects.filter(draft=draft, pk=editing).first()
        if item is not None:
            context["editing"] = item.pk
            context["edit_form"] = ItemForm.for_item(item)
    context.update(extra)
    return context


def after_change(
    request: HttpRequest,
    draft: Draft,
    *,
    error: DraftError | None = None,
    editing: int | None = None,
    notice: str = "",
    panels: bool = True,
    focus: int | None = None,
    focus_field: str = "",
) -> HttpResponse:
    """htmx: the refreshed document with status bar, version, undo/redo and messages out of
    band; the details and numbering panels too unless the change only moved items
    (`panels=False`). `focus` names the item the cursor goes to next (a new item); without
    it the cursor stays where it was. A plain form: back to the editor page."""
    if request.htmx:
        status = 409 if isinstance(error, StaleDraft) else 422 if error else 200
        response = render(
            request,
            "drafts/_update.html",
            _editor_context(
                draft,
                user=request.user,
                fresh=True,  # read (or locked) in this request, just now
                flash=error.message if error else notice,
                flash_error=bool(error),
                editing=editing,
                panels=panels or bool(error),
                focus=focus,
                focus_field=focus_field,
            ),
            status=status,
        )
        if error:
            response["HX-Reswap"] = "none"  # keep what is on screen; only the message changes
        return response
    if error:
        messages.error(request, error.message)
    elif notice:
        messages.success(request, notice)
    return redirect("drafts:editor", draft.pk)


# --- list and creation ------------------------------------------------------------------


@require_GET
def todo_link(request: HttpRequest) -> HttpResponse:
    """The top bar's 我的待办, asked again by every page now and then (and when its tab comes
    back into view): a draft sent to the user meanwhile shows without a reload."""
    return render(request, "drafts/_todo_link.html")


@require_GET
def draft_list(request: HttpRequest) -> HttpResponse:
    """我的讲话稿: search, stage filter, sort, 25 a page."""
    services.drafts_purge()
    f = DraftFilter.from_params(request.GET)
    total = drafts_for(request.user).count()
    shared_total = selectors.drafts_shared_with(request.user).count()
    if "scope" not in request.GET and not total and shared_total:
        f = dataclasses.replace(f, scope="shared")  # a reviewer or signer: what they have
    page = Paginator(drafts_search(request.user, f), DRAFTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "filter": f,
        "sorts": [(key, label) for key, (_, label) in DRAFT_SORTS.items()],
        "stages": Draft.Stage.choices,
        "total": total,
        "shared_total": shared_total,
        "trashed": drafts_trashed(request.user).count(),
        "todo": flow.todo_for(request.user),
    }
    return render(request, "drafts/list.html", context)


@require_GET
def trash(request: HttpRequest) -> HttpResponse:
    """回收站: deleted drafts, restorable for TRASH_DAYS days."""
    services.drafts_purge()
    context = {"drafts": drafts_trashed(request.user), "days": services.TRASH_DAYS}
    return render(request, "drafts/trash.html", context)


@require_POST
def draft_untrash(request: HttpRequest, pk: int) -> HttpResponse:
    draft = get_object_or_404(Draft, pk=pk, owner=request.user, deleted_at__isnull=False)
    services.draft_untrash(draft)
    messages.success(request, f"已恢复《{draft.title}》。")
    return redirect("drafts:editor", draft.pk)


@require_POST
def draft_copy(request: HttpRequest, pk: int) -> HttpResponse:
    draft = draft_for_user(request, pk)
    try:
        copy = services.draft_copy(draft, user=request.user)
    except DraftError as exc:  # over the storage quota, say
        messages.error(request, exc.message)
        return redirect("drafts:editor", draft.pk)
    messages.success(request, f"已复制为新稿《{copy.title}》。")
    return redirect("drafts:editor", copy.pk)


@require_http_methods(["GET", "POST"])
def draft_new(request: HttpRequest) -> HttpResponse:
    form = DraftCreateForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        skeleton = None
        if data["skeleton"]:
            skeleton = Skeleton.objects.filter(
                visible_to(request.user), pk=data["skeleton"] if data["skeleton"].isdigit() else 0
            ).first()
            if skeleton is None:
                error = "所选骨架不存在，请重新选择。"
        if not error:
            try:
                draft = services.draft_create(
                    owner=request.user,
                    title=data["title"],
                    meeting_name=data["meeting_name"],
                    speaker=data["speaker"],
                    date=data["date"],
                    region=data["region"],
                    skeleton=skeleton,
                    mode=data["mode"] or services.StartMode.STRUCTURE,
                )
                return redirect("drafts:editor", draft.pk)
            except DraftError as exc:
                error = exc.message
    return _new_page(request, form, error=error)


def _new_page(request: HttpRequest, form, *, error: str = "", import_error: str = ""):
    choices = services.skeleton_choices(request.user)
    kinds = [k for k in services.MEETING_KINDS if any(c.kind == k for c in choices)]
    context = {
        "form": form,
        "skeletons": choices,
        "kinds": kinds,
        "error": error,
        "import_error": import_error,
    }
    failed = error or import_error or form.errors
    return render(request, "drafts/new.html", context, status=422 if failed else 200)


# --- Word files: 从Word导入, 导入修改稿 and the leader's proposals -------------------------


def _upload_too_large(request: HttpRequest) -> DraftError | None:
    """A request body over the per-file limit (with room for the form around the file), refused
    before any of it is parsed; drained so that the browser gets the answer."""
    limit = settings.UPLOAD_MAX_FILE_BYTES
    length = parse_id(request.META.get("CONTENT_LENGTH")) or 0
    if length <= limit + 64 * 1024:
        return None
    discard_body(request, length, Budget.from_settings())
    return DraftError(too_large_message("所选文件", length, limit) + "。")


def _uploaded_docx(request: HttpRequest) -> tuple[bytes, str]:
    """The uploaded Word file (bytes, name), within the per-file upload limit."""
    upload = request.FILES.get("file")
    if upload is None:
        raise DraftError("请选择要导入的 Word 文件（.docx）。")
    limit = settings.UPLOAD_MAX_FILE_BYTES
    if upload.size > limit:
        raise DraftError(too_large_message(upload.name, upload.size, limit) + "。")
    return upload.read(), upload.name


def _summary_text(summary: imports.ImportSummary) -> str:
    parts = [f"{summary.proposals} 处修订"]
    if summary.paragraphs:
        parts.append(f"{summary.paragraphs} 个新段落")
    text = f"已导入修改稿：{'，'.join(parts)}，请逐条接受或拒绝。"
    if summary.comments:
        text += f"{summary.comments} 条批注列在右侧“批注”中。"
    if summary.unplaced:
        text += f"另有 {summary.unplaced} 项内容未能放入讲话稿，见正文上方。"
    return text


@require_POST
def draft_import(request: HttpRequest) -> HttpResponse:
    """新建讲话稿 → 从Word导入: a new draft from the file; a bad file leaves the page with why."""
    refused = _upload_too_large(request)
    if refused is not None:
        return _new_page(request, DraftCreateForm(), import_error=refused.message)
    try:
        data, name = _uploaded_docx(request)
        draft = imports.draft_import(owner=request.user, data=data, filename=name)
    except DraftError as exc:
        return _new_page(request, DraftCreateForm(), import_error=exc.message)
    waiting, comments = draft.proposals.count(), draft.comments.count()
    note = f"，文件中的 {waiting} 处修订等列在正文中待处理" if waiting else ""
    if comments:
        note += f"，{comments} 条批注列在右侧“批注”中"
    messages.success(request, f"已从《{imports.display_name(name)}》导入讲话稿{note}。")
    return redirect("drafts:editor", draft.pk)


def _refuse_large_uploads(view):
    """Before the body is read (carries_pending reads it): an upload over the limit."""

    @wraps(view)
    def wrapped(request: HttpRequest, pk: int) -> HttpResponse:
        draft = draft_for_user(request, pk)
        refused = _upload_too_large(request)
        if refused is not None:
            return after_change(request, draft, error=refused)
        return view(request, pk)

    return wrapped


@require_POST
@_refuse_large_uploads
@carries_pending
def draft_import_revision(request: HttpRequest, pk: int) -> HttpResponse:
    """导入修改稿: the leader's marked-up copy; its changes and comments become proposals."""
    draft = draft_for_user(request, pk)
    try:
        data, name = _uploaded_docx(request)
        summary = imports.draft_import_revision(draft, user=request.user, data=data, filename=name)
    except DraftError as exc:
        return after_change(request, draft, error=exc)
    return after_change(request, draft, notice=_summary_text(summary))


def _proposal_action(service, notice: str):
    @require_POST
    @carries_pending
    def view(request: HttpRequest, pk: int, proposal_id: int) -> HttpResponse:
        draft = draft_for_user(request, pk)
        get_object_or_404(Proposal, draft=draft, pk=proposal_id)
        try:
            service(
                draft, user=request.user, version=version_sent(request), proposal_id=proposal_id
            )
        except DraftError as exc:
            return after_change(request, draft, error=exc)
        return after_change(request, draft, notice=notice)

    return view


proposal_accept = _proposal_action(imports.proposal_accept, "已接受修订。")
proposal_reject = _proposal_action(imports.proposal_reject, "已拒绝修订，正文未改动。")


@require_POST
@carries_pending
def proposals_accept_all(request: HttpRequest, pk: int) -> HttpResponse:
    draft = draft_for_user(request, pk)
    try:
        accepted, left = imports.proposals_accept_all(
            draft, user=request.user, version=version_sent(request)
        )
    except DraftError as exc:
        return after_change(request, draft, error=exc)
    notice = f"已接受 {accepted} 处修订。"
    if left:
        notice += f"另有 {left} 处原文已修改，无法自动应用，仍待处理。"
    return after_change(request, draft, notice=notice)


@require_POST
@carries_pending
def proposals_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    draft = draft_for_user(request, pk)
    imports.unplaced_dismiss(draft, user=request.user)
    return after_change(request, draft)


@require_POST
def draft_delete(request: HttpRequest, pk: int) -> HttpResponse:
    draft = draft_for_user(request, pk, OWN)
    try:
        services.draft_trash(draft)
    except DraftError as exc:
        messages.error(request, exc.message)
        return redirect("drafts:editor", draft.pk)
    messages.success(
        request, f"已将《{draft.title}》移到回收站，{services.TRASH_DAYS} 天内可以恢复。"
    )
    return redirect("home")


# --- the editor -------------------------------------------------------------------------


@require_GET
def editor(request: HttpRequest, pk: int) -> HttpResponse:
    draft = draft_for_user(request, pk, READ)
    editing = request.GET.get("edit", "")  # ?edit=<id>: the no-JavaScript way to open an editor
    context = _editor_context(
        draft,
        user=request.user,
        editing=parse_id(editing),
        reference=services.reference_of(draft),
        reference_keys=services.reference_keys(draft),
    )
    return render(request, "drafts/editor.html", context)


@require_POST
@carries_pending
def item_insert(request: HttpRequest, pk: int) -> HttpResponse:
    """添加部分 / 添加要点 / 添加段落: an empty item where `placement_for` puts it, the cursor in
    it. (`heading`/`body` come along when the page offers back text an item lost.)"""
    draft = draft_for_user(request, pk)
    kind = request.POST.get("kind", "paragraph")
    try:
        placement = services.placement_for(draft, kind, request.POST.get("anchor") or None)
        item = services.draft_item_insert(
            draft,
            user=request.user,
            version=version_sent(request),
            placement=placement,
            numbered=kind != "paragraph",
            heading=request.POST.get("heading", ""),
            body=request.POST.get("body", ""),
        )
    except DraftError as exc:
        return after_change(request, draft, error=exc)
    if not request.htmx:  # without JavaScript the new item opens in its form
        editor_url = reverse("drafts:editor", args=[draft.pk])
        return redirect(f"{editor_url}?edit={item.pk}#item-{item.pk}")
    field = "heading" if item.numbered else "body"
    return after_change(request, draft, focus=item.pk, focus_field=field)


@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    """GET: the in-place editor for one item. POST: save it; htmx gets back just that item's
    row (its number cannot change) with the status bar and version out of band."""
    draft = draft_for_user(request, pk)
    item = get_object_or_404(DraftItem, draft=draft, pk=item_id)
    number = next((b.number for b in draft_document(draft).blocks if b.id == item.pk), "")
    context = {"draft": draft, "item": item, "number": number, "numbered": item.numbered}
    if request.method == "GET":
        form = ItemForm.for_item(item)
        return render(request, "drafts/_item_edit.html", {**context, "form": form})
    form = ItemForm(request.POST, slot_names=set(draft.variables))
    try:
        if not form.is_valid():
            raise DraftError(next(iter(form.errors.values()))[0])
        services.draft_item_update(
            draft,
            user=request.user,
            version=version_sent(request),
            item_id=item.pk,
            heading=form.cleaned_data["heading"],
            body=form.cleaned_data["body"],
        )
    except DraftError as exc:
        # The user's text stays in the form; a stale save can be repeated on purpose.
        draft.refresh_from_db()
        stale = isinstance(exc, StaleDraft)
        context.update(draft=draft, form=form, error=exc.message, stale=stale)
        if request.htmx:
            return render(
                request, "drafts/_item_row_edit.html", context, status=409 if stale else 422
            )
        editor_context = _editor_context(draft, user=request.user, editing=item.pk)
        editor_context.update(edit_form=form, edit_error=exc.message)
        return render(request, "drafts/editor.html", editor_context, status=409 if stale else 422)
    if not request.htmx:
        return redirect("drafts:editor", draft.pk)
    # The answer names the version this save made, not whatever the row holds by now: another
    # window may have saved in between, and this page has not seen that change.
    context = _editor_context(draft, user=request.user, fresh=True)
    hints = reverse("review:hints", args=[draft.pk, item.pk])
    context["row"] = render_row(request, draft, context["doc"], item.pk, hints)
    return render(request, "drafts/_item_saved.html", context)


@require_POST
def item_save(request: HttpRequest, pk: int, item_id: int) -> JsonResponse:
    """Autosave of text typed on the page (JSON for editor.js): the new version, the status bar
    and the undo/redo buttons; 409 with what the other window saved when both changed this
    item; 422 with the reason when the text cannot be taken. The page keeps the text on any
    failure."""
    draft = draft_for_user(request, pk)
    edit = ItemEdit(item_id, request.POST.get("body", ""), request.POST.get("heading"))
    try:
        stale = services.draft_item_save(
            draft,
            user=request.user,
            version=request.POST.get("version"),
            edit=edit,
            force=request.POST.get("force") == "1",
        )
    except ItemConflict as exc:
        return JsonResponse(
            {
                "error": "此段已在其他窗口修改。您的文字仍在页面上，可以选择“仍然保存我的修改”。",
                "conflict": {"heading": exc.heading, "body": exc.body},
                "version": draft.version,
            },
            status=409,
        )
    except ItemMissing as exc:
        return JsonResponse({"error": exc.message, "version": draft.version}, status=404)
    except DraftError as exc:
        return JsonResponse({"error": exc.message, "version": draft.version}, status=422)
    context = _editor_context(draft, user=request.user, fresh=True)
    return JsonResponse(
        {
            "version": draft.version,
            "refresh": stale,  # other windows changed the draft: reload the rest around it
            "statusbar": render_to_string("drafts/_statusbar.html", context, request=request),
            "history": render_to_string("drafts/_history_buttons.html", context, request=request),
            "hints": reverse("review:hints", args=[draft.pk, item_id]),
        }
    )


@require_GET
def document(request: HttpRequest, pk: int) -> HttpResponse:
    """The outline and its panels as they are now (the page reloads them around the text
    still being typed, after another window changed the draft)."""
    draft = draft_for_user(request, pk, READ)
    return after_change(request, draft)


@require_GET
def item_view(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    """An item's read-only fragment (取消 in the plain form)."""
    draft = draft_for_user(request, pk, READ)
    get_object_or_404(DraftItem, draft=draft, pk=item_id)
    return after_change(request, draft)


def _item_exists_or_404(draft: Draft, item_id: int) -> None:
    if not DraftItem.objects.filter(draft=draft, pk=item_id).exists():
        raise Http404


def _item_action(service, *, panels: bool, **kwargs):
    """A button on an item. `panels=False`: the change only moves items, so the details and
    numbering panels (variables, slot fields, styles) stay as they are on screen."""

    @require_POST
    @carries_pending
    def view(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
        draft = draft_for_user(request, pk)
        _item_exists_or_404(draft, item_id)
        try:
            service(
                draft, user=request.user, version=version_sent(request), item_id=item_id, **kwargs
            )
        except DraftError as exc:
            return after_change(request, draft, error=exc)
        return after_change(request, draft, panels=panels, focus=item_id)

    return view


item_delete = _item_action(services.draft_item_delete, panels=True)
item_up = _item_action(services.draft_item_step, panels=False, delta=-1)
item_down = _item_action(services.draft_item_step, panels=False, delta=1)
item_indent = _item_action(services.draft_item_indent, panels=False)
item_outdent = _item_action(services.draft_item_outdent, panels=False)


@require_POST
@carries_pending
def item_move(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    """Drag and drop: the item goes to `position` among the children of `parent`."""
    draft = draft_for_user(request, pk)
    _item_exists_or_404(draft, item_id)
    try:
        position = int(request.POST.get("position", ""))
    except ValueError:
        return after_change(request, draft, error=DraftError("移动的位置不正确。"))
    # Apart from the position: a DraftError is a ValueError too (UserError), and a stale or
    # locked draft must be refused as such (409 / the lock's message), not as a bad position.
    try:
        services.draft_item_move(
            draft,
            user=request.user,
            version=version_sent(request),
            item_id=item_id,
            parent_id=request.POST.get("parent") or None,
            position=position,
        )
    except DraftError as exc:
        return after_change(request, draft, error=exc)
    return after_change(request, draft, panels=False, focus=item_id)


@require_POST
@carries_pending
def draft_details(request: HttpRequest, pk: int) -> HttpResponse:
    draft = draft_for_user(request, pk)
    form = DetailsForm(request.POST)
    if not form.is_valid():
        first = next(iter(form.errors.values()))[0]
        return after_change(request, draft, error=DraftError(f"未保存：{first}"))
    try:
        services.draft_details_update(
            draft,
            user=request.user,
            version=version_sent(request),
            details=form.details(request.POST),
        )
    except DraftError as exc:
        return after_change(request, draft, error=exc)
    return after_change(request, draft, notice="已保存会议信息与变量。")


@require_POST
@carries_pending
def draft_numbering(request: HttpRequest, pk: int) -> HttpResponse:
    draft = draft_for_user(request, pk)
    try:
        services.draft_numbering_update(
            draft,
            user=request.user,
            version=version_sent(request),
            numbering=numbering_from_post(request.POST),
        )
    except DraftError as exc:
        return after_change(request, draft, error=exc)
    return after_change(request, draft)


@require_POST
@carries_pending
def draft_undo(request: HttpRequest, pk: int) -> HttpResponse:
    draft = draft_for_user(request, pk)
    try:
        versions.draft_undo(draft, user=request.user, version=version_sent(request))
        imports.proposals_follow_history(draft)
    except DraftError as exc:
        return after_change(request, draft, error=exc)
    return after_change(request, draft, notice="已撤销。")


@require_POST
@carries_pending
def draft_redo(request: HttpRequest, pk: int) -> HttpResponse:
    draft = draft_for_user(request, pk)
    try:
        versions.draft_redo(draft, user=request.user, version=version_sent(request))
        imports.proposals_follow_history(draft)
    except DraftError as exc:
        return after_change(request, draft, error=exc)
    return after_change(request, draft, notice="已重做。")


# --- history and preview ----------------------------------------------------------------


@require_GET
def history(request: HttpRequest, pk: int) -> HttpResponse:
    draft = draft_for_user(request, pk, READ)
    return render(
        request,
        "drafts/history.html",
        {
            "draft": draft,
            "versions": selectors.history_versions(draft),
            "name_max": MAX_NAME_CHARS,
            "can_write": draft_role(request.user, draft) in WRITE and not frozen_message(draft),
        },
    )


@require_POST
def revision_name(request: HttpRequest, pk: int, version: int) -> HttpResponse:
    """Name a version (送审稿, 定稿) or, with an empty name, take its name away."""
    draft = draft_for_user(request, pk)
    name = request.POST.get("name", "")
    try:
        revision = versions.revision_name(draft, version=version, name=name)
    except DraftError as exc:
        messages.error(request, exc.message)
    else:
        if revision.name:
            messages.success(request, f"第 {version} 版已命名为“{revision.name}”。")
        else:
            messages.success(request, f"已取消第 {version} 版的名称。")
    return redirect("drafts:history", draft.pk)


@require_GET
def compare(request: HttpRequest, pk: int) -> HttpResponse:
    draft = draft_for_user(request, pk, READ)
    shown = versions.versions_compared(draft, request.GET.get("a"), request.GET.get("b"))
    return render(request, "drafts/compare.html", {"draft": draft, "shown": shown})


@require_GET
def revision_view(request: HttpRequest, pk: int, version: int) -> HttpResponse:
    draft = draft_for_user(request, pk, READ)
    revision = get_object_or_404(draft.revisions, version=version)
    snapshot = versions.revision_snapshot(revision)
    context = {
        "draft": draft,
        "shown": snapshot,
        "doc": snapshot_document(snapshot),
        "revision": revision,
        "count_rule": COUNT_RULE,
    }
    return render(request, "drafts/preview.html", context)


@require_POST
def revision_restore(request: HttpRequest, pk: int, version: int) -> HttpResponse:
    draft = draft_for_user(request, pk)
    try:
        versions.draft_restore(
            draft, user=request.user, version=version_sent(request), revision_version=version
        )
        imports.proposals_follow_history(draft)
    except DraftError as exc:
        messages.error(request, exc.message)
        return redirect("drafts:history", draft.pk)
    messages.success(request, f"已恢复到第 {version} 版。")
    return redirect("drafts:editor", draft.pk)


@require_GET
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    draft = draft_for_user(request, pk, READ)
    context = {
        "draft": draft,
        "shown": draft,
        "doc": draft_document(draft),
        "count_rule": COUNT_RULE,
    }
    return render(request, "drafts/preview.html", context)


# --- library panel ----------------------------------------------------------------------


@require_GET
def library_panel(request: HttpRequest, pk: int) -> HttpResponse:
    draft = draft_for_user(request, pk, READ)
    query = request.GET.get("q", "")[:2000]
    kind, role = request.GET.get("kind", ""), request.GET.get("role", "")
    tab = request.GET.get("tab", "")
    # The part the cursor is in (the current item comes as `anchor`): its material first, and
    # 建议素材 for it while nothing is typed.
    part_role = anchor_role(draft, request.GET.get("anchor"))
    response = None
    if tab == "favourites":
        response = listing.favourites_of(request.user)
    elif tab == "recent":
        response = listing.recent_of(request.user)
    elif query.strip() or part_role:
        user_dictionary_ensure()
        response = library_search(
            query,
            kinds=[kind] if kind else [],
            roles=[role] if role else [],
            user=request.user,
            limit=20,
            # The panel's 隐藏过时素材 is ticked by default; unticked, the form sends nothing.
            fresh_only=bool(request.GET.get("fresh")),
            as_of=draft.reference_date,
            prefer_role=part_role,
            expand=True,
        )
        listing.mark_favourites(response.results, request.user)
    context = {
        "draft": draft,
        "response": response,
        "fav_action": reverse("drafts:favourite", args=[draft.pk]),
    }
    return render(request, "drafts/_library_results.html", context)


@require_POST
@carries_pending
def favourite(request: HttpRequest, pk: int) -> HttpResponse:
    """收藏 from the editor's panel or its 查看全文 dialog: through the editor's queue like
    every other POST there, so text typed and not yet saved is saved first."""
    draft = draft_for_user(request, pk, READ)
    return favourite_response(
        request,
        favourite_target(request),
        fav_action=reverse("drafts:favourite", args=[draft.pk]),
        fallback=reverse("drafts:editor", args=[draft.pk]),
    )


def _insert_posted_material(request: HttpRequest, draft: Draft, *, anchor, version) -> DraftItem:
    """The paragraph or phrase the form names, into `draft` at `anchor` (None: the end of
    its parts, before the closing). Raises DraftError."""
    paragraph = phrase = None
    if request.POST.get("paragraph"):
        paragraph = get_object_or_404(
            paragraphs_visible_to(request.user), pk=id_param(request.POST, "paragraph")
        )
    else:
        phrase = get_object_or_404(
            phrases_visible_to(request.user), pk=id_param(request.POST, "phrase")
        )
    placement = services.placement_for_material(
        draft,
        anchor,
        has_heading=bool(paragraph is not None and paragraph.heading),
        role=paragraph.role if paragraph is not None else None,
    )
    return services.material_insert(
        draft,
        user=request.user,
        version=version,
        placement=placement,
        paragraph=paragraph,
        phrase=phrase,
    )


@require_POST
@carries_pending
def material_insert(request: HttpRequest, pk: int) -> HttpResponse:
    """插入 from the editor's panel or dialog: at the cursor."""
    draft = draft_for_user(request, pk)
    try:
        item = _insert_posted_material(
            request, draft, anchor=request.POST.get("anchor") or None, version=version_sent(request)
        )
    except DraftError as exc:
        return after_change(request, draft, error=exc)
    return after_change(request, draft, notice="已插入素材。", focus=item.pk, focus_field="body")


@require_POST
def material_insert_chosen(request: HttpRequest) -> HttpResponse:
    """插入到讲话稿 from the library's pages: the material goes to the end of the chosen
    draft's parts (before its closing), then the editor opens."""
    draft = draft_for_user(request, id_param(request.POST, "draft"))
    try:
        _insert_posted_material(request, draft, anchor=None, version=draft.version)
    except DraftError as exc:
        messages.error(request, exc.message)
        return redirect("library:search")
    messages.success(request, f"已插入《{draft.title}》。")
    return redirect("drafts:editor", draft.pk)


@require_GET
def material_detail(request: HttpRequest, pk: int, paragraph_id: int) -> HttpResponse:
    """查看全文 in the editor's dialog: the library's view of the paragraph, inserting into
    this draft through the editor's own path."""
    draft = draft_for_user(request, pk, READ)
    paragraph = get_object_or_404(
        paragraphs_visible_to(request.user).select_related("skeleton"), pk=paragraph_id
    )
    context = {
        **paragraph_context(request, paragraph),
        "draft": draft,
        "fav_action": reverse("drafts:favourite", args=[draft.pk]),
    }
    return render(request, "library/paragraph.html#detail", context)


@require_POST
@carries_pending
def reference_insert(request: HttpRequest, pk: int) -> HttpResponse:
    """参考原文 → the draft: one click puts a paragraph of the source speech in."""
    draft = draft_for_user(request, pk)
    paragraph = get_object_or_404(
        Paragraph.objects.filter(visible_q(draft.unit_id)), pk=id_param(request.POST, "paragraph")
    )
    try:
        item = services.reference_insert(
            draft,
            user=request.user,
            version=version_sent(request),
            anchor_id=request.POST.get("anchor") or None,
            paragraph=paragraph,
        )
    except DraftError as exc:
        return after_change(request, draft, error=exc)
    return after_change(request, draft, notice="已插入参考原文。", focus=item.pk)


@require_POST
def phrase_used(request: HttpRequest, pk: int) -> HttpResponse:
    """A phrase typed into an open editor by the browser: count the use."""
    draft_for_user(request, pk)
    phrase = get_object_or_404(
        phrases_visible_to(request.user), pk=id_param(request.POST, "phrase")
    )
    services.phrase_used(phrase, user=request.user)
    return HttpResponse(status=204)


def stage_choices(draft: Draft) -> list[tuple[str, str]]:
    """The 阶段 a drafter may pick: 起草 and 修改; 定稿 is the signer's step (drafts/flow.py)."""
    return [
        (value, label)
        for value, label in Draft.Stage.choices
        if value != Draft.Stage.FINAL or draft.stage == Draft.Stage.FINAL
    ]


# --- sharing and 送审 → 审核 → 定稿 ----------------------------------------------------------


@require_http_methods(["GET", "POST"])
def sharing(request: HttpRequest, pk: int) -> HttpResponse:
    """共享: the owner shares the draft with members of its unit (协作起草 / 审阅)."""
    draft = draft_for_user(request, pk, OWN)
    error = notice = ""
    if request.method == "POST":
        try:
            notice = flow.share_set(
                draft, user_id=request.POST.get("user"), role=request.POST.get("role", "")
            )
        except DraftError as exc:
            error = exc.message
        if not error:
            messages.success(request, notice)
            return redirect("drafts:sharing", draft.pk)
    context = {"draft": draft, "rows": flow.share_rows(draft), "error": error}
    return render(request, "drafts/sharing.html", context, status=422 if error else 200)


def _flow_action(service, *, note: bool = False, reviewer: bool = False):
    @require_POST
    @carries_pending  # text still being typed goes first: it is part of what is sent
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        draft = draft_for_user(request, pk, READ)
        kwargs = {"user": request.user, "version": version_sent(request)}
        if note:
            kwargs["note"] = request.POST.get("note", "")
        if reviewer:
            kwargs["reviewer_id"] = request.POST.get("reviewer")
        try:
            done = service(draft, **kwargs)
        except DraftError as exc:
            return after_change(request, draft, error=exc)
        messages.success(request, done)
        # Back to the draft, or home when the step ended one's part in it (a signer without a
        # share who returned it no longer reads it).
        still = draft_role(request.user, Draft.objects.get(pk=draft.pk)) is not None
        target = reverse("drafts:editor", args=[draft.pk]) if still else reverse("home")
        if request.htmx:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return redirect(target)

    return view


flow_submit = _flow_action(flow.flow_submit, note=True, reviewer=True)
flow_withdraw = _flow_action(flow.flow_withdraw)
flow_return = _flow_action(flow.flow_return, note=True)
flow_approve = _flow_action(flow.flow_approve, note=True)
flow_finalize = _flow_action(flow.flow_finalize)


# --- 批注 ---------------------------------------------------------------------------------


def comments_answer(
    request: HttpRequest,
    draft: Draft,
    *,
    error: DraftError | None = None,
    error_target: str = "#flash",
    notice: str = "",
) -> HttpResponse:
    """htmx: the refreshed comments margin (with `notice` in the editor's messages); a refusal
    is 422 with why, put into the form that was sent (`error_target`), its text left as typed.
    A plain form: back to the editor with a message."""
    if request.htmx:
        if error:
            response = render(
                request, "drafts/_comment_error.html", {"message": error.message}, status=422
            )
            response["HX-Retarget"] = error_target
            response["HX-Reswap"] = "innerHTML"
            return response
        context = {
            "draft": draft,
            "comments_open": draft.flow != Flow.FINAL,
            "notice": notice,
        }
        return render(request, "drafts/_comments.html", context)
    if error:
        messages.error(request, error.message)
    elif notice:
        messages.success(request, notice)
    return redirect(reverse("drafts:editor", args=[draft.pk]) + "#comments")


@require_POST
@carries_pending  # text typed and not yet saved goes first: the words are found in it
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    """批注 on words the reader selected in one item's heading or body."""
    draft = draft_for_user(request, pk, COMMENT)
    data = request.POST
    try:
        comments.comment_add(
            draft,
            user=request.user,
            item_id=data.get("item_id"),
            field=data.get("field", ""),
            anchor=data.get("anchor", ""),
            before=data.get("before", ""),
            after=data.get("after", ""),
            offset=data.get("offset"),
            text=data.get("text", ""),
        )
    except DraftError as exc:
        return comments_answer(request, draft, error=exc, error_target="#comment-form-error")
    return comments_answer(request, draft, notice="已添加批注。")


@require_POST
@carries_pending
def comment_answer(request: HttpRequest, pk: int, comment_id: int) -> HttpResponse:
    """回复 under a comment."""
    draft = draft_for_user(request, pk, COMMENT)
    comment = get_object_or_404(Comment, draft=draft, pk=comment_id)
    try:
        comments.comment_answer(comment, user=request.user, text=request.POST.get("text", ""))
    except DraftError as exc:
        target = f"#answer-error-{comment.parent_id or comment.pk}"
        return comments_answer(request, draft, error=exc, error_target=target)
    return comments_answer(request, draft, notice="已回复。")


@require_POST
@carries_pending
def comment_resolve(request: HttpRequest, pk: int, comment_id: int) -> HttpResponse:
    """标记为已解决 (resolved=1) or 重新打开."""
    draft = draft_for_user(request, pk, COMMENT)
    comment = get_object_or_404(Comment, draft=draft, pk=comment_id)
    resolved = request.POST.get("resolved") == "1"
    comments.comment_resolve(comment, user=request.user, resolved=resolved)
    return comments_answer(
        request, draft, notice="批注已解决。" if resolved else "批注已重新打开。"
    )
