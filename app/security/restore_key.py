"""Which keys a restore uses: this data folder's own, and a recovery code's for a backup
made on another computer (the clinic moving to a new PC)."""

from __future__ import annotations

from pathlib import Path

from app.base.errors import KnownError
from app.security.clinic_key import ClinicKey
from app.security.folder_key import KeyMissingError, create_key, load_key, save_key


def read_code_file(path: Path) -> ClinicKey:
    """The key in a file holding a recovery code (RecoveryCodeError when mistyped)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KnownError(f"The recovery code file {path} cannot be read ({exc}).") from exc
    return ClinicKey.from_recovery_code(text)


def keys_for_restore(root: Path, code_file: Path | None) -> tuple[bytes, bytes | None]:
    """The key the restored database is encrypted with, and the recovered key (None without
    a code file). A data folder with no key yet takes the recovered one (the same clinic on
    a new computer), else a new one."""
    recovered = read_code_file(code_file) if code_file is not None else None
    try:
        found = load_key(root)
    except KeyMissingError:
        if recovered is None:
            raise
        found = None  # the folder was copied here without its key: the code brings it
    if found is not None:
        return found.key.raw, recovered.raw if recovered else None
    Path(root).mkdir(parents=True, exist_ok=True)
    made = save_key(root, recovered) if recovered is not None else create_key(root)
    return made.key.raw, made.key.raw
