"""Chinese verbose names for the admin (fields and models); no schema change."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0007_phrase_quality"),
    ]

    operations = [
        migrations.AlterField(
            model_name="favourite",
            name="paragraph",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="corpus.paragraph",
                verbose_name="段落",
            ),
        ),
        migrations.AlterField(
            model_name="favourite",
            name="phrase",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="library.phrase",
                verbose_name="短语",
            ),
        ),
        migrations.AlterField(
            model_name="materialuse",
            name="paragraph",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="corpus.paragraph",
                verbose_name="段落",
            ),
        ),
        migrations.AlterField(
            model_name="materialuse",
            name="phrase",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="library.phrase",
                verbose_name="短语",
            ),
        ),
        migrations.AlterField(
            model_name="phrase",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="创建时间"),
        ),
        migrations.AlterField(
            model_name="phrase",
            name="search_tokens",
            field=models.TextField(blank=True, editable=False, verbose_name="检索词"),
        ),
        migrations.AlterField(
            model_name="phrase",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, verbose_name="修改时间"),
        ),
        migrations.AlterField(
            model_name="phrasesource",
            name="document",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="phrase_sources",
                to="corpus.sourcedocument",
                verbose_name="源文档",
            ),
        ),
        migrations.AlterField(
            model_name="phrasesource",
            name="phrase",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="sources",
                to="library.phrase",
                verbose_name="短语",
            ),
        ),
        migrations.AlterField(
            model_name="phrasesource",
            name="position",
            field=models.CharField(blank=True, max_length=60, verbose_name="位置"),
        ),
        migrations.AlterField(
            model_name="phrasesource",
            name="speech_index",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="篇序"),
        ),
        migrations.AlterField(
            model_name="tag",
            name="paragraphs",
            field=models.ManyToManyField(
                blank=True, related_name="tags", to="corpus.paragraph", verbose_name="段落"
            ),
        ),
        migrations.AlterField(
            model_name="tag",
            name="phrases",
            field=models.ManyToManyField(
                blank=True, related_name="tags", to="library.phrase", verbose_name="短语"
            ),
        ),
        migrations.AlterField(
            model_name="term",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="添加时间"),
        ),
    ]
