"""The injector's consult view: the steps and pages, a notice above them, and below them
what is still needed and the Finalize button."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from app.ui import style
from app.ui.pin_notice import StrongerPinNotice
from app.ui.reconsent_notice import ReconsentNotice
from app.ui.review_notice import ReviewNotice
from app.ui.step_view import StepView
from app.ui.still_needed import StillNeeded
from app.ui.widgets import Banner, label

if TYPE_CHECKING:
    from app.consult.progress import Progress
    from app.ui.steps import StepPage


class ConsultView(StepView):
    """Every step of the consult, for staff."""

    def __init__(self, names: list[tuple[str, str]], pages: Sequence[StepPage],
                 parent: QWidget | None = None) -> None:
        notice = Banner(kind="warning")
        dismiss = QPushButton("Dismiss")
        dismiss.setAccessibleName("Dismiss this notice")
        notice.add_action(dismiss)
        notice_holder = QWidget()
        notice_layout = QVBoxLayout(notice_holder)
        notice_layout.setContentsMargins(28, 12, 28, 0)
        notice_layout.addWidget(notice)
        notice_holder.setVisible(False)
        review_notice = ReviewNotice()  # staff only: the pack has no recorded review
        reconsent_notice = ReconsentNotice()  # a full consent or a confirmation, and why
        pin_notice = StrongerPinNotice()  # signed in with a PIN short of today's rule
        still_needed = StillNeeded()
        finalize_button = QPushButton("Finalize")
        finalize_button.setAccessibleName("Finalize the consent")
        style.set_role(finalize_button, "primary")
        finalize_reason = label("", "small")
        finalize_reason.setFixedWidth(400)
        super().__init__(names, pages, above=(pin_notice, notice_holder, review_notice,
                                                reconsent_notice),
                         beside=still_needed,
                         extra_buttons=(finalize_button,), under_buttons=finalize_reason,
                         margin=20, parent=parent)
        self.notice, self.dismiss_notice, self.notice_holder = notice, dismiss, notice_holder
        self.review_notice, self.still_needed = review_notice, still_needed
        self.reconsent_notice, self.pin_notice = reconsent_notice, pin_notice
        self.finalize_button, self.finalize_reason = finalize_button, finalize_reason
        dismiss.clicked.connect(self.hide_notice)
        self.still_needed.item_chosen.connect(self.go_to_item)

    def show_notice(self, text: str, kind: str = "warning") -> None:
        """A message above the page, until dismissed."""
        self.notice.set_text(text)
        self.notice.set_kind(kind)
        self.notice_holder.setVisible(True)

    def hide_notice(self) -> None:
        self.notice_holder.setVisible(False)

    def show_progress(self, progress: Progress) -> None:
        """Paint the session's progress: marks, "Still needed" and Finalize."""
        self.still_needed.show_missing(progress.missing, progress.finalized)
        self.set_marks(progress.marks)
        self.finalize_button.setEnabled(progress.can_finalize)
        self.finalize_reason.setText(progress.reason)
        self.finalize_button.setToolTip(progress.reason)
