"""Whether each planned area is an approved use of the chosen product, and if not, why.

An approval holds for a patient of the right age (on the consult date) when every area it
must be treated "with" is in the same plan. An area is off-label when none of the
product's approvals for it holds; the reason names the closest approval's unmet condition,
in words a patient reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.consult.content.model import Approval, ContentPack, Product


@dataclass(frozen=True)
class AreaUse:
    """One planned area of the product: approved, or off-label with the reason."""

    area_id: str
    approved: bool
    reason: str = ""  # why it is off-label ("" when approved)
    condition: str = ""  # the approval's condition that holds ("with …"), for staff


def _unmet(approval: Approval, planned: set[str], age: int | None) -> list[str]:
    """The conditions of ``approval`` that this plan and patient do not meet."""
    out = []
    # Before the patient is recorded their age is unknown: the plan shows what the areas
    # allow, and the age conditions apply as soon as the date of birth is in (a consent
    # cannot be finalized without it).
    if age is not None and age < approval.min_age:
        out.append("min_age")
    elif age is not None and approval.under_age and age >= approval.under_age:
        out.append("under_age")
    out += [f"with:{a}" for a in approval.with_areas if a not in planned]
    return out


def _plain(pack: ContentPack, area_id: str) -> str:
    """The area as a patient says it ("crow's feet"), without the explanation in brackets."""
    area = pack.area(area_id)
    name = area.plain_name.split(" (")[0] if area else area_id
    return name[:1].lower() + name[1:]


def _names(pack: ContentPack, area_ids: Sequence[str]) -> str:
    names = [_plain(pack, a) for a in area_ids]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _reason(pack: ContentPack, product: Product, approval: Approval, unmet: list[str],
            age: int | None) -> str:
    parts = []
    if "min_age" in unmet:
        parts.append(f"it is approved only for people aged {approval.min_age} or over, "
                     f"and the patient is {age}")
    if "under_age" in unmet:
        parts.append(f"it is approved only for people under {approval.under_age}, "
                     f"and the patient is {age}")
    missing = [u.removeprefix("with:") for u in unmet if u.startswith("with:")]
    if missing:
        parts.append(f"it is approved only when {_names(pack, missing)} "
                     f"{'is' if len(missing) == 1 else 'are'} treated at the same visit")
    return f"{product.name} for {_plain(pack, approval.area)}: " + "; ".join(parts)


def area_use(pack: ContentPack, product: Product, area_id: str, planned: Sequence[str],
             age: int | None) -> AreaUse:
    """Is ``area_id`` an approved use of ``product`` in a plan of ``planned`` areas?"""
    approvals = product.approvals_for(area_id)
    if not approvals:
        return AreaUse(area_id, False, f"{product.name} is not approved for "
                                       f"{_plain(pack, area_id)}")
    chosen = set(planned) | {area_id}
    scored = sorted(((_unmet(a, chosen, age), i, a) for i, a in enumerate(approvals)),
                    key=lambda t: (len(t[0]), t[1]))
    unmet, _, best = scored[0]
    if not unmet:
        condition = f"with {_names(pack, best.with_areas)}" if best.with_areas else ""
        return AreaUse(area_id, True, condition=condition)
    return AreaUse(area_id, False, _reason(pack, product, best, unmet, age))


def plan_uses(pack: ContentPack, product_id: str, planned: Sequence[str],
              age: int | None) -> list[AreaUse]:
    """Every planned area's use, in plan order (empty when no known product is chosen)."""
    product = pack.product(product_id)
    if product is None:
        return []
    return [area_use(pack, product, a, planned, age) for a in planned]
