"""Where the clinic key is kept: the operating system's credential store, or a private folder.

``keyring`` reaches Windows Credential Manager, the macOS Keychain or the Secret Service. It
is imported only when a key is read from or written to it (the import and its backend
detection cost about half a second), never for a folder store. Where no usable backend
exists (headless Linux, CI), the key goes to a private folder outside the data folder
(``~/.config/Glabella/keys``, 0700, files 0600), marked as a fallback that ``doctor``
reports. ``GLABELLA_KEY_DIR`` names a folder store explicitly (the tests set it).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from app.base.errors import KnownError

ENV_KEY_DIR = "GLABELLA_KEY_DIR"
KEYRING_SERVICE = "Glabella clinic key"
FOLDER, KEYRING = "folder", "keyring"


class KeyStoreError(KnownError):
    """The key store cannot be read or written (locked keychain, unreadable folder)."""


class KeyStore(Protocol):
    @property
    def kind(self) -> str: ...  # FOLDER or KEYRING

    @property
    def fallback(self) -> bool: ...  # a folder used only because no credential store was usable

    def where(self) -> str: ...
    def get(self, key_id: str) -> bytes | None: ...
    def put(self, key_id: str, raw: bytes) -> None: ...


@dataclass(frozen=True)
class FolderKeyStore:
    """One file per key id, readable by this account only."""

    folder: Path
    fallback: bool = False
    kind: str = FOLDER

    def where(self) -> str:
        return f"the private folder {self.folder}" + (
            " (a fallback: no credential store of the operating system was usable)"
            if self.fallback else "")

    def _file(self, key_id: str) -> Path:
        return self.folder / f"{key_id}.key"

    def get(self, key_id: str) -> bytes | None:
        try:
            text = self._file(key_id).read_text(encoding="ascii").strip()
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as exc:
            raise KeyStoreError(f"The clinic key in {self.folder} cannot be read ({exc}).") from exc
        return bytes.fromhex(text)

    def put(self, key_id: str, raw: bytes) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.chmod(self.folder, 0o700)
            path = self._file(key_id)
            temp = path.with_suffix(".tmp")
            # created 0600 whatever the umask: never readable by another account
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(raw.hex() + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, path)
        except OSError as exc:
            raise KeyStoreError(f"The clinic key could not be saved in {self.folder} "
                                f"({exc.strerror or exc}).") from exc


@dataclass(frozen=True)
class KeyringKeyStore:
    """The operating system's credential store, one entry per key id."""

    backend: str
    fallback: bool = False
    kind: str = KEYRING

    def where(self) -> str:
        return f"the operating system's credential store ({self.backend})"

    def get(self, key_id: str) -> bytes | None:
        import keyring
        from keyring.errors import KeyringError

        try:
            text = keyring.get_password(KEYRING_SERVICE, key_id)
        except KeyringError as exc:
            raise KeyStoreError(f"The clinic key could not be read from {self.where()} "
                                f"({exc}); unlock it and try again.") from exc
        return bytes.fromhex(text) if text else None

    def put(self, key_id: str, raw: bytes) -> None:
        import keyring
        from keyring.errors import KeyringError

        try:
            keyring.set_password(KEYRING_SERVICE, key_id, raw.hex())
        except KeyringError as exc:
            raise KeyStoreError(f"The clinic key could not be saved in {self.where()} "
                                f"({exc}).") from exc


def fallback_folder(env: Mapping[str, str]) -> Path:
    home = Path(env.get("HOME") or env.get("USERPROFILE") or Path.home())
    return Path(env.get("XDG_CONFIG_HOME") or home / ".config") / "Glabella" / "keys"


def usable_keyring() -> KeyringKeyStore | None:
    """The OS credential store when keyring finds a real backend, else None."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 0) < 1:
        return None
    return KeyringKeyStore(type(backend).__module__ + "." + type(backend).__name__)


def store_for(kind: str | None, env: Mapping[str, str] | None = None) -> KeyStore:
    """The store to use: ``GLABELLA_KEY_DIR`` if set; else the kind a data folder recorded
    (FOLDER, KEYRING); else (a new key) the OS store when usable, the fallback folder if not."""
    env = os.environ if env is None else env
    if env.get(ENV_KEY_DIR):
        return FolderKeyStore(Path(env[ENV_KEY_DIR]))
    if kind == FOLDER:
        return FolderKeyStore(fallback_folder(env), fallback=True)
    found = usable_keyring()
    if found is not None:
        return found
    if kind == KEYRING:
        raise KeyStoreError("The clinic key is kept in the operating system's credential "
                            "store, which cannot be reached from this session. Sign in to "
                            "the computer's desktop (or unlock its keychain) and try again, "
                            "or enter the recovery code with 'glabella key recover'.")
    return FolderKeyStore(fallback_folder(env), fallback=True)
