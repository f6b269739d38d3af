"""Content packs: the FAQ, risks, expectations and other wording patients read and sign.

A pack is a folder of TOML files (see ``resources/content/README.md``). Loading checks every
file against a declared shape and refuses a malformed pack with a message naming the file,
the item and the problem. The pack's hash is taken over a canonical JSON form of what was
parsed, so it changes when the wording changes but not when an editor switches line endings.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import MISSING, dataclass, fields
from pathlib import Path
from typing import Any

SOURCES = ("seed", "label", "practice")
SCREENING_KINDS = ("hard_stop", "flag")
SIGNATURE_ROLES = ("patient", "injector", "witness")
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9.-]*$")


class ContentError(ValueError):
    """A content pack that cannot be used, with where and why."""

    def __init__(self, file: str, item: str | None, problem: str) -> None:
        self.file, self.item, self.problem = file, item, problem
        where = f"{file}, item '{item}'" if item else file
        super().__init__(f"Content pack error in {where}: {problem}")


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
class Product:
    id: str
    name: str
    generic_name: str
    approved_areas: tuple[str, ...]
    note: str = ""


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


# (file, TOML key, item class, is a list of items). Field names, types and which ones are
# required come from the dataclasses themselves, so the format is declared exactly once.
_LAYOUT: tuple[tuple[str, str, type, bool], ...] = (
    ("pack.toml", "pack", PackInfo, False),
    ("faq.toml", "category", FaqCategory, True),
    ("faq.toml", "faq", FaqItem, True),
    ("risks.toml", "group", RiskGroup, True),
    ("risks.toml", "risk", Risk, True),
    ("expectations.toml", "expectation", Expectation, True),
    ("screening.toml", "question", ScreeningQuestion, True),
    ("products.toml", "product", Product, True),
    ("products.toml", "area", Area, True),
    ("products.toml", "off_label", Disclosure, False),
    ("alternatives.toml", "alternative", Alternative, True),
    ("aftercare.toml", "aftercare", CareItem, True),
    ("aftercare.toml", "urgent", CareItem, True),
    ("attestations.toml", "attestation", Attestation, True),
    ("attestations.toml", "signature_role", SignatureRole, True),
)
FILES = tuple(dict.fromkeys(file for file, *_ in _LAYOUT))


@dataclass(frozen=True)
class ContentPack:
    """A validated content pack, its canonical snapshot and that snapshot's SHA-256."""

    info: PackInfo
    faq_categories: tuple[FaqCategory, ...]
    faqs: tuple[FaqItem, ...]
    risk_groups: tuple[RiskGroup, ...]
    risks: tuple[Risk, ...]
    expectations: tuple[Expectation, ...]
    screening: tuple[ScreeningQuestion, ...]
    products: tuple[Product, ...]
    areas: tuple[Area, ...]
    off_label: Disclosure
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


def canonical_json(data: Any) -> str:
    """One fixed text form of parsed data: sorted keys, no spacing, UTF-8 characters kept."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def load_pack(folder: str | Path) -> ContentPack:
    """Read and validate the pack in ``folder``; raises ContentError naming what is wrong."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ContentError(str(folder), None, "the content pack folder does not exist")
    snapshot: dict[str, Any] = {}
    for name in FILES:
        path = folder / name
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise ContentError(name, None, "the file is missing from the pack") from None
        except OSError as exc:
            raise ContentError(name, None, f"the file cannot be read ({exc.strerror})") from None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ContentError(name, None,
                               f"the file is not UTF-8 text (byte {exc.start})") from None
        try:
            snapshot[name] = _normalise(tomllib.loads(text))
        except tomllib.TOMLDecodeError as exc:
            raise ContentError(name, None, f"the file is not valid TOML: {exc}") from None
    return pack_from_snapshot(snapshot)


def pack_from_snapshot(snapshot: dict[str, Any]) -> ContentPack:
    """Rebuild and validate a pack from its snapshot (as stored with every consent)."""
    parsed: dict[str, Any] = {}
    for file, key, cls, many in _LAYOUT:
        data = snapshot.get(file)
        if not isinstance(data, dict):
            raise ContentError(file, None, "the file is missing from the pack")
        if many:
            items = data.get(key, [])
            if not isinstance(items, list) or not items:
                raise ContentError(file, None, f"it needs at least one [[{key}]] entry")
            parsed[key] = tuple(_build(cls, item, file, key, i) for i, item in enumerate(items))
        else:
            item = data.get(key)
            if not isinstance(item, dict):
                raise ContentError(file, None, f"it needs a [{key}] table")
            parsed[key] = _build(cls, item, file, key, 0)
    for file, data in snapshot.items():
        known = {key for f, key, *_ in _LAYOUT if f == file}
        for extra in sorted(set(data) - known):
            raise ContentError(file, None, f"unknown section '{extra}' (expected {sorted(known)})")
    pack = ContentPack(
        info=parsed["pack"],
        faq_categories=parsed["category"],
        faqs=parsed["faq"],
        risk_groups=parsed["group"],
        risks=parsed["risk"],
        expectations=parsed["expectation"],
        screening=parsed["question"],
        products=parsed["product"],
        areas=parsed["area"],
        off_label=parsed["off_label"],
        alternatives=parsed["alternative"],
        aftercare=parsed["aftercare"],
        urgent=parsed["urgent"],
        attestations=parsed["attestation"],
        signature_roles=parsed["signature_role"],
        snapshot=snapshot,
        hash=hashlib.sha256(canonical_json(snapshot).encode("utf-8")).hexdigest(),
    )
    _check_references(pack)
    return pack


