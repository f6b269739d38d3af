"""Files and folders only the clinic's own account can read, whatever the process umask.

On POSIX a folder is 0700 and a file 0600: the mode is given when the file is created (so it
is never readable by others, not even for a moment) and set again with chmod, because the
umask only ever takes bits away and an existing file keeps the mode it had. On Windows a
folder gets an owner-only ACL (``icacls``: inheritance removed, full control for this user,
inherited by what is created inside), so files made in the data folder need nothing more.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

FOLDER_MODE, FILE_MODE = 0o700, 0o600
LOOSE_BITS = 0o077  # anything group or others may do
_WINDOWS = sys.platform == "win32"


def _windows_owner_only(path: Path, folder: bool) -> None:
    """Owner-only ACL: drop inherited entries, grant this user full control (on a folder,
    inherited by the files and folders inside it)."""
    import getpass
    import subprocess

    grant = f"{getpass.getuser()}:(OI)(CI)F" if folder else f"{getpass.getuser()}:F"
    # not checked: a drive without ACLs (FAT, a USB stick) cannot have them, and refusing
    # to keep records there would lose more than it protects
    subprocess.run(["icacls", str(path), "/inheritance:r", "/grant:r", grant],
                   check=False, capture_output=True)


def _chmod(target: Path | int, mode: int) -> None:
    """chmod (``target`` a path or an open file); a file system without POSIX modes (FAT,
    some network shares) refuses it for our own files, which is accepted (doctor reports
    them); PermissionError when the file is another account's."""
    info = os.stat(target)
    if stat.S_IMODE(info.st_mode) == mode:
        return
    try:
        os.chmod(target, mode)
    except OSError:
        if info.st_uid != os.geteuid():
            raise  # another account's file or folder: never trusted with records


def restrict(path: Path) -> None:
    """Make an existing file 0600 or folder 0700 (an owner-only ACL on Windows). OSError
    when it cannot be done, e.g. the file belongs to another account."""
    folder = path.is_dir()
    if _WINDOWS:
        _windows_owner_only(path, folder)
        return
    _chmod(path, FOLDER_MODE if folder else FILE_MODE)


def make_folder(path: Path) -> Path:
    """Create ``path`` and any missing parents owner-only; existing folders keep their
    mode (a user's own Documents folder is not ours to change)."""
    missing = []
    for folder in (path, *path.parents):
        if folder.is_dir():
            break
        missing.append(folder)
    for folder in reversed(missing):
        try:
            folder.mkdir(FOLDER_MODE)
        except FileExistsError:
            if not folder.is_dir():
                raise
            continue  # made by someone else meanwhile: not ours to change
        restrict(folder)
    return path


def private_folder(path: Path) -> Path:
    """``path`` created or made owner-only: a folder that is Glabella's own."""
    make_folder(path)
    restrict(path)
    return path


def create_file(path: Path) -> Path:
    """An empty owner-only file if ``path`` is absent (before SQLite creates a database
    there, which would make it 0644); an existing one is made owner-only."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    except FileExistsError:
        pass
    restrict(path)
    return path


def open_private(path: Path, mode: str = "w", **kwargs: Any) -> IO[Any]:
    """``open(path, mode)`` for ``w``, ``wb``, ``a`` or ``x`` modes, the file owner-only
    from its creation (the file is truncated for ``w``, appended to for ``a``)."""
    flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_BINARY", 0)
    if "a" in mode:
        flags |= os.O_APPEND
    elif "x" in mode:
        flags |= os.O_EXCL
    else:
        flags |= os.O_TRUNC
    fd = os.open(path, flags, FILE_MODE)
    try:
        if not _WINDOWS:
            _chmod(fd, FILE_MODE)  # an existing file kept its old mode through O_CREAT
        return open(fd, mode.replace("x", "w"), **kwargs)  # noqa: SIM115 - the caller closes
    except BaseException:
        os.close(fd)
        raise


def write_bytes(path: Path, data: bytes) -> Path:
    with open_private(path, "wb") as handle:
        handle.write(data)
    return path


def _entries(root: Path) -> Iterator[Path]:
    """``root`` and everything under it, never following a symbolic link."""
    yield root
    for folder, dirs, files in os.walk(root):
        for name in (*dirs, *files):
            path = Path(folder, name)
            if not path.is_symlink():
                yield path


def loose(root: Path) -> list[Path]:
    """Files and folders under ``root`` (itself included) that group or others can use
    (POSIX modes; empty on Windows, whose ACLs this does not read)."""
    if _WINDOWS or not root.is_dir():
        return []
    found = []
    for path in _entries(root):
        try:
            if path.lstat().st_mode & LOOSE_BITS:
                found.append(path)
        except FileNotFoundError:
            continue  # removed while we looked (a draft finalized)
    return found


def tighten(root: Path) -> list[Path]:
    """Make everything under ``root`` owner-only (an upgrade from a folder made with a
    loose umask); returns what was changed. Files it cannot change are left for
    ``glabella doctor`` to report."""
    changed: list[Path] = []
    if _WINDOWS:
        if root.is_dir():
            _windows_owner_only(root, folder=True)  # inherited by everything inside
        return changed
    for path in loose(root):
        try:
            restrict(path)
        except OSError:
            continue
        changed.append(path)
    return changed
