"""Chinese verbose names for the admin (fields and models); no schema change."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("corpus", "0007_skeleton_year_fill"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="speechband",
            options={"verbose_name": "讲话查重指纹", "verbose_name_plural": "讲话查重指纹"},
        ),
        migrations.AlterField(
            model_name="paragraph",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="创建时间"),
        ),
        migrations.AlterField(
            model_name="paragraph",
            name="search_tokens",
            field=models.TextField(blank=True, editable=False, verbose_name="检索词"),
        ),
        migrations.AlterField(
            model_name="paragraph",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, verbose_name="修改时间"),
        ),
        migrations.AlterField(
            model_name="section",
            name="parent",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="children",
                to="corpus.section",
                verbose_name="上级部分",
            ),
        ),
        migrations.AlterField(
            model_name="sourcedocument",
            name="checksum",
            field=models.CharField(
                blank=True, db_index=True, max_length=64, verbose_name="SHA-256 校验值"
            ),
        ),
        migrations.AlterField(
            model_name="speechband",
            name="band_hash",
            field=models.BigIntegerField(db_index=True, verbose_name="指纹值"),
        ),
        migrations.AlterField(
            model_name="speechband",
            name="skeleton",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="bands",
                to="corpus.skeleton",
                verbose_name="讲话骨架",
            ),
        ),
    ]
