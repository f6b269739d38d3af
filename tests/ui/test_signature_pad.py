"""The signature pad: mouse, touch and stylus ink, undo and clear, no doubled strokes."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QInputDevice, QMouseEvent, QPointingDevice, QTabletEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.consult.signature_image import has_enough_ink
from app.ui.signature_pad import SignaturePad


def make_pad(qtbot) -> SignaturePad:
    pad = SignaturePad("Test pad")
    qtbot.addWidget(pad)
    pad.resize(640, 190)
    pad.show()
    qtbot.waitExposed(pad)
    return pad


def test_pad_is_accessible_and_big_enough(qtbot) -> None:
    pad = make_pad(qtbot)
    assert pad.minimumWidth() >= 480 and pad.minimumHeight() >= 160
    assert pad.focusPolicy() & Qt.FocusPolicy.TabFocus
    assert pad.accessibleName() == "Test pad"
    assert pad.testAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)


def test_mouse_drags_make_strokes_and_undo_removes_the_last(qtbot, drag, signature_scrawl
                                                            ) -> None:
    pad = make_pad(qtbot)
    with qtbot.waitSignal(pad.changed):
        drag(pad, signature_scrawl())
    drag(pad, [(400, 60), (450, 120), (500, 70)])
    strokes = pad.strokes()
    assert len(strokes) == 2
    assert strokes[0][0] == (40.0, 55.0)
    assert all(isinstance(x, float) and isinstance(y, float) for x, y in strokes[0])
    assert has_enough_ink(strokes)
    pad.undo()
    assert pad.strokes() == strokes[:1]
    pad.clear()
    assert pad.strokes() == [] and pad.is_empty()


def test_keyboard_undo_and_clear(qtbot, drag, signature_scrawl) -> None:
    pad = make_pad(qtbot)
    drag(pad, signature_scrawl())
    drag(pad, signature_scrawl(y0=120))
    pad.setFocus()
    QTest.keyClick(pad, Qt.Key.Key_Backspace)
    assert len(pad.strokes()) == 1
    QTest.keyClick(pad, Qt.Key.Key_Delete)
    assert pad.strokes() == []


def test_a_tick_is_not_enough_ink(qtbot, drag) -> None:
    pad = make_pad(qtbot)
    drag(pad, [(100, 100), (108, 110), (125, 85)])
    assert len(pad.strokes()) == 1
    assert not has_enough_ink(pad.strokes())


def test_smooth_path_passes_through_midpoints(qtbot) -> None:
    path = SignaturePad.stroke_path([(0, 0), (10, 0), (10, 10), (20, 10)])
    assert path.elementCount() > 4
    assert path.currentPosition() == QPointF(20, 10)


def _send_mouse(pad: SignaturePad, kind: QEvent.Type, pos: QPoint,
                source: Qt.MouseEventSource) -> None:
    button = Qt.MouseButton.LeftButton
    buttons = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseButtonRelease else button
    global_pos = QPointF(pad.mapToGlobal(pos))
    event = QMouseEvent(kind, QPointF(pos), QPointF(pos), global_pos, button, buttons,
                        Qt.KeyboardModifier.NoModifier, source)
    QApplication.sendEvent(pad, event)


def test_stylus_draws_once_and_synthesized_mouse_is_ignored(qtbot) -> None:
    pad = make_pad(qtbot)
    stylus = QPointingDevice("test stylus", 4242, QInputDevice.DeviceType.Stylus,
                             QPointingDevice.PointerType.Pen,
                             QInputDevice.Capability.Position
                             | QInputDevice.Capability.Pressure, 1, 1)
    path = [QPointF(50 + 10 * i, 80 + (i % 3) * 10) for i in range(20)]
    kinds = [QEvent.Type.TabletPress] + [QEvent.Type.TabletMove] * 18 \
        + [QEvent.Type.TabletRelease]
    for kind, pos in zip(kinds, path, strict=True):
        buttons = Qt.MouseButton.NoButton if kind == QEvent.Type.TabletRelease \
            else Qt.MouseButton.LeftButton
        event = QTabletEvent(kind, stylus, pos, QPointF(pad.mapToGlobal(pos)), 0.5, 0, 0, 0,
                             0, 0, Qt.KeyboardModifier.NoModifier, Qt.MouseButton.LeftButton,
                             buttons)
        QApplication.sendEvent(pad, event)
        assert event.isAccepted()
        # the mouse event a platform may synthesise from the pen must not add ink
        mouse_kind = {QEvent.Type.TabletPress: QEvent.Type.MouseButtonPress,
                      QEvent.Type.TabletMove: QEvent.Type.MouseMove,
                      QEvent.Type.TabletRelease: QEvent.Type.MouseButtonRelease}[kind]
        _send_mouse(pad, mouse_kind, pos.toPoint(),
                    Qt.MouseEventSource.MouseEventSynthesizedBySystem)
    strokes = pad.strokes()
    assert len(strokes) == 1
    assert len(strokes[0]) == 20


def test_synthesized_mouse_alone_draws_nothing(qtbot) -> None:
    pad = make_pad(qtbot)
    for kind, pos in ((QEvent.Type.MouseButtonPress, QPoint(20, 20)),
                      (QEvent.Type.MouseMove, QPoint(200, 100)),
                      (QEvent.Type.MouseButtonRelease, QPoint(200, 100))):
        _send_mouse(pad, kind, pos, Qt.MouseEventSource.MouseEventSynthesizedByQt)
    assert pad.strokes() == []


def test_touch_draws_a_stroke(qtbot) -> None:
    pad = make_pad(qtbot)
    device = QTest.createTouchDevice()
    QTest.touchEvent(pad, device).press(0, QPoint(40, 60), pad).commit()
    for x in range(60, 400, 20):
        QTest.touchEvent(pad, device).move(0, QPoint(x, 60 + (x % 40)), pad).commit()
    QTest.touchEvent(pad, device).release(0, QPoint(400, 80), pad).commit()
    strokes = pad.strokes()
    assert len(strokes) == 1
    assert len(strokes[0]) > 10
