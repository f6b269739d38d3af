"""What the window's first screen (signing in) shows, read before the rest of Glabella loads.

Opening the records properly (sqlite-utils, the content pack, migrations, health checks)
takes about three times as long as Python and Qt themselves. An every-day start does not
need any of it to draw the sign-in screen: the clinic's name, who is on the staff list and
whether the demo PIN still works are three plain queries. So the entry module takes the
data folder's lock, reads those here, shows the window, and opens the records properly
right after the first paint; a PIN typed meanwhile waits in Qt's queue.

The records are encrypted: the clinic key is read here (a file, or one look in the OS
credential store) and handed on with the lock, so the full open does not look it up again.

Anything unusual (no database yet, no key, a plain database still to be encrypted, nobody
on the staff list, a folder or file that cannot be written, a file that is not what we
expect) returns None: the full open then runs first
and explains the problem before any window appears. Qt-free, and no sqlite-utils.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from app.base.errors import KnownError
from app.base.paths import DataPaths
from app.clinic.staff import StaffMember, read_demo_hint, read_members
from app.runtime.instance_lock import AlreadyOpenError, InstanceLock
from app.security.folder_key import FolderKey, load_key
from db import cipher
from db.staff import open_query_only, setting


@dataclass
class FirstScreen:
    """The sign-in screen's content, and the data folder's lock, held from now on."""

    clinic_name: str
    members: list[StaffMember]
    demo_hint: str
    lock: InstanceLock
    key: FolderKey


def read_first_screen(data_dir: Path) -> FirstScreen | None:
    """The sign-in screen's content with the folder locked, or None (see the module)."""
    paths = DataPaths(data_dir)
    database = paths.database
    if not (database.is_file() and os.access(database, os.W_OK)
            and os.access(paths.root, os.W_OK)):
        return None
    try:
        lock = InstanceLock(paths.lock).acquire()
    except (AlreadyOpenError, OSError):
        return None  # the full open says who has the folder, or what is wrong with it
    try:
        key = load_key(paths.root)
        screen = None if key is None or cipher.is_plain(database) else _read(database, key)
    except (*cipher.Error, KnownError, OSError, ValueError, TypeError):
        screen = None  # the full open finds out what is wrong and says it plainly
    if screen is None or key is None:
        lock.release()
        return None
    name, members, hint = screen
    return FirstScreen(name, members, hint, lock, key)


def _read(database: Path, key: FolderKey) -> tuple[str, list[StaffMember], str] | None:
    conn = open_query_only(database, key.key.raw)  # this look must never change the file
    try:
        name = setting(conn, "clinic.name")
        members = read_members(conn)
        if not name or not members:
            return None  # a first start: the full open makes the demo clinic or set-up
        return str(name), members, read_demo_hint(conn)
    finally:
        conn.close()
