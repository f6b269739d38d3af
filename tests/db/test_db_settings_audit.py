"""Settings round-trip and every change lands in the append-only audit log."""

from __future__ import annotations

from datetime import datetime

import pytest

from db import Store


def test_settings_round_trip_and_are_audited(store: Store) -> None:
    assert store.get_setting("clinic.name") is None
    assert store.get_setting("clinic.name", "fallback") == "fallback"

    store.set_setting("clinic.name", "Clínica Sol ☀")
    store.set_setting("clinic.name", "Clínica Luna")
    store.set_setting("clinic.name", "Clínica Luna")  # no change, not audited
    store.set_setting("injector.default", "Dr. Ruiz")

    assert store.get_setting("clinic.name") == "Clínica Luna"
    assert store.all_settings() == {"clinic.name": "Clínica Luna", "injector.default": "Dr. Ruiz"}
    events = store.audit_events()
    assert [e["event"] for e in events] == ["settings.changed"] * 3
    assert events[1]["details"] == {
        "key": "clinic.name",
        "old": "Clínica Sol ☀",
        "new": "Clínica Luna",
    }


def test_setting_value_must_be_text(store: Store) -> None:
    with pytest.raises(TypeError):
        store.set_setting("n", 3)  # type: ignore[arg-type]
    assert store.all_settings() == {}


def test_log_event_appends_in_order(store: Store) -> None:
    first = store.log_event("app.started")
    second = store.log_event(
        "pdf.exported", consent_id="c1", actor="Dr. Ruiz", details={"to": "~/Desktop/ü.pdf"}
    )
    third = store.log_event("custom", at="2025-01-01T00:00:00+00:00")
    events = store.audit_events()
    assert [e["id"] for e in events] == [first, second, third]
    assert [e["seq"] for e in events] == sorted(e["seq"] for e in events)
    assert events[0]["details"] == {} and events[0]["details_json"] == "{}"
    assert events[1]["details"] == {"to": "~/Desktop/ü.pdf"}
    assert events[1]["actor"] == "Dr. Ruiz"
    assert events[2]["at"] == "2025-01-01T00:00:00+00:00"
    assert datetime.fromisoformat(events[0]["at"]).utcoffset() is not None
    assert [e["id"] for e in store.audit_events(consent_id="c1")] == [second]
