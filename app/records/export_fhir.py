"""A consent as a FHIR R4 transaction Bundle, for the clinic's electronic health record.

The Bundle holds three resources, linked by ``urn:uuid`` references: the Patient; the
Consent (scope treatment, category LOINC 59284-0 "Patient Consent"), whose source is the
DocumentReference, which carries the certified PDF itself in ``attachment.data`` with its
``size`` and ``hash``. FHIR R4 defines ``Attachment.hash`` as the base64 SHA-1 of the data;
the SHA-256 Glabella keeps is added as an identifier (an RFC 6920 ``ni:`` URI), so the EHR
copy can be matched with ``glabella verify``. Each entry is a conditional create on its
identifier, so sending the same consent twice does not duplicate it.

Every Bundle is checked against the ``fhir.resources`` R4B models (the R4 structure, loaded
on first use) before it is written.
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.base.errors import KnownError
from app.base.private_files import make_folder, open_private
from db.reconsent import confirmed_consent

if TYPE_CHECKING:
    from db import Store

URI_SYSTEM = "urn:ietf:rfc:3986"  # the identifier's value is itself a URI
LOINC_PATIENT_CONSENT = {"system": "http://loinc.org", "code": "59284-0",
                         "display": "Patient Consent"}
# Stable ids for the resources Glabella has no id of its own for: a re-export is identical.
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://glabella.invalid/fhir")


class FhirExportError(KnownError, ValueError):
    """The Bundle did not validate; ``message`` says where."""


@dataclass(frozen=True)
class FhirExport:
    path: Path
    consent_id: str
    pdf_size: int
    pdf_sha256: str


def ni_sha256(data: bytes) -> str:
    """RFC 6920 name of ``data``: ``ni:///sha-256;`` and the unpadded base64url digest."""
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return "ni:///sha-256;" + digest.decode("ascii")


def _uri_identifier(value: str) -> dict[str, str]:
    return {"system": URI_SYSTEM, "value": value}


def _entry(resource: dict[str, Any], full_url: str, identifier: str) -> dict[str, Any]:
    return {"fullUrl": full_url, "resource": resource,
            "request": {"method": "POST", "url": resource["resourceType"],
                        "ifNoneExist": f"identifier={URI_SYSTEM}|{identifier}"}}


DESCRIPTIONS = {"consent": "Signed consent summary",
                "amendment": "Signed amended consent summary",
                "withdrawal": "Signed withdrawal of consent",
                "confirmation": "Signed treatment-day confirmation of consent"}


