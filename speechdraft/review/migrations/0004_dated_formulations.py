"""The dated 提法 (时效) of the starting list, and dates for the entries seeded without them."""

from django.db import migrations


def seed(apps, schema_editor):
    from speechdraft.library.services import formulations_seed

    formulations_seed(apps.get_model("review", "Formulation"))


class Migration(migrations.Migration):
    dependencies = [("review", "0003_formulation_dates")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
