"""Chinese verbose names for the admin (fields and models); no schema change."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0004_dated_formulations"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="reuseband",
            options={"verbose_name": "复用索引指纹", "verbose_name_plural": "复用索引指纹"},
        ),
        migrations.AlterModelOptions(
            name="reusesignature",
            options={"verbose_name": "复用索引记录", "verbose_name_plural": "复用索引记录"},
        ),
        migrations.AlterModelOptions(
            name="reviewdismissal",
            options={"verbose_name": "已忽略的审稿提示", "verbose_name_plural": "已忽略的审稿提示"},
        ),
        migrations.AlterModelOptions(
            name="reviewrun",
            options={
                "ordering": ["-created_at"],
                "verbose_name": "全文审稿",
                "verbose_name_plural": "全文审稿",
            },
        ),
        migrations.AlterField(
            model_name="reuseband",
            name="band_hash",
            field=models.BigIntegerField(db_index=True, verbose_name="指纹值"),
        ),
        migrations.AlterField(
            model_name="reuseband",
            name="paragraph",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="reuse_bands",
                to="corpus.paragraph",
                verbose_name="段落",
            ),
        ),
        migrations.AlterField(
            model_name="reusesignature",
            name="indexed_at",
            field=models.DateTimeField(auto_now=True, verbose_name="索引时间"),
        ),
        migrations.AlterField(
            model_name="reusesignature",
            name="paragraph",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="reuse_signature",
                to="corpus.paragraph",
                verbose_name="段落",
            ),
        ),
        migrations.AlterField(
            model_name="reviewdismissal",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="忽略时间"),
        ),
        migrations.AlterField(
            model_name="reviewdismissal",
            name="draft",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="review_dismissals",
                to="drafts.draft",
                verbose_name="讲话稿",
            ),
        ),
        migrations.AlterField(
            model_name="reviewdismissal",
            name="key",
            field=models.CharField(max_length=40, verbose_name="提示标识"),
        ),
        migrations.AlterField(
            model_name="reviewrun",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="创建时间"),
        ),
        migrations.AlterField(
            model_name="reviewrun",
            name="draft",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="review_runs",
                to="drafts.draft",
                verbose_name="讲话稿",
            ),
        ),
        migrations.AlterField(
            model_name="reviewrun",
            name="error",
            field=models.TextField(blank=True, verbose_name="错误信息"),
        ),
        migrations.AlterField(
            model_name="reviewrun",
            name="findings",
            field=models.JSONField(blank=True, default=list, verbose_name="审稿意见"),
        ),
        migrations.AlterField(
            model_name="reviewrun",
            name="finished_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="完成时间"),
        ),
        migrations.AlterField(
            model_name="reviewrun",
            name="status",
            field=models.CharField(
                choices=[
                    ("queued", "排队中"),
                    ("running", "审稿中"),
                    ("done", "已完成"),
                    ("failed", "失败"),
                ],
                default="queued",
                max_length=10,
                verbose_name="状态",
            ),
        ),
        migrations.AlterField(
            model_name="reviewrun",
            name="summary",
            field=models.JSONField(blank=True, default=dict, verbose_name="汇总"),
        ),
        migrations.AlterField(
            model_name="reviewrun",
            name="version",
            field=models.PositiveIntegerField(verbose_name="讲话稿版本"),
        ),
    ]