def build_bundle(store: Store, consent_id: str, now: datetime | None = None
                 ) -> dict[str, Any]:
    """The transaction Bundle for one stored consent (raises RecordNotFoundError)."""
    consent = store.get_consent(consent_id)
    patient = store.get_patient(consent["patient_id"])
    pdf = store.get_pdf(consent_id)
    clinic = json.loads(consent["clinic_json"] or "{}").get("name") or "the clinic"
    patient_url = f"urn:uuid:{patient['id']}"
    consent_url = f"urn:uuid:{consent_id}"
    document_url = f"urn:uuid:{uuid.uuid5(_NAMESPACE, 'document:' + consent_id)}"
    injector = ", ".join(x for x in (consent["injector_name"],
                                     consent["injector_credentials"]) if x)
    signed_at = consent["finalized_at"]
    telecom = [{"system": kind, "value": patient[kind]}
               for kind in ("phone", "email") if patient[kind]]
    patient_resource: dict[str, Any] = {
        "resourceType": "Patient",
        "identifier": [_uri_identifier(patient_url)],
        # the name and birth date as the patient signed them
        "name": [{"text": consent["patient_name"]}],
        "birthDate": consent["patient_dob"],
        **({"telecom": telecom} if telecom else {}),
    }
    link = store.consent_link(consent_id)
    if link is None and (full_id := confirmed_consent(store, consent_id)) is not None:
        # a confirmation adds to the full consent it relies on, which stays in force
        link = {"kind": "confirmation", "amends_id": full_id}
    kind = link["kind"] if link else "consent"
    # a withdrawal, and a consent a later record amends or withdraws, no longer apply
    current = kind != "withdrawal" and store.successor(consent_id) is None
    consent_resource = {
        "resourceType": "Consent",
        "identifier": [_uri_identifier(consent_url)],
        "status": "active" if current else "inactive",
        "scope": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentscope",
                              "code": "treatment", "display": "Treatment"}]},
        "category": [{"coding": [LOINC_PATIENT_CONSENT]}],
        "patient": {"reference": patient_url},
        "dateTime": signed_at,
        "performer": [{"reference": patient_url}],
        "organization": [{"display": clinic}],
        "sourceReference": {"reference": document_url},
        "policyRule": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                                   "code": "OPTIN", "display": "opt-in"}]},
        "provision": {
            "type": "deny" if kind == "withdrawal" else "permit",
            "period": {"start": signed_at},
            "actor": [{"role": {"coding": [{
                "system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
                "code": "PPRF", "display": "primary performer"}]},
                "reference": {"display": injector}}],
            "code": [{"text": f"{consent['product_name']}: {consent['areas']}"}],
        },
    }
    document_resource = {
        "resourceType": "DocumentReference",
        "masterIdentifier": _uri_identifier(document_url),
        "identifier": [_uri_identifier(ni_sha256(pdf))],
        "status": "current",
        "docStatus": "final",
        "type": {"coding": [LOINC_PATIENT_CONSENT]},
        "subject": {"reference": patient_url},
        "date": signed_at,
        "author": [{"display": injector}],
        "custodian": {"display": clinic},
        "description": f"{DESCRIPTIONS[kind]}, certified by {clinic} (record {consent_id})",
        "content": [{"attachment": {
            "contentType": "application/pdf",
            "data": base64.b64encode(pdf).decode("ascii"),
            "size": len(pdf),
            "hash": base64.b64encode(hashlib.sha1(pdf).digest()).decode("ascii"),
            "title": f"consent-{signed_at[:10]}-{consent_id[:8]}.pdf",
            "creation": signed_at,
        }}],
        "context": {"related": [{"reference": consent_url}]},
    }
    if link is not None:
        # the earlier record's document, by the identifier its own export gave it
        earlier = f"urn:uuid:{uuid.uuid5(_NAMESPACE, 'document:' + link['amends_id'])}"
        document_resource["relatesTo"] = [{
            "code": "replaces" if kind == "amendment" else "appends",
            "target": {"identifier": _uri_identifier(earlier),
                       "display": f"Consent record {link['amends_id']}"}}]
    stamp = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    return {
        "resourceType": "Bundle",
        "identifier": _uri_identifier(f"urn:uuid:{uuid.uuid4()}"),
        "type": "transaction",
        "timestamp": stamp,
        "entry": [_entry(patient_resource, patient_url, patient_url),
                  _entry(consent_resource, consent_url, consent_url),
                  _entry(document_resource, document_url, document_url)],
    }


def validate_bundle(bundle: dict[str, Any]) -> None:
    """Raise FhirExportError unless ``bundle`` is a valid R4(B) Bundle, resources included."""
    from fhir.resources.R4B.bundle import Bundle
    from pydantic import ValidationError

    try:
        Bundle.model_validate(bundle)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}"
                             for e in exc.errors()[:5])
        raise FhirExportError(f"The FHIR Bundle is not valid: {problems}") from exc


def export_consent(store: Store, consent_id: str, out: Path) -> FhirExport:
    """Write the validated Bundle to ``out`` (UTF-8 JSON) and log the export."""
    bundle = build_bundle(store, consent_id)
    validate_bundle(bundle)
    make_folder(out.parent)
    with open_private(out, "w", encoding="utf-8") as handle:  # a patient's record: 0600
        handle.write(json.dumps(bundle, ensure_ascii=False, indent=2) + "\n")
    row = store.get_consent(consent_id)
    store.log_event("consent.exported", consent_id=consent_id,
                    details={"format": "fhir-r4-bundle", "path": str(out),
                             "pdf_sha256": row["pdf_sha256"]})
    return FhirExport(out, consent_id, row["pdf_size"], row["pdf_sha256"])
