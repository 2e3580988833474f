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
        ("drafts", "0008_proposal"),
        ("units", "0002_default_unit"),
    ]

    operations = [
        migrations.AddField(
            model_name="draft",
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
            into_default_unit("drafts", "draft"),
            migrations.RunPython.noop,
        ),
        migrations.AlterField(
            model_name="draft",
            name="unit",
            field=models.ForeignKey(
                default=speechdraft.units.models.default_unit_id,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="units.unit",
                verbose_name="单位",
            ),
        ),
    ]
