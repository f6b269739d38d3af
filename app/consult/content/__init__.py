"""Content packs: the FAQ, risks, expectations and other wording patients read and sign.

A pack is a folder of TOML files (see ``resources/content/README.md``): ``model`` holds
its items, ``loader`` reads and validates it, ``approvals`` says which planned areas are
approved uses, ``quality`` checks a pack as ``glabella content check`` does (reading
grades by ``readability``).
"""

from app.consult.content.errors import ContentError
from app.consult.content.loader import FILES, load_pack, pack_from_snapshot, read_snapshot
from app.consult.content.model import (
    ADULT_AGE,
    PACK_FORMAT,
    SCREENING_KINDS,
    SIGNATURE_ROLES,
    SOURCES,
    Alternative,
    Approval,
    Area,
    Attestation,
    BoxedWarning,
    CareItem,
    ContentPack,
    Disclosure,
    Expectation,
    FaqCategory,
    FaqItem,
    PackInfo,
    Product,
    Risk,
    RiskGroup,
    ScreeningQuestion,
    SignatureRole,
    canonical_json,
)

__all__ = [
    "ADULT_AGE", "FILES", "PACK_FORMAT", "SCREENING_KINDS", "SIGNATURE_ROLES", "SOURCES",
    "Alternative", "Approval", "Area", "Attestation", "BoxedWarning", "CareItem",
    "ContentError", "ContentPack", "Disclosure", "Expectation", "FaqCategory", "FaqItem",
    "PackInfo", "Product", "Risk", "RiskGroup", "ScreeningQuestion", "SignatureRole",
    "canonical_json", "load_pack", "pack_from_snapshot", "read_snapshot",
]
