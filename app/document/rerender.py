"""Re-render a stored consent's PDF and prove it matches the render that was certified.

The unsigned render is byte-deterministic (see :mod:`app.document.pdf.render`): the same consent,
content-pack snapshot and clinic give the same bytes in any process on any machine. So
rendering again from what the record stored, and comparing with the SHA-256 kept at
signing, shows the stored data is what the patient's document was made from.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.base.errors import KnownError
from app.clinic.details import Clinic, clinic_from_json
from app.consult import draft
from app.consult.consent import Consent
from app.consult.content import ContentError, ContentPack, pack_from_snapshot
from app.document.finalize import render_pdf, sha256
from db import Store


class RerenderError(KnownError):
    """The record cannot be re-rendered; the message says why."""


@dataclass(frozen=True)
class RerenderResult:
    consent_id: str
    expected_sha256: str
    actual_sha256: str
    pdf: bytes

    @property
    def match(self) -> bool:
        return self.expected_sha256 == self.actual_sha256


def rerender(store: Store, consent_id: str) -> RerenderResult:
    """Render the record's unsigned PDF again from its stored consent, pack and clinic.

    Raises RecordNotFoundError for an unknown id, RerenderError when the record lacks
    what re-rendering needs or its stored data no longer loads.
    """
    row = store.get_consent(consent_id)
    if not row.get("unsigned_sha256") or not row.get("clinic_json"):
        raise RerenderError(f"Record {consent_id} was finalized before Glabella kept what "
                            f"re-rendering needs (the unsigned PDF's hash and the clinic "
                            f"as printed).")
    consent, pack, clinic = stored_parts(store, row)
    pdf = render_pdf(consent, pack, clinic)
    return RerenderResult(consent_id, row["unsigned_sha256"], sha256(pdf), pdf)


def stored_parts(store: Store, row: Mapping[str, Any], clinic: Clinic | None = None
                 ) -> tuple[Consent, ContentPack, Clinic]:
    """The consent, pack and clinic a record was made from (RerenderError if unreadable);
    ``clinic`` stands in for a record kept before the clinic was stored with it."""
    consent_id = row["id"]
    try:
        consent = draft.from_json(row["consent_json"])
        snapshot = json.loads(store.content_pack(row["content_hash"])["snapshot_json"])
        pack = pack_from_snapshot(snapshot)
        clinic = clinic_from_json(row["clinic_json"]) if row.get("clinic_json") or \
            clinic is None else clinic
    except (draft.DraftError, ContentError, ValueError, KeyError, TypeError) as exc:
        raise RerenderError(f"The stored data of record {consent_id} cannot be loaded: "
                            f"{exc}") from exc
    if pack.hash != row["content_hash"]:
        raise RerenderError(f"The stored content pack of record {consent_id} no longer "
                            f"matches its hash {row['content_hash'][:12]}.")
    return consent, pack, clinic
