"""Re-consent: whether today's visit needs a full consent or a treatment-day confirmation.

The clinic chooses in Settings: a full consent at every visit (the default), or a full
consent valid for N months with a shorter signed confirmation in between (the screening
again, the plan, a reminder of the main risks and the signatures). Whatever the setting,
a full consent is needed when:

- none is on file, or the newest one was withdrawn;
- it is older than N months;
- it was signed on another content pack, or the pack has changed since in a way marked as
  needing one (``full_consent_since`` in ``pack.toml``);
- today's product is not the one it was signed for: the patient acknowledged that
  product's own facts, and its Medication Guide, and nothing about another product.

The rule reads the stored records only; it is Qt-free and tested without a window.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime

from app.base.errors import KnownError
from app.clinic.settings import reconsent_months
from app.consult.consent import Consent, Kind, RequiredItem
from app.consult.content import ContentPack
from app.consult.content.model import version_key
from db import Store
from db.base import Row
from db.reconsent import last_full_consent

REMINDER_ID = "reconsent.reminder"
SHORT_ID = 8  # as the records screen shows ids
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# why: the decision's reason, one word each
EVERY_VISIT = "every_visit"
NONE_ON_FILE = "none_on_file"
WITHDRAWN = "withdrawn"
EXPIRED = "expired"
OTHER_PACK = "other_pack"
CONTENT_CHANGED = "content_changed"
PRODUCT_CHANGED = "product_changed"
VALID = "valid"


class ConfirmationError(KnownError, ValueError):
    """A treatment-day confirmation that the rule no longer allows; the message says why."""


def long_date(day: date) -> str:
    """``3 Sep 2026``: fixed English month names, as the PDF prints dates."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it has no such day)."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


@dataclass(frozen=True)
class FullConsentOnFile:
    """The patient's newest full consent still standing (or the withdrawal that ended it)."""

    id: str
    finalized_at: datetime
    pack_id: str
    version: str
    product_id: str
    product_name: str
    kind: str = "consent"  # consent | amendment | withdrawal

    @classmethod
    def of(cls, row: Row) -> FullConsentOnFile:
        return cls(row["id"], datetime.fromisoformat(row["finalized_at"]),
                   row["content_pack_id"], row["content_version"], row["product_id"],
                   row["product_name"], row["kind"])

    @property
    def signed_on(self) -> date:
        """The clinic's date when it was signed (the offset it was signed in)."""
        return self.finalized_at.date()


@dataclass(frozen=True)
class Decision:
    """Which kind of record today's visit needs, and why, in the staff's words."""

    kind: Kind  # "consent" (a full consent) or "confirmation"
    why: str
    on_file: FullConsentOnFile | None = None
    valid_until: date | None = None  # the last day the full consent on file holds
    product_name: str = ""  # today's product, when it is not the one on file

    @property
    def confirmation(self) -> bool:
        return self.kind == "confirmation"

    @property
    def message(self) -> str:
        """One plain sentence for the staff view."""
        f = self.on_file
        since = f" from {long_date(f.signed_on)}" if f else ""
        if self.why == VALID and f and self.valid_until:
            return (f"A full consent is on file{since}, valid until "
                    f"{long_date(self.valid_until)}: today needs a treatment-day "
                    f"confirmation.")
        reasons = {
            EVERY_VISIT: "the clinic asks for one at every visit.",
            NONE_ON_FILE: "no full consent is on file for this patient.",
            WITHDRAWN: f"the last consent was withdrawn on "
                       f"{long_date(f.signed_on) if f else '—'}.",
            EXPIRED: f"the full consent on file{since} ended on "
                     f"{long_date(self.valid_until) if self.valid_until else '—'}.",
            OTHER_PACK: f"the full consent on file{since} was signed on other consent "
                        f"content.",
            CONTENT_CHANGED: f"the consent content changed since the full consent on "
                             f"file{since}.",
            PRODUCT_CHANGED: f"today's product ({self.product_name}) is not the one in the "
                             f"full consent on file{since} ({f.product_name if f else '—'}).",
        }
        return f"Full consent needed: {reasons.get(self.why, 'the rule says so.')}"


def every_visit(months: int) -> bool:
    """The clinic's default: a full consent at every visit, whatever is on file."""
    return months <= 0


