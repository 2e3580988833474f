"""The default unit (默认单位), and every existing account a member of it."""

from django.conf import settings
from django.db import migrations


def default_unit_and_members(apps, schema_editor):
    db = schema_editor.connection.alias
    unit_model = apps.get_model("units", "Unit")
    membership_model = apps.get_model("units", "Membership")
    user_model = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    unit, _ = unit_model.objects.using(db).get_or_create(
        is_default=True, defaults={"name": "默认单位"}
    )
    members = set(membership_model.objects.using(db).values_list("user_id", flat=True))
    membership_model.objects.using(db).bulk_create(
        membership_model(user_id=pk, unit_id=unit.pk)
        for pk in user_model.objects.using(db).values_list("pk", flat=True)
        if pk not in members
    )


class Migration(migrations.Migration):
    dependencies = [
        ("units", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(default_unit_and_members, migrations.RunPython.noop)]
