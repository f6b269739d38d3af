"""The installed Qt binding keeps Python's reference counts straight.

PySide6 6.12.0's abi3 wheels drop a reference to None on every void Qt call (and to True
on every signal emit) under Python 3.11; after enough calls the interpreter aborts
mid-consult. pyproject.toml excludes that release; this test fails if it comes back.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel


class _Emitter(QObject):
    fired = Signal()


def test_void_calls_and_emits_do_not_leak_or_steal_references(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    emitter = _Emitter()
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(500):
        label.setText("x")
        emitter.fired.emit()
    assert abs(sys.getrefcount(None) - none_before) < 50
    assert abs(sys.getrefcount(True) - true_before) < 50
