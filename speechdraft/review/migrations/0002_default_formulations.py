"""The starting set of 提法与用字 rules, written for this project; curators edit it in the admin."""

from django.db import migrations


def seed(apps, schema_editor):
    from speechdraft.library.services import formulations_seed

    formulations_seed(apps.get_model("review", "Formulation"))


class Migration(migrations.Migration):
    dependencies = [("review", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
