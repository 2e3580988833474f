from django import forms
from django.contrib import admin

from speechdraft.exports.docx import reference_check
from speechdraft.exports.models import ExportJob, OfficeReference

MAX_REFERENCE_BYTES = 10 * 1024 * 1024


class OfficeReferenceForm(forms.ModelForm):
    class Meta:
        model = OfficeReference
        fields = ["name", "file", "is_default"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_REFERENCE_BYTES:
            raise forms.ValidationError("参考文档不能超过 10 MB。")
        data = upload.read()
        upload.seek(0)
        try:
            missing = reference_check(data)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None
        if missing:
            raise forms.ValidationError(f"参考文档缺少样式：{'、'.join(missing)}")
        return upload


@admin.register(OfficeReference)
class OfficeReferenceAdmin(admin.ModelAdmin):
    form = OfficeReferenceForm
    list_display = ["name", "is_default", "created_at"]

    def save_model(self, request, obj, form, change) -> None:
        if obj.is_default:
            OfficeReference.objects.exclude(pk=obj.pk).update(is_default=False)
        super().save_model(request, obj, form, change)


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "draft_version",
        "profile",
        "user",
        "status",
        "created_at",
        "finished_at",
    ]
    list_filter = ["status", "profile"]
    readonly_fields = [f.name for f in ExportJob._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
