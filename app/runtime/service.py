"""What a running Glabella has open: data paths, store, content pack, clinic and clock.

The entry module builds one of these and hands it to the window and the commands; nothing
else reaches for globals.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.base.errors import KnownError
from app.base.paths import DataPaths, default_content_dir, emergency_drafts_dir
from app.base.private_files import create_file, make_folder, private_folder, tighten, write_bytes
from app.base.storage_errors import plain_reason
from app.clinic.details import Clinic, ensure_demo_clinic, load_clinic
from app.clinic.settings import Settings
from app.clinic.staff import StaffDirectory
from app.consult.consent import Clock, Consent, local_now
from app.consult.content import ContentError, ContentPack, load_pack
from app.consult.patient import Injector
from app.document.finalize import FinalizedConsent, Finalizing
from app.document.signing.certifier import Certifier, ClinicCertifier
from app.records.shelf import Records
from app.runtime.drafts import DraftFiles, seal_plain_drafts
from app.runtime.instance_lock import AlreadyOpenError, InstanceLock

# ReadOnlyError and the others are named from here by the callers, as before the split
from app.runtime.open_errors import AlreadyOpen, DamagedDatabaseError, OpenError, ReadOnlyError
from app.runtime.opening import (
    RESTORE_HINT,
    check_sound,
    check_writable,
    clinic_key,
    encrypt_if_plain,
)
from db import NotADatabaseError, Store, StoreError, cipher

if TYPE_CHECKING:
    from datetime import date

    from app.clinic.content_review import PackReview
    from app.consult.reconsent import Decision
    from app.document.rerender import RerenderResult
    from app.document.signing.identity import SigningIdentity
    from app.document.verify import VerifyReport
    from app.security.folder_key import FolderKey


__all__ = ["AlreadyOpen", "DamagedDatabaseError", "Glabella", "OpenError", "ReadOnlyError",
           "SaveFailed", "open_service"]


@dataclass
class Glabella:
    paths: DataPaths
    store: Store
    pack: ContentPack
    clock: Clock = local_now
    certifier: Certifier | None = None  # None: the clinic's own identity in the data folder
    lock: InstanceLock | None = None  # held while open: one Glabella per data folder
    key: FolderKey | None = None  # the clinic key the database is encrypted with
    _own_key: bytes = field(init=False, repr=False, default_factory=lambda: os.urandom(32))
    # the named parts the window uses instead of the store
    staff: StaffDirectory = field(init=False)
    settings: Settings = field(init=False)
    records: Records = field(init=False)

    def __post_init__(self) -> None:
        self.staff = StaffDirectory(self.store)
        self.settings = Settings(self.store)
        self.records = Records(self.store)
        if self.certifier is None:
            self.certifier = ClinicCertifier(self.paths.signing, self.store,
                                             self.signing_secret)

    @classmethod
    def open(cls, data_dir: Path, content_dir: Path | None = None,
             clock: Clock = local_now, certifier: Certifier | None = None, *,
             lock: InstanceLock | None = None, key: FolderKey | None = None) -> Glabella:
        """Load the pack first (a broken pack must not leave a half-made data folder), then
        take the data folder (AlreadyOpenError if another Glabella has it) and open and
        check the database. Raises ReadOnlyError or DamagedDatabaseError too.

        ``lock``: the folder's lock, already held (the window's first screen took it); it
        is released like one taken here if the open fails. ``key``: the clinic key, already
        read (likewise by the first screen); else it is read, or made for a new clinic.
        A plain database (made before encryption) is encrypted here, verified, first."""
        pack = load_pack(content_dir or default_content_dir())
        paths = DataPaths(data_dir)
        check_writable(paths)
        paths.ensure()
        tighten(paths.root)  # a folder made before Glabella kept its files private
        if lock is None:
            lock = InstanceLock(paths.lock).acquire()
        try:
            key = key or clinic_key(paths)
            encrypted = encrypt_if_plain(paths, key)
            # SQLite would create it 0644 and give its -wal and -shm the same mode
            store = Store.open(create_file(paths.database), key.key.raw)
            try:
                if encrypted is not None:
                    done, (backups, left_plain) = encrypted
                    store.log_event("storage.encrypted", details={
                        "consents": done.consents, "events": done.events,
                        "audit_head": done.head, "backups_encrypted": backups,
                        "backups_left_plain": left_plain})
                check_sound(store, paths)
                ensure_demo_clinic(store)
                # drafts an older version left in plain JSON hold patients' answers too
                seal_plain_drafts(DraftFiles(paths.drafts, key.key.for_purpose("drafts")))
            except BaseException:
                store.close()
                raise
        except BaseException:
            lock.release()
            raise
        return cls(paths, store, pack, clock, certifier, lock, key)

    @property
    def database_key(self) -> bytes:
        """The key the database is encrypted with, for a connection of a worker thread's
        own (the automatic backups)."""
        if self.store.key is None:
            raise ValueError("the service's database is not encrypted")  # a bug: open() keys it
        return self.store.key

    @property
    def signing_secret(self) -> bytes | None:
        """What the signing key is encrypted with: the clinic key's "signing-key" subkey."""
        if self.key is None:
            return None
        return self.key.key.for_purpose("signing-key").hex().encode("ascii")

    @property
    def new_recovery_code(self) -> str | None:
        """The recovery code of a key made by this open (a new clinic): shown once, then
        never again (None on every later start)."""
        if self.key is None or not self.key.created:
            return None
        return self.key.key.recovery_code()

    def close(self) -> None:
        self.store.close()
        if self.lock is not None:
            self.lock.release()

    @property
    def clinic(self) -> Clinic:
        return load_clinic(self.store)

    def new_consent(self) -> Consent:
        return Consent.start(self.pack, self.clock)

    def reconsent(self, consent: Consent) -> Decision | None:
        """Apply the clinic's re-consent rule to ``consent`` (a full consent or a
        treatment-day confirmation, and why); None before its patient is known."""
        from app.consult.reconsent import apply_rule

        return apply_rule(self.store, self.pack, consent, today=self.clock().date(),
                          months=self.settings.reconsent_months())

    def start_amendment(self, original_id: str, reason: str,
                        injector: Injector | None = None) -> Consent:
        """A prefilled, unsigned amendment of a stored consent (AmendmentError if refused)."""
        from app.consult.amendments import start_amendment

        return start_amendment(self.store, original_id, reason, self.pack, self.clock, injector)

    def start_withdrawal(self, original_id: str, reason: str,
                         injector: Injector | None = None) -> Consent:
        """An unsigned withdrawal of a stored consent (AmendmentError if refused)."""
        from app.consult.amendments import start_withdrawal

        return start_withdrawal(self.store, original_id, reason, self.pack, self.clock,
                                injector)

    def finalize(self, consent: Consent) -> FinalizedConsent:
        """Finalize, or raise SaveFailed after keeping the consult as an emergency draft.

        A storage failure (full disk, read-only folder, a database kept busy, a damaged
        file) leaves nothing stored and the consent still a draft in memory; the draft is
        also written to ``drafts/``, or to a folder in the system's temporary folder when
        the data folder cannot take it. IncompleteConsentError and ValueError still mean
        the consult itself needs work.
        """
        steps = self.begin_finalize(consent)
        self.certify(steps)
        return self.complete_finalize(steps)

    def begin_finalize(self, consent: Consent) -> Finalizing:
        """The checks and the timestamp (this reads the store); then ``certify`` (slow, and
        safe on any thread) and ``complete_finalize`` (on this thread again)."""
        assert self.certifier is not None
        steps = Finalizing(consent, self.pack, self.clinic, self.certifier)
        with self._saving(steps):
            steps.begin(self.store, self.clock)
            if isinstance(self.certifier, ClinicCertifier):
                # made on first use, which writes an audit event: here, on the store's thread
                self.certifier.identity(steps.clinic)
        return steps

    def certify(self, steps: Finalizing) -> None:
        """Render and certify the PDF: CPU and the signing folder only, never the store."""
        with self._saving(steps):
            steps.certify()

    def complete_finalize(self, steps: Finalizing) -> FinalizedConsent:
        """Store it all in one transaction; the draft file is then no longer needed."""
        with self._saving(steps):
            result = steps.store(self.store)
        self.discard_draft(steps.consent)
        return result

    @contextmanager
    def _saving(self, steps: Finalizing) -> Iterator[None]:
        """Any failure leaves the consent a draft (``undo`` is harmless before ``begin``
        got as far as the timestamp); a storage failure becomes SaveFailed."""
        try:
            yield
        except (StoreError, *cipher.Error, OSError) as exc:
            steps.undo()
            raise self._save_failed(steps.consent, exc) from exc
        except BaseException:
            steps.undo()
            raise

    def save_emergency_draft(self, consent: Consent) -> tuple[Path | None, list[str]]:
        """Write the draft wherever possible: the path, and where it could not be written."""
        failed: list[str] = []
        for folder in (self.paths.drafts, emergency_drafts_dir()):
            try:
                # the temporary folder is shared: refuse one another account made there
                private_folder(folder)
                return self.drafts.save(consent, folder), failed
            except OSError as exc:
                failed.append(f"{folder} ({plain_reason(exc)})")
        return None, failed

    def _save_failed(self, consent: Consent, exc: BaseException) -> SaveFailed:
        reason = plain_reason(exc)
        path, failed = self.save_emergency_draft(consent)
        message = f"The consent could not be saved: {reason}. Nothing was stored. "
        if path is not None:
            message += (f"The consult is kept as a draft in {path}; once the problem is "
                        f"fixed, finalize it again.")
        else:
            message += ("The draft could not be saved either (" + "; ".join(failed) + "). "
                        "The consult is still open in this window: do not close it until "
                        "the problem is fixed, then finalize it again.")
        return SaveFailed(message, path, reason)

    @property
    def drafts(self) -> DraftFiles:
        """The drafts, sealed with the clinic key's drafts subkey (a service made without a
        key, as only some tests do, seals them with a key of this process alone)."""
        key = self.key.key.for_purpose("drafts") if self.key is not None else self._own_key
        return DraftFiles(self.paths.drafts, key)

    def draft_path(self, consent: Consent) -> Path:
        return self.drafts.path(consent.id)

    def save_draft(self, consent: Consent) -> Path:
        return self.drafts.save(consent)

    def discard_draft(self, consent: Consent) -> None:
        """Forget the draft, and its emergency copy if a failed finalize made one."""
        self.drafts.discard(consent.id)
        try:
            self.drafts.discard(consent.id, emergency_drafts_dir())
        except OSError:  # the temporary folder is only ever a fallback
            pass

    def export_pdf(self, consent_id: str, folder: Path) -> Path:
        """Write a stored consent's PDF to ``folder``; never overwrites another file."""
        row = self.store.get_consent(consent_id)
        make_folder(folder)
        stem = f"consent-{row['finalized_at'][:10]}-{consent_id[:8]}"
        target = folder / f"{stem}.pdf"
        n = 1
        while target.exists():
            n += 1
            target = folder / f"{stem}-{n}.pdf"
        pdf = self.store.get_pdf(consent_id)
        write_bytes(target, pdf)
        self.log("consent.exported", consent_id=consent_id,
                 details={"path": str(target), "pdf_sha256": hashlib.sha256(pdf).hexdigest()})
        return target

    def log(self, event: str, *, consent_id: str | None = None, actor: str | None = None,
            details: Mapping[str, Any] | None = None) -> str:
        """Append an audit event (the window logs sign-in, lock, viewed, printed here)."""
        return self.store.log_event(event, consent_id=consent_id, actor=actor, details=details)

    def verify_pdf(self, data: bytes, name: str = "") -> VerifyReport:
        """Is this PDF certified by this clinic, unchanged, and one of its records?"""
        from app.document.verify import verify_for_clinic

        return verify_for_clinic(data, self.store, self.paths.signing, name)

    def signing_identity(self) -> SigningIdentity:
        """The clinic's signing identity, made now if this is its first use."""
        from app.document.signing.identity import ensure_identity

        return ensure_identity(self.paths.signing, self.clinic.name, self.store,
                               self.signing_secret)

    def rerender(self, consent_id: str) -> RerenderResult:
        from app.document.rerender import rerender

        return rerender(self.store, consent_id)

    def pack_review(self) -> PackReview | None:
        """The medical director's recorded review of exactly this content pack, if any."""
        from app.clinic.content_review import current_review

        return current_review(self.store, self.pack)

    def record_pack_review(self, reviewed_by: str, reviewed_on: date,
                           recorded_by: str) -> PackReview:
        """Record the review of this pack's version and hash (ValueError if refused)."""
        from app.clinic.content_review import record_review

        return record_review(self.store, self.pack, reviewed_by, reviewed_on, recorded_by,
                             self.clock)


