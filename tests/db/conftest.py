"""Fixtures for the storage tests: a fresh store and a valid FinalizeRecord factory."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from db import FinalizeRecord, Store

PDF = b"%PDF-1.7\n% fake consent pdf\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n fake signature"
SNAPSHOT = json.dumps({"pack": "core", "risks": ["bruising", "ptosis"]}, sort_keys=True)


def make_record(
    *,
    patient_id: str | None = None,
    consent_id: str | None = None,
    full_name: str = "Jane Doe",
    **overrides: Any,
) -> FinalizeRecord:
    """A complete, valid record; overrides replace whole FinalizeRecord fields."""
    patient_id = patient_id or str(uuid.uuid4())
    consent_id = consent_id or str(uuid.uuid4())
    pack_hash = hashlib.sha256(SNAPSHOT.encode()).hexdigest()
    fields: dict[str, Any] = {
        "patient": {
            "id": patient_id,
            "full_name": full_name,
            "date_of_birth": "1985-04-12",
            "phone": "+1 555 0100",
            "email": "jane@example.com",
        },
        "consent": {
            "id": consent_id,
            "patient_id": patient_id,
            "patient_name": full_name,
            "patient_dob": "1985-04-12",
            "product_id": "onabotulinumtoxinA",
            "product_name": "Botox Cosmetic",
            "areas": "Glabellar lines, Forehead lines",
            "injector_name": "Dr. Ana Ruiz",
            "injector_credentials": "MD",
            "created_at": "2025-01-02T10:00:00+00:00",
            "finalized_at": "2025-01-02T10:30:00+00:00",
            "content_pack_id": "core",
            "content_version": "1.0.0",
            "content_hash": pack_hash,
            "consent_json": json.dumps({"patient": full_name}, ensure_ascii=False),
            "pdf": PDF,
        },
        "content_pack": {
            "hash": pack_hash,
            "pack_id": "core",
            "version": "1.0.0",
            "snapshot_json": SNAPSHOT,
        },
        "screening": [
            {"consent_id": consent_id, "question_id": "pregnant", "answer": "no"},
            {
                "consent_id": consent_id,
                "question_id": "neuromuscular",
                "answer": "yes",
                "note": "mild, controlled",
                "override_reason": "cleared by GP",
            },
        ],
        "acknowledgements": [
            {
                "consent_id": consent_id,
                "item_id": "risk.ptosis",
                "item_kind": "risk",
                "acknowledged_at": "2025-01-02T10:10:00+00:00",
                "method": "initials",
                "initials": "JD",
            },
            {
                "consent_id": consent_id,
                "item_id": "expect.onset",
                "item_kind": "expectation",
                "acknowledged_at": "2025-01-02T10:11:00+00:00",
                "method": "tick",
            },
        ],
        "faq_views": [
            {
                "consent_id": consent_id,
                "faq_id": "faq.duration",
                "viewed_at": "2025-01-02T10:05:00+00:00",
                "discussed_in_person": True,
            }
        ],
        "signatures": [
            {
                "consent_id": consent_id,
                "role": "patient",
                "printed_name": full_name,
                "meaning": "I consent to treatment",
                "signed_at": "2025-01-02T10:29:00+00:00",
                "png": PNG,
                "strokes_json": "[[[0, 0], [10, 10]]]",
            },
            {
                "consent_id": consent_id,
                "role": "injector",
                "printed_name": "Dr. Ana Ruiz",
                "meaning": "I explained the treatment",
                "signed_at": "2025-01-02T10:29:30+00:00",
                "png": PNG + b"2",
                "strokes_json": "[]",
            },
        ],
    }
    fields.update(overrides)
    return FinalizeRecord(**fields)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "records" / "glabella.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    with Store.open(db_path) as opened:
        yield opened


@pytest.fixture(name="make_record")
def make_record_fixture() -> Callable[..., FinalizeRecord]:
    """The record factory, as a fixture so test modules need not import conftest."""
    return make_record
