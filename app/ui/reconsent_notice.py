"""Staff only: which kind of record today's visit needs under the clinic's re-consent
setting, and why, once the patient is known ("A full consent is on file from …: today
needs a treatment-day confirmation" / "Full consent needed: …")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from app.ui.staff_notice import StaffNotice

if TYPE_CHECKING:
    from app.consult.consent import Consent
    from app.runtime.service import Glabella


class ReconsentNotice(StaffNotice):
    """The banner above the consult's steps; ``update_for`` applies the rule and says it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("info", "Full consent or treatment-day confirmation", parent)

    def update_for(self, service: Glabella, consent: Consent) -> None:
        """Apply the rule to ``consent`` (it may become a confirmation, or a full consent
        again) and say what it decided; hidden before the patient is known, and when the
        clinic asks for a full consent at every visit (nothing to tell apart then)."""
        decision = service.reconsent(consent)
        shown = decision is not None and decision.why != "every_visit"
        if decision is not None and shown:
            self.banner.set_text(decision.message)
            self.banner.set_kind("info" if decision.confirmation else "warning")
        self.setVisible(shown)
