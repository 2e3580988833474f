"""Curation in the Django admin: status workflow, tags, merge, CSV, terms, slot checks, 同义提法."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone

from speechdraft.corpus.models import Paragraph, Status
from speechdraft.library import csv_io
from speechdraft.library.models import (
    Formulation,
    Phrase,
    PhraseKind,
    PhraseSource,
    Synonym,
    SynonymGroup,
    Tag,
)
from speechdraft.library.selectors import PARAGRAPH, library_search
from speechdraft.library.services import (
    CurationError,
    material_text_check,
    phrase_merge,
    phrases_mergeable,
    tag_add,
    tags_parse,
    tags_set,
)
from speechdraft.library.synonyms import synonyms_changed
from speechdraft.text.synonyms import compact, formulation_problem
from speechdraft.text.templating import from_brackets, to_brackets
from speechdraft.units.access import unit_id_of
from speechdraft.units.admin import UnitScopedAdmin


class CurationActionForm(ActionForm):
    kind = forms.ChoiceField(label="类型", choices=[("", "—"), *PhraseKind.choices], required=False)
    tag = forms.CharField(label="标签", max_length=30, required=False)


class MaterialForm(forms.ModelForm):
    tag_names = forms.CharField(
        label="标签", required=False, help_text="多个标签用顿号、逗号或空格分隔。"
    )

    # A curator reads and writes slots as 【地区】, never braces.
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["tag_names"].initial = "、".join(t.name for t in self.instance.tags.all())
            for name in ("text", "heading"):
                if name in self.fields and not self.is_bound:
                    self.initial[name] = to_brackets(getattr(self.instance, name, ""))

    def clean_text(self) -> str:
        text = from_brackets(self.cleaned_data["text"])
        problems = material_text_check(text)
        if problems:
            raise forms.ValidationError(problems)
        return text.strip()

    def clean_heading(self) -> str:
        return from_brackets(self.cleaned_data.get("heading", ""))


class CsvImportForm(forms.Form):
    file = forms.FileField(
        label="CSV 文件", help_text="UTF-8 编码（Excel/WPS：另存为 CSV UTF-8）。"
    )


class CurationAdmin(UnitScopedAdmin, admin.ModelAdmin):
    """Shared by phrases and paragraphs: status actions, tags, CSV, Chinese search."""

    form = MaterialForm
    action_form = CurationActionForm
    actions = ["approve", "reject", "add_tag"]
    list_per_page = 50
    search_help_text = "中文分词检索，按相关度排序：整词出现、出现在小标题和首句中的优先。"
    search_kinds: tuple[str, ...] = ()
    csv_export = None
    csv_import = None
    change_list_template = "admin/library/curation_change_list.html"

    class Media:
        # Readable columns on a 1024 px screen: the text wraps, the short columns stay narrow.
        css = {"all": ["admin/css/speechdraft_curation.css"]}

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        tags_set(form.instance, tags_parse(form.cleaned_data.get("tag_names", "")))

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        found = library_search(
            search_term,
            kinds=self.search_kinds,
            statuses=Status.values,
            limit=200,
            # A superuser searches every unit's material; the queryset scopes a curator's.
            user=None if request.user.is_superuser else request.user,
        )
        ids = [r.obj.pk for r in found.results if isinstance(r.obj, self.model)]
        return queryset.filter(pk__in=ids), False

    @admin.action(description="采用所选（审核通过）")
    def approve(self, request, queryset) -> None:
        count = queryset.update(status=Status.APPROVED, updated_at=timezone.now())
        self.message_user(request, f"已采用 {count} 条。", messages.SUCCESS)

    @admin.action(description="弃用所选")
    def reject(self, request, queryset) -> None:
        count = queryset.update(status=Status.REJECTED, updated_at=timezone.now())
        self.message_user(request, f"已弃用 {count} 条。", messages.SUCCESS)

    @admin.action(description="为所选添加标签（在上方“标签”框填写）")
    def add_tag(self, request, queryset) -> None:
        try:
            count = tag_add(queryset, request.POST.get("tag", ""))
        except CurationError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return
        self.message_user(request, f"已为 {count} 条添加标签“{request.POST['tag'].strip()}”。")

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        return [
            path(
                "export-csv/",
                self.admin_site.admin_view(self.export_view),
                name=f"{info[0]}_{info[1]}_export",
            ),
            path(
                "import-csv/",
                self.admin_site.admin_view(self.import_view),
                name=f"{info[0]}_{info[1]}_import",
            ),
            *super().get_urls(),
        ]

    def export_view(self, request):
        if not self.has_view_permission(request):
            return redirect("admin:index")
        data = type(self).csv_export(self.get_queryset(request))
        name = f"{self.model._meta.model_name}-{timezone.localdate():%Y%m%d}.csv"
        response = HttpResponse(data, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def import_view(self, request):
        if not self.has_change_permission(request):
            return redirect("admin:index")
        form = CsvImportForm(request.POST or None, request.FILES or None)
        reports, error = None, None
        if request.method == "POST" and form.is_valid():
            try:
                reports = type(self).csv_import(
                    form.cleaned_data["file"].read(),
                    scope=self.get_queryset(request),  # the curator's unit's rows only
                    unit_id=unit_id_of(request.user),
                )
            except csv_io.CsvRefused as exc:
                error = exc.message
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "reports": reports,
            "error": error,
            "counts": _count(reports or []),
            "title": f"导入{self.model._meta.verbose_name} CSV",
        }
        return TemplateResponse(request, "admin/library/csv_import.html", context)


def _count(reports) -> dict[str, int]:
    counts: dict[str, int] = {}
    for r in reports:
        counts[r.action] = counts.get(r.action, 0) + 1
    return counts


class PhraseSourceInline(admin.TabularInline):
    model = PhraseSource
    fields = ["document", "speech_index", "position"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class PrivateFilter(admin.SimpleListFilter):
    title = "归属"
    parameter_name = "owner"

    def lookups(self, request, model_admin):
        return [("library", "素材库"), ("private", "用户私有")]

    def queryset(self, request, queryset):
        if self.value() == "library":
            return queryset.filter(owner__isnull=True)
        if self.value() == "private":
            return queryset.filter(owner__isnull=False)
        return queryset


class QualityFilter(admin.SimpleListFilter):
    title = "质量分"
    parameter_name = "quality"

    def lookups(self, request, model_admin):
        return [("high", "0.8 以上"), ("mid", "0.5–0.8"), ("low", "0.5 以下"), ("none", "未评分")]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "high":
            return queryset.filter(quality__gte=0.8)
        if value == "mid":
            return queryset.filter(quality__gte=0.5, quality__lt=0.8)
        if value == "low":
            return queryset.filter(quality__lt=0.5)
        if value == "none":
            return queryset.filter(quality__isnull=True)
        return queryset


@admin.register(Phrase)
class PhraseAdmin(CurationAdmin):
    """The library's phrases. A drafter's private phrase (owner set) is their own work: only
    superusers see it here, curators see and change the library's phrases only."""

    list_display = [
        "shown_text",
        "kind",
        "status",
        "shown_quality",
        "tag_list",
        "usage_count",
        "source_count",
    ]
    list_editable = ["kind", "status"]
    list_filter = ["kind", "status", QualityFilter, PrivateFilter, "sources__document", "tags"]
    fields = ["text", "kind", "status", "tag_names", "shown_quality", "usage_count", "owner"]
    readonly_fields = ["shown_quality", "usage_count", "owner"]
    inlines = [PhraseSourceInline]
    actions = [*CurationAdmin.actions, "change_kind", "merge"]
    # Shows the search box; the search itself is get_search_results (Chinese search).
    search_fields = ["text"]
    search_kinds = tuple(PhraseKind.values)
    csv_export = csv_io.phrases_export
    csv_import = csv_io.phrases_import

    def get_queryset(self, request):
        queryset = super().get_queryset(request).prefetch_related("tags", "sources")
        if not request.user.is_superuser:
            # Lists, change and delete pages, actions and the CSV export all start here.
            queryset = queryset.filter(owner__isnull=True)
        return queryset

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        if request.user.is_superuser:
            return filters
        return [f for f in filters if f is not PrivateFilter]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if request.user.is_superuser:
            return fields
        return [f for f in fields if f != "owner"]

    @admin.display(description="内容", ordering="text")
    def shown_text(self, obj: Phrase) -> str:
        return to_brackets(obj.text)

    @admin.display(description="标签")
    def tag_list(self, obj: Phrase) -> str:
        return "、".join(t.name for t in obj.tags.all())

    # Sorted descending: best first, phrases without a score (written by people) last, on
    # SQLite and PostgreSQL alike (they put NULL at opposite ends).
    @admin.display(description="质量分", ordering=Coalesce("quality", Value(-1.0)), empty_value="—")
    def shown_quality(self, obj: Phrase) -> str | None:
        return None if obj.quality is None else f"{obj.quality:.2f}"

    @admin.display(description="出处数")
    def source_count(self, obj: Phrase) -> int:
        return len(obj.sources.all())

    @admin.action(description="把所选改为上方选定的类型")
    def change_kind(self, request, queryset) -> None:
        kind = request.POST.get("kind", "")
        if kind not in PhraseKind.values:
            self.message_user(request, "请先在上方“类型”中选择新的类型。", messages.ERROR)
            return
        # One row per (kind, text) in the library: rows that would collide are left alone.
        moved = 0
        for phrase in queryset.exclude(kind=kind):
            clash = Phrase.objects.filter(
                owner=phrase.owner, unit_id=phrase.unit_id, kind=kind, text=phrase.text
            )
            if not clash.exists():
                phrase.kind = kind
                phrase.save(update_fields=["kind", "updated_at"])
                moved += 1
        self.message_user(request, f"已将 {moved} 条改为“{PhraseKind(kind).label}”。")

    @admin.action(description="合并所选短语（近似重复）")
    def merge(self, request, queryset):
        phrases = list(queryset.order_by("pk"))
        reason = phrases_mergeable(phrases)
        if reason:
            self.message_user(request, reason, messages.ERROR)
            return None
        if request.POST.get("keep"):
            keep = next((p for p in phrases if str(p.pk) == request.POST["keep"]), None)
            if keep is None:
                self.message_user(request, "请选择要保留的一条。", messages.ERROR)
                return None
            merged = phrase_merge(keep=keep, others=phrases)
            sources = PhraseSource.objects.filter(phrase=merged).count()
            self.message_user(
                request, f"已合并为“{merged.text}”（出处 {sources} 处）。", messages.SUCCESS
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "phrases": phrases,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "title": "合并短语",
        }
        return TemplateResponse(request, "admin/library/merge.html", context)


