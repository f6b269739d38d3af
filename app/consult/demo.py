"""A complete demo consult, used by the self-test, the benchmarks and the tests."""

from __future__ import annotations

import math
from datetime import date

from app.consult.consent import Clock, Consent, PlannedArea, TreatmentPlan, local_now
from app.consult.content import ContentPack
from app.consult.patient import Injector, Patient
from app.consult.signature_image import Stroke, strokes_to_png

DEMO_PATIENT = Patient("Zoë Ñúñez-Łukasz", date(1988, 4, 17), "555-0199", "zoe@example.com")
DEMO_INJECTOR = Injector("Dana Whitfield", "RN", "Nurse injector")


def demo_strokes(seed: int = 0) -> list[Stroke]:
    """A looping, handwriting-like scrawl; different seeds give different signatures."""
    strokes: list[Stroke] = []
    x0 = 10.0
    for word in range(2):
        points = []
        for i in range(90):
            t = i / 89
            x = x0 + t * 160
            y = 50 + 22 * math.sin(t * (9 + seed) + word) * math.cos(t * 3 + seed)
            x += 9 * math.cos(t * (25 + 2 * seed))
            points.append((round(x, 1), round(y, 1)))
        strokes.append(points)
        x0 += 185
    return strokes


def build_demo_consent(pack: ContentPack, clock: Clock = local_now,
                       patient: Patient = DEMO_PATIENT,
                       injector: Injector = DEMO_INJECTOR) -> Consent:
    """A consent with every answer, acknowledgement and required signature in place."""
    consent = Consent.start(pack, clock)
    consent.set_patient(patient)
    consent.set_injector(injector)
    product = pack.products[0]
    on_its_own = [a.area for a in product.approvals if not a.with_areas]
    consent.set_plan(TreatmentPlan(product.id, [PlannedArea(a, 20.0) for a in on_its_own[:2]],
                                   lot_number="C1234A5", expiry=date(2027, 6, 30)))
    for question in pack.screening:
        consent.answer(question.id, "no")
    for faq in pack.faqs[:4]:
        consent.view_faq(faq.id, clock)
    for item in consent.required_items(pack):
        consent.acknowledge(item, clock, by="patient")
    for n, role in enumerate(r for r in pack.signature_roles if r.required):
        name = patient.full_name if role.id == "patient" else injector.display_name
        strokes = demo_strokes(n)
        consent.sign(pack, role.id, name, strokes_to_png(strokes), strokes, clock)
    return consent
