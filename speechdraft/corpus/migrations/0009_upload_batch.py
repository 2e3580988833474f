"""Upload batches: one job per submission, with the progress of each file."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("corpus", "0008_chinese_labels"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="UploadBatch",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("notes", models.JSONField(blank=True, default=list, verbose_name="上传时的提示")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="上传时间")),
                (
                    "finished_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="完成时间"),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="上传人",
                    ),
                ),
            ],
            options={
                "verbose_name": "上传批次",
                "verbose_name_plural": "上传批次",
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="BatchItem",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("position", models.PositiveIntegerField(verbose_name="顺序")),
                ("file_name", models.CharField(max_length=255, verbose_name="文件名")),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("pending", "排队中"),
                            ("processing", "处理中"),
                            ("done", "已完成"),
                            ("duplicate", "重复（未导入）"),
                            ("failed", "失败"),
                        ],
                        db_index=True,
                        default="pending",
                        max_length=12,
                        verbose_name="状态",
                    ),
                ),
                ("message", models.TextField(blank=True, verbose_name="说明")),
                (
                    "document",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="batch_items",
                        to="corpus.sourcedocument",
                        verbose_name="源文档",
                    ),
                ),
                (
                    "batch",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="items",
                        to="corpus.uploadbatch",
                        verbose_name="上传批次",
                    ),
                ),
            ],
            options={
                "verbose_name": "批次中的文件",
                "verbose_name_plural": "批次中的文件",
                "ordering": ["batch", "position"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("batch", "position"), name="batchitem_unique_pos"
                    )
                ],
            },
        ),
    ]
