"""GIN index over the search tokens as a `simple` tsvector (PostgreSQL only).

The expression must stay identical to the one in speechdraft.library.selectors, or the
planner will not use the index. SQLite has no such index: its fallback scans the tokens.
"""

from django.db import migrations

INDEX = "library_phrase_search_gin"
CREATE = (
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON library_phrase "
    "USING gin (to_tsvector('simple'::regconfig, search_tokens))"
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
