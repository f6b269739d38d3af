"""Plain data handed to Store.finalize; dict keys are the table column names."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Row = dict[str, Any]


@dataclass
class FinalizeRecord:
    """Everything written when a consent is finalized.

    - patient: id (caller's uuid), full_name, date_of_birth, phone, email;
      created_at/updated_at default to now.
    - consent: id (caller's uuid), patient_id, patient_name, patient_dob,
      product_id, product_name, areas, injector_name, injector_credentials,
      created_at, finalized_at, content_pack_id, content_version, content_hash,
      consent_json, pdf (bytes). patient_*/content_* default from patient and
      content_pack; created_at/finalized_at default to now. status, pdf_sha256
      and pdf_size are computed by the store.
    - content_pack: hash, pack_id, version, snapshot_json; first_seen_at
      defaults to now.
    - screening: consent_id, question_id, answer ('yes'/'no'), note,
      override_reason.
    - acknowledgements: consent_id, item_id, item_kind, acknowledged_at,
      method ('tick'/'initials'), initials, note.
    - faq_views: consent_id, faq_id, viewed_at, discussed_in_person.
    - signatures: consent_id, role, printed_name, meaning, signed_at,
      png (bytes), strokes_json; id and png_sha256 are computed by the store.

    - link: for an amendment or withdrawal, kind ('amendment'/'withdrawal'), amends_id
      (the consent it changes) and reason; None for an ordinary consent.

    consent_id may be omitted from child rows; it defaults to consent["id"].
    """

    patient: Row
    consent: Row
    content_pack: Row
    screening: list[Row] = field(default_factory=list)
    acknowledgements: list[Row] = field(default_factory=list)
    faq_views: list[Row] = field(default_factory=list)
    signatures: list[Row] = field(default_factory=list)
    link: Row | None = None
