"""jieba's user dictionary now belongs to corpus (corpus 0010 took over its table)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0009_formulation"),
        ("corpus", "0010_term"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Term")],
        ),
    ]
