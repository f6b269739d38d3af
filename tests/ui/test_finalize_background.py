"""Finalize renders and certifies off the window's thread; the window's own thread keeps
the checks and the database write. A bug during it is logged, the consult kept."""

from __future__ import annotations

from tests.ui.conftest import wait_finalize
from tests.ui.test_consult import complete_consult


def test_finalize_runs_in_the_background_with_the_pages_read_only(window, driver, service,
                                                                  dialogs) -> None:
    complete_consult(driver)
    assert window.finalize()
    # started, not finished: the consent cannot change under the render
    assert window.finalizing
    assert not window.patient_page.body.isEnabled()
    assert not window.finalize_button.isEnabled()
    assert window.finalize_reason.text().startswith("Finalizing")
    assert window.finalize() is False  # one at a time
    wait_finalize(driver.qtbot, window)
    assert window.current_page() is window.done_page
    assert [r["id"] for r in service.store.list_consents()] == [window.result.consent_id]
    assert dialogs.shown == []


def test_a_bug_while_certifying_is_logged_and_the_consult_kept(window, driver, service,
                                                               dialogs, monkeypatch) -> None:
    complete_consult(driver)
    name = window.consent.patient.full_name
    assert name == "Zoë Ñúñez-Łukasz"

    def broken(*_args: object, **_kwargs: object) -> bytes:
        raise KeyError(name)  # a fault of ours whose message quotes what was typed

    monkeypatch.setattr(service.certifier, "certify", broken)
    assert window.finalize()
    wait_finalize(driver.qtbot, window)
    [(kind, _title, text)] = dialogs.shown
    assert kind == "critical"
    log = service.paths.logs / "glabella.log"
    assert str(log) in text and "a fault in Glabella" in text
    logged = log.read_text(encoding="utf-8")
    assert "KeyError" in logged and "def broken" not in logged and "broken" in logged
    assert "Zoë" not in logged and "Ñúñez" not in logged
    draft = service.draft_path(window.consent)
    assert draft.exists() and str(draft) in text
    assert window.consent.finalized_at is None  # still a draft, still on screen
    assert window.current_page() is not window.done_page
    assert window.patient_page.body.isEnabled() and window.finalize_button.isEnabled()
    assert service.store.list_consents() == []
