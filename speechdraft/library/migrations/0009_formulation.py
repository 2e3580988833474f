"""The 提法与用字 list moves from review to library (the library's 时效 reads it, and the
apps import one way): the same rows, the table renamed; no data is copied."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('library', '0008_chinese_labels'),
        ('review', '0006_item_reuse_index'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
        migrations.CreateModel(
            name='Formulation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('wrong', models.CharField(max_length=60, unique=True, verbose_name='错误或过时写法')),
                ('right', models.CharField(blank=True, max_length=60, verbose_name='规范写法')),
                ('note', models.CharField(blank=True, help_text='给起草人看的原因，如“党的十八大已于2012年11月召开”。', max_length=200, verbose_name='说明')),
                ('kind', models.CharField(choices=[('typo', '错别字'), ('outdated', '过时或不规范提法')], default='typo', max_length=10, verbose_name='类型')),
                ('valid_from', models.DateField(blank=True, help_text='该写法开始使用的日期（可不填）。', null=True, verbose_name='启用日期')),
                ('superseded_on', models.DateField(blank=True, db_index=True, help_text='该写法从何时起不再适用。填写后，只对日期在此之后的讲话稿提示，并在素材库中标记“时效”；不填则始终提示。', null=True, verbose_name='停用日期')),
                ('active', models.BooleanField(default=True, help_text='不再使用的条目请取消勾选，不要删除（初始条目删除后会恢复）。', verbose_name='启用')),
            ],
            options={
                'verbose_name': '提法与用字',
                'verbose_name_plural': '提法与用字',
                'ordering': ['kind', 'wrong'],
                'db_table': 'review_formulation',
            },
        ),
            ],
        ),
        migrations.AlterModelTable(name='formulation', table=None),
    ]
