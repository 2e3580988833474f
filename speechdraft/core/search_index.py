"""The PostgreSQL part of library search, shared by the corpus and library migrations.

Each searchable table gets a stored tsvector column generated from its jieba tokens (a
`simple` configuration: the tokens are already words) and a GIN index on it. The column is
invisible to Django: PostgreSQL computes it on every write. SQLite gets nothing; its fallback
in speechdraft.library.selectors scans the tokens.
"""

from django.db import migrations


def search_vector_operation(table: str) -> migrations.RunPython:
    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS search_vector tsvector "
            "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_tokens)) STORED"
        )
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_search_vector_gin ON {table} "
            "USING gin (search_vector)"
        )

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_vector_gin")
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector")

    return migrations.RunPython(forwards, backwards)
