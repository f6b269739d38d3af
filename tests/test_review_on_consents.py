"""A consent prints the medical director's review of its pack as it stood when it was
finalized, keeps that line in its record, and renders again to the same bytes after a
later review is recorded."""

from __future__ import annotations

import json
from datetime import date
from io import BytesIO

from pypdf import PdfReader

from app.consult.demo import build_demo_consent
from app.runtime.service import Glabella
from tests.conftest import fixed_clock


def text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() or "" for p in PdfReader(BytesIO(pdf)).pages)
                    .split())


def test_the_review_at_finalizing_is_printed_and_kept(tmp_path) -> None:
    service = Glabella.open(tmp_path / "data", clock=fixed_clock)
    try:
        before = service.finalize(build_demo_consent(service.pack, fixed_clock))
        assert "No review of this content pack by the clinic's medical director was " \
               "recorded" in text(before.pdf)
        review = service.record_pack_review("Dr Ana Ruiz, Medical Director",
                                            date(2026, 11, 20), "Dana Whitfield, RN")
        after = service.finalize(build_demo_consent(service.pack, fixed_clock))
        assert review.line() in text(after.pdf)
        stored = json.loads(service.store.get_consent(after.consent_id)["consent_json"])
        assert stored["content_review"] == review.line()
        # both re-render byte for byte: the earlier one still says no review was recorded
        assert service.rerender(before.consent_id).match
        assert service.rerender(after.consent_id).match
    finally:
        service.close()
