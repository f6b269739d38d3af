"""A signature pad: draws smooth ink from a mouse, a finger or a stylus, and keeps the points.

Strokes are kept as lists of ``(x, y)`` floats in widget coordinates; the PNG that is signed
is made from them by the Qt-free ``app.consult.signature_image``. A stylus sends tablet events: they
are accepted, so Qt does not synthesise mouse events from them, and any synthesised mouse
event that still arrives (from a pen or a touch screen) is ignored so no stroke is drawn
twice.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QTabletEvent,
    QTouchEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.ui import style

Point = tuple[float, float]
Stroke = list[Point]
MIN_STEP = 0.75  # pixels: closer points add nothing but size


class SignaturePad(QWidget):
    """White signing area with a baseline and a faint "Sign here" hint."""

    changed = Signal()

    def __init__(self, accessible_name: str = "Signature pad",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._strokes: list[Stroke] = []
        self._drawing = False
        self._touch_id: int | None = None
        self._tablet_down = False
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(480, 160)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setAccessibleName(accessible_name)
        self.setAccessibleDescription(
            "Sign with a mouse, finger or stylus. Backspace undoes the last stroke; "
            "Delete clears the pad.")

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(640, 190)

    # -- the strokes ----------------------------------------------------------------------

    def strokes(self) -> list[Stroke]:
        """A copy of every finished and in-progress stroke."""
        return [list(s) for s in self._strokes]

    def is_empty(self) -> bool:
        return not self._strokes

    def clear(self) -> None:
        self._drawing = False
        if self._strokes:
            self._strokes.clear()
            self.update()
            self.changed.emit()

    def undo(self) -> None:
        """Remove the last stroke."""
        self._drawing = False
        if self._strokes:
            self._strokes.pop()
            self.update()
            self.changed.emit()

    def set_strokes(self, strokes: list[Stroke]) -> None:
        """Show strokes already captured (e.g. a signature accepted before)."""
        self._drawing = False
        self._strokes = [[(float(x), float(y)) for x, y in s] for s in strokes if s]
        self.update()

    def _begin(self, pos: QPointF) -> None:
        if not self.isEnabled():
            return
        self._drawing = True
        self._strokes.append([(pos.x(), pos.y())])
        self.update()

    def _extend(self, pos: QPointF) -> None:
        if not self._drawing:
            return
        x, y = self._clamp(pos)
        last_x, last_y = self._strokes[-1][-1]
        if abs(x - last_x) + abs(y - last_y) >= MIN_STEP:
            self._strokes[-1].append((x, y))
            self.update()

    def _end(self, pos: QPointF | None = None) -> None:
        if not self._drawing:
            return
        if pos is not None:
            self._extend(pos)
        self._drawing = False
        self.changed.emit()

    def _clamp(self, pos: QPointF) -> Point:
        return (min(max(pos.x(), 0.0), float(self.width())),
                min(max(pos.y(), 0.0), float(self.height())))

    # -- mouse, touch and stylus ----------------------------------------------------------

    @staticmethod
    def _synthesized(event: QMouseEvent) -> bool:
        return event.source() != Qt.MouseEventSource.MouseEventNotSynthesized

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._synthesized(event) or self._tablet_down or self._touch_id is not None:
            event.ignore()
            return
        if event.button() == Qt.MouseButton.LeftButton:
            self.setFocus(Qt.FocusReason.MouseFocusReason)
            self._begin(event.position())
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._synthesized(event) or self._tablet_down:
            event.ignore()
            return
        self._extend(event.position())
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._synthesized(event) or self._tablet_down:
            event.ignore()
            return
        if event.button() == Qt.MouseButton.LeftButton:
            self._end(event.position())
        event.accept()

    def tabletEvent(self, event: QTabletEvent) -> None:  # noqa: N802
        kind = event.type()
        if kind == QEvent.Type.TabletPress:
            self._tablet_down = True
            self._begin(event.position())
        elif kind == QEvent.Type.TabletMove:
            self._extend(event.position())
        elif kind == QEvent.Type.TabletRelease:
            self._end(event.position())
            self._tablet_down = False
        event.accept()

    def event(self, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd,
                    QEvent.Type.TouchCancel):
            self._touch(event)  # type: ignore[arg-type]
            return True
        return super().event(event)

    def _touch(self, event: QTouchEvent) -> None:
        """Follow the first finger down; further fingers are ignored."""
        event.accept()
        kind = event.type()
        if kind == QEvent.Type.TouchCancel:
            self._end()
            self._touch_id = None
            return
        for point in event.points():
            if self._touch_id is None and kind == QEvent.Type.TouchBegin:
                self._touch_id = point.id()
                self._begin(point.position())
            elif point.id() == self._touch_id:
                self._extend(point.position())
                if point.state() == point.State.Released:
                    self._end(point.position())
                    self._touch_id = None
        if kind == QEvent.Type.TouchEnd and self._touch_id is not None:
            self._end()
            self._touch_id = None

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.matches(QKeySequence.StandardKey.Undo) or event.key() == Qt.Key.Key_Backspace:
            self.undo()
        elif event.key() == Qt.Key.Key_Delete:
            self.clear()
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        self.update()
        super().focusOutEvent(event)

    # -- painting ---------------------------------------------------------------------------

    @staticmethod
    def stroke_path(stroke: Stroke) -> QPainterPath:
        """A smooth path: quadratic segments through the midpoints of consecutive points."""
        path = QPainterPath()
        if not stroke:
            return path
        points = [QPointF(x, y) for x, y in stroke]
        path.moveTo(points[0])
        if len(points) == 1:
            path.lineTo(points[0] + QPointF(0.01, 0.01))  # a dot still shows as a dot
            return path
        for here, after in zip(points[1:-1], points[2:], strict=False):
            path.quadTo(here, (here + after) / 2.0)
        path.lineTo(points[-1])
        return path

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        area = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        painter.fillRect(self.rect(), QColor(style.BACKGROUND))
        painter.setBrush(QColor(style.SURFACE if self.isEnabled() else style.DISABLED_SURFACE))
        focus = self.hasFocus()
        painter.setPen(QPen(QColor(style.FOCUS if focus else style.BORDER), 2.5 if focus else 1))
        painter.drawRoundedRect(area, 6, 6)

        baseline = self.height() * 0.72
        guide = QColor(style.PAD_GUIDE)
        painter.setPen(QPen(guide, 1.2))
        painter.drawLine(QPointF(24, baseline), QPointF(self.width() - 24, baseline))
        font = painter.font()
        font.setPointSizeF(max(font.pointSizeF(), 11.0) * 1.3)
        painter.setFont(font)
        painter.drawText(QPointF(26, baseline - 8), "✕")
        if not self._strokes:
            font.setPointSizeF(font.pointSizeF() * 0.85)
            painter.setFont(font)
            painter.setPen(QColor(style.MUTED))
            painter.drawText(QRectF(0, baseline + 4, self.width(), self.height() - baseline - 4),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                             "Sign here")

        pen = QPen(QColor(style.PAD_INK), 2.6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                   Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for stroke in self._strokes:
            painter.drawPath(self.stroke_path(stroke))
        painter.end()