@admin.register(Paragraph)
class ParagraphAdmin(CurationAdmin):
    unit_fields_readonly = ("unit",)  # its speech's, copied at ingestion
    list_display = ["short_text", "shown_heading", "role", "status", "tag_list", "shown_skeleton"]
    list_editable = ["role", "status"]
    list_filter = ["role", "status", "skeleton__document", "tags"]
    list_select_related = ["skeleton"]
    fields = ["heading", "text", "role", "status", "tag_names", "skeleton", "number", "keywords"]
    readonly_fields = ["skeleton", "number", "keywords"]
    # Shows the search box; the search itself is get_search_results (Chinese search).
    search_fields = ["text"]
    search_kinds = (PARAGRAPH,)
    csv_export = csv_io.paragraphs_export
    csv_import = csv_io.paragraphs_import

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tags")

    def has_add_permission(self, request) -> bool:
        return False  # paragraphs come from ingested speeches

    @admin.display(description="正文")
    def short_text(self, obj: Paragraph) -> str:
        text = to_brackets(obj.text)
        return text[:60] + ("…" if len(text) > 60 else "")

    @admin.display(description="小标题")
    def shown_heading(self, obj: Paragraph) -> str:
        return to_brackets(obj.heading)

    @admin.display(description="讲话骨架")
    def shown_skeleton(self, obj: Paragraph) -> str:
        return to_brackets(obj.skeleton.title)

    @admin.display(description="标签")
    def tag_list(self, obj: Paragraph) -> str:
        return "、".join(t.name for t in obj.tags.all())


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]
    exclude = ["phrases", "paragraphs"]


