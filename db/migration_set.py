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
