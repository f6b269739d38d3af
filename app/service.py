"""What a running Glabella has open: data paths, store, content pack, clinic and clock.

The entry module builds one of these and hands it to the window and the commands; nothing
else reaches for globals.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from app import draft
from app.clinic import Clinic, ensure_demo_clinic, load_clinic
from app.consent import Clock, Consent, local_now
from app.content import ContentError, ContentPack, load_pack
from app.finalize import FinalizedConsent, finalize
from app.paths import DataPaths, default_content_dir
from db import Store, StoreError


@dataclass
class Glabella:
    paths: DataPaths
    store: Store
    pack: ContentPack
    clock: Clock = local_now

    @classmethod
    def open(cls, data_dir: Path, content_dir: Path | None = None,
             clock: Clock = local_now) -> Glabella:
        """Load the pack first (a broken pack must not leave a half-made data folder)."""
        pack = load_pack(content_dir or default_content_dir())
        paths = DataPaths(data_dir).ensure()
        store = Store.open(paths.database)
        ensure_demo_clinic(store)
        return cls(paths, store, pack, clock)

    def close(self) -> None:
        self.store.close()

    @property
    def clinic(self) -> Clinic:
        return load_clinic(self.store)

    def new_consent(self) -> Consent:
        return Consent.start(self.pack, self.clock)

    def finalize(self, consent: Consent) -> FinalizedConsent:
        result = finalize(consent, self.pack, self.store, self.clinic, self.clock)
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
        target.write_bytes(self.store.get_pdf(consent_id))
        return target


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
