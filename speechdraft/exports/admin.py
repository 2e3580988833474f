import posixpath

from django import forms
from django.contrib import admin, messages
from django.core.files.base import ContentFile

from speechdraft.exports.models import ExportJob, OfficeReference
from speechdraft.ooxml.reference import reference_check, reference_sanitize
from speechdraft.units.access import unit_id_of
from speechdraft.units.admin import UnitScopedAdmin

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
            # Links out of the package would be copied into every export: stored without them.
            data, self.links_removed = reference_sanitize(data)
            missing = reference_check(data)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None
        if missing:
            raise forms.ValidationError(f"参考文档缺少样式：{'、'.join(missing)}")
        if self.links_removed:
            return ContentFile(data, name=posixpath.basename(upload.name))
        return upload

    def _get_validation_exclusions(self):
        # A new default replaces the old one (OfficeReferenceAdmin.save_model unsets it in the
        # same transaction): the one-default constraint is not checked against the old row.
        return super()._get_validation_exclusions() | {"is_default"}


@admin.register(OfficeReference)
class OfficeReferenceAdmin(UnitScopedAdmin, admin.ModelAdmin):
    form = OfficeReferenceForm
    list_display = ["name", "is_default", "created_at"]

    def save_model(self, request, obj, form, change) -> None:
        super_save = super().save_model
        if not change and not request.user.is_superuser:
            obj.unit_id = unit_id_of(request.user)
        if obj.is_default:  # one default per unit: the unit's new one replaces its old one
            OfficeReference.objects.filter(unit_id=obj.unit_id).exclude(pk=obj.pk).update(
                is_default=False
            )
        super_save(request, obj, form, change)
        removed = getattr(form, "links_removed", 0)
        if removed:
            self.message_user(
                request,
                f"已移除参考文档中指向外部的链接（附加模板等）{removed} 处。",
                messages.WARNING,
            )


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    """Export jobs name a drafter's draft and its author: a drafter's private work, shown to
    superusers only (curators, staff with the exports permissions, do not see this list)."""

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

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.none()

    def has_add_permission(self, request) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser and super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser and super().has_delete_permission(request, obj)