class SaveFailed(KnownError):
    """Finalizing failed for a storage reason; nothing was stored.

    ``draft_path`` is where the consult was kept (None if nowhere could take it: it then
    lives only in memory), ``reason`` the cause in plain words.
    """

    def __init__(self, message: str, draft_path: Path | None, reason: str) -> None:
        super().__init__(message)
        self.message = message
        self.draft_path = draft_path
        self.reason = reason


def open_service(data_dir: Path, content_dir: Path | None = None,
                 clock: Clock = local_now, *, lock: InstanceLock | None = None,
                 key: FolderKey | None = None) -> Glabella:
    """Open the service, turning every known start-up failure into one plain message."""
    try:
        return Glabella.open(data_dir, content_dir, clock, lock=lock, key=key)
    except OpenError:
        raise
    except AlreadyOpenError as exc:
        raise AlreadyOpen(exc.message) from exc
    except ContentError as exc:
        raise OpenError(f"{exc}\nAsk the clinic's administrator to fix the content pack.") from exc
    except NotADatabaseError as exc:
        raise DamagedDatabaseError(f"The clinic database in {data_dir} cannot be opened: "
                                   f"{exc} {RESTORE_HINT}") from exc
    except StoreError as exc:
        raise OpenError(f"The clinic database in {data_dir} cannot be opened: {exc}") from exc
    except KnownError as exc:  # the key missing or locked away, an upgrade refused
        raise OpenError(f"The clinic database in {data_dir} cannot be opened: "
                        f"{exc.message}") from exc
    except cipher.DatabaseError as exc:
        if getattr(exc, "sqlite_errorname", "") in ("SQLITE_CORRUPT", "SQLITE_NOTADB"):
            raise DamagedDatabaseError(f"The clinic database in {data_dir} cannot be opened: "
                                       f"{exc}. {RESTORE_HINT}") from exc
        raise OpenError(f"The clinic database in {data_dir} cannot be opened: "
                        f"{plain_reason(exc)}.") from exc
    except OSError as exc:
        raise OpenError(f"The data folder {data_dir} cannot be used: "
                        f"{plain_reason(exc)}.") from exc
