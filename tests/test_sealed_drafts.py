"""Drafts on disk are sealed with the clinic key: private, and an older plain one is sealed
when the records open."""

from __future__ import annotations

from app.consult import draft
from app.consult.demo import build_demo_consent
from app.runtime.service import Glabella
from tests.db_keys import read_draft


def test_a_saved_draft_reveals_nothing_and_reads_back(pack, clock, tmp_path):
    consent = build_demo_consent(pack, clock)
    service = Glabella.open(tmp_path / "data")
    try:
        path = service.save_draft(consent)
    finally:
        service.close()
    assert path.suffix == ".draft"
    blob = path.read_bytes()
    for secret in (consent.patient.full_name, consent.patient.phone, "Ñúñez"):
        assert secret.encode() not in blob and secret.encode("utf-16-le") not in blob
    back = read_draft(path, tmp_path / "data")
    assert draft.to_dict(back) == draft.to_dict(consent)


def test_an_older_plain_draft_is_sealed_when_the_records_open(pack, clock, tmp_path):
    data = tmp_path / "data"
    Glabella.open(data).close()
    consent = build_demo_consent(pack, clock)
    plain = data / "drafts" / f"{consent.id}.json"
    draft.save(consent, plain)  # as an older version left it
    damaged = data / "drafts" / "not-a-draft.json"
    damaged.write_text("{", encoding="utf-8")
    Glabella.open(data).close()
    assert not plain.exists()
    sealed = data / "drafts" / f"{consent.id}.draft"
    assert read_draft(sealed, data).patient == consent.patient
    assert damaged.read_text(encoding="utf-8") == "{"  # left as it was: nothing is lost
    for file in data.rglob("*"):
        if file.is_file() and file != damaged:
            assert consent.patient.full_name.encode() not in file.read_bytes(), file
