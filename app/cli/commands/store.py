"""Opening an existing clinic database for a command, with plain messages on failure."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from app.base.errors import KnownError
from app.base.paths import DataPaths
from db import Store
from db.audit_chain import Origin

if TYPE_CHECKING:
    from app.cli.credentials import Credentials
    from app.runtime.service import Glabella


def open_existing_store(data_dir: Path, err: TextIO, who: Credentials | None = None
                        ) -> Store | None:
    """The clinic's store; None (after saying why on ``err``) when there is none to open.

    Commands that inspect records never create a database where there was none. With
    ``who`` the staff member is signed in first (SignInRefused, store closed, if not), and
    the store's audit events name them. A plain database (an older
    Glabella's, not yet opened by the service, which encrypts it under the folder's lock) is
    opened plain as before: commands never encrypt one.
    """
    path = DataPaths(data_dir).database
    if not path.exists():
        print(f"glabella: there is no clinic database in {data_dir} "
              f"(use --data-dir to point at the clinic's data folder).", file=err)
        return None
    try:
        store = open_keyed(data_dir)
    except KnownError as exc:
        print(f"glabella: the clinic database in {data_dir} cannot be opened: {exc.message}",
              file=err)
        return None
    if who is not None:
        try:
            who.sign_in(store)
        except BaseException:
            store.close()
            raise
    return store


def open_keyed(data_dir: Path) -> Store:
    """The data folder's database with its folder's key (plain, as before, when it is a
    plain one); a KnownError (StoreError, a missing key…) says why not."""
    from app.security.folder_key import load_key
    from db.cipher import is_plain

    path = DataPaths(data_dir).database
    found = None if is_plain(path) else load_key(data_dir)
    return Store.open(path, found.key.raw if found else None)


def open_service_or_say(data_dir: Path, err: TextIO, prefix: str = "glabella: ",
                        who: Credentials | None = None, via: str | None = None
                        ) -> Glabella | None:
    """The whole service (which may create and migrate the database), or None after
    saying on ``err`` why it cannot open (already open elsewhere, read-only, damaged…).
    With ``who`` the staff member is signed in to its store first, as above; else its
    audit events say they came ``via`` that command."""
    from app.runtime.service import OpenError, open_service

    try:
        service = open_service(data_dir)
    except OpenError as exc:
        print(f"{prefix}{exc.message}", file=err)
        return None
    service.store.origin = Origin.here(via)
    if who is not None:
        try:
            who.sign_in(service.store)
        except BaseException:
            service.close()
            raise
    if service.new_recovery_code is not None:
        show_recovery_code(service.new_recovery_code, err)
    return service


def show_recovery_code(code: str, err: TextIO) -> None:
    """The new clinic's recovery code, printed this once: it is never shown again."""
    print("glabella: a new clinic key was made; the records are encrypted with it.\n"
          "  RECOVERY CODE (print it or write it down now, and keep it somewhere safe;\n"
          "  a new computer or a lost key needs it, and it is never shown again):\n"
          f"    {code}", file=err)
