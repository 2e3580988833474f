from django.contrib import admin

from speechdraft.units.access import curated_q, unit_id_of
from speechdraft.units.models import Membership, Unit


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "is_default", "created_at"]
    search_fields = ["name"]
    inlines = [MembershipInline]

    # Units and their members are the superuser's business, not a curator's.
    def has_module_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser and not (obj and obj.is_default)


UNIT_FIELDS = ("unit", "shared")


def _has_field(model, name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())


class UnitScopedAdmin:
    """The admin of a unit-owned model: a curator (staff) sees, changes and adds only their
    unit's rows; a superuser sees every unit's, may move a row to another unit and mark rows
    共享. Put it first among the bases (its save_model and get_queryset wrap the others')."""

    # Fields a superuser sees but changes only through actions (or not at all): a speech's
    # unit and 共享 mark are copied onto its paragraphs, which a form would leave behind.
    unit_fields_readonly: tuple[str, ...] = ()

    def get_queryset(self, request):
        return super().get_queryset(request).filter(curated_q(request.user))

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if request.user.is_superuser and obj is not None:
            readonly += [f for f in self.unit_fields_readonly if f not in readonly]
        return readonly

    def _unit_fields(self) -> list[str]:
        return [f for f in UNIT_FIELDS if _has_field(self.model, f)]

    def get_fields(self, request, obj=None):
        fields = [f for f in super().get_fields(request, obj) if f not in UNIT_FIELDS]
        return [*fields, *self._unit_fields()] if request.user.is_superuser else fields

    def get_list_display(self, request):
        shown = list(super().get_list_display(request))
        if request.user.is_superuser:
            shown += [f for f in self._unit_fields() if f not in shown]
        return shown

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        if request.user.is_superuser:
            filters += [f for f in self._unit_fields() if f not in filters]
        return filters

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None:
            return form
        unit_id = unit_id_of(request.user)

        class InUnitForm(form):
            """A new row is its author's unit's (a superuser may choose another), and is
            checked against that unit's rows (its unique constraints) though a curator's form
            has no unit field."""

            def __init__(self, *args, **kw):
                super().__init__(*args, **kw)
                self.instance.unit_id = unit_id

            def _get_validation_exclusions(self):
                return set(super()._get_validation_exclusions()) - {"unit"}

        InUnitForm.__name__ = form.__name__
        return InUnitForm

    def save_model(self, request, obj, form, change) -> None:
        if not change and not request.user.is_superuser:
            obj.unit_id = unit_id_of(request.user)
        super().save_model(request, obj, form, change)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit":
            kwargs["required"] = False  # left out: the row keeps its unit (or its author's)
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        related = db_field.related_model
        if (
            field is not None
            and related is not Unit
            and _has_field(related, "unit")
            and hasattr(field, "queryset")
        ):
            field.queryset = field.queryset.filter(curated_q(request.user))
        return field

    def get_actions(self, request):
        actions = super().get_actions(request)
        if request.user.is_superuser and _has_field(self.model, "shared"):
            for name in ("mark_shared", "mark_unshared"):
                actions[name] = self.get_action(name)
        return actions

    @admin.action(description="设为共享（所有单位可见）")
    def mark_shared(self, request, queryset) -> None:
        self._share(request, queryset, True)

    @admin.action(description="取消共享")
    def mark_unshared(self, request, queryset) -> None:
        self._share(request, queryset, False)

    def _share(self, request, queryset, shared: bool) -> None:
        if not request.user.is_superuser:
            return
        count = self.share(queryset, shared)
        self.message_user(request, f"已{'设为共享' if shared else '取消共享'} {count} 条。")

    def share(self, queryset, shared: bool) -> int:
        return queryset.update(shared=shared)
