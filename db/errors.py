"""Storage errors with plain-language messages, safe to show to clinic staff."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from db import cipher

# Every immutability trigger message starts with this marker, so a trigger
# failure can be told apart from an ordinary constraint failure.
IMMUTABLE_MARKER = "Immutable record:"


class KnownError(Exception):
    """An error written for the person using Glabella: ``message`` says what happened and
    what to do, so it is shown as it is and is not a bug to log.

    It lives here, not in ``app``, because ``db`` never imports ``app`` and the storage
    errors are known errors too; the core names it ``app.base.errors.KnownError``.
    """

    @property
    def message(self) -> str:
        """The text set by the subclass, else the exception's own text."""
        return self.__dict__.get("_message") or str(self)

    @message.setter
    def message(self, text: str) -> None:
        self.__dict__["_message"] = text


class StoreError(KnownError):
    """Base class for every error raised by the storage layer."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotADatabaseError(StoreError):
    """The file exists but is not an SQLite database."""

    def __init__(self, path: str | Path, reason: str | None = None) -> None:
        self.path = Path(path)
        message = f"The file '{path}' is not a Glabella records database"
        message += f" ({reason})." if reason else "."
        super().__init__(message)


class WrongKeyError(NotADatabaseError):
    """An encrypted file this computer's clinic key does not open (another clinic's, a
    damaged file, or not a database at all: SQLCipher cannot tell them apart)."""

    def __init__(self, path: str | Path) -> None:
        super().__init__(path, "this computer's clinic key does not open it")
        self.message += (" It may belong to another clinic, or be damaged. If it is this "
                         "clinic's, enter the clinic's recovery code with "
                         "'glabella key recover', then try again.")
        self.args = (self.message,)


class PlainDatabaseError(StoreError):
    """A plain (unencrypted) database given where an encrypted one is expected."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        super().__init__(f"The records database '{path}' is not encrypted yet. Start the "
                         "Glabella window once to have it encrypted with the clinic key.")


class EncryptedDatabaseError(StoreError):
    """An encrypted file opened without a key."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        super().__init__(f"The file '{path}' is encrypted: it opens only with the clinic "
                         "key (or the clinic's recovery code).")


class NewerDatabaseError(StoreError):
    """The database was upgraded by a newer version of Glabella."""

    def __init__(self, unknown_migrations: list[str]) -> None:
        self.unknown_migrations = unknown_migrations
        super().__init__(
            "This records database was created or upgraded by a newer version of "
            "Glabella. Please update Glabella before opening it. "
            f"(Unknown schema changes: {', '.join(unknown_migrations)})"
        )


class ImmutableRecordError(StoreError):
    """An attempt was made to change a signed consent or the audit log."""


class RecordNotFoundError(StoreError):
    """No record exists with the requested id."""

    def __init__(self, kind: str, record_id: str) -> None:
        self.kind = kind
        self.record_id = record_id
        super().__init__(f"No {kind} was found with id '{record_id}'.")


def translate(exc: Any) -> StoreError | None:
    """Map a trigger failure to ImmutableRecordError; None for anything else."""
    if isinstance(exc, cipher.IntegrityError + cipher.OperationalError):
        text = str(exc)
        if text.startswith(IMMUTABLE_MARKER):
            return ImmutableRecordError(text)
    return None


@contextmanager
def translating_errors() -> Iterator[None]:
    """Re-raise immutability trigger failures as ImmutableRecordError."""
    try:
        yield
    except cipher.Error as exc:
        translated = translate(exc)
        if translated is None:
            raise
        raise translated from exc
