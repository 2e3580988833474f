import django.db.models.deletion
import speechdraft.units.models
from django.db import migrations, models

from speechdraft.units.fill import into_default_unit


class Migration(migrations.Migration):
    # Not one transaction: on PostgreSQL the rows filled by RunPython (its own transaction)
    # must be committed before the column is made NOT NULL, or the ALTER TABLE meets the
    # deferred foreign-key checks of those rows ("pending trigger events").
    atomic = False

    dependencies = [
        ("exports", "0006_exportjob_base_version"),
        ("units", "0002_default_unit"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="officereference",
            name="one_default_reference",
        ),
        migrations.AddField(
            model_name="officereference",
            name="shared",
            field=models.BooleanField(
                default=False,
                help_text="共享的素材所有单位都能看到（仅超级管理员可设置）。",
                verbose_name="共享",
            ),
        ),
        migrations.AddField(
            model_name="officereference",
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
            into_default_unit("exports", "officereference"),
            migrations.RunPython.noop,
        ),
        migrations.AlterField(
            model_name="officereference",
            name="unit",
            field=models.ForeignKey(
                default=speechdraft.units.models.default_unit_id,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="units.unit",
                verbose_name="单位",
            ),
        ),
        migrations.AddConstraint(
            model_name="officereference",
            constraint=models.UniqueConstraint(
                condition=models.Q(("is_default", True)),
                fields=("unit",),
                name="one_default_reference",
            ),
        ),
    ]
