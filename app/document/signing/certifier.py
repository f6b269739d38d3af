"""The certifier a running Glabella hands to finalizing: the identity folder plus a cache.

Importing this module is cheap; cryptography and pyHanko load on the first certification.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from app.clinic.details import Clinic

if TYPE_CHECKING:
    from app.document.signing.identity import EventLog, SigningIdentity


class Certifier(Protocol):
    def certify(self, pdf: bytes, *, clinic: Clinic, record_id: str,
                signed_at: datetime) -> bytes: ...


class ClinicCertifier:
    """Certifies with the identity in ``folder``, creating it on first use."""

    def __init__(self, folder: Path, log: EventLog, secret: bytes | None = None) -> None:
        self.folder = folder
        self.log = log
        self.secret = secret  # encrypts the signing key (app.document.signing.identity)
        self._cached: tuple[tuple[int, int, str], SigningIdentity] | None = None

    def identity(self, clinic: Clinic) -> SigningIdentity:
        """The current identity; re-read only when its file or the clinic's name changed
        (``glabella signing import`` may replace it while the window is open)."""
        from app.document.signing.identity import IDENTITY_FILE, ensure_identity

        def stamp() -> tuple[int, int, str]:
            try:
                st = (self.folder / IDENTITY_FILE).stat()
            except FileNotFoundError:
                return (0, 0, clinic.name)
            return (st.st_mtime_ns, st.st_size, clinic.name)

        if self._cached is None or self._cached[0] != stamp():
            identity = ensure_identity(self.folder, clinic.name, self.log, self.secret)
            self._cached = (stamp(), identity)
        return self._cached[1]

    def certify(self, pdf: bytes, *, clinic: Clinic, record_id: str,
                signed_at: datetime) -> bytes:
        from app.document.signing.certify import certify_pdf

        return certify_pdf(pdf, self.identity(clinic), clinic=clinic, record_id=record_id,
                           signed_at=signed_at)
