"""jieba's user dictionary moves from library to corpus, next to the segmentation it feeds
(the apps import one way): the same rows, the table renamed, no data copied. The admin
permissions follow the model: its content type is moved rather than made anew, so a
curators' group keeps what it was given."""

from django.db import migrations, models


def _move_content_type(apps, schema_editor, source: str, target: str) -> None:
    """Term's content type (and so its permissions, and the groups given them) from app
    `source` to `target`. One the target made already (post_migrate of an earlier, partly run
    migrate) is unassigned: it gives way."""
    types = apps.get_model("contenttypes", "ContentType").objects.using(
        schema_editor.connection.alias
    )
    if types.filter(app_label=source, model="term").exists():
        types.filter(app_label=target, model="term").delete()
        types.filter(app_label=source, model="term").update(app_label=target)


def content_type_to_corpus(apps, schema_editor):
    _move_content_type(apps, schema_editor, "library", "corpus")


def content_type_to_library(apps, schema_editor):
    _move_content_type(apps, schema_editor, "corpus", "library")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("corpus", "0009_upload_batch"),
        ("library", "0009_formulation"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Term",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("word", models.CharField(max_length=40, unique=True, verbose_name="词语")),
                        ("note", models.CharField(blank=True, max_length=100, verbose_name="说明")),
                        (
                            "origin",
                            models.CharField(
                                choices=[("mined", "语料挖掘"), ("manual", "人工添加")],
                                default="manual",
                                max_length=8,
                                verbose_name="来源",
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="添加时间"),
                        ),
                    ],
                    options={
                        "verbose_name": "词典词条",
                        "verbose_name_plural": "词典词条",
                        "ordering": ["word"],
                        "db_table": "library_term",
                    },
                ),
            ],
        ),
        migrations.AlterModelTable(name="term", table=None),
        migrations.RunPython(content_type_to_corpus, content_type_to_library),
    ]
