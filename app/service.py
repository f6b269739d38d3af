"""What a running Glabella has open: data paths, store, content pack, clinic and clock.

The entry module builds one of these and hands it to the window and the commands; nothing
else reaches for globals.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app import draft
from app.clinic import Clinic, ensure_demo_clinic, load_clinic
from app.consent import Clock, Consent, local_now
from app.content import ContentError, ContentPack, load_pack
from app.finalize import FinalizedConsent, finalize
from app.paths import DataPaths, default_content_dir
from app.signing.certifier import Certifier, ClinicCertifier
from db import Store, StoreError

if TYPE_CHECKING:
    from app.rerender import RerenderResult
    from app.signing.identity import SigningIdentity
    from app.verify import VerifyReport


@dataclass
class Glabella:
    paths: DataPaths
    store: Store
    pack: ContentPack
    clock: Clock = local_now
    certifier: Certifier | None = None  # None: the clinic's own identity in the data folder

    def __post_init__(self) -> None:
        if self.certifier is None:
            self.certifier = ClinicCertifier(self.paths.signing, self.store)

    @classmethod
    def open(cls, data_dir: Path, content_dir: Path | None = None,
             clock: Clock = local_now, certifier: Certifier | None = None) -> Glabella:
        """Load the pack first (a broken pack must not leave a half-made data folder)."""
        pack = load_pack(content_dir or default_content_dir())
        paths = DataPaths(data_dir).ensure()
        store = Store.open(paths.database)
        ensure_demo_clinic(store)
        return cls(paths, store, pack, clock, certifier)

    def close(self) -> None:
        self.store.close()

    @property
    def clinic(self) -> Clinic:
        return load_clinic(self.store)

    def new_consent(self) -> Consent:
        return Consent.start(self.pack, self.clock)

    def finalize(self, consent: Consent) -> FinalizedConsent:
        assert self.certifier is not None
        result = finalize(consent, self.pack, self.store, self.clinic, self.certifier,
                          self.clock)
        self.discard_draft(consent)
        return result

    def draft_path(self, consent: Consent) -> Path:
        return self.paths.drafts / f"{consent.id}.json"

    def save_draft(self, consent: Consent) -> Path:
        path = self.draft_path(consent)
        draft.save(consent, path)
        return path

    def discard_draft(self, consent: Consent) -> None:
        self.draft_path(consent).unlink(missing_ok=True)

    def export_pdf(self, consent_id: str, folder: Path) -> Path:
        """Write a stored consent's PDF to ``folder``; never overwrites another file."""
        row = self.store.get_consent(consent_id)
        folder.mkdir(parents=True, exist_ok=True)
        stem = f"consent-{row['finalized_at'][:10]}-{consent_id[:8]}"
        target = folder / f"{stem}.pdf"
        n = 1
        while target.exists():
            n += 1
            target = folder / f"{stem}-{n}.pdf"
        pdf = self.store.get_pdf(consent_id)
        target.write_bytes(pdf)
        self.log("consent.exported", consent_id=consent_id,
                 details={"path": str(target), "pdf_sha256": hashlib.sha256(pdf).hexdigest()})
        return target

    def log(self, event: str, *, consent_id: str | None = None, actor: str | None = None,
            details: Mapping[str, Any] | None = None) -> str:
        """Append an audit event (the window logs sign-in, lock, viewed, printed here)."""
        return self.store.log_event(event, consent_id=consent_id, actor=actor, details=details)

    def verify_pdf(self, data: bytes, name: str = "") -> VerifyReport:
        """Is this PDF certified by this clinic, unchanged, and one of its records?"""
        from app.verify import verify_for_clinic

        return verify_for_clinic(data, self.store, self.paths.signing, name)

    def signing_identity(self) -> SigningIdentity:
        """The clinic's signing identity, made now if this is its first use."""
        from app.signing.identity import ensure_identity

        return ensure_identity(self.paths.signing, self.clinic.name, self.store)

    def rerender(self, consent_id: str) -> RerenderResult:
        from app.rerender import rerender

        return rerender(self.store, consent_id)


class OpenError(RuntimeError):
    """Glabella cannot start on this data folder or content pack; the message says why."""


def open_service(data_dir: Path, content_dir: Path | None = None,
                 clock: Clock = local_now) -> Glabella:
    """Open the service, turning every known start-up failure into one plain message."""
    try:
        return Glabella.open(data_dir, content_dir, clock)
    except ContentError as exc:
        raise OpenError(f"{exc}\nAsk the clinic's administrator to fix the content pack.") from exc
    except StoreError as exc:
        raise OpenError(f"The clinic database in {data_dir} cannot be opened: {exc}") from exc
    except sqlite3.Error as exc:
        raise OpenError(f"The clinic database in {data_dir} cannot be opened: {exc}.") from exc
    except OSError as exc:
        raise OpenError(f"The data folder {data_dir} cannot be used: "
                        f"{exc.strerror or exc} ({exc.filename or data_dir}).") from exc
