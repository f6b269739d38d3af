"""Where Glabella keeps its data and finds its bundled resources.

This is the one place that decides both. The data folder is, in order of precedence:
the ``--data-dir`` flag, the ``GLABELLA_HOME`` environment variable, then the
platform's per-user data folder. Tests and smoke runs always pass one of the first two
so they never touch a real clinic's records.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from app.base.private_files import private_folder

ENV_VAR = "GLABELLA_HOME"
APP_DIR_NAME = "Glabella"


def default_data_dir(env: Mapping[str, str] | None = None, platform: str | None = None) -> Path:
    """The per-user data folder a clinic's installation uses when nothing overrides it."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    home = Path(env.get("HOME") or env.get("USERPROFILE") or Path.home())
    if platform.startswith("win"):
        base = env.get("LOCALAPPDATA") or str(home / "AppData" / "Local")
        return Path(base) / APP_DIR_NAME
    if platform == "darwin":
        return home / "Library" / "Application Support" / APP_DIR_NAME
    base = env.get("XDG_DATA_HOME") or str(home / ".local" / "share")
    return Path(base) / APP_DIR_NAME


def resolve_data_dir(flag: str | os.PathLike[str] | None = None,
                     env: Mapping[str, str] | None = None) -> Path:
    """Pick the data folder: flag, then ``GLABELLA_HOME``, then the platform default."""
    env = os.environ if env is None else env
    if flag:
        return Path(flag).expanduser().resolve()
    if env.get(ENV_VAR):
        return Path(env[ENV_VAR]).expanduser().resolve()
    return default_data_dir(env)


@dataclass(frozen=True)
class DataPaths:
    """Every file and folder inside one data folder."""

    root: Path

    @property
    def database(self) -> Path:
        return self.root / "glabella.db"

    @property
    def lock(self) -> Path:
        """Held by the running Glabella: one per data folder."""
        return self.root / "glabella.lock"

    @property
    def key_id(self) -> Path:
        """Names the clinic key's entry in the operating system's credential store."""
        return self.root / "glabella.keyid"

    @property
    def backups(self) -> Path:
        """Default backup folder (setting ``backup.folder`` moves it, e.g. to a USB drive)."""
        return self.root / "backups"

    @property
    def drafts(self) -> Path:
        """Consults in progress, saved so a crash or a lock loses nothing."""
        return self.root / "drafts"

    @property
    def exports(self) -> Path:
        """Default folder for PDFs the user saves out of the app."""
        return self.root / "exports"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def signing(self) -> Path:
        """The clinic's signing identity: encrypted key, certificates, retired certificates."""
        return self.root / "signing"

    def ensure(self) -> DataPaths:
        """Create the folders owner-only (0700; existing ones are made so); raises OSError
        with the path when that is impossible."""
        for folder in (self.root, self.drafts, self.exports, self.logs, self.signing):
            private_folder(folder)
        return self


def emergency_drafts_dir() -> Path:
    """Where a consult goes when the data folder cannot take its draft (read-only, full)."""
    import tempfile

    return Path(tempfile.gettempdir()) / "Glabella emergency drafts"


def resources_dir() -> Path:
    """The bundled ``resources`` folder: beside the package in a checkout, or in the bundle."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"  # app/base/paths.py


def default_content_dir() -> Path:
    return resources_dir() / "content" / "default"


def fonts_dir() -> Path:
    return resources_dir() / "fonts"
