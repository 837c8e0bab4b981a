"""Running migrations in a test, on a database holding an older shape (tests/test_migration_*)."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets):
    """Migrate to `targets` ([(app, migration)]) and return the apps as of that state."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def migrate_to_latest() -> None:
    """Back to every app's newest migration: run it in a `finally`, so later tests find the
    schema they expect even when the test failed."""
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
