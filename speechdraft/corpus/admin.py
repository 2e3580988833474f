from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Exists, OuterRef, Prefetch
from django.http.multipartparser import TooManyFilesSent
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from speechdraft.corpus.duplicates import duplicate_label
from speechdraft.corpus.forms import UploadForm
from speechdraft.corpus.mining import terms_changed
from speechdraft.corpus.models import Section, Skeleton, SourceDocument, Status, Term, UploadBatch
from speechdraft.corpus.services import (
    batch_progress,
    documents_reingest,
    documents_share,
    documents_upload,
    skeletons_share,
)
from speechdraft.corpus.uploads import (
    Budget,
    BudgetUploadHandler,
    discard_body,
    request_refusal,
    too_many_files_message,
)
from speechdraft.text.templating import from_brackets, to_brackets
from speechdraft.units.access import curated_q
from speechdraft.units.admin import UnitScopedAdmin


def _copies():
    return Skeleton.objects.copies().filter(document=OuterRef("pk"))


def _incomplete():
    return Skeleton.objects.filter(document=OuterRef("pk")).exclude(incomplete=[])


class DuplicateFilter(admin.SimpleListFilter):
    title = "重复"
    parameter_name = "duplicate"

    def lookups(self, request, model_admin):
        return [("yes", "重复"), ("part", "部分重复"), ("no", "不重复")]

    def queryset(self, request, queryset):
        duplicate = SourceDocument.State.DUPLICATE
        if self.value() == "yes":
            return queryset.filter(state=duplicate)
        if self.value() == "part":
            return queryset.exclude(state=duplicate).filter(Exists(_copies()))
        if self.value() == "no":
            return queryset.exclude(state=duplicate).exclude(Exists(_copies()))
        return queryset


