"""A tree whose item texts wrap onto more lines instead of ending in "…".

QTreeView draws wrapped text when word wrap is on, but asks its delegate for each row's
height without the column's width, so a long FAQ question gets one line and is cut short,
worst at the patient's larger text. This delegate measures each text at the width the view
really has, and the view lays its rows out again when that width changes.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QWidget,
)


class _WrappingDelegate(QStyledItemDelegate):
    def __init__(self, tree: QTreeWidget) -> None:
        super().__init__(tree)
        self._tree = tree

    def sizeHint(self, option: QStyleOptionViewItem,  # noqa: N802 - Qt's name
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        depth, parent = 0, index.parent()
        while parent.isValid():
            depth, parent = depth + 1, parent.parent()
        if self._tree.rootIsDecorated():
            depth += 1
        width = max(self._tree.viewport().width() - depth * self._tree.indentation(), 40)
        item.rect = QRect(0, 0, width, 1)  # Qt wraps only inside a valid (non-empty) rect
        item.features |= QStyleOptionViewItem.ViewItemFeature.WrapText
        item.textElideMode = Qt.TextElideMode.ElideNone
        return self._tree.style().sizeFromContents(
            QStyle.ContentsType.CT_ItemViewItem, item, QSize(), self._tree)


class WrappingTree(QTreeWidget):
    """One column of items whose text wraps to the tree's width."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setUniformRowHeights(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setItemDelegate(_WrappingDelegate(self))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.scheduleDelayedItemsLayout()  # row heights follow the new width
