"""The one way the window runs work off its thread: outcomes come back on the window's."""

from __future__ import annotations

import threading

from app.ui.background import Background


def test_work_runs_off_the_thread_and_its_result_comes_back_on_it(qtbot) -> None:
    runner = Background()
    window_thread = threading.get_ident()
    seen: dict[str, object] = {}

    def work() -> int:
        seen["work_thread"] = threading.get_ident()
        return 42

    def done(value: int) -> None:
        seen.update(value=value, done_thread=threading.get_ident())

    runner.run(work, done, lambda exc: seen.update(error=exc))
    assert runner.busy
    qtbot.waitUntil(lambda: "value" in seen, timeout=5000)
    assert seen["value"] == 42 and "error" not in seen
    assert seen["work_thread"] != window_thread
    assert seen["done_thread"] == window_thread
    assert not runner.busy


def test_an_exception_goes_to_on_error_and_jobs_run_in_order(qtbot) -> None:
    runner = Background()
    order: list[object] = []
    failure = ValueError("boom")

    def fail() -> int:
        raise failure

    runner.run(lambda: 1, order.append, order.append)
    runner.run(fail, order.append, order.append)
    runner.run(lambda: 3, order.append, order.append)
    assert runner.wait(5000)
    qtbot.waitUntil(lambda: len(order) == 3, timeout=5000)
    assert order == [1, failure, 3]
    assert not runner.busy
