"""同义提法 (SynonymGroup with its Synonym formulations), seeded from data/synonyms.tsv."""

import django.db.models.deletion
from django.db import migrations, models


def seed(apps, schema_editor):
    from speechdraft.library.services import synonyms_seed

    synonyms_seed(apps.get_model("library", "SynonymGroup"), apps.get_model("library", "Synonym"))


class Migration(migrations.Migration):
    dependencies = [("library", "0002_search_vector")]

    operations = [
        migrations.CreateModel(
            name="SynonymGroup",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=200, verbose_name="说明")),
                (
                    "active",
                    models.BooleanField(db_index=True, default=True, verbose_name="启用"),
                ),
                (
                    "created_at",
                    models.DateTimeField(auto_now_add=True, verbose_name="创建时间"),
                ),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="修改时间")),
            ],
            options={
                "verbose_name": "同义提法",
                "verbose_name_plural": "同义提法",
                "ordering": ["pk"],
            },
        ),
        migrations.CreateModel(
            name="Synonym",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("text", models.CharField(db_index=True, max_length=40, verbose_name="提法")),
                (
                    "group",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="members",
                        to="library.synonymgroup",
                        verbose_name="所属组",
                    ),
                ),
            ],
            options={
                "verbose_name": "提法",
                "verbose_name_plural": "提法",
                "ordering": ["group", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("group", "text"), name="synonym_unique_in_group"
                    )
                ],
            },
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
