"""Why Glabella cannot start on a data folder: the errors the entry module shows as they are."""

from __future__ import annotations

from app.base.errors import KnownError


class OpenError(KnownError, RuntimeError):
    """Glabella cannot start on this data folder or content pack; ``message`` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class AlreadyOpen(OpenError):
    """Another running Glabella (another window, another user) has this data folder."""


class ReadOnlyError(OpenError):
    """The data folder or database cannot be written by this account."""


class DamagedDatabaseError(OpenError):
    """The database file exists but is corrupt, or is no Glabella database at all."""
