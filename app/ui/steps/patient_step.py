"""Patient and injector details, checked as they are typed, with the under-18 rule; a
patient on record is found as their name is typed and picked from a short list."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from app.consult.consent import TreatmentPlan
from app.consult.patient import (
    ADULT_AGE,
    MAX_NOTE,
    Injector,
    Patient,
    clean_text,
    validate_injector,
    validate_patient,
)
from app.consult.returning import as_patient, starting_plan
from app.records.search import PatientMatch
from app.runtime.service import Glabella
from app.ui.steps.base import StepPage
from app.ui.steps.patient_lookup import NamesakeBanner, Suggestions
from app.ui.widgets import Banner, Card, FormField, OptionalDateEdit, label, quietly, text_area


def _line(placeholder: str = "", max_length: int = 0) -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    if max_length:
        edit.setMaxLength(max_length)
    return edit


class PatientStep(StepPage):
    step_id = "patient"
    title = "Patient"
    intro = ("Who is being treated and who is treating. Problems are shown under each field "
             "as you go. A patient seen before shows up under their name as you type: "
             "press Down and Enter, or click, to use their record.")

    def __init__(self, service: Glabella, parent: QWidget | None = None) -> None:
        super().__init__(service, parent)
        today = service.clock().date()
        self.name = _line("First and last name")
        self.dob = OptionalDateEdit("Not set — type or pick a date",
                                    maximum=QDate(today.year, today.month, today.day),
                                    typing_start=QDate(today.year - 30, 1, 1))
        self.dob.setMinimumWidth(300)
        self.phone = _line("Optional")
        self.email = _line("Optional, e.g. name@example.com")
        self.patient_fields = {
            "full_name": FormField("Full name *", self.name),
            "date_of_birth": FormField("Date of birth *", self.dob,
                                       "Year-month-day, e.g. 1988-04-17, or use the calendar."),
            "phone": FormField("Phone", self.phone),
            "email": FormField("Email", self.email),
        }
        self.minor_banner = Banner(kind="danger")
        self.minor_reason = text_area("Why is it appropriate to proceed for this patient?")
        self.minor_reason_field = FormField("Injector's reason to proceed *", self.minor_reason)
        self.minor_banner.layout_.addWidget(self.minor_reason_field)
        self.minor_banner.setVisible(False)
        self.visits = service.records.returning()
        self.suggestions = Suggestions(self.name)
        name_field = self.patient_fields["full_name"].layout()
        assert isinstance(name_field, QVBoxLayout)
        name_field.insertWidget(2, self.suggestions)  # right under the name typed
        self.namesake = NamesakeBanner()
        self._different: set[str] = set()  # records the injector said are someone else
        self._carried: TreatmentPlan | None = None  # the plan started from a last visit

        self.injector_name = _line("Full name of the person injecting")
        self.credentials = _line("e.g. RN, NP, MD")
        self.role = _line("e.g. Nurse injector")
        self.injector_fields = {
            "injector_name": FormField("Injector name *", self.injector_name),
            "credentials": FormField("Credentials", self.credentials),
            "role": FormField("Role", self.role),
        }

        patient_card = Card()
        patient_card.layout_.addWidget(label("Patient", "h2"))
        patient_card.layout_.addLayout(self._grid(self.patient_fields))
        patient_card.layout_.addWidget(self.namesake)
        patient_card.layout_.addWidget(self.minor_banner)
        injector_card = Card()
        injector_card.layout_.addWidget(label("Injector", "h2"))
        injector_card.layout_.addWidget(
            label("Filled in for whoever signed in; change it if someone else injects.",
                  "small"))
        injector_card.layout_.addLayout(self._grid(self.injector_fields))
        self.body_layout.addWidget(patient_card)
        self.body_layout.addWidget(injector_card)
        self.body_layout.addStretch(1)

        self._touched: set[str] = set()
        self._problems: dict[str, str] = {}
        # the signed-in staff member; without one, the injector of the last finalized consult
        self.default_injector: Injector | None = None
        for key, edit in (("full_name", self.name), ("phone", self.phone),
                          ("email", self.email)):
            edit.textChanged.connect(self._patient_edited)
            edit.editingFinished.connect(lambda key=key: self._left(key))
        self.dob.dateChanged.connect(lambda _d: self._touch("date_of_birth"))
        self.dob.dateChanged.connect(self._patient_edited)
        self.minor_reason.textChanged.connect(self._patient_edited)
        self.name.textChanged.connect(self._suggest)
        self.dob.dateChanged.connect(self._suggest)
        self.suggestions.picked.connect(self._use_record)
        self.namesake.use_existing.clicked.connect(self._use_namesake)
        self.namesake.create_new.clicked.connect(self._create_new)
        for key, edit in (("injector_name", self.injector_name),
                          ("credentials", self.credentials), ("role", self.role)):
            edit.textChanged.connect(self._injector_edited)
            edit.editingFinished.connect(lambda key=key: self._left(key))

    @staticmethod
    def _grid(fields: dict[str, FormField]) -> QGridLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(12)
        for i, field in enumerate(fields.values()):
            grid.addWidget(field, i // 2, i % 2, Qt.AlignmentFlag.AlignTop)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        return grid

    # -- model → widgets --------------------------------------------------------------------

    def load(self) -> None:
        assert self.consent is not None
        self._touched.clear()
        self.visits.forget()
        self._different.clear()
        self._carried = None
        self.suggestions.show_matches([])
        p = self.consent.patient
        with quietly(self.name, self.phone, self.email, self.dob, self.minor_reason,
                     self.injector_name, self.credentials, self.role):
            self.name.setText(p.full_name if p else "")
            self.dob.set_value(p.date_of_birth if p else None)
            self.phone.setText(p.phone if p else "")
            self.email.setText(p.email if p else "")
            self.minor_reason.setPlainText(self.consent.minor_override_reason)
            injector = self.consent.injector or self.default_injector
            values = ({"full_name": injector.full_name, "credentials": injector.credentials,
                       "role": injector.role} if injector
                      else self.service.settings.remembered_injector())
            injector = self.consent.injector
            self.injector_name.setText(values["full_name"])
            self.credentials.setText(values["credentials"])
            self.role.setText(values["role"])
        if injector is None and values["full_name"] and not self.read_only:
            found, _ = validate_injector(*values.values())
            if found is not None:
                self.consent.set_injector(found)  # a fresh consult: nothing to clear yet
        self._validate()

    def offer_injector(self, injector: Injector) -> None:
        """Prefill the injector (whoever signed in) unless the consult already names one or
        someone is typing one."""
        self.default_injector = injector
        if self.consent is None or self.read_only or self.consent.injector is not None \
                or self.injector_name.text().strip():
            return
        with quietly(self.injector_name, self.credentials, self.role):
            self.injector_name.setText(injector.full_name)
            self.credentials.setText(injector.credentials)
            self.role.setText(injector.role)
        self._injector_edited()

    def first_focus(self) -> QWidget | None:
        return self.name

    # -- widgets → model --------------------------------------------------------------------

    @property
    def today(self) -> date:
        assert self.consent is not None
        return self.consent.created_at.date()

    def _touch(self, key: str) -> None:
        self._touched.add(key)
        self._show_problems()

    def _left(self, key: str) -> None:
        """A field lost the keyboard: only the user moving on within this page counts, not
        a PIN prompt or dialog (Settings) taking it from an untouched field."""
        focus = QApplication.focusWidget()
        if focus is not None and self.isAncestorOf(focus):
            self._touch(key)

    def reveal_problems(self) -> None:
        """Show every field's problem, touched or not (when the user moves on)."""
        self._touched.update(self.patient_fields, self.injector_fields, {"minor_reason"})
        self._show_problems()

    def leave(self) -> None:
        self.reveal_problems()
        match = self.namesake.match if self.namesake.isVisible() else None
        if match is None:
            return
        # asked before a second record of one person is made, even if the banner was missed
        same = QMessageBox.question(
            self, "The same person?", self.namesake.text() + "\n\nYes: use the existing "
            "record. No: a different person, create a new record.")
        if same == QMessageBox.StandardButton.Yes:
            self._use_record(match)
        else:
            self._create_new()

    def _validate(self) -> tuple[Patient | None, Injector | None]:
        assert self.consent is not None
        current = self.consent.patient
        patient, patient_problems = validate_patient(
            self.name.text(), self.dob.value() or "", self.phone.text(), self.email.text(),
            today=self.today, patient_id=current.id if current else "")
        injector, injector_problems = validate_injector(
            self.injector_name.text(), self.credentials.text(), self.role.text())
        self._problems = {}
        for problem in patient_problems + injector_problems:
            self._problems.setdefault(problem.field, problem.message)
        minor = patient is not None and patient.is_minor_on(self.today)
        if minor and not clean_text(self.minor_reason.toPlainText()):
            self._problems["minor_reason"] = "A reason is required to proceed with a patient " \
                                             "under 18."
        self._show_minor(patient if minor else None)
        self._show_problems()
        return patient, injector

    def _show_problems(self) -> None:
        for key, field in (*self.patient_fields.items(), *self.injector_fields.items(),
                           ("minor_reason", self.minor_reason_field)):
            field.set_error(self._problems.get(key, "") if key in self._touched else "")

    def _show_minor(self, minor: Patient | None) -> None:
        self.minor_banner.setVisible(minor is not None)
        if minor is not None:
            age = minor.age_on(self.today)
            self.minor_banner.set_text(
                f"⚠  Under 18: this patient is {age}. Cosmetic botulinum toxin is not approved "
                f"for anyone under {ADULT_AGE}. To continue, the injector must record a reason "
                f"to proceed; it is printed on the consent.")

    def _patient_edited(self) -> None:
        if self.consent is None or self.read_only:
            return
        patient, _ = self._validate()
        if patient != self.consent.patient:
            self.apply(lambda c: c.set_patient(patient))
        minor = patient is not None and patient.is_minor_on(self.today)
        text = self.minor_reason.toPlainText() if minor else ""
        reason = clean_text(text, multiline=True)[:MAX_NOTE]
        if reason != self.consent.minor_override_reason:
            self.apply(lambda c: c.set_minor_override(reason))
        self._check_namesake()

    # -- returning patients -----------------------------------------------------------------

    def _suggest(self) -> None:
        """Patients on record matching the name (and date of birth) typed so far."""
        if self.consent is None or self.read_only:
            return
        current = self.consent.patient
        self.suggestions.show_matches(self.visits.suggestions(
            self.name.text(), self.dob.value(), exclude=current.id if current else ""))

    def _check_namesake(self) -> None:
        """Ask before a new patient is made with the name and birth date of one on record."""
        assert self.consent is not None
        patient = self.consent.patient
        match = None
        if patient is not None and not self.visits.is_on_record(patient):
            match = self.visits.namesake(patient)
        self.namesake.ask(match if match is None or match.id not in self._different
                          else None)

    def _use_namesake(self) -> None:
        if self.namesake.match is not None:
            self._use_record(self.namesake.match)

    def _create_new(self) -> None:
        if self.namesake.match is not None:
            self._different.add(self.namesake.match.id)
        self.namesake.ask(None)

    def _use_record(self, match: PatientMatch) -> None:
        """Fill in the patient on record, with their id, and start the plan from their
        last visit (unless a plan of this consult's own is already chosen)."""
        if self.consent is None or self.read_only:
            return
        patient = as_patient(match)
        with quietly(self.name, self.dob, self.phone, self.email):
            self.name.setText(patient.full_name)
            self.dob.set_value(patient.date_of_birth)
            self.phone.setText(patient.phone)
            self.email.setText(patient.email)
        self.suggestions.show_matches([])
        self.namesake.ask(None)
        self.apply(lambda c: c.set_patient(patient))
        self._patient_edited()  # the minor rule, and the problems shown
        visit = self.visits.last_visit(patient)
        untouched = self.consent.plan in (TreatmentPlan(), self._carried)
        if visit is not None and untouched:
            self._carried = starting_plan(visit, self.pack)
            plan = starting_plan(visit, self.pack)  # its own copy: the consent's to change
            self.apply(lambda c: c.set_plan(plan))

    def _injector_edited(self) -> None:
        if self.consent is None or self.read_only:
            return
        _, injector = self._validate()
        if injector != self.consent.injector:
            self.apply(lambda c: c.set_injector(injector))

    def problem_for(self, key: str) -> str:
        """The message shown under a field ("" when none), for tests and screen readers."""
        field = {**self.patient_fields, **self.injector_fields}.get(key)
        if key == "minor_reason":
            field = self.minor_reason_field
        return field.error_text() if field else ""
