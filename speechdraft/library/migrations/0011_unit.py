import django.db.models.deletion
import speechdraft.units.models
from django.conf import settings
from django.db import migrations, models

from speechdraft.units.fill import into_default_unit


def wording_rules_shared(apps, schema_editor):
    """The wording rules and 同义提法 of today apply to every unit, as they did: 共享."""
    db = schema_editor.connection.alias
    for name in ("formulation", "synonymgroup"):
        apps.get_model("library", name).objects.using(db).update(shared=True)


class Migration(migrations.Migration):
    # Not one transaction: on PostgreSQL the rows filled by RunPython (its own transaction)
    # must be committed before the column is made NOT NULL, or the ALTER TABLE meets the
    # deferred foreign-key checks of those rows ("pending trigger events").
    atomic = False

    dependencies = [
        ("library", "0010_delete_term"),
        ("units", "0002_default_unit"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="phrase",
            name="phrase_unique_kind_text",
        ),
        migrations.AddField(
            model_name="formulation",
            name="shared",
            field=models.BooleanField(
                default=False,
                help_text="共享的素材所有单位都能看到（仅超级管理员可设置）。",
                verbose_name="共享",
            ),
        ),
        migrations.AddField(
            model_name="formulation",
            name="unit",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="units.unit",
                verbose_name="单位",
            ),
        ),
        migrations.AddField(
            model_name="phrase",
            name="shared",
            field=models.BooleanField(
                default=False,
                help_text="共享的素材所有单位都能看到（仅超级管理员可设置）。",
                verbose_name="共享",
            ),
        ),
        migrations.AddField(
            model_name="phrase",
            name="unit",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="units.unit",
                verbose_name="单位",
            ),
        ),
        migrations.AddField(
            model_name="synonymgroup",
            name="shared",
            field=models.BooleanField(
                default=False,
                help_text="共享的素材所有单位都能看到（仅超级管理员可设置）。",
                verbose_name="共享",
            ),
        ),
        migrations.AddField(
            model_name="synonymgroup",
            name="unit",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="units.unit",
                verbose_name="单位",
            ),
        ),
        migrations.RunPython(
            into_default_unit("library", "formulation", "phrase", "synonymgroup"),
            migrations.RunPython.noop,
        ),
        migrations.RunPython(wording_rules_shared, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="formulation",
            name="unit",
            field=models.ForeignKey(
                default=speechdraft.units.models.default_unit_id,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="units.unit",
                verbose_name="单位",
            ),
        ),
        migrations.AlterField(
            model_name="phrase",
            name="unit",
            field=models.ForeignKey(
                default=speechdraft.units.models.default_unit_id,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="units.unit",
                verbose_name="单位",
            ),
        ),
        migrations.AlterField(
            model_name="synonymgroup",
            name="unit",
            field=models.ForeignKey(
                default=speechdraft.units.models.default_unit_id,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="units.unit",
                verbose_name="单位",
            ),
        ),
        migrations.AlterField(
            model_name="formulation",
            name="wrong",
            field=models.CharField(max_length=60, verbose_name="错误或过时写法"),
        ),
        migrations.AddConstraint(
            model_name="formulation",
            constraint=models.UniqueConstraint(
                fields=("unit", "wrong"), name="formulation_unique_wrong"
            ),
        ),
        migrations.AddConstraint(
            model_name="phrase",
            constraint=models.UniqueConstraint(
                condition=models.Q(("owner__isnull", True)),
                fields=("unit", "kind", "text"),
                name="phrase_unique_kind_text",
            ),
        ),
    ]
