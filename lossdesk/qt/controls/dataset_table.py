"""The dataset editor: a table of the points, in step with the data view both ways.

Edits become undoable data-set swaps through the state; a cell that is given text,
NaN, infinity or nothing refuses it, says why, and keeps its old value.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lossdesk.model import DatasetError
from lossdesk.qt.state import DataState

Index = QModelIndex | QPersistentModelIndex


def parse_cell(text: str) -> float:
    """A finite number from what the user typed, or ValueError saying what is wrong."""
    cleaned = str(text).strip()
    if not cleaned:
        raise ValueError("a cell cannot be empty; type a number")
    try:
        value = float(cleaned.replace("−", "-"))
    except ValueError:
        raise ValueError(f"“{cleaned}” is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"{cleaned} is not allowed; every value must be a finite number")
    return value


class DatasetTableModel(QAbstractTableModel):
    rejected = Signal(str)

    def __init__(self, state: DataState):
        super().__init__()
        self.state = state
        self._n = state.data.n
        self._columns = state.data.column_names
        state.changed.connect(self._state_changed)

    # ----------------------------------------------------------- Qt model API
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else self.state.data.n

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.state.data.column_names)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.state.data.column_names[section]
        return str(section)

    def data(self, index: Index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        col = self.state.data.column_names[index.column()]
        value = float(self.state.data.column(col)[index.row()])
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{value:.6g}"
        if role == Qt.ItemDataRole.EditRole:
            return str(int(value)) if col == "label" else repr(value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: Index):
        return super().flags(index) | Qt.ItemFlag.ItemIsEditable

    def setData(self, index: Index, value, role=Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        col = self.state.data.column_names[index.column()]
        try:
            number = parse_cell(value)
            new = self.state.data.with_value(index.row(), col, number)
        except (ValueError, DatasetError) as exc:
            self.rejected.emit(f"Row {index.row()}, column {col}: {exc}. The old value is kept.")
            return False
        self.state.set_data(new, f"Edit {col} of point {index.row()}")
        return True

    # ----------------------------------------------------------- sync with state
    def _state_changed(self, aspects: frozenset) -> None:
        if "data" not in aspects:
            return
        n = self.state.data.n
        columns = self.state.data.column_names
        if n != self._n or columns != self._columns:
            self.beginResetModel()
            self._n, self._columns = n, columns
            self.endResetModel()
        else:
            self.dataChanged.emit(self.index(0, 0), self.index(n - 1, self.columnCount() - 1))


class DatasetEditor(QWidget):
    """The table plus Add and Delete buttons and a line for refused edits."""

    def __init__(self, state: DataState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.model = DatasetTableModel(state)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.setToolTip("Double-click a cell to edit it; the views follow as soon as you press Enter.")
        self.add_button = QPushButton("Add point")
        self.add_button.setToolTip("Add a point as a new last row")
        self.delete_button = QPushButton("Delete point")
        self.delete_button.setToolTip("Delete the selected point (Delete key)")
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b3261e;")
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self.model.rejected.connect(self.show_message)
        self.add_button.clicked.connect(self.add_row)
        self.delete_button.clicked.connect(self.delete_selected)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        state.changed.connect(self._state_changed)

    def show_message(self, text: str) -> None:
        self.message.setText(text)

    def add_row(self) -> None:
        row = self.state.add_values(self.state.default_new_point())
        self.state.select(row)
        self.message.setText("")

    def delete_selected(self) -> None:
        row = self.state.selected
        if row is None:
            current = self.table.currentIndex()
            row = current.row() if current.isValid() else None
        if row is None:
            self.show_message("Select a point first, then delete it.")
            return
        try:
            self.state.remove_point(row)
        except DatasetError as exc:
            self.show_message(str(exc))
            return
        self.state.select(None)
        self.message.setText("")

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.state.select(current.row())

    def _state_changed(self, aspects: frozenset) -> None:
        if "selection" in aspects:
            row = self.state.selected
            if row is not None and row != self.table.currentIndex().row():
                self.table.selectRow(row)
                self.table.scrollTo(self.model.index(row, 0))