class DocumentIncompleteFilter(admin.SimpleListFilter):
    title = "不完整"
    parameter_name = "incomplete"

    def lookups(self, request, model_admin):
        return [("yes", "不完整"), ("no", "完整")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(Exists(_incomplete()))
        if self.value() == "no":
            return queryset.exclude(Exists(_incomplete()))
        return queryset


@admin.register(SourceDocument)
class SourceDocumentAdmin(UnitScopedAdmin, admin.ModelAdmin):
    unit_fields_readonly = ("unit", "shared")  # 设为共享 / 取消共享 carry them over
    list_display = [
        "file_name",
        "state",
        "encoding",
        "script",
        "speech_count",
        "duplicate",
        "is_incomplete",
        "error",
        "updated_at",
    ]
    list_filter = ["state", DuplicateFilter, DocumentIncompleteFilter, "encoding", "script"]
    search_fields = ["file_name", "error"]
    readonly_fields = [
        "file_name",
        "checksum",
        "size",
        "encoding",
        "script",
        "state",
        "error",
        "duplicate",
        "duplicate_of",
        "duplicate_similarity",
        "incomplete_list",
        "skeleton_titles",
        "removed_preview",
        "clean_text",
        "created_at",
        "updated_at",
    ]
    exclude = ["removed_lines", "upload"]
    change_list_template = "admin/corpus/sourcedocument/change_list.html"
    actions = ["reingest"]

    @admin.action(description="重新导入所选文件", permissions=["change"])
    def reingest(self, request, queryset):
        documents = list(queryset)
        batch = documents_reingest(documents, user=request.user)
        count = batch.items.count() if batch is not None else 0
        skipped = len(documents) - count
        note = f"；{skipped} 个没有保存的上传文件，需重新上传" if skipped else ""
        if batch is None:
            self.message_user(request, f"没有可重新导入的文件{note}。", messages.WARNING)
            return
        link = reverse("admin:corpus_upload_batch", args=[batch.pk])
        self.message_user(
            request,
            format_html(
                '已重新排队 {} 个文件{}，依次导入，<a href="{}">查看进度</a>。', count, note, link
            ),
            messages.SUCCESS,
        )

    def get_queryset(self, request):
        speeches = Skeleton.objects.select_related("duplicate_of").order_by("index")
        return (
            super()
            .get_queryset(request)
            .select_related("duplicate_of")
            .prefetch_related(
                Prefetch("skeletons", queryset=speeches),
                Prefetch("duplicate_of__skeletons", queryset=speeches),
            )
            .annotate(has_incomplete=Exists(_incomplete()))
        )

    @admin.display(description="讲话篇数")
    def speech_count(self, obj: SourceDocument) -> int:
        return len(obj.skeletons.all())

    @admin.display(description="重复")
    def duplicate(self, obj: SourceDocument) -> str:
        return duplicate_label(obj)

    @admin.display(description="不完整", boolean=True, ordering="has_incomplete")
    def is_incomplete(self, obj: SourceDocument) -> bool:
        return obj.has_incomplete

    @admin.display(description="不完整的原因")
    def incomplete_list(self, obj: SourceDocument):
        return format_html_join("", "<div>{}</div>", ((r,) for r in obj.incomplete_reasons))

    @admin.display(description="讲话")
    def skeleton_titles(self, obj: SourceDocument):
        def line(s: Skeleton) -> tuple[str, str]:
            if not s.is_copy:
                return to_brackets(s.title), ""
            original = (
                f"《{to_brackets(s.duplicate_of.title)}》" if s.duplicate_of else "（已删除）"
            )
            return to_brackets(s.title), f"（重复：与{original}相同，相似度 {s.similarity:.0%}）"

        return format_html_join("", "<div>《{}》{}</div>", map(line, obj.skeletons.all()))

    @admin.display(description="清除的行（网页杂质等）")
    def removed_preview(self, obj: SourceDocument):
        return format_html_join(
            "", "<div><code>{}</code></div>", ((line,) for line in obj.removed_lines)
        )

    def has_add_permission(self, request) -> bool:
        return False  # documents come in through the upload page

    def share(self, queryset, shared: bool) -> int:
        return documents_share(list(queryset), shared=shared)  # with their speeches

    def get_urls(self):
        view = self.admin_site.admin_view
        # CSRF is checked by _upload_post once the body has been read within the budgets.
        upload = csrf_exempt(self.upload_view)
        return [
            path("upload/", view(upload), name="corpus_upload"),
            path("upload/<int:batch_id>/", view(upload), name="corpus_upload_batch"),
            *super().get_urls(),
        ]

    def upload_view(self, request, batch_id: int | None = None):
        """The upload page; with a batch, that batch's progress above the form.

        A POST is read here, within the per-request budgets, before the CSRF check reads it:
        one over the size limit is refused without parsing or keeping any of it, the rest goes
        to temporary files through BudgetUploadHandler, which keeps nothing past the count.
        A refusal changes nothing, so it needs no CSRF check.
        """
        if not self.has_change_permission(request):
            return redirect("admin:index")
        if request.method != "POST":
            return self._upload_page(request, UploadForm(), batch_id=batch_id)
        budget = Budget.from_settings()
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        refusal = request_refusal(length, budget)
        if refusal is not None:
            discard_body(request, length, budget)
            return self._upload_page(request, UploadForm(), refusal=refusal, status=413)
        handler = BudgetUploadHandler(request, budget)
        request.upload_handlers = [handler]  # temporary files, never memory
        try:
            request.FILES  # noqa: B018 - reads the body now, within the budgets
        except TooManyFilesSent:
            handler.refusal = too_many_files_message(settings.DATA_UPLOAD_MAX_NUMBER_FILES)
        if handler.refusal is not None:
            return self._upload_page(request, UploadForm(), refusal=handler.refusal)
        return self._upload_post(request)

    @method_decorator(csrf_protect)
    def _upload_post(self, request):
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._upload_page(request, form)
        unpacked = form.cleaned_data["files"]
        try:
            batch = documents_upload(unpacked.files, notes=unpacked.notes, user=request.user)
        finally:
            unpacked.close()
        count = len(unpacked.files)
        messages.success(request, f"已接收 {count} 个文件，正在后台依次导入，进度见下方。")
        if unpacked.notes:
            messages.warning(
                request, f"有 {len(unpacked.notes)} 项需要注意（未接收或已改名），详见下方。"
            )
        return redirect(reverse("admin:corpus_upload_batch", args=[batch.pk]))

    def _upload_page(self, request, form, *, batch_id=None, refusal=None, status=200):
        batch = None
        batches = UploadBatch.objects.filter(curated_q(request.user))  # the curator's unit's
        if batch_id is not None:
            batch = get_object_or_404(batches.select_related("created_by"), pk=batch_id)
        recent = [
            (b, batch_progress(b))
            for b in batches.select_related("created_by").exclude(pk=batch_id)[:5]
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "refusal": refusal,
            "batch": batch,
            "progress": batch_progress(batch) if batch is not None else None,
            "items": batch.items.select_related("document") if batch is not None else [],
            "recent": recent,
            "title": "上传讲话稿" if batch is None else f"上传讲话稿：批次 {batch.pk}",
        }
        return TemplateResponse(request, "admin/corpus/upload.html", context, status=status)


class BracketSlotsForm(forms.ModelForm):
    """Titles and headings with their slots as 【地区】 for a curator, braces in storage."""

    bracketed = ("title", "heading", "speaker")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            for name in self.bracketed:
                if name in self.fields:
                    self.initial[name] = to_brackets(getattr(self.instance, name, ""))

    def clean(self):
        data = super().clean()
        for name in self.bracketed:
            if isinstance(data.get(name), str):
                data[name] = from_brackets(data[name])
        return data


class SectionInline(admin.TabularInline):
    model = Section
    fields = ["position", "level", "number", "heading", "role"]
    readonly_fields = ["position", "level"]
    form = BracketSlotsForm
    extra = 0
    show_change_link = False


class CompletenessFilter(admin.SimpleListFilter):
    title = "完整性"
    parameter_name = "complete"

    def lookups(self, request, model_admin):
        return [("yes", "完整"), ("no", "不完整")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(incomplete=[])
        if self.value() == "no":
            return queryset.exclude(incomplete=[])
        return queryset


class SkeletonDuplicateFilter(admin.SimpleListFilter):
    title = "重复"
    parameter_name = "duplicate"

    def lookups(self, request, model_admin):
        return [("yes", "重复的副本"), ("no", "不重复")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.copies()
        if self.value() == "no":
            return queryset.stored()
        return queryset


@admin.register(Skeleton)
class SkeletonAdmin(UnitScopedAdmin, admin.ModelAdmin):
    """Drafters start from approved skeletons only; one flagged 不完整 (page 2 of 3, begins at
    第二个问题 …) waits for a deliberate approval."""

    unit_fields_readonly = ("unit", "shared")  # 设为共享 / 取消共享 carry them over

    list_display = [
        "shown_title",
        "document",
        "index",
        "year",
        "char_count",
        "status",
        "completeness",
        "duplicate",
    ]
    form = BracketSlotsForm
    list_filter = ["status", CompletenessFilter, SkeletonDuplicateFilter]
    search_fields = ["title", "document__file_name"]
    list_select_related = ["document", "duplicate_of"]
    readonly_fields = [
        "document",
        "index",
        "year",
        "char_count",
        "completeness",
        "duplicate",
        "duplicate_of",
        "similarity",
    ]
    inlines = [SectionInline]
    actions = ["approve", "reject"]

    @admin.display(description="标题", ordering="title")
    def shown_title(self, obj: Skeleton) -> str:
        return to_brackets(obj.title)

    @admin.display(description="完整性")
    def completeness(self, obj: Skeleton) -> str:
        return "不完整：" + "；".join(obj.incomplete) if obj.incomplete else "完整"

    @admin.display(description="重复")
    def duplicate(self, obj: Skeleton) -> str:
        if not obj.is_copy:
            return ""
        if obj.duplicate_of is None:
            return "重复：原件已删除"
        return f"重复：与《{to_brackets(obj.duplicate_of.title)}》相同"

    def share(self, queryset, shared: bool) -> int:
        return skeletons_share(list(queryset), shared=shared)  # with their paragraphs

    @admin.action(description="采用所选骨架（可用来起草）")
    def approve(self, request, queryset):
        copies = queryset.copies().count()
        queryset = queryset.stored()
        flagged = queryset.exclude(incomplete=[]).count()
        count = queryset.update(status=Status.APPROVED)
        note = f"，其中 {flagged} 篇标为不完整，起草时会提示" if flagged else ""
        if copies:
            note += f"；{copies} 篇是重复的副本，没有正文，未采用"
        self.message_user(request, f"已采用 {count} 篇骨架{note}。", messages.SUCCESS)

    @admin.action(description="弃用所选骨架（不再用来起草）")
    def reject(self, request, queryset):
        count = queryset.update(status=Status.REJECTED)
        self.message_user(request, f"已弃用 {count} 篇骨架。", messages.SUCCESS)


class TermForm(forms.ModelForm):
    class Meta:
        model = Term
        fields = ["word", "note", "origin"]

    def clean_word(self) -> str:
        word = self.cleaned_data["word"].strip()
        if len(word) < 2 or any(ch.isspace() for ch in word):
            raise forms.ValidationError("词语至少两个字，且不能含空格。")
        return word


@admin.register(Term)
class TermAdmin(UnitScopedAdmin, admin.ModelAdmin):
    form = TermForm
    list_display = ["word", "note", "origin", "created_at"]
    list_filter = ["origin"]
    search_fields = ["word", "note"]

    def save_model(self, request, obj, form, change) -> None:
        old = Term.objects.filter(pk=obj.pk).values_list("word", flat=True).first()
        super().save_model(request, obj, form, change)
        terms_changed([obj.word, old or ""])
        self.message_user(request, "词典已更新：分词与检索即时生效，相关素材正在后台重新索引。")

    def delete_model(self, request, obj) -> None:
        word = obj.word
        super().delete_model(request, obj)
        terms_changed([word])

    def delete_queryset(self, request, queryset) -> None:
        words = list(queryset.values_list("word", flat=True))
        super().delete_queryset(request, queryset)
        terms_changed(words)
