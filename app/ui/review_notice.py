"""Staff only: a notice on the consult screen while the content pack has no review by the
clinic's medical director recorded. Never on the patient's screen or the sign-in screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from app.clinic.content_review import unreviewed_notice
from app.ui.staff_notice import StaffNotice

if TYPE_CHECKING:
    from app.runtime.service import Glabella


class ReviewNotice(StaffNotice):
    """The amber banner above the consult's steps; shown only by ``update_for``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("warning", "Content pack not reviewed", parent)

    def update_for(self, service: Glabella, staff_view: bool) -> None:
        """Shown while ``staff_view`` (staff signed in, their own view up) and the pack is
        unreviewed; hidden otherwise, so patient mode and the lock never show it."""
        unreviewed = staff_view and service.pack_review() is None
        if unreviewed:
            self.banner.set_text(unreviewed_notice(service.pack))
        self.setVisible(unreviewed)
