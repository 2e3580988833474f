from django.contrib import admin

from speechdraft.review.models import Formulation


@admin.register(Formulation)
class FormulationAdmin(admin.ModelAdmin):
    list_display = ["wrong", "right", "kind", "note", "active"]
    list_editable = ["right", "kind", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["wrong", "right", "note"]
