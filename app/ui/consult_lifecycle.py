"""The consult's course in the window: starting one, putting an unfinished one aside as a
draft (after asking), amending a stored consent, and finalizing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

if TYPE_CHECKING:
    from app.consult.consent import Consent
    from app.document.finalize import Finalizing
    from app.ui.main_window import ConsultWindow


class ConsultLifecycle:
    """What the consult ``window`` asks before the session moves to another consult."""

    def __init__(self, window: ConsultWindow) -> None:
        self.w = window
        self._steps: Finalizing | None = None  # a finalize under way

    def start(self, consent: Consent) -> None:
        """Show ``consent`` on every page, from the first step."""
        self.w.session.start(consent)
        for page in self.w.pages:
            page.bind(consent)
        self.w.done_page.show_result(None)
        self.w.go_to_index(0)
        self.w.refresh()
        if self.w.mode == "injector":  # never take focus from the sign-in screen's PIN field
            self.w.patient_page.name.setFocus()
        if consent.kind == "amendment":
            from app.consult.amendments import amendment_notice

            self.w.show_notice(amendment_notice(consent), "info")
        else:
            self.w.hide_notice()

    def new_consult(self) -> bool:
        """Start again; an unfinished consult is first saved as a draft (after asking)."""
        if not self._put_aside("Start a new consult?"):
            return False
        self.w.start(self.w.session.new_consult())
        return True

    def _put_aside(self, question: str) -> bool:
        """Keep an unfinished consult as a draft, after asking; False if the user declines."""
        if self.w.session.unfinished():
            answer = QMessageBox.question(
                self.w, question,
                "This consult is not finalized. It will be kept as a draft at:\n"
                f"{self.w.session.draft_path()}\n\n{question}")
            if answer != QMessageBox.StandardButton.Yes:
                return False
            if not self._save_draft():
                return False
        return True

    def start_amendment(self, consent_id: str, reason: str) -> bool:
        """Amend a stored consent: a consult prefilled from it, to be reviewed and signed."""
        from app.base.errors import KnownError

        try:
            amendment = self.w.session.prepare_amendment(consent_id, reason)
        except KnownError as exc:  # refused (signed record, withdrawn …) or storage
            QMessageBox.warning(self.w, "Not amended", exc.message)
            return False
        if not self._put_aside("Start the amendment?"):
            return False
        self.w.start(amendment)
        self.w.raise_()
        self.w.activateWindow()
        return True

    def _save_draft(self) -> str | None:
        """Save the draft; the path, or None after telling the user why it failed."""
        try:
            return self.w.session.save_draft()
        except Exception as exc:  # noqa: BLE001 - reported to the user
            QMessageBox.critical(self.w, "Draft not saved", f"The draft could not be saved:\n{exc}")
            return None

    @property
    def finalizing(self) -> bool:
        """A finalize started and its outcome not yet shown."""
        return self._steps is not None

    def finalize(self) -> bool:
        """Start storing the consent and its PDF; False if it cannot start (what is missing
        is listed). Rendering and certifying run on the ``Background`` runner, the checks and
        the one write on the window's thread (which owns the database connection); the
        pages are read-only meanwhile, so the consent cannot change under the render."""
        from app.document.finalize import IncompleteConsentError

        if self.finalizing:
            return False
        self.w.preview.wait()  # reportlab renders one document at a time
        try:
            steps = self.w.session.begin_finalize()
        except IncompleteConsentError as exc:
            lines = "\n".join(f"• {m.message}" for m in exc.missing)
            QMessageBox.warning(self.w, "Not finalized yet",
                                f"The consent cannot be finalized yet:\n\n{lines}")
            self.w.refresh()
            return False
        except Exception as exc:  # noqa: BLE001 - said by _failed: known, or a logged bug
            self._failed(exc)
            return False
        self._steps = steps
        self._show_busy(True)
        self.w.work.run(lambda: self.w.service.certify(steps), lambda _none: self._certified(),
                        self._failed)
        return True

    def _certified(self) -> None:
        steps = self._steps
        assert steps is not None
        try:
            result = self.w.session.complete_finalize(steps)
        except Exception as exc:  # noqa: BLE001 - said by _failed: known, or a logged bug
            self._failed(exc)
            return
        self._steps = None
        self._show_busy(False)
        for page in self.w.pages:
            page.set_read_only(True)
        self.w.done_page.show_result(result)
        self.w.refresh()
        self.w.go_to("done")
        self.w.finalized.emit(result.consent_id)

    def _failed(self, exc: BaseException) -> None:
        """Nothing was stored: keep the consult open, as a draft too, and say why (a bug's
        details go to the log, not to the screen)."""
        from app.runtime.bug_log import explain

        self._steps = None
        self._show_busy(False)
        why = explain(exc, self.w.service.paths.logs, "Finalizing")
        where = self._save_draft()
        kept = (f"\n\nNothing was lost: the consult is still open and was saved as a "
                f"draft at:\n{where}") if where else "\n\nThe consult is still open."
        QMessageBox.critical(self.w, "The consent was not finalized",
                             f"The consent could not be finalized:\n{why}{kept}")
        self.w.refresh()

    def _show_busy(self, busy: bool) -> None:
        for page in self.w.pages:
            page.set_read_only(busy)
        self.w.refresh()  # it paints the busy state while ``finalizing``

    def draft_kept_to_close(self) -> bool:
        """Closing mid-consult keeps the work as a draft: whether the window may close
        (the draft saved, or nothing to keep, or staff chose to close without it)."""
        if not self.w.session.unfinished():
            return True
        try:
            self.w.session.save_draft()
        except Exception as exc:  # noqa: BLE001 - the user decides what happens next
            answer = QMessageBox.question(
                self.w, "Draft not saved",
                f"This consult could not be saved as a draft:\n{exc}\n\nClose anyway and "
                "lose it?")
            return answer == QMessageBox.StandardButton.Yes
        return True
