from django.contrib import admin

from speechdraft.review.models import Formulation


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
class FormulationAdmin(admin.ModelAdmin):
    list_display = ["wrong", "right", "kind", "valid_from", "superseded_on", "note", "active"]
    list_editable = ["right", "kind", "active"]
    list_filter = [DatedFilter, "kind", "active", ("superseded_on", admin.DateFieldListFilter)]
    search_fields = ["wrong", "right", "note"]
    date_hierarchy = "superseded_on"
    fields = ["wrong", "right", "kind", "note", "valid_from", "superseded_on", "active"]