def decide(on_file: FullConsentOnFile | None, *, today: date, months: int,
           pack: ContentPack, product_id: str = "") -> Decision:
    """The rule itself: ``months`` 0 is a full consent at every visit; ``product_id`` is
    today's planned product ("" before one is chosen)."""
    if every_visit(months):
        return Decision("consent", EVERY_VISIT)
    if on_file is None:
        return Decision("consent", NONE_ON_FILE)
    if on_file.kind == "withdrawal":
        return Decision("consent", WITHDRAWN, on_file)
    until = add_months(on_file.signed_on, months)
    if on_file.pack_id != pack.info.id:
        return Decision("consent", OTHER_PACK, on_file, until)
    since = pack.info.full_consent_since
    if since and version_key(on_file.version) < version_key(since):
        return Decision("consent", CONTENT_CHANGED, on_file, until)
    if today > until:
        return Decision("consent", EXPIRED, on_file, until)
    if product_id and product_id != on_file.product_id:
        product = pack.product(product_id)
        return Decision("consent", PRODUCT_CHANGED, on_file, until,
                        product.name if product else product_id)
    return Decision("confirmation", VALID, on_file, until)


def decide_for(store: Store, pack: ContentPack, patient_id: str, *, today: date,
               months: int, product_id: str = "") -> Decision:
    """The rule over the patient's stored records (none are read when every visit needs a
    full consent: the window asks this after every change)."""
    row = (last_full_consent(store, patient_id)
           if patient_id and not every_visit(months) else None)
    return decide(FullConsentOnFile.of(row) if row else None, today=today, months=months,
                  pack=pack, product_id=product_id)


def applies_to(consent: Consent) -> bool:
    """Only a consult being built as a consent or a confirmation follows the rule:
    amendments and withdrawals name their own record."""
    return consent.finalized_at is None and consent.kind in ("consent", "confirmation")


def apply_rule(store: Store, pack: ContentPack, consent: Consent, *, today: date,
               months: int) -> Decision | None:
    """Decide for ``consent``'s patient and make it the kind the rule says (changing its
    kind clears signatures, as any change of what is signed does). None, and nothing
    changed, before the patient is known or for an amendment or withdrawal."""
    if not applies_to(consent) or consent.patient is None:
        return None
    decision = decide_for(store, pack, consent.patient.id, today=today, months=months,
                          product_id=consent.plan.product_id)
    full = decision.on_file if decision.confirmation else None
    wanted = full.id if full else ""
    if consent.full_consent_id != wanted:
        consent.rely_on(wanted, full.finalized_at if full else None)
    return decision


def check_confirmation(store: Store, pack: ContentPack, consent: Consent,
                       today: date) -> None:
    """Before finalizing a confirmation: the rule, asked again ``today``, still allows one
    on the same full consent (a draft can outlive it). Raises ConfirmationError."""
    if consent.kind != "confirmation":
        return
    patient_id = consent.patient.id if consent.patient else ""
    decision = decide_for(store, pack, patient_id, today=today,
                          months=reconsent_months(store), product_id=consent.plan.product_id)
    on_file = decision.on_file
    if not decision.confirmation or on_file is None or on_file.id != consent.full_consent_id:
        raise ConfirmationError(f"This treatment-day confirmation can no longer be "
                                f"finalized. {decision.message} Start a new consult.")
    if consent.full_consent_at != on_file.finalized_at:
        raise ConfirmationError(f"Record {consent.full_consent_id[:SHORT_ID]} was finalized "
                                f"{on_file.finalized_at.isoformat()}, not as this "
                                f"confirmation says.")


def risk_lines(pack: ContentPack) -> list[str]:
    """The main risks in a few lines: the boxed warning, then each group's risks."""
    lines = [pack.boxed_warning.title] if pack.boxed_warning is not None else []
    for group in pack.risk_groups:
        titles = [r.title for r in pack.risks_in(group.id)]
        if titles:
            lines.append(f"{group.title}: {', '.join(t[:1].lower() + t[1:] for t in titles)}.")
    return lines


def reminder_item(pack: ContentPack, consent: Consent) -> RequiredItem:
    """What the patient reads and acknowledges instead of the full checklist: the full
    consent it relies on (its date and record) and the main risks, in plain words."""
    signed = long_date(consent.full_consent_at.date()) if consent.full_consent_at else "—"
    bullets = "\n".join(f"• {line}" for line in risk_lines(pack))
    text = (f"On {signed} you signed a full consent for this treatment (record "
            f"{consent.full_consent_id[:SHORT_ID]}). You read every risk then. Today's "
            f"treatment relies on that consent.\n\n"
            f"The main risks are still the same:\n{bullets}\n\n"
            f"If your health has changed, or you want to go over any risk again, tell your "
            f"injector before you sign.")
    return RequiredItem(REMINDER_ID, "risk", "A reminder of the risks you agreed to", text,
                        "reminder")
