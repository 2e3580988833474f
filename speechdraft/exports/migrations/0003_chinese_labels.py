"""Chinese verbose names for the admin (fields and models); no schema change."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("exports", "0002_exportjob_requeued_at"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="exportjob",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="尝试次数"),
        ),
        migrations.AlterField(
            model_name="exportjob",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="创建时间"),
        ),
        migrations.AlterField(
            model_name="exportjob",
            name="draft",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="exports",
                to="drafts.draft",
                verbose_name="讲话稿",
            ),
        ),
        migrations.AlterField(
            model_name="exportjob",
            name="draft_version",
            field=models.PositiveIntegerField(verbose_name="讲话稿版本"),
        ),
        migrations.AlterField(
            model_name="exportjob",
            name="error",
            field=models.TextField(blank=True, verbose_name="错误信息"),
        ),
        migrations.AlterField(
            model_name="exportjob",
            name="file",
            field=models.FileField(blank=True, upload_to="exports/%Y/%m/", verbose_name="文件"),
        ),
        migrations.AlterField(
            model_name="exportjob",
            name="finished_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="完成时间"),
        ),
        migrations.AlterField(
            model_name="exportjob",
            name="profile",
            field=models.CharField(
                choices=[("gongwen", "公文格式"), ("large", "讲话大字版")],
                default="gongwen",
                max_length=10,
                verbose_name="格式",
            ),
        ),
        migrations.AlterField(
            model_name="exportjob",
            name="requeued_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="重新排队时间"),
        ),
        migrations.AlterField(
            model_name="exportjob",
            name="started_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="开始时间"),
        ),
        migrations.AlterField(
            model_name="exportjob",
            name="status",
            field=models.CharField(
                choices=[
                    ("queued", "排队中"),
                    ("running", "生成中"),
                    ("done", "已完成"),
                    ("failed", "失败"),
                ],
                default="queued",
                max_length=10,
                verbose_name="状态",
            ),
        ),
        migrations.AlterField(
            model_name="exportjob",
            name="title",
            field=models.CharField(max_length=200, verbose_name="标题"),
        ),
        migrations.AlterField(
            model_name="exportjob",
            name="user",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="用户",
            ),
        ),
        migrations.AlterField(
            model_name="officereference",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="上传时间"),
        ),
    ]
