"""The items of a content pack, one frozen dataclass per kind of item.

Field names, types and defaults here *are* the pack's file format: the loader reads each
TOML table against the dataclass it fills (see ``loader._LAYOUT``). A field's metadata may
name its TOML key (``with`` is a Python keyword) or the class of its nested tables.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

SOURCES = ("seed", "label", "practice")
SCREENING_KINDS = ("hard_stop", "flag")
SIGNATURE_ROLES = ("patient", "injector", "witness")
ADULT_AGE = 18  # every cosmetic approval in the US labels is for adults
# The pack format this Glabella writes and starts a consult on. Format 1 (no approvals
# with conditions, no boxed warning of its own, no product facts) is read only from the
# snapshots stored with older consents.
PACK_FORMAT = 2


@dataclass(frozen=True)
class FaqCategory:
    id: str
    title: str


@dataclass(frozen=True)
class FaqItem:
    id: str
    category: str
    question: str
    answer: str
    source: str


@dataclass(frozen=True)
class RiskGroup:
    id: str
    title: str
    intro: str = ""


@dataclass(frozen=True)
class Risk:
    id: str
    group: str
    title: str
    text: str
    source: str
    action: str = ""


@dataclass(frozen=True)
class BoxedWarning:
    """The labels' boxed warning: the first risk the patient reads, set apart."""

    id: str
    title: str
    text: str
    source: str
    action: str = ""


@dataclass(frozen=True)
class Expectation:
    id: str
    title: str
    text: str
    source: str


@dataclass(frozen=True)
class ScreeningQuestion:
    id: str
    text: str
    kind: str
    guidance: str
    source: str

    @property
    def is_hard_stop(self) -> bool:
        return self.kind == "hard_stop"


@dataclass(frozen=True)
class Approval:
    """One approved use of a product: an area, for an age range, perhaps only together
    with other areas treated at the same visit (as the label's studies treated them)."""

    area: str
    with_areas: tuple[str, ...] = field(default=(), metadata={"toml": "with"})
    min_age: int = ADULT_AGE
    under_age: int = 0  # 0: no upper limit


@dataclass(frozen=True)
class Product:
    id: str
    name: str
    generic_name: str
    approvals: tuple[Approval, ...] = field(default=(),
                                            metadata={"toml": "approval", "item": Approval})
    note: str = ""  # for staff
    label_revision: str = ""  # which US label the approvals were checked against
    label_checked_on: str = ""  # ISO date of that check
    duration: str = ""  # patient text: how long this product lasts
    ingredients: str = ""  # patient text: albumin, milk protein
    interval: str = ""  # patient text: how often it may be given

    def approvals_for(self, area_id: str) -> tuple[Approval, ...]:
        return tuple(a for a in self.approvals if a.area == area_id)

    @property
    def facts_text(self) -> str:
        """What the patient reads about this product, as one text of paragraphs."""
        return "\n\n".join(t for t in (self.duration, self.ingredients, self.interval) if t)


@dataclass(frozen=True)
class Area:
    id: str
    name: str
    plain_name: str


@dataclass(frozen=True)
class Disclosure:
    id: str
    title: str
    text: str
    source: str


@dataclass(frozen=True)
class Alternative:
    id: str
    title: str
    text: str
    source: str


@dataclass(frozen=True)
class CareItem:
    id: str
    text: str
    source: str


@dataclass(frozen=True)
class Attestation:
    id: str
    text: str
    source: str


@dataclass(frozen=True)
class SignatureRole:
    id: str
    label: str
    meaning: str
    intent: str
    required: bool = True


@dataclass(frozen=True)
class PackInfo:
    id: str
    version: str
    title: str
    language: str = "en"
    reviewed_by: str = ""
    reviewed_on: str = ""
    format: int = 1
    # The oldest version of this pack whose full consent still holds under the clinic's
    # re-consent setting: raised to the new version when a change needs every patient to
    # sign a full consent again ("": any version of this pack).
    full_consent_since: str = ""


@dataclass(frozen=True)
class ContentPack:
    """A validated content pack, its canonical snapshot and that snapshot's SHA-256."""

    info: PackInfo
    faq_categories: tuple[FaqCategory, ...]
    faqs: tuple[FaqItem, ...]
    risk_groups: tuple[RiskGroup, ...]
    risks: tuple[Risk, ...]
    boxed_warning: BoxedWarning | None
    expectations: tuple[Expectation, ...]
    screening: tuple[ScreeningQuestion, ...]
    products: tuple[Product, ...]
    areas: tuple[Area, ...]
    off_label: Disclosure
    medication_guide: Disclosure | None
    alternatives: tuple[Alternative, ...]
    aftercare: tuple[CareItem, ...]
    urgent: tuple[CareItem, ...]
    attestations: tuple[Attestation, ...]
    signature_roles: tuple[SignatureRole, ...]
    snapshot: dict[str, Any]
    hash: str

    @property
    def version(self) -> str:
        return self.info.version

    @property
    def short_hash(self) -> str:
        return self.hash[:12]

    def product(self, product_id: str) -> Product | None:
        return next((p for p in self.products if p.id == product_id), None)

    def area(self, area_id: str) -> Area | None:
        return next((a for a in self.areas if a.id == area_id), None)

    def area_name(self, area_id: str) -> str:
        area = self.area(area_id)
        return area.name if area else area_id

    def role(self, role_id: str) -> SignatureRole | None:
        return next((r for r in self.signature_roles if r.id == role_id), None)

    def faq(self, faq_id: str) -> FaqItem | None:
        return next((f for f in self.faqs if f.id == faq_id), None)

    def risks_in(self, group_id: str) -> tuple[Risk, ...]:
        return tuple(r for r in self.risks if r.group == group_id)

    def faqs_in(self, category_id: str) -> tuple[FaqItem, ...]:
        return tuple(f for f in self.faqs if f.category == category_id)

    def snapshot_json(self) -> str:
        return canonical_json(self.snapshot)


def version_key(version: str) -> tuple[tuple[int, str], ...]:
    """A pack version as it sorts: "2.10.0" after "2.9.1"; a part that is not a number
    sorts after every number, by its text."""
    return tuple((int(part), "") if part.isdigit() else (1 << 30, part)
                 for part in version.strip().split("."))


def canonical_json(data: Any) -> str:
    """One fixed text form of parsed data: sorted keys, no spacing, UTF-8 characters kept."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
