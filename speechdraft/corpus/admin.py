from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html_join

from speechdraft.corpus.forms import UploadForm
from speechdraft.corpus.models import Section, Skeleton, SourceDocument
from speechdraft.corpus.services import documents_reingest, documents_upload


@admin.register(SourceDocument)
class SourceDocumentAdmin(admin.ModelAdmin):
    list_display = [
        "file_name",
        "state",
        "encoding",
        "script",
        "speech_count",
        "error",
        "updated_at",
    ]
    list_filter = ["state", "encoding", "script"]
    search_fields = ["file_name", "error"]
    readonly_fields = [
        "file_name",
        "checksum",
        "size",
        "encoding",
        "script",
        "state",
        "error",
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
        count = documents_reingest(queryset)
        skipped = queryset.count() - count
        note = f"；{skipped} 个没有保存的上传文件，需重新上传" if skipped else ""
        self.message_user(request, f"已重新排队 {count} 个文件{note}。", messages.SUCCESS)

    @admin.display(description="讲话篇数")
    def speech_count(self, obj: SourceDocument) -> int:
        return obj.skeletons.count()

    @admin.display(description="讲话")
    def skeleton_titles(self, obj: SourceDocument):
        return format_html_join("", "<div>《{}》</div>", ((s.title,) for s in obj.skeletons.all()))

    @admin.display(description="清除的行（网页杂质等）")
    def removed_preview(self, obj: SourceDocument):
        return format_html_join(
            "", "<div><code>{}</code></div>", ((line,) for line in obj.removed_lines)
        )

    def has_add_permission(self, request) -> bool:
        return False  # documents come in through the upload page

    def get_urls(self):
        upload = path("upload/", self.admin_site.admin_view(self.upload_view), name="corpus_upload")
        return [upload, *super().get_urls()]

    def upload_view(self, request):
        if not self.has_change_permission(request):
            return redirect("admin:index")
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            documents = documents_upload(form.cleaned_data["files"])
            messages.success(request, f"已接收 {len(documents)} 个文件，正在后台导入，状态见下表。")
            return redirect(reverse("admin:corpus_sourcedocument_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "title": "上传讲话稿",
        }
        return TemplateResponse(request, "admin/corpus/upload.html", context)


class SectionInline(admin.TabularInline):
    model = Section
    fields = ["position", "level", "number", "heading", "role"]
    readonly_fields = ["position", "level"]
    extra = 0
    show_change_link = False


@admin.register(Skeleton)
class SkeletonAdmin(admin.ModelAdmin):
    list_display = ["title", "document", "index", "char_count"]
    search_fields = ["title", "document__file_name"]
    list_select_related = ["document"]
    readonly_fields = ["document", "index", "char_count"]
    inlines = [SectionInline]
