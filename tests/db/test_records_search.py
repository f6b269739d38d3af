"""Finding records: folded partial names, dates of birth, a patient's history, filters."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from app.records.search import (
    ConsentFilter,
    RecordsQueryError,
    injectors,
    list_consents,
    patient_history,
    products,
    search_patients,
)
from db import RecordNotFoundError, Store

NAMES = {
    "zoe": ("Zoë Ñúñez-Łukasz", "1988-04-17"),
    "lukasz": ("Łukasz Nowak", "1975-01-30"),
    "soren": ("Søren Ødegård", "1990-12-01"),
    "strasse": ("Grete Straße", "1988-09-09"),
    "dorde": ("Đorđe Petrović", "2001-06-15"),
    "aegir": ("Ægir Þórsson", "1966-03-03"),
    "obrien": ("Siobhán O’Brien", "1979-07-07"),
    "wang": ("王小明", "1995-05-05"),
    "athena": ("Ἀθηνᾶ Παππᾶ", "1983-08-08"),
}


def add(store: Store, make_record, key: str | None = None, *, patient_id: str | None = None,
        name: str | None = None, dob: str = "1985-04-12", finalized_at: str | None = None,
        product: tuple[str, str] = ("product.botox-cosmetic", "Botox Cosmetic"),
        injector: str = "Dana Whitfield") -> str:
    if key is not None:
        name, dob = NAMES[key]
    record = make_record(patient_id=patient_id, full_name=name)
    record.patient["date_of_birth"] = dob
    record.consent.update(patient_dob=dob, product_id=product[0], product_name=product[1],
                          injector_name=injector)
    if finalized_at:
        record.consent.update(finalized_at=finalized_at, created_at=finalized_at)
    store.finalize(record)
    return record.patient["id"]


@pytest.fixture
def clinic(store, make_record) -> dict[str, str]:
    return {key: add(store, make_record, key) for key in NAMES}


def names(matches) -> list[str]:
    return sorted(m.full_name for m in matches)


@pytest.mark.parametrize(("typed", "found"), [
    ("nunez", ["Zoë Ñúñez-Łukasz"]),
    ("NÚÑEZ", ["Zoë Ñúñez-Łukasz"]),
    ("lukasz", ["Zoë Ñúñez-Łukasz", "Łukasz Nowak"]),
    ("zoe nun", ["Zoë Ñúñez-Łukasz"]),
    ("nun zo", ["Zoë Ñúñez-Łukasz"]),
    ("soren odeg", ["Søren Ødegård"]),
    ("strasse", ["Grete Straße"]),
    ("STRAẞE", ["Grete Straße"]),
    ("dorde petrovic", ["Đorđe Petrović"]),
    ("aegir thorsson", ["Ægir Þórsson"]),
    ("o'brien", ["Siobhán O’Brien"]),
    ("obrien siobhan", ["Siobhán O’Brien"]),
    ("αθηνα", ["Ἀθηνᾶ Παππᾶ"]),
    ("王", ["王小明"]),
    ("小明", ["王小明"]),  # no word boundaries in the name: found by the substring fallback
    ("unez", ["Zoë Ñúñez-Łukasz"]),  # the middle of a word, likewise
    ("nowak zoe", []),
    ("xyz", []),
])
def test_names_match_partially_without_case_or_accents(store, clinic, typed, found):
    assert names(search_patients(store, typed)) == found


def test_a_match_carries_the_patient_and_their_consent_count(store, make_record, clinic):
    add(store, make_record, patient_id=clinic["zoe"], name=NAMES["zoe"][0],
        dob=NAMES["zoe"][1], finalized_at="2026-02-01T09:00:00+01:00")
    [match] = search_patients(store, "zoe")
    assert (match.id, match.date_of_birth, match.consents) == (clinic["zoe"], "1988-04-17", 2)
    assert match.last_consent_at == "2026-02-01T09:00:00+01:00"


def test_date_of_birth_exact_year_and_with_a_name(store, clinic):
    assert names(search_patients(store, dob="1988-04-17")) == ["Zoë Ñúñez-Łukasz"]
    assert names(search_patients(store, "1988-04-17")) == ["Zoë Ñúñez-Łukasz"]
    assert names(search_patients(store, "1988")) == ["Grete Straße", "Zoë Ñúñez-Łukasz"]
    assert names(search_patients(store, "grete", dob="1988")) == ["Grete Straße"]
    assert names(search_patients(store, "zoe 1975")) == []


@pytest.mark.parametrize("typed", ["17/04/1988", "04/17/1988", "17.04.88", "1988-02-30",
                                   "1988-4-17"])
def test_ambiguous_or_impossible_dates_are_refused_in_plain_words(store, clinic, typed):
    with pytest.raises(RecordsQueryError) as info:
        search_patients(store, dob=typed)
    assert "YYYY-MM-DD" in info.value.message or "not a real" in info.value.message


def test_a_renamed_patient_is_found_by_the_new_name_only(store, make_record, clinic):
    add(store, make_record, patient_id=clinic["lukasz"], name="Łukasz Kowalski",
        dob="1975-01-30")
    assert names(search_patients(store, "kowalski")) == ["Łukasz Kowalski"]
    assert search_patients(store, "nowak") == []
    assert store.get_patient(clinic["lukasz"])["search_name"] == "lukasz kowalski"
    # the external-content index agrees with the table row for row
    store.execute("INSERT INTO patients_fts (patients_fts, rank) VALUES ('integrity-check', 1)")


def test_history_is_newest_first_with_status(store, make_record):
    pid = str(uuid.uuid4())
    for when in ("2025-01-02T10:30:00+00:00", "2026-03-01T09:00:00+01:00",
                 "2025-07-04T16:00:00+02:00"):
        add(store, make_record, patient_id=pid, name="Ana Ruiz", finalized_at=when)
    add(store, make_record, name="Someone Else")
    history = patient_history(store, pid)
    assert [c.finalized_at[:10] for c in history] == ["2026-03-01", "2025-07-04", "2025-01-02"]
    assert {c.status for c in history} == {"signed"}
    assert {c.patient_id for c in history} == {pid}
    with pytest.raises(RecordNotFoundError):
        patient_history(store, "no-such-patient")


def test_register_filters(store, make_record):
    dysport = ("product.dysport", "Dysport")
    a = add(store, make_record, name="A", finalized_at="2025-01-10T10:00:00+01:00")
    add(store, make_record, name="B", finalized_at="2025-02-10T10:00:00+01:00",
        product=dysport, injector="Dr. José Núñez")
    add(store, make_record, name="C", finalized_at="2025-03-10T23:30:00+01:00",
        product=dysport)

    def listed(**kw) -> list[str]:
        return [c.patient_name for c in list_consents(store, ConsentFilter(**kw))]

    assert listed() == ["C", "B", "A"]
    assert listed(limit=2) == ["C", "B"]
    assert listed(date_from=date(2025, 2, 10)) == ["C", "B"]
    assert listed(date_to=date(2025, 3, 10)) == ["C", "B", "A"]  # the whole last day
    assert listed(date_from=date(2025, 2, 1), date_to=date(2025, 2, 28)) == ["B"]
    assert listed(product="product.dysport") == ["C", "B"]
    assert listed(product="DYSPORT") == ["C", "B"]
    assert listed(product="Xeomin") == []
    assert listed(injector="jose nunez") == ["B"]
    assert listed(injector="whitfield", product="dysport") == ["C"]
    assert listed(patient_id=a) == ["A"]
    assert injectors(store) == ["Dana Whitfield", "Dr. José Núñez"]
    assert products(store) == [("product.botox-cosmetic", "Botox Cosmetic"), dysport]
    with pytest.raises(RecordsQueryError):
        list_consents(store, ConsentFilter(date_from=date(2025, 3, 1), date_to=date(2025, 1, 1)))
