"""Phrase.quality: the mining score of a phrase candidate (None for phrases people wrote)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("library", "0006_spoken_synonyms")]
    operations = [
        migrations.AddField(
            model_name="phrase",
            name="quality",
            field=models.FloatField(blank=True, db_index=True, null=True, verbose_name="质量分"),
        ),
    ]
