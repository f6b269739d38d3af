"""The Glabella migration set: every schema migration registers here, in order."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import sqlite_utils

MIGRATION_SET = "glabella"
migrations = sqlite_utils.Migrations(MIGRATION_SET)
# Names registered below, in order; kept here because Migrations has no public list.
KNOWN_MIGRATIONS: list[str] = []

_MigrationFn = TypeVar("_MigrationFn", bound=Callable[[sqlite_utils.Database], None])


def register(func: _MigrationFn) -> _MigrationFn:
    """Register func with the migration set and remember its name."""
    KNOWN_MIGRATIONS.append(func.__name__)
    return migrations()(func)


def refusing_trigger(table: str, name: str, timing: str, message: str,
                     condition: str = "") -> str:
    """A trigger ``<table>_<name>`` that aborts with ``message`` (no single quotes in it)
    at ``timing`` (e.g. "BEFORE DELETE"), when ``condition`` holds if one is given."""
    return f"""
CREATE TRIGGER {table}_{name}
{timing} ON {table}
{condition}
BEGIN
    SELECT RAISE(ABORT, '{message}');
END"""