class SynonymForm(forms.ModelForm):
    class Meta:
        model = Synonym
        fields = ["text"]

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        problem = formulation_problem(text)
        if problem:
            raise forms.ValidationError(problem)
        return text


class SynonymFormSet(forms.BaseInlineFormSet):
    """A group needs two different formulations, or it expands nothing."""

    def clean(self) -> None:
        super().clean()
        forms_kept = [
            f
            for f in self.forms
            if f.cleaned_data.get("text") and not f.cleaned_data.get("DELETE", False)
        ]
        seen: set[str] = set()
        for form in forms_kept:
            key = compact(form.cleaned_data["text"])
            if key in seen:
                raise forms.ValidationError(f"“{form.cleaned_data['text']}”在本组中重复。")
            seen.add(key)
        if len(seen) < 2:
            raise forms.ValidationError("一组至少要有两个不同的提法。")


class SynonymInline(admin.TabularInline):
    model = Synonym
    form = SynonymForm
    formset = SynonymFormSet
    fields = ["text"]
    extra = 3
    verbose_name = "提法"
    verbose_name_plural = "组内提法（检索其中任何一个，也会找到其余提法的素材，标为“近义”）"


@admin.register(SynonymGroup)
class SynonymGroupAdmin(UnitScopedAdmin, admin.ModelAdmin):
    inlines = [SynonymInline]
    list_display = ["shown_members", "note", "active", "updated_at"]
    list_editable = ["active"]
    list_filter = ["active"]
    search_fields = ["members__text", "note"]
    search_help_text = "按提法或说明查找。"
    fields = ["note", "active"]
    actions = ["activate", "deactivate"]
    list_per_page = 100

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("members")

    @admin.display(description="同义提法")
    def shown_members(self, obj: SynonymGroup) -> str:
        return " ～ ".join(m.text for m in obj.members.all()) or "（空）"

    @admin.action(description="启用所选")
    def activate(self, request, queryset) -> None:
        count = queryset.update(active=True, updated_at=timezone.now())
        synonyms_changed()  # update() sends no signals
        self.message_user(request, f"已启用 {count} 组。", messages.SUCCESS)

    @admin.action(description="停用所选")
    def deactivate(self, request, queryset) -> None:
        count = queryset.update(active=False, updated_at=timezone.now())
        synonyms_changed()
        self.message_user(request, f"已停用 {count} 组。", messages.SUCCESS)


# --- 提法与用字 (read by 审稿 and by the library's 时效) ---------------------------------


class DatedFilter(admin.SimpleListFilter):
    title = "时效"
    parameter_name = "dated"

    def lookups(self, request, model_admin):
        return [("yes", "有停用日期（时效）"), ("no", "无日期（始终提示）")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(superseded_on__isnull=False)
        if self.value() == "no":
            return queryset.filter(superseded_on__isnull=True)
        return queryset


@admin.register(Formulation)
class FormulationAdmin(UnitScopedAdmin, admin.ModelAdmin):
    list_display = ["wrong", "right", "kind", "valid_from", "superseded_on", "note", "active"]
    list_editable = ["right", "kind", "active"]
    list_filter = [DatedFilter, "kind", "active", ("superseded_on", admin.DateFieldListFilter)]
    search_fields = ["wrong", "right", "note"]
    date_hierarchy = "superseded_on"
    fields = ["wrong", "right", "kind", "note", "valid_from", "superseded_on", "active"]
