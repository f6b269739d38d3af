"""Files for other programs (a system PDF viewer) that nobody else on the computer can read.

A stored consent is never written into ``exports/`` just to be looked at: when a file is
needed, it goes into a folder of this process's own (0700), is readable by this user only
(0600), and is removed when its viewer closes and, at the latest, when Glabella exits.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

FILE_MODE = 0o600


class PrivateFiles:
    """One private temporary folder and the files in it; ``clear()`` removes them all."""

    def __init__(self) -> None:
        self._folder: Path | None = None
        atexit.register(self.clear)

    @property
    def folder(self) -> Path:
        if self._folder is None or not self._folder.is_dir():
            # mkdtemp makes the folder 0700 for this user, under a fresh random name
            self._folder = Path(tempfile.mkdtemp(prefix="glabella-"))
        return self._folder

    def write(self, name: str, data: bytes) -> Path:
        """``data`` as ``name`` in the private folder (an earlier file of that name replaced)."""
        path = self.folder / Path(name).name
        self.remove(path)
        # O_EXCL with the mode given at creation: the file is never readable by others,
        # not even for a moment before a chmod
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                     FILE_MODE)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
        except BaseException:
            self.remove(path)
            raise
        return path

    def remove(self, path: Path) -> None:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            pass  # still open in a viewer on Windows: clear() at exit tries again

    def clear(self) -> None:
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None
