"""Typed patient details are cleaned and checked; nothing typed can crash validation."""

from __future__ import annotations

from datetime import date

import pytest

from app.consult.patient import MAX_NAME, clean_text, validate_injector, validate_patient

TODAY = date(2026, 11, 23)


def messages(problems):
    return {p.field: p.message for p in problems}


def test_valid_patient_is_cleaned():
    patient, problems = validate_patient("  Zoë \t Ñúñez-Łukasz ", "1988-04-17", " 555 ", "",
                                         today=TODAY)
    assert problems == []
    assert patient.full_name == "Zoë Ñúñez-Łukasz"
    assert patient.date_of_birth == date(1988, 4, 17)
    assert patient.phone == "555"


@pytest.mark.parametrize("name", ["山田 花子", "Αλέξανδρος", "Анна Каренина", "محمد علي",
                                  "שרה כהן", "Ana 👩🏽‍⚕️ Ruiz"])
def test_names_in_any_script_are_accepted(name):
    patient, problems = validate_patient(name, "1990-01-01", today=TODAY)
    assert problems == [] and patient.full_name == name


def test_required_and_impossible_values_get_clear_messages():
    _, problems = validate_patient("", "2026-02-30", today=TODAY)
    found = messages(problems)
    assert found["full_name"] == "Name is required."
    assert "real date" in found["date_of_birth"]
    _, problems = validate_patient("Ann", "2030-01-01", today=TODAY)
    assert messages(problems)["date_of_birth"] == "Date of birth must be in the past."
    _, problems = validate_patient("Ann", "", today=TODAY)
    assert messages(problems)["date_of_birth"] == "Date of birth is required."
    _, problems = validate_patient("12345", "1990-01-01", email="nope", today=TODAY)
    assert "letter" in messages(problems)["full_name"]
    assert "address" in messages(problems)["email"]


def test_huge_and_control_character_input_is_refused_or_cleaned():
    _, problems = validate_patient("A" * (MAX_NAME + 1), "1990-01-01", today=TODAY)
    assert "too long" in messages(problems)["full_name"]
    patient, problems = validate_patient("Ann\x00\x07 Lee\u202e", "1990-01-01", today=TODAY)
    assert problems == [] and patient.full_name == "Ann Lee"
    assert clean_text("a\r\nb\x1bc", multiline=True) == "a\nb c"
    _, problems = validate_patient("x" * 1_000_000, "1990-01-01", today=TODAY)
    assert problems  # a megabyte of text is a message, not a crash


def test_minor_is_detected_on_the_birthday_boundary():
    patient, _ = validate_patient("Kid", "2008-11-24", today=TODAY)
    assert patient.is_minor_on(TODAY)
    patient, _ = validate_patient("Adult", "2008-11-23", today=TODAY)
    assert not patient.is_minor_on(TODAY)


def test_injector_needs_a_name():
    injector, problems = validate_injector("", "RN")
    assert injector is None and problems[0].message == "Injector name is required."
    injector, _ = validate_injector("Dana Whitfield", "RN", "Nurse injector")
    assert injector.display_name == "Dana Whitfield, RN"
