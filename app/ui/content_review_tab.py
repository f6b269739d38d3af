"""Settings → Content: the content pack in use and its review by the medical director.

Thin: what a review is, how it is checked and stored, is ``app.clinic.content_review``.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QGridLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.base.storage_errors import DATABASE_ERRORS, StoreError, plain_reason
from app.clinic.content_review import (
    EARLIEST_REVIEW,
    MAX_REVIEWER,
    PackReview,
    reviewer,
    short_hash,
)
from app.ui import style
from app.ui.widgets import Banner, Card, FormField, label, row

if TYPE_CHECKING:
    from app.clinic.staff import StaffMember
    from app.runtime.service import Glabella

DEFAULT_TITLE = "Medical Director"



def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)  # PySide6 converts dates, its stubs do not

class PackReviewTab(QWidget):
    """Shows the pack's id, version, hash and review; records a review for exactly it."""

    recorded = Signal(object)  # the PackReview just recorded

    def __init__(self, service: Glabella, admin: StaffMember,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service, self.admin = service, admin
        pack = service.pack
        today = _qdate(service.clock().date())

        about = Card()
        about.layout_.addWidget(label("Content pack in use", "h3"))
        facts = QGridLayout()
        facts.setHorizontalSpacing(16)
        facts.setVerticalSpacing(4)
        for line, (caption, value) in enumerate((
                ("Pack", pack.info.id), ("Version", pack.version),
                ("Hash", short_hash(pack.hash)))):
            facts.addWidget(label(caption, "muted", wrap=False), line, 0)
            shown = label(value, selectable=True)
            shown.setAccessibleName(f"Content pack {caption.lower()}")
            facts.addWidget(shown, line, 1)
            if caption == "Hash":
                shown.setToolTip(f"SHA-256 {pack.hash}")
        facts.setColumnStretch(1, 1)
        about.layout_.addLayout(facts)
        self.status = Banner()
        self.status.text_label.setAccessibleName("Review status")
        about.layout_.addWidget(self.status)

        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. Dr Ana Ruiz")
        self.title = QLineEdit(DEFAULT_TITLE)
        for edit in (self.name, self.title):
            edit.setMaxLength(MAX_REVIEWER)
        self.review_date = QDateEdit(today)
        self.review_date.setDisplayFormat("yyyy-MM-dd")
        self.review_date.setCalendarPopup(True)
        self.review_date.setDateRange(_qdate(EARLIEST_REVIEW), today)  # never a future date
        self.review_date.setMinimumHeight(style.FIELD_HEIGHT)
        self.review_date.setMinimumWidth(180)
        self.record_button = QPushButton("Record review")
        self.record_button.setAccessibleName("Record the medical director's review of this "
                                             "content pack")
        style.set_role(self.record_button, "primary")
        self.message = label("", "error")
        self.message.setVisible(False)

        record = Card()
        record.layout_.addWidget(label("Record the medical director's review", "h3"))
        record.layout_.addWidget(label(
            "Once the clinic's medical director has read this version of the pack (the FAQ, "
            "risks, expectations and everything else patients read), record it here. It "
            "covers this version and hash only: an edited pack needs a review of its own. A "
            "recorded review is kept in the audit log and cannot be changed.", "small"))
        fields = QGridLayout()
        fields.setHorizontalSpacing(16)
        top = Qt.AlignmentFlag.AlignTop
        fields.addWidget(FormField("Medical director's name *", self.name), 0, 0, top)
        fields.addWidget(FormField("Title", self.title), 0, 1, top)
        fields.addWidget(FormField("Date of the review", self.review_date,
                                   "No later than today."), 0, 2, top)
        fields.setColumnStretch(0, 3)
        fields.setColumnStretch(1, 2)
        fields.setColumnStretch(2, 2)
        record.layout_.addLayout(fields)
        record.layout_.addLayout(row(self.record_button))
        record.layout_.addWidget(self.message)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 12, 8, 8)
        layout.setSpacing(12)
        layout.addWidget(about)
        layout.addWidget(record)
        layout.addStretch(1)
        self.record_button.clicked.connect(self.record)
        self.name.returnPressed.connect(self.record)
        self.show_review(service.pack_review())

    def show_review(self, review: PackReview | None) -> None:
        if review is None:
            self.status.set_kind("warning")
            self.status.set_text("Not reviewed yet. Until a review of this version is "
                                 "recorded, staff see a notice on the consult screen.")
        else:
            self.status.set_kind("success")
            self.status.set_text(f"Reviewed. {review.line()}")

    def record(self) -> PackReview | None:
        """Record the review typed in; None (with the reason shown) when it is refused."""
        try:
            review = self.service.record_pack_review(
                reviewer(self.name.text(), self.title.text()),
                cast("date", self.review_date.date().toPython()), self.admin.display_name)
        except ValueError as exc:
            self._say(str(exc), ok=False)
            return None
        except (*DATABASE_ERRORS, OSError, StoreError) as exc:  # a full disk, a busy database
            self._say(f"The review could not be saved, and nothing was stored: "
                      f"{plain_reason(exc)}.", ok=False)
            return None
        self.show_review(review)
        self._say("Review recorded.")
        self.recorded.emit(review)
        return review

    def _say(self, text: str, ok: bool = True) -> None:
        self.message.setText(text)
        style.set_role(self.message, "ok" if ok else "error")
        self.message.setVisible(bool(text))
