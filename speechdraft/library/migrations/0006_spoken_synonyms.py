"""口语说法: groups tying the words a drafter asks with (上访, 老板, 拉投资) to the formulations
speeches use, seeded once from data/synonyms_spoken.tsv."""

from django.db import migrations


def seed(apps, schema_editor):
    from speechdraft.library.services import SPOKEN_SYNONYMS_FILE, synonyms_seed

    synonyms_seed(
        apps.get_model("library", "SynonymGroup"),
        apps.get_model("library", "Synonym"),
        path=SPOKEN_SYNONYMS_FILE,
    )


class Migration(migrations.Migration):
    dependencies = [("library", "0005_favourites")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
