"""Re-consent: the rule (a full consent or a treatment-day confirmation, and why), without a
window and without the records; then the rule over stored records (test_reconsent_records)."""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import date, datetime

import pytest

from app.consult import draft
from app.consult.consent import Consent
from app.consult.content import ContentError, ContentPack, pack_from_snapshot
from app.consult.content.model import version_key
from app.consult.reconsent import (
    CONTENT_CHANGED,
    EVERY_VISIT,
    EXPIRED,
    NONE_ON_FILE,
    OTHER_PACK,
    PRODUCT_CHANGED,
    REMINDER_ID,
    VALID,
    WITHDRAWN,
    FullConsentOnFile,
    add_months,
    decide,
)
from tests.conftest import CLINIC_TZ, fixed_clock

SIGNED = datetime(2026, 9, 3, 10, 0, tzinfo=CLINIC_TZ)


def on_file(pack: ContentPack, **changes) -> FullConsentOnFile:
    full = FullConsentOnFile("bdc3cfe5-5f1e-4392-9b5b-41289fb3c32f", SIGNED, pack.info.id,
                             pack.version, pack.products[0].id, pack.products[0].name)
    return replace(full, **changes)


def with_info(pack: ContentPack, **info) -> ContentPack:
    """The pack with ``info`` in pack.toml, rebuilt as the loader builds it."""
    snapshot = copy.deepcopy(pack.snapshot)
    snapshot["pack.toml"]["pack"].update(info)
    return pack_from_snapshot(snapshot)


def test_the_default_is_a_full_consent_at_every_visit(pack):
    decision = decide(on_file(pack), today=date(2026, 12, 1), months=0, pack=pack)
    assert (decision.kind, decision.why) == ("consent", EVERY_VISIT)
    assert decision.message == "Full consent needed: the clinic asks for one at every visit."


def test_a_full_consent_within_n_months_asks_for_a_confirmation(pack):
    decision = decide(on_file(pack), today=date(2026, 12, 1), months=6, pack=pack,
                      product_id=pack.products[0].id)
    assert (decision.kind, decision.why) == ("confirmation", VALID)
    assert decision.valid_until == date(2027, 3, 3)
    assert decision.message == ("A full consent is on file from 3 Sep 2026, valid until "
                                "3 Mar 2027: today needs a treatment-day confirmation.")


def test_the_last_day_counts_and_the_day_after_does_not(pack):
    assert decide(on_file(pack), today=date(2027, 3, 3), months=6, pack=pack).confirmation
    late = decide(on_file(pack), today=date(2027, 3, 4), months=6, pack=pack)
    assert (late.kind, late.why) == ("consent", EXPIRED)
    assert late.message == ("Full consent needed: the full consent on file from 3 Sep 2026 "
                            "ended on 3 Mar 2027.")


def test_no_full_consent_or_a_withdrawn_one_needs_a_full_consent(pack):
    assert decide(None, today=date(2026, 12, 1), months=6, pack=pack).why == NONE_ON_FILE
    withdrawn = decide(on_file(pack, kind="withdrawal"), today=date(2026, 12, 1), months=6,
                       pack=pack)
    assert (withdrawn.kind, withdrawn.why) == ("consent", WITHDRAWN)
    assert withdrawn.message == ("Full consent needed: the last consent was withdrawn on "
                                 "3 Sep 2026.")


def test_a_pack_marked_as_needing_a_full_consent(pack):
    marked = with_info(pack, version="2.1.0", full_consent_since="2.1.0")
    decision = decide(on_file(pack, version="2.0.0"), today=date(2026, 12, 1), months=6,
                      pack=marked)
    assert (decision.kind, decision.why) == ("consent", CONTENT_CHANGED)
    assert decision.message == ("Full consent needed: the consent content changed since the "
                                "full consent on file from 3 Sep 2026.")
    # signed on the marked version (or later): the confirmation is allowed again
    assert decide(on_file(pack, version="2.1.0"), today=date(2026, 12, 1), months=6,
                  pack=marked).confirmation
    # a change not marked as needing it (a newer version, same mark) keeps the confirmation
    unmarked = with_info(pack, version="2.1.1", full_consent_since="2.1.0")
    assert decide(on_file(pack, version="2.1.0"), today=date(2026, 12, 1), months=6,
                  pack=unmarked).confirmation


