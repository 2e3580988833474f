"""Management commands that read the database: a clear message when it is not set up yet."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection

MIGRATE_FIRST = "数据库尚未初始化或不是最新：请先运行 make run 或 manage.py migrate。"


def migrations_pending() -> bool:
    """Whether the database lacks tables of this code: migrations not yet applied."""
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    except DatabaseError:
        return True  # not even the migrations table can be read


class DatabaseCommand(BaseCommand):
    """A command whose database error on a database not migrated yet says what to run,
    instead of a traceback (other database errors are raised as they are)."""

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except DatabaseError as exc:
            if migrations_pending():
                raise CommandError(MIGRATE_FIRST) from exc
            raise
