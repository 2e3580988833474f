"""The 提法与用字 list now belongs to library (library 0009 took over its table)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('review', '0006_item_reuse_index'),
        ('library', '0009_formulation'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Formulation')],
        ),
    ]
