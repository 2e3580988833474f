"""A stored, GIN-indexed tsvector of the search tokens (PostgreSQL only).

A stored column rather than an expression index: rechecks and scans then read the vector
instead of re-running to_tsvector over every row (seconds at 100,000 rows).
"""

from django.db import migrations

from speechdraft.core.search_index import search_vector_operation


class Migration(migrations.Migration):
    dependencies = [("corpus", "0001_initial")]
    operations = [search_vector_operation("corpus_paragraph")]
