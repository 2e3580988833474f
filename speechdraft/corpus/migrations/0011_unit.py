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
        ("corpus", "0010_term"),
        ("units", "0002_default_unit"),
    ]

    operations = [
        migrations.AddField(
            model_name="paragraph",
            name="shared",
            field=models.BooleanField(
                default=False,
                help_text="共享的素材所有单位都能看到（仅超级管理员可设置）。",
                verbose_name="共享",
            ),
        ),
        migrations.AddField(
            model_name="paragraph",
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
            model_name="skeleton",
            name="shared",
            field=models.BooleanField(
                default=False,
                help_text="共享的素材所有单位都能看到（仅超级管理员可设置）。",
                verbose_name="共享",
            ),
        ),
        migrations.AddField(
            model_name="skeleton",
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
            model_name="sourcedocument",
            name="shared",
            field=models.BooleanField(
                default=False,
                help_text="共享的素材所有单位都能看到（仅超级管理员可设置）。",
                verbose_name="共享",
            ),
        ),
        migrations.AddField(
            model_name="sourcedocument",
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
            model_name="term",
            name="shared",
            field=models.BooleanField(
                default=False,
                help_text="共享的素材所有单位都能看到（仅超级管理员可设置）。",
                verbose_name="共享",
            ),
        ),
        migrations.AddField(
            model_name="term",
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
            model_name="uploadbatch",
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
            into_default_unit(
                "corpus", "paragraph", "skeleton", "sourcedocument", "term", "uploadbatch"
            ),
            migrations.RunPython.noop,
        ),
        migrations.AlterField(
            model_name="paragraph",
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
            model_name="skeleton",
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
            model_name="sourcedocument",
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
            model_name="term",
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
            model_name="uploadbatch",
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
            model_name="sourcedocument",
            name="file_name",
            field=models.CharField(max_length=255, verbose_name="文件名"),
        ),
        migrations.AlterField(
            model_name="term",
            name="word",
            field=models.CharField(max_length=40, verbose_name="词语"),
        ),
        migrations.AddConstraint(
            model_name="sourcedocument",
            constraint=models.UniqueConstraint(
                fields=("unit", "file_name"), name="document_unique_name"
            ),
        ),
        migrations.AddConstraint(
            model_name="term",
            constraint=models.UniqueConstraint(fields=("unit", "word"), name="term_unique_word"),
        ),
    ]
