"""Reading a content pack: TOML files checked against the model's dataclasses.

Loading checks every file against a declared shape and refuses a malformed pack with a
message naming the file, the item and the problem. The pack's hash is taken over a
canonical JSON form of what was parsed, so it changes when the wording changes but not
when an editor switches line endings.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import MISSING, Field, fields
from datetime import date
from pathlib import Path
from typing import Any

from app.consult.content.errors import ContentError
from app.consult.content.model import (
    PACK_FORMAT,
    SCREENING_KINDS,
    SIGNATURE_ROLES,
    SOURCES,
    Alternative,
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
    version_key,
)

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9.-]*$")
_MAX_AGE = 130

# (file, TOML key, item class, is a list of items, needed from pack format N on). Field
# names, types and which ones are required come from the dataclasses, so the format is
# declared exactly once. A section needed only from a later format is optional before it.
_LAYOUT: tuple[tuple[str, str, type, bool, int], ...] = (
    ("pack.toml", "pack", PackInfo, False, 1),
    ("faq.toml", "category", FaqCategory, True, 1),
    ("faq.toml", "faq", FaqItem, True, 1),
    ("risks.toml", "boxed_warning", BoxedWarning, False, 2),
    ("risks.toml", "group", RiskGroup, True, 1),
    ("risks.toml", "risk", Risk, True, 1),
    ("expectations.toml", "expectation", Expectation, True, 1),
    ("screening.toml", "question", ScreeningQuestion, True, 1),
    ("products.toml", "product", Product, True, 1),
    ("products.toml", "area", Area, True, 1),
    ("products.toml", "off_label", Disclosure, False, 1),
    ("products.toml", "medication_guide", Disclosure, False, 2),
    ("alternatives.toml", "alternative", Alternative, True, 1),
    ("aftercare.toml", "aftercare", CareItem, True, 1),
    ("aftercare.toml", "urgent", CareItem, True, 1),
    ("attestations.toml", "attestation", Attestation, True, 1),
    ("attestations.toml", "signature_role", SignatureRole, True, 1),
)
FILES = tuple(dict.fromkeys(file for file, *_ in _LAYOUT))
# Product fields a current pack must fill in (older snapshots predate them).
_PRODUCT_FACTS = ("label_revision", "label_checked_on", "duration", "ingredients", "interval")


def load_pack(folder: str | Path) -> ContentPack:
    """Read and validate the pack in ``folder``; raises ContentError naming what is wrong.

    A pack to start consults on must be of the current format: an older pack is refused
    with what to add, so a clinic's edited copy cannot miss the boxed warning, the
    Medication Guide or the per-product facts."""
    pack = pack_from_snapshot(read_snapshot(folder))
    if pack.info.format != PACK_FORMAT:
        raise ContentError("pack.toml", None, (
            f"this pack is in format {pack.info.format}; this Glabella needs format "
            f"{PACK_FORMAT} (approvals with conditions, a [boxed_warning], a "
            f"[medication_guide] and each product's label revision and facts). See "
            f"resources/content/README.md, then set format = {PACK_FORMAT} in [pack]."))
    return pack


def read_snapshot(folder: str | Path) -> dict[str, Any]:
    """Every file of the pack in ``folder``, parsed and normalised (the hashed snapshot)."""
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
    return snapshot


def pack_from_snapshot(snapshot: dict[str, Any]) -> ContentPack:
    """Rebuild and validate a pack from its snapshot (as stored with every consent)."""
    pack_data = snapshot.get("pack.toml", {}).get("pack")
    fmt = pack_data.get("format", 1) if isinstance(pack_data, dict) else 1
    if not isinstance(fmt, int) or isinstance(fmt, bool) or not 1 <= fmt <= PACK_FORMAT:
        raise ContentError("pack.toml", None, f"format must be 1 or {PACK_FORMAT}")
    # Format 1 listed approved areas without conditions; read them as approvals for any
    # age, on a copy, so the stored snapshot (and its hash) stay as they were.
    source = _from_format_1(snapshot) if fmt == 1 else snapshot
    parsed: dict[str, Any] = {}
    for file, key, cls, many, since in _LAYOUT:
        data = source.get(file)
        if not isinstance(data, dict):
            raise ContentError(file, None, "the file is missing from the pack")
        if many:
            items = data.get(key, [])
            if not isinstance(items, list) or not items:
                raise ContentError(file, None, f"it needs at least one [[{key}]] entry")
            parsed[key] = tuple(_build(cls, item, file, key, i) for i, item in enumerate(items))
        elif key not in data and fmt < since:
            parsed[key] = None
        else:
            item = data.get(key)
            if not isinstance(item, dict):
                raise ContentError(file, None, f"it needs a [{key}] table")
            parsed[key] = _build(cls, item, file, key, 0)
    for file, data in source.items():
        known = {key for f, key, *_ in _LAYOUT if f == file}
        for extra in sorted(set(data) - known):
            raise ContentError(file, None, f"unknown section '{extra}' (expected {sorted(known)})")
    pack = ContentPack(
        info=parsed["pack"], faq_categories=parsed["category"], faqs=parsed["faq"],
        risk_groups=parsed["group"], risks=parsed["risk"],
        boxed_warning=parsed["boxed_warning"], expectations=parsed["expectation"],
        screening=parsed["question"], products=parsed["product"], areas=parsed["area"],
        off_label=parsed["off_label"], medication_guide=parsed["medication_guide"],
        alternatives=parsed["alternative"], aftercare=parsed["aftercare"],
        urgent=parsed["urgent"], attestations=parsed["attestation"],
        signature_roles=parsed["signature_role"], snapshot=snapshot,
        hash=hashlib.sha256(canonical_json(snapshot).encode("utf-8")).hexdigest(),
    )
    _check_references(pack)
    full_since = pack.info.full_consent_since
    if full_since and version_key(full_since) > version_key(pack.info.version):
        raise ContentError("pack.toml", None, f"full_consent_since ({full_since}) is newer "
                                              f"than the pack's version ({pack.info.version})")
    if fmt >= 2:
        _check_products(pack)
    return pack


def _from_format_1(snapshot: dict[str, Any]) -> dict[str, Any]:
    products = snapshot.get("products.toml")
    if not isinstance(products, dict) or not isinstance(products.get("product"), list):
        return snapshot
    converted = []
    for item in products["product"]:
        if isinstance(item, dict) and isinstance(item.get("approved_areas"), list):
            item = dict(item)
            areas = item.pop("approved_areas")
            item["approval"] = [{"area": a, "min_age": 0} for a in areas]
        converted.append(item)
    return {**snapshot, "products.toml": {**products, "product": converted}}


def _normalise(value: Any) -> Any:
    """Fold Windows and old-Mac line endings so the hash does not depend on the editor."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
    if isinstance(value, dict):
        return {k: _normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    return value


def _toml_key(spec: Field[Any]) -> str:
    return str(spec.metadata.get("toml", spec.name))


def _build(cls: type, item: Any, file: str, key: str, index: int, where: str = "") -> Any:
    label = item.get("id") if isinstance(item, dict) else None
    where = where or (str(label) if label else f"{key} #{index + 1}")
    if not isinstance(item, dict):
        raise ContentError(file, where, f"each [[{key}]] entry must be a table")
    values: dict[str, Any] = {}
    declared = {_toml_key(f): f for f in fields(cls)}
    for extra in sorted(set(item) - set(declared)):
        raise ContentError(file, where, f"unknown field '{extra}'")
    for name, spec in declared.items():
        if name not in item:
            if spec.default is not MISSING:
                continue
            raise ContentError(file, where, f"field '{name}' is missing")
        nested = spec.metadata.get("item")
        if nested is not None:
            values[spec.name] = _build_list(nested, item[name], file, where, name)
        else:
            values[spec.name] = _coerce(item[name], spec.type, file, where, name)
    obj = cls(**values)
    _check_values(obj, file, where)
    return obj


def _build_list(cls: type, value: Any, file: str, where: str, name: str) -> tuple[Any, ...]:
    if not isinstance(value, list):
        raise ContentError(file, where, f"'{name}' must be a list of [[...{name}]] tables")
    return tuple(_build(cls, v, file, name, i, f"{where}, {name} #{i + 1}")
                 for i, v in enumerate(value))


def _coerce(value: Any, type_name: Any, file: str, where: str, name: str) -> Any:
    expected = str(type_name)
    if expected == "bool":
        if not isinstance(value, bool):
            raise ContentError(file, where, f"field '{name}' must be true or false")
        return value
    if expected == "int":
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= _MAX_AGE:
            raise ContentError(file, where, f"field '{name}' must be a whole number of years "
                                            f"from 0 to {_MAX_AGE}")
        return value
    if expected.startswith("tuple"):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ContentError(file, where, f"field '{name}' must be a list of ids")
        return tuple(value)
    if not isinstance(value, str):
        raise ContentError(file, where, f"field '{name}' must be text")
    return value.strip()


_OPTIONAL_TEXT = {"action", "note", "intro", "reviewed_by", "reviewed_on", "language",
                  "full_consent_since",
                  *_PRODUCT_FACTS}


def _check_values(obj: Any, file: str, where: str) -> None:
    for f in fields(obj):
        value = getattr(obj, f.name)
        if isinstance(value, str) and not value and f.name not in _OPTIONAL_TEXT:
            raise ContentError(file, where, f"field '{_toml_key(f)}' is empty")
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
    optional = tuple(x for x in (pack.boxed_warning,) if x is not None)
    guide = tuple(x for x in (pack.medication_guide,) if x is not None)
    item_files = [
        ("faq.toml", pack.faq_categories + pack.faqs),
        ("risks.toml", optional + pack.risk_groups + pack.risks),
        ("expectations.toml", pack.expectations),
        ("screening.toml", pack.screening),
        ("products.toml", pack.products + pack.areas + (pack.off_label,) + guide),
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
        for approval in product.approvals:
            for area in (approval.area, *approval.with_areas):
                if area not in areas:
                    raise ContentError("products.toml", product.id,
                                       f"area '{area}' is not defined")
            if approval.area in approval.with_areas:
                raise ContentError("products.toml", product.id,
                                   f"the approval for '{approval.area}' names itself in 'with'")
            if approval.under_age and approval.under_age <= approval.min_age:
                raise ContentError("products.toml", product.id,
                                   f"the approval for '{approval.area}' has under_age "
                                   f"{approval.under_age}, not above min_age {approval.min_age}")


def _check_products(pack: ContentPack) -> None:
    """A current pack names each product's label check and tells the patient its facts."""
    for product in pack.products:
        if not product.approvals:
            raise ContentError("products.toml", product.id,
                               "it needs at least one [[product.approval]]")
        for name in _PRODUCT_FACTS:
            if not getattr(product, name):
                raise ContentError("products.toml", product.id, f"field '{name}' is missing "
                                                                f"or empty")
        try:
            date.fromisoformat(product.label_checked_on)
        except ValueError:
            raise ContentError("products.toml", product.id,
                               "label_checked_on must be a date such as 2026-12-01") from None
