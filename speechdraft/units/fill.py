"""What the apps' unit migrations share: today's rows go into the default unit."""


def into_default_unit(app_label: str, *model_names: str):
    def forward(apps, schema_editor):
        db = schema_editor.connection.alias
        unit_model = apps.get_model("units", "Unit")
        unit, _ = unit_model.objects.using(db).get_or_create(
            is_default=True, defaults={"name": "默认单位"}
        )
        for name in model_names:
            model = apps.get_model(app_label, name)
            model.objects.using(db).filter(unit__isnull=True).update(unit_id=unit.pk)

    return forward
