"""Store the search tsvector in a generated column (PostgreSQL only) and index that.

An expression index makes every recheck and every sequential scan re-run to_tsvector over the
row's tokens, which at 100,000 rows costs seconds; a stored column costs nothing to read. The
column is invisible to Django (PostgreSQL computes it on every write), so SQLite needs nothing.
"""

from django.db import migrations

TABLE = "library_phrase"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {TABLE}_search_gin")
    schema_editor.execute(
        f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS search_vector tsvector "
        "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_tokens)) STORED"
    )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TABLE}_search_vector_gin ON {TABLE} USING gin (search_vector)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {TABLE}_search_vector_gin")
    schema_editor.execute(f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS search_vector")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TABLE}_search_gin ON {TABLE} "
        "USING gin (to_tsvector('simple'::regconfig, search_tokens))"
    )


class Migration(migrations.Migration):
    dependencies = [("library", "0002_search_index")]
    operations = [migrations.RunPython(forwards, backwards)]
