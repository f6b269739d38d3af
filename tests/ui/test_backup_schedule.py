"""Automatic backups from the running window: off its thread, once a day, failures shown."""

from __future__ import annotations

from app.ui.backup_schedule import BackupSchedule
from app.upkeep.backup import backups_in


def test_a_due_backup_is_made_on_a_worker_thread_and_logged(qtbot, service) -> None:
    schedule = BackupSchedule(service.paths, service.database_key, first_check_ms=0)
    with qtbot.waitSignal(schedule.made, timeout=20_000) as made:
        schedule.start()
    result = made.args[0]
    assert backups_in(service.paths.backups) == [result.path]
    events = [r["event"] for r in service.store.audit_events()]
    assert events.count("backup.made") == 1
    # the next check finds the backup fresh and makes none
    with qtbot.assertNotEmitted(schedule.made, wait=300):
        schedule.check()
        schedule.stop()
    assert backups_in(service.paths.backups) == [result.path]


def test_a_failed_backup_is_a_notice_for_staff(qtbot, service, window, tmp_path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the backup folder should be")
    service.store.set_setting("backup.folder", str(blocker / "backups"))
    schedule = BackupSchedule(service.paths, service.database_key, first_check_ms=0)
    schedule.failed.connect(window.backup_failed)
    with qtbot.waitSignal(schedule.failed, timeout=20_000) as failed:
        schedule.start()
    schedule.stop()
    assert "could not be written" in failed.args[0]
    assert window.notice_holder.isVisibleTo(window)
    assert "automatic backup failed" in window.notice.text().lower()
    assert str(blocker) in window.notice.text()


def test_stop_before_the_first_check_starts_nothing(qtbot, service) -> None:
    schedule = BackupSchedule(service.paths, service.database_key, first_check_ms=50)
    schedule.start()
    schedule.stop()
    with qtbot.assertNotEmitted(schedule.made, wait=300):
        pass
    assert backups_in(service.paths.backups) == []
