"""The JSON form of a consult: drafts in progress and the full form stored with each record.

The format is documented in ``docs/draft-format.md``. Loading re-checks everything a user
could have typed (a draft is a file anybody can edit), and reports the first problem with
the JSON path where it sits.
"""

from __future__ import annotations

import base64
import json
import os
from datetime import date, datetime
from pathlib import Path
from typing import Any

from app.base.errors import KnownError
from app.base.private_files import make_folder, open_private
from app.consult.consent import (
    KINDS,
    Acknowledgement,
    Answer,
    Consent,
    FaqView,
    ItemQuestion,
    PlannedArea,
    ScreeningAnswer,
    Signature,
    TreatmentPlan,
)
from app.consult.patient import validate_injector, validate_patient
from app.consult.patient_rules import BY_PATIENT, BY_STAFF

FORMAT = "glabella-draft"
_ANSWERS: dict[str, Answer] = {"yes": "yes", "no": "no"}
FORMAT_VERSION = 1


class DraftError(KnownError, ValueError):
    """A draft that cannot be loaded, with where in the JSON the problem is."""


def to_dict(consent: Consent) -> dict[str, Any]:
    p, inj, plan = consent.patient, consent.injector, consent.plan
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "id": consent.id,
        "created_at": consent.created_at.isoformat(),
        "finalized_at": consent.finalized_at.isoformat() if consent.finalized_at else None,
        "content": {"pack_id": consent.content_pack_id, "version": consent.content_version,
                    "hash": consent.content_hash},
        "patient": None if p is None else {
            "id": p.id, "full_name": p.full_name, "date_of_birth": p.date_of_birth.isoformat(),
            "phone": p.phone, "email": p.email},
        "injector": None if inj is None else {
            "full_name": inj.full_name, "credentials": inj.credentials, "role": inj.role},
        "minor_override_reason": consent.minor_override_reason,
        "kind": consent.kind,
        "amends_id": consent.amends_id or None,
        "amends_finalized_at": consent.amends_finalized_at.isoformat()
        if consent.amends_finalized_at else None,
        "reason": consent.reason,
        "full_consent_id": consent.full_consent_id or None,
        "full_consent_at": consent.full_consent_at.isoformat()
        if consent.full_consent_at else None,
        "content_review": consent.content_review,
        "plan": {
            "product_id": plan.product_id,
            "areas": [{"area_id": a.area_id, "units": a.units} for a in plan.areas],
            "lot_number": plan.lot_number,
            "expiry": plan.expiry.isoformat() if plan.expiry else None,
            "notes": plan.notes,
        },
        "screening": {qid: {"answer": a.answer, "note": a.note,
                            "override_reason": a.override_reason}
                      for qid, a in consent.screening.items()},
        "acknowledgements": {iid: {"kind": a.kind, "at": a.at.isoformat(), "method": a.method,
                                   "initials": a.initials, "by": a.by,
                                   "staff_name": a.staff_name}
                             for iid, a in consent.acknowledgements.items()},
        "questions": {iid: {"at": q.at.isoformat(), "injector_note": q.injector_note}
                      for iid, q in consent.questions.items()},
        "faq_views": {fid: {"at": v.at.isoformat(),
                            "discussed_in_person": v.discussed_in_person}
                      for fid, v in consent.faq_views.items()},
        "signatures": {role: {"printed_name": s.printed_name, "meaning": s.meaning,
                              "signed_at": s.signed_at.isoformat(),
                              "png_base64": base64.b64encode(s.png).decode("ascii"),
                              "strokes": [[list(pt) for pt in stroke] for stroke in s.strokes]}
                       for role, s in consent.signatures.items()},
    }


def to_json(consent: Consent) -> str:
    return json.dumps(to_dict(consent), ensure_ascii=False, indent=2, sort_keys=True)


class _Reader:
    """Typed access to nested JSON that names the path of whatever is wrong."""

    def __init__(self, data: Any, path: str = "$") -> None:
        self.data, self.path = data, path

    def _get(self, key: str, kinds: tuple[type, ...], required: bool = True) -> Any:
        if not isinstance(self.data, dict):
            raise DraftError(f"{self.path} must be an object.")
        if key not in self.data or self.data[key] is None:
            if required:
                raise DraftError(f"{self.path}.{key} is missing.")
            return None
        value = self.data[key]
        if not isinstance(value, kinds) or isinstance(value, bool) and bool not in kinds:
            names = " or ".join(k.__name__ for k in kinds)
            raise DraftError(f"{self.path}.{key} must be {names}.")
        return value

    def text(self, key: str, required: bool = True) -> str:
        return self._get(key, (str,), required) or ""

    def flag(self, key: str) -> bool:
        return bool(self._get(key, (bool,), False))

    def number(self, key: str) -> float | None:
        value = self._get(key, (int, float), False)
        return None if value is None else float(value)

    def when(self, key: str) -> datetime:
        """A required timestamp with its time zone."""
        return self._timestamp(key, self.text(key))

    def maybe_when(self, key: str) -> datetime | None:
        text = self.text(key, False)
        return self._timestamp(key, text) if text else None

    def _timestamp(self, key: str, text: str) -> datetime:
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            raise DraftError(f"{self.path}.{key} is not an ISO date and time.") from None
        if value.tzinfo is None:
            raise DraftError(f"{self.path}.{key} needs a time zone (e.g. +01:00).")
        return value

    def day(self, key: str) -> date | None:
        text = self.text(key, False)
        try:
            return date.fromisoformat(text) if text else None
        except ValueError:
            raise DraftError(f"{self.path}.{key} is not a date (YYYY-MM-DD).") from None

    def child(self, key: str) -> _Reader:
        return _Reader(self._get(key, (dict,)), f"{self.path}.{key}")

    def maybe_child(self, key: str) -> _Reader | None:
        value = self._get(key, (dict,), False)
        return None if value is None else _Reader(value, f"{self.path}.{key}")

    def items(self, key: str) -> list[tuple[str, _Reader]]:
        value = self._get(key, (dict,), False) or {}
        return [(k, _Reader(v, f"{self.path}.{key}.{k}")) for k, v in value.items()]

    def list(self, key: str) -> list[_Reader]:
        value = self._get(key, (list,), False) or []
        return [_Reader(v, f"{self.path}.{key}[{i}]") for i, v in enumerate(value)]


