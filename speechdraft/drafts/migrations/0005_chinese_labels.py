"""Chinese verbose names for the admin (fields and models); no schema change."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("drafts", "0004_draft_trash"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="draftitem",
            options={
                "ordering": ["position"],
                "verbose_name": "讲话稿条目",
                "verbose_name_plural": "讲话稿条目",
            },
        ),
        migrations.AlterModelOptions(
            name="revision",
            options={
                "ordering": ["-version"],
                "verbose_name": "修改记录",
                "verbose_name_plural": "修改记录",
            },
        ),
        migrations.AlterField(
            model_name="draft",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="创建时间"),
        ),
        migrations.AlterField(
            model_name="draft",
            name="owner",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="drafts",
                to=settings.AUTH_USER_MODEL,
                verbose_name="起草人",
            ),
        ),
        migrations.AlterField(
            model_name="draft",
            name="skeleton",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="corpus.skeleton",
                verbose_name="讲话骨架",
            ),
        ),
        migrations.AlterField(
            model_name="draft",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, verbose_name="修改时间"),
        ),
        migrations.AlterField(
            model_name="draftitem",
            name="draft",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="items",
                to="drafts.draft",
                verbose_name="讲话稿",
            ),
        ),
        migrations.AlterField(
            model_name="draftitem",
            name="level",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="层级"),
        ),
        migrations.AlterField(
            model_name="draftitem",
            name="numbered",
            field=models.BooleanField(default=False, verbose_name="编号"),
        ),
        migrations.AlterField(
            model_name="draftitem",
            name="parent",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="children",
                to="drafts.draftitem",
                verbose_name="上级条目",
            ),
        ),
        migrations.AlterField(
            model_name="draftitem",
            name="position",
            field=models.PositiveIntegerField(verbose_name="顺序"),
        ),
        migrations.AlterField(
            model_name="draftitem",
            name="source_paragraph",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="corpus.paragraph",
                verbose_name="来源段落",
            ),
        ),
        migrations.AlterField(
            model_name="draftitem",
            name="source_section",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="corpus.section",
                verbose_name="来源部分",
            ),
        ),
        migrations.AlterField(
            model_name="revision",
            name="action",
            field=models.CharField(max_length=100, verbose_name="操作"),
        ),
        migrations.AlterField(
            model_name="revision",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="修改时间"),
        ),
        migrations.AlterField(
            model_name="revision",
            name="draft",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="revisions",
                to="drafts.draft",
                verbose_name="讲话稿",
            ),
        ),
        migrations.AlterField(
            model_name="revision",
            name="item_id",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="所改条目编号"),
        ),
        migrations.AlterField(
            model_name="revision",
            name="parent_version",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="撤销到的版本"),
        ),
        migrations.AlterField(
            model_name="revision",
            name="pinned",
            field=models.BooleanField(default=False, verbose_name="已被引用"),
        ),
        migrations.AlterField(
            model_name="revision",
            name="redo_version",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="重做到的版本"),
        ),
        migrations.AlterField(
            model_name="revision",
            name="snapshot",
            field=models.BinaryField(verbose_name="快照"),
        ),
        migrations.AlterField(
            model_name="revision",
            name="stage",
            field=models.CharField(
                choices=[("drafting", "起草"), ("revising", "修改"), ("final", "定稿")],
                max_length=10,
                verbose_name="阶段",
            ),
        ),
        migrations.AlterField(
            model_name="revision",
            name="stage_changed",
            field=models.BooleanField(default=False, verbose_name="阶段已变更"),
        ),
        migrations.AlterField(
            model_name="revision",
            name="started_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="开始时间"),
        ),
        migrations.AlterField(
            model_name="revision",
            name="user",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                to=settings.AUTH_USER_MODEL,
                verbose_name="修改人",
            ),
        ),
        migrations.AlterField(
            model_name="revision",
            name="version",
            field=models.PositiveIntegerField(verbose_name="版本"),
        ),
    ]
