"""The medical director's review of the content pack (app.clinic.content_review), on a
real store."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from app.clinic.content_review import (
    PackReview,
    current_review,
    record_review,
    reviewer,
    unreviewed_notice,
)
from app.runtime.service import Glabella
from db import Store
from tests import db_keys
from tests.conftest import FIXED_NOW, fixed_clock

TODAY = FIXED_NOW.date()  # 23 Nov 2026, the clinic's day
ADMIN = "Dana Whitfield, RN"
DIRECTOR = "Dr Ana Ruiz, Medical Director"


@pytest.fixture
def store(tmp_path: Path):
    with db_keys.open_store(tmp_path / "glabella.db") as opened:
        yield opened


def reviews(store: Store) -> list[tuple]:
    return store.database.execute("SELECT * FROM content_reviews").fetchall()


def events(store: Store) -> list[dict]:
    return [e for e in store.audit_events() if e["event"] == "content.reviewed"]


def test_recording_a_review_stores_the_row_and_its_event(store, pack) -> None:
    review = record_review(store, pack, "  Dr Ana Ruiz,\tMedical Director ", date(2026, 11, 20),
                           ADMIN, fixed_clock)
    assert review == PackReview(pack.info.id, pack.version, pack.hash, DIRECTOR,
                                date(2026, 11, 20), ADMIN, FIXED_NOW)
    [row] = store.database.query("SELECT * FROM content_reviews")
    assert row == {"id": 1, "pack_id": pack.info.id, "version": pack.version,
                   "content_hash": pack.hash, "reviewed_by": DIRECTOR,
                   "reviewed_on": "2026-11-20", "recorded_by": ADMIN,
                   "recorded_at": "2026-11-23T14:05:00+01:00"}
    [event] = events(store)
    assert event["actor"] == ADMIN
    assert event["details"] == {"review_id": 1, "pack_id": pack.info.id,
                                "version": pack.version, "content_hash": pack.hash,
                                "reviewed_by": DIRECTOR, "reviewed_on": "2026-11-20"}
    chain = store.audit_chain()
    assert chain.intact, chain.problem
    assert current_review(store, pack) == review


def test_the_review_of_this_very_pack_is_found_and_no_other(store, pack) -> None:
    assert current_review(store, pack) is None
    edited = replace(pack, hash="0" * 64)  # the same id and version, edited wording
    record_review(store, edited, DIRECTOR, TODAY, ADMIN, fixed_clock)
    assert current_review(store, edited) is not None
    assert current_review(store, pack) is None
    first = record_review(store, pack, "Dr Ana Ruiz", date(2026, 11, 1), ADMIN, fixed_clock)
    again = record_review(store, pack, DIRECTOR, TODAY, ADMIN, fixed_clock)
    assert current_review(store, pack) == again != first  # the newest one
    assert current_review(store, edited).content_hash == "0" * 64


REFUSED = {
    "no name": ("", TODAY, "The medical director's name is required."),
    "only spaces and controls": (" \t\u202e\x00 ", TODAY,
                                 "The medical director's name is required."),
    "too long": ("D" * 201, TODAY, "The medical director's name and title are too long "
                                   "(201 characters; at most 200)."),
    "tomorrow": (DIRECTOR, TODAY + timedelta(days=1),
                 "The review date cannot be in the future (today is 23 Nov 2026)."),
    "before 2000": (DIRECTOR, date(1999, 12, 31),
                    "The review date cannot be before 1 Jan 2000."),
    "no date": (DIRECTOR, None, "The review date is required."),
}


@pytest.mark.parametrize("name, day, message", REFUSED.values(), ids=REFUSED.keys())
def test_a_refused_review_says_why_and_stores_nothing(store, pack, name, day, message) -> None:
    with pytest.raises(ValueError) as refused:
        record_review(store, pack, name, day, ADMIN, fixed_clock)
    assert str(refused.value) == message
    assert reviews(store) == [] and events(store) == []


def test_every_problem_is_named_at_once_and_the_limits_are_inclusive(store, pack) -> None:
    with pytest.raises(ValueError, match=r"name is required\. The review date cannot be in"):
        record_review(store, pack, "", date(2027, 1, 1), ADMIN, fixed_clock)
    with pytest.raises(ValueError, match="Who records the review is required"):
        record_review(store, pack, DIRECTOR, TODAY, "  ", fixed_clock)
    assert reviews(store) == []
    record_review(store, pack, "D" * 200, date(2000, 1, 1), ADMIN, fixed_clock)
    record_review(store, pack, DIRECTOR, TODAY, ADMIN, fixed_clock)  # today is allowed
    assert len(reviews(store)) == 2


def test_today_is_the_clinic_s_day_from_the_clock(store, pack) -> None:
    # 00:30 on 24 Nov in Auckland is still 23 Nov in UTC: the clinic's day decides
    auckland = datetime(2026, 11, 24, 0, 30, tzinfo=timezone(timedelta(hours=13)))
    review = record_review(store, pack, DIRECTOR, date(2026, 11, 24), ADMIN,
                           lambda: auckland)
    assert review.recorded_at == auckland


def test_the_line_printed_on_a_consent(pack) -> None:
    review = PackReview("glabella-default", "2.0.0", "1a2b3c4d5e6f" + "9" * 52, DIRECTOR,
                        date(2026, 12, 1), ADMIN,
                        datetime(2026, 12, 1, 9, 15, tzinfo=UTC))
    assert review.line() == (
        "Content pack glabella-default 2.0.0 (hash 1a2b3c4d5e6f) reviewed by Dr Ana Ruiz, "
        "Medical Director, on 1 Dec 2026; recorded by Dana Whitfield, RN on 1 Dec 2026.")
    untitled = replace(review, reviewed_by="Dr Ana Ruiz", reviewed_on=date(2026, 11, 28))
    assert "reviewed by Dr Ana Ruiz on 28 Nov 2026; recorded" in untitled.line()


def test_a_consent_can_carry_the_review_as_plain_json(store, pack) -> None:
    review = record_review(store, pack, DIRECTOR, date(2026, 11, 20), ADMIN, fixed_clock)
    data = json.loads(json.dumps(review.to_json()))
    assert data == {"pack_id": pack.info.id, "version": pack.version,
                    "content_hash": pack.hash, "reviewed_by": DIRECTOR,
                    "reviewed_on": "2026-11-20", "recorded_by": ADMIN,
                    "recorded_at": "2026-11-23T14:05:00+01:00"}
    assert PackReview.from_json(data) == review
    with pytest.raises(ValueError, match="needs reviewed_on"):
        PackReview.from_json({**data, "reviewed_on": ""})
    with pytest.raises(ValueError):
        PackReview.from_json({**data, "reviewed_on": "20/11/2026"})


def test_the_reviewer_is_name_then_title() -> None:
    assert reviewer(" Dr  Ana Ruiz ", " Medical Director ") == DIRECTOR
    assert reviewer("Dr Ana Ruiz", "") == "Dr Ana Ruiz"
    assert reviewer("  ", "Medical Director") == ""  # a title alone names nobody


def test_the_notice_names_the_version_and_short_hash(pack) -> None:
    text = unreviewed_notice(pack)
    assert f"version {pack.version}, {pack.hash[:12]})" in text
    assert "Settings → Content" in text


def test_the_service_records_and_finds_the_review_of_its_own_pack(tmp_path, pack) -> None:
    service = Glabella.open(tmp_path / "data", clock=fixed_clock)
    try:
        assert service.pack_review() is None
        review = service.record_pack_review(DIRECTOR, date(2026, 11, 20), ADMIN)
        assert review.content_hash == service.pack.hash == pack.hash
        assert service.pack_review() == review
        with pytest.raises(ValueError, match="cannot be in the future"):
            service.record_pack_review(DIRECTOR, date(2026, 11, 24), ADMIN)
        assert len(events(service.store)) == 1
    finally:
        service.close()
    reopened = Glabella.open(tmp_path / "data", clock=fixed_clock)
    try:
        assert reopened.pack_review() == review  # kept across restarts
    finally:
        reopened.close()