def from_dict(data: Any) -> Consent:
    root = _Reader(data)
    if root.text("format") != FORMAT:
        raise DraftError(f"$.format must be {FORMAT!r}: this is not a Glabella draft.")
    version = root._get("format_version", (int,))
    if version > FORMAT_VERSION:
        raise DraftError(f"This draft was written by a newer Glabella (format {version}).")
    content = root.child("content")
    created = root.when("created_at")
    consent = Consent(content.text("pack_id"), content.text("version"), content.text("hash"),
                      created, id=root.text("id"))
    if (p := root.maybe_child("patient")) is not None:
        patient, problems = validate_patient(
            p.text("full_name", False), p.text("date_of_birth", False), p.text("phone", False),
            p.text("email", False), today=created.date(), patient_id=p.text("id", False))
        if problems:
            raise DraftError(f"$.patient: {' '.join(x.message for x in problems)}")
        consent.patient = patient
    if (i := root.maybe_child("injector")) is not None:
        injector, problems = validate_injector(i.text("full_name", False),
                                               i.text("credentials", False),
                                               i.text("role", False))
        if problems:
            raise DraftError(f"$.injector: {' '.join(x.message for x in problems)}")
        consent.injector = injector
    consent.minor_override_reason = root.text("minor_override_reason", False)
    kind = root.text("kind", False) or "consent"
    if kind not in KINDS:
        raise DraftError(f"$.kind must be one of {', '.join(KINDS)}.")
    consent.kind = kind  # type: ignore[assignment]
    consent.amends_id = root.text("amends_id", False)
    consent.amends_finalized_at = root.maybe_when("amends_finalized_at")
    consent.reason = root.text("reason", False)
    consent.full_consent_id = root.text("full_consent_id", False)
    consent.full_consent_at = root.maybe_when("full_consent_at")
    consent.content_review = root.text("content_review", False)
    if (plan := root.maybe_child("plan")) is not None:
        consent.plan = TreatmentPlan(
            product_id=plan.text("product_id", False),
            areas=[PlannedArea(a.text("area_id"), a.number("units")) for a in plan.list("areas")],
            lot_number=plan.text("lot_number", False),
            expiry=plan.day("expiry"),
            notes=plan.text("notes", False))
    for qid, a in root.items("screening"):
        answer = _ANSWERS.get(a.text("answer"))
        if answer is None:
            raise DraftError(f"{a.path}.answer must be 'yes' or 'no'.")
        consent.screening[qid] = ScreeningAnswer(answer, a.text("note", False),
                                                 a.text("override_reason", False))
    for iid, a in root.items("acknowledgements"):
        by = a.text("by", False)  # absent in drafts and records made before it was kept
        if by not in ("", BY_PATIENT, BY_STAFF):
            raise DraftError(f"{a.path}.by must be '{BY_PATIENT}' or '{BY_STAFF}'.")
        consent.acknowledgements[iid] = Acknowledgement(
            iid, a.text("kind"), a.when("at"), a.text("method", False) or "tick",
            a.text("initials", False), by, a.text("staff_name", False))
    for iid, q in root.items("questions"):
        consent.questions[iid] = ItemQuestion(iid, q.when("at"), q.text("injector_note", False))
    for fid, v in root.items("faq_views"):
        consent.faq_views[fid] = FaqView(fid, v.when("at"), v.flag("discussed_in_person"))
    for role, s in root.items("signatures"):
        try:
            png = base64.b64decode(s.text("png_base64"), validate=True)
        except ValueError:
            raise DraftError(f"{s.path}.png_base64 is not valid base64.") from None
        strokes = [[(float(pt[0]), float(pt[1])) for pt in stroke.data]
                   for stroke in s.list("strokes")]
        consent.signatures[role] = Signature(role, s.text("printed_name"), s.text("meaning"),
                                             s.when("signed_at"), png, strokes)
    consent.finalized_at = root.maybe_when("finalized_at")
    return consent


def from_json(text: str) -> Consent:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DraftError(f"The draft is not valid JSON (line {exc.lineno}: {exc.msg}).") from None
    return from_dict(data)


def save(consent: Consent, path: Path) -> None:
    """The plain JSON form (the window's drafts are sealed: app.runtime.drafts)."""
    write_atomically(path, to_json(consent).encode("utf-8"))


def write_atomically(path: Path, data: bytes) -> None:
    """A crash mid-write leaves the previous draft, never half a file."""
    make_folder(path.parent)
    tmp = path.with_name(path.name + ".tmp")
    with open_private(tmp, "wb") as fh:  # a patient's answers: 0600
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(path)


def load(path: Path) -> Consent:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DraftError(f"No draft file at {path}.") from None
    except UnicodeDecodeError:
        raise DraftError(f"{path} is not a UTF-8 text file.") from None
    return from_json(text)