def test_another_pack_or_another_product_needs_a_full_consent(pack):
    other = decide(on_file(pack, pack_id="another-clinic-pack"), today=date(2026, 12, 1),
                   months=6, pack=pack)
    assert other.why == OTHER_PACK
    second = pack.products[1]
    changed = decide(on_file(pack), today=date(2026, 12, 1), months=6, pack=pack,
                     product_id=second.id)
    assert (changed.kind, changed.why) == ("consent", PRODUCT_CHANGED)
    assert changed.message == (f"Full consent needed: today's product ({second.name}) is not "
                               f"the one in the full consent on file from 3 Sep 2026 "
                               f"({pack.products[0].name}).")


def test_months_are_calendar_months_ending_on_the_last_day_of_short_ones():
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert add_months(date(2026, 11, 30), 24) == date(2028, 11, 30)


def test_pack_versions_sort_as_numbers():
    assert version_key("2.10.0") > version_key("2.9.1") > version_key("2.9")
    assert version_key("2.0.0") == version_key(" 2.0.0 ")


def test_the_loader_refuses_a_mark_newer_than_the_pack(pack):
    with pytest.raises(ContentError, match="full_consent_since"):
        with_info(pack, full_consent_since="3.0.0")
    assert with_info(pack, full_consent_since=pack.version).info.full_consent_since


def test_a_confirmation_reads_one_reminder_instead_of_the_checklist(pack):
    consent = Consent.start(pack, fixed_clock)
    full_count = len(consent.required_items(pack))
    consent.rely_on("bdc3cfe5-5f1e-4392-9b5b-41289fb3c32f", SIGNED)
    assert consent.kind == "confirmation"
    [item] = consent.required_items(pack)
    assert full_count > 10 and item.item_id == REMINDER_ID
    assert "On 3 Sep 2026 you signed a full consent" in item.text
    assert "(record bdc3cfe5)" in item.text
    assert pack.boxed_warning is not None and pack.boxed_warning.title in item.text
    consent.rely_on("", None)
    assert (consent.kind, consent.full_consent_at) == ("consent", None)
    assert len(consent.required_items(pack)) == full_count


def test_a_confirmation_must_name_its_full_consent(pack):
    consent = Consent.start(pack, fixed_clock)
    consent.kind = "confirmation"
    assert any("the full consent it relies on" in m.message
               for m in consent.missing(pack))
    plain = Consent.start(pack, fixed_clock)
    plain.full_consent_id = "bdc3cfe5-5f1e-4392-9b5b-41289fb3c32f"  # a full consent names none
    assert any("the full consent it relies on" in m.message for m in plain.missing(pack))


def test_changing_the_kind_clears_signatures(pack):
    from app.consult.demo import build_demo_consent

    consent = build_demo_consent(pack, fixed_clock)
    assert consent.signatures
    consent.rely_on("bdc3cfe5-5f1e-4392-9b5b-41289fb3c32f", SIGNED)
    assert consent.signatures == {}


def test_a_confirmation_draft_round_trips_and_old_drafts_stay_consents(pack):
    consent = Consent.start(pack, fixed_clock)
    consent.rely_on("bdc3cfe5-5f1e-4392-9b5b-41289fb3c32f", SIGNED)
    back = draft.from_json(draft.to_json(consent))
    assert (back.kind, back.full_consent_id, back.full_consent_at) == (
        "confirmation", consent.full_consent_id, SIGNED)
    old = draft.to_dict(Consent.start(pack, fixed_clock))
    del old["full_consent_id"], old["full_consent_at"]
    loaded = draft.from_dict(old)
    assert (loaded.kind, loaded.full_consent_id, loaded.full_consent_at) == ("consent", "",
                                                                              None)
