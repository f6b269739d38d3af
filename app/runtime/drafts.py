"""The consult's drafts on disk, sealed with the clinic key.

A draft holds everything the patient said, so it is as private as the records: each one is
the draft's JSON (``app.consult.draft``) sealed with AES-GCM under the clinic key's
``drafts`` subkey (``app.security.sealed``). The seal is also the proof that Glabella wrote
it: ``glabella finalize DRAFT`` takes only a draft that unseals with this clinic's key, so
a hand-made or edited file cannot be certified in the clinic's name. Plain drafts left by
an older version are sealed when the records are opened (``seal_plain_drafts``).
"""

from __future__ import annotations

from pathlib import Path

from app.consult import draft
from app.consult.consent import Consent
from app.consult.draft import DraftError
from app.security.sealed import SealError, seal, unseal

SUFFIX = ".draft"
PLAIN_SUFFIX = ".json"  # drafts written before they were sealed
PURPOSE = b"draft"


class DraftFiles:
    """Sealed drafts in ``folder`` under ``key`` (the clinic key's drafts subkey)."""

    def __init__(self, folder: Path, key: bytes) -> None:
        self.folder, self._key = folder, key

    def path(self, consent_id: str, folder: Path | None = None) -> Path:
        return (folder or self.folder) / f"{consent_id}{SUFFIX}"

    def save(self, consent: Consent, folder: Path | None = None) -> Path:
        """Seal and write atomically; the path written."""
        path = self.path(consent.id, folder)
        draft.write_atomically(path, seal(draft.to_json(consent).encode("utf-8"),
                                          self._key, PURPOSE))
        return path

    def load(self, path: Path) -> Consent:
        """The consult in a draft this clinic's Glabella wrote; DraftError otherwise."""
        try:
            blob = Path(path).read_bytes()
        except FileNotFoundError:
            raise DraftError(f"No draft file at {path}.") from None
        except OSError as exc:
            raise DraftError(f"{path} cannot be read ({exc.strerror or exc}).") from None
        try:
            text = unseal(blob, self._key, PURPOSE)
        except SealError as exc:
            raise DraftError(
                f"Only a draft that Glabella wrote for this clinic can be finalized, and "
                f"this one cannot be trusted: {exc.message}. Start the consult again in the "
                f"window.") from None
        return draft.from_json(text.decode("utf-8"))

    def discard(self, consent_id: str, *folders: Path) -> None:
        """Remove the draft (sealed or an older plain one) from this folder and ``folders``."""
        for folder in (self.folder, *folders):
            for suffix in (SUFFIX, PLAIN_SUFFIX):
                (folder / f"{consent_id}{suffix}").unlink(missing_ok=True)


def seal_plain_drafts(files: DraftFiles) -> int:
    """Seal the plain JSON drafts an older version left in the drafts folder, then
    overwrite and remove each plain file; how many were sealed. One that does not load is
    left as it is (nothing is lost; doctor and staff can still look at it)."""
    from app.security.upgrade import wipe

    sealed = 0
    for plain in sorted(files.folder.glob(f"*{PLAIN_SUFFIX}")):
        try:
            consent = draft.load(plain)
        except DraftError:
            continue
        files.save(consent)
        wipe(plain)
        sealed += 1
    return sealed
