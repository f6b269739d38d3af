"""Opening an existing clinic database for a command, with plain messages on failure."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from app.base.paths import DataPaths
from db import Store, StoreError
from db.audit_chain import Origin

if TYPE_CHECKING:
    from app.cli.credentials import Credentials
    from app.runtime.service import Glabella


def open_existing_store(data_dir: Path, err: TextIO, who: Credentials | None = None
                        ) -> Store | None:
    """The clinic's store; None (after saying why on ``err``) when there is none to open.

    Commands that inspect records never create a database where there was none. With
    ``who`` the staff member is signed in first (SignInRefused, store closed, if not), and
    the store's audit events name them.
    """
    path = DataPaths(data_dir).database
    if not path.exists():
        print(f"glabella: there is no clinic database in {data_dir} "
              f"(use --data-dir to point at the clinic's data folder).", file=err)
        return None
    try:
        store = Store.open(path)
    except StoreError as exc:
        print(f"glabella: the clinic database in {data_dir} cannot be opened: {exc}", file=err)
        return None
    if who is not None:
        try:
            who.sign_in(store)
        except BaseException:
            store.close()
            raise
    return store


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
    return service
