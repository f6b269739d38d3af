"""A consult in progress survives a JSON round trip; bad drafts are refused with a path."""

from __future__ import annotations

import pytest

from app.consult import draft
from app.consult.demo import build_demo_consent


def test_round_trip_keeps_everything(pack, clock, tmp_path):
    consent = build_demo_consent(pack, clock)
    signatures = dict(consent.signatures)
    consent.ask_question(pack.risks[0].id, clock)
    consent.answer_question(pack.risks[0].id, "Discussed.")
    consent.mark_discussed(pack.faqs[0].id)
    consent.signatures.update(signatures)  # re-attach: the edits above cleared them
    path = tmp_path / "d" / "draft.json"
    draft.save(consent, path)
    again = draft.load(path)
    assert again == consent
    assert again.signatures["patient"].png == consent.signatures["patient"].png
    assert not list(path.parent.glob("*.tmp"))


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(format="something-else"), "not a Glabella draft"),
        (lambda d: d.update(format_version=99), "newer Glabella"),
        (lambda d: d.update(created_at="2026-11-23T14:05:00"), "needs a time zone"),
        (lambda d: d["plan"]["areas"][0].update(area_id=5), r"\$\.plan\.areas\[0\]\.area_id"),
        (lambda d: d["patient"].update(full_name=""), "Name is required"),
        (lambda d: d["screening"][next(iter(d["screening"]))].update(answer="maybe"),
         "'yes' or 'no'"),
        (lambda d: d["signatures"]["patient"].update(png_base64="***"), "base64"),
    ],
)
def test_bad_drafts_are_refused_with_a_clear_message(pack, clock, mutate, message):
    data = draft.to_dict(build_demo_consent(pack, clock))
    mutate(data)
    with pytest.raises(draft.DraftError, match=message):
        draft.from_dict(data)


def test_not_json_at_all(tmp_path):
    path = tmp_path / "x.json"
    path.write_text("{ nope", encoding="utf-8")
    with pytest.raises(draft.DraftError, match="not valid JSON"):
        draft.load(path)
    with pytest.raises(draft.DraftError, match="No draft file"):
        draft.load(tmp_path / "missing.json")
