"""The year of every stored speech: its date, else its title, else its file's name."""

from django.db import migrations


def fill(apps, schema_editor):
    from speechdraft.text.freshness import source_year

    Skeleton = apps.get_model("corpus", "Skeleton")
    rows = Skeleton.objects.values_list("pk", "date_text", "title", "document__file_name")
    by_year: dict[int, list[int]] = {}
    for pk, date_text, title, file_name in rows.iterator(chunk_size=2000):
        year = source_year(date_text, title, file_name)
        if year is not None:
            by_year.setdefault(year, []).append(pk)
    for year, ids in by_year.items():
        for start in range(0, len(ids), 2000):
            Skeleton.objects.filter(pk__in=ids[start : start + 2000]).update(year=year)


class Migration(migrations.Migration):
    dependencies = [("corpus", "0006_skeleton_year")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