def _normalise(value: Any) -> Any:
    """Fold Windows and old-Mac line endings so the hash does not depend on the editor."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
    if isinstance(value, dict):
        return {k: _normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    return value


def _build(cls: type, item: Any, file: str, key: str, index: int) -> Any:
    label = item.get("id") if isinstance(item, dict) else None
    where = str(label) if label else f"{key} #{index + 1}"
    if not isinstance(item, dict):
        raise ContentError(file, where, f"each [[{key}]] entry must be a table")
    values: dict[str, Any] = {}
    declared = {f.name: f for f in fields(cls)}
    for extra in sorted(set(item) - set(declared)):
        raise ContentError(file, where, f"unknown field '{extra}'")
    for name, spec in declared.items():
        if name not in item:
            if spec.default is not MISSING:
                continue
            raise ContentError(file, where, f"field '{name}' is missing")
        values[name] = _coerce(item[name], spec.type, file, where, name)
    obj = cls(**values)
    _check_values(obj, file, where)
    return obj


def _coerce(value: Any, type_name: Any, file: str, where: str, name: str) -> Any:
    expected = str(type_name)
    if expected == "bool":
        if not isinstance(value, bool):
            raise ContentError(file, where, f"field '{name}' must be true or false")
        return value
    if expected.startswith("tuple"):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ContentError(file, where, f"field '{name}' must be a list of ids")
        return tuple(value)
    if not isinstance(value, str):
        raise ContentError(file, where, f"field '{name}' must be text")
    return value.strip()


_OPTIONAL_TEXT = {"action", "note", "intro", "reviewed_by", "reviewed_on", "language"}


def _check_values(obj: Any, file: str, where: str) -> None:
    for f in fields(obj):
        value = getattr(obj, f.name)
        if isinstance(value, str) and not value and f.name not in _OPTIONAL_TEXT:
            raise ContentError(file, where, f"field '{f.name}' is empty")
    if hasattr(obj, "id") and not isinstance(obj, PackInfo) and not _ID_RE.match(obj.id):
        raise ContentError(
            file, where, "the id may use only lower-case letters, digits, '-' and '.'"
        )
    source = getattr(obj, "source", None)
    if source is not None and source not in SOURCES:
        raise ContentError(file, where, f"source must be one of {', '.join(SOURCES)}")
    if isinstance(obj, ScreeningQuestion) and obj.kind not in SCREENING_KINDS:
        raise ContentError(file, where, "kind must be \"hard_stop\" or \"flag\"")
    if isinstance(obj, SignatureRole) and obj.id not in SIGNATURE_ROLES:
        raise ContentError(file, where, f"a signature role must be one of {SIGNATURE_ROLES}")


def _check_references(pack: ContentPack) -> None:
    seen: dict[str, str] = {}
    item_files = [
        ("faq.toml", pack.faq_categories + pack.faqs),
        ("risks.toml", pack.risk_groups + pack.risks),
        ("expectations.toml", pack.expectations),
        ("screening.toml", pack.screening),
        ("products.toml", pack.products + pack.areas + (pack.off_label,)),
        ("alternatives.toml", pack.alternatives),
        ("aftercare.toml", pack.aftercare + pack.urgent),
        ("attestations.toml", pack.attestations),
    ]
    for file, items in item_files:
        for item in items:
            if item.id in seen:
                raise ContentError(file, item.id, f"the id is already used in {seen[item.id]}")
            seen[item.id] = file
    roles = [r.id for r in pack.signature_roles]
    if len(set(roles)) != len(roles):
        raise ContentError("attestations.toml", None, "a signature role is listed twice")
    for needed in ("patient", "injector"):
        if needed not in roles:
            raise ContentError("attestations.toml", None,
                               f"the '{needed}' signature role is missing")
    categories = {c.id for c in pack.faq_categories}
    for faq in pack.faqs:
        if faq.category not in categories:
            raise ContentError("faq.toml", faq.id, f"category '{faq.category}' is not defined")
    groups = {g.id for g in pack.risk_groups}
    for risk in pack.risks:
        if risk.group not in groups:
            raise ContentError("risks.toml", risk.id, f"group '{risk.group}' is not defined")
    areas = {a.id for a in pack.areas}
    for product in pack.products:
        for area in product.approved_areas:
            if area not in areas:
                raise ContentError("products.toml", product.id, f"area '{area}' is not defined")
