"""The dataset editor: a table of the points, in step with the data view both ways.

The table shows ``store.value.data`` (regression or classification points); an edit
becomes one undoable data-set swap through the tab's ``DataHistory``; the selected row
is the tab's ``PointMarks.selected``. A cell that is given text, NaN, infinity or
nothing refuses it, says why, and keeps its old value.
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

from typing import Any

from lossdesk.model import DatasetError, RegressionData
from lossdesk.qt import theme
from lossdesk.settings import SettingsStore
from lossdesk.settings.selection import PointMarks

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


def default_new_point(settings: Any) -> dict[str, float]:
    """Where the Add button puts a point: right of the data on the current line (regression),
    or at the middle of the features in the class a double-click would add (classification)."""
    data = settings.data
    if isinstance(data, RegressionData):
        x = float(data.x.max()) + 0.5
        return {"x": x, "y": float(settings.w * x + settings.b)}
    values = {name: float(data.column(name).mean()) for name in data.column_names if name != "label"}
    values["label"] = float(getattr(settings, "add_label", 0))
    return values


class DatasetTableModel(QAbstractTableModel):
    rejected = Signal(str)

    def __init__(self, store: SettingsStore, history):
        super().__init__()
        self.store, self.history = store, history
        self._data = store.value.data
        store.changed.connect(self._store_changed)

    @property
    def points(self):
        return self._data

    # ----------------------------------------------------------- Qt model API
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else self._data.n

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._data.column_names)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._data.column_names[section]
        return str(section)

    def data(self, index: Index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        col = self._data.column_names[index.column()]
        value = float(self._data.column(col)[index.row()])
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
        data = self.store.value.data
        col = data.column_names[index.column()]
        try:
            number = parse_cell(value)
            new = data.with_value(index.row(), col, number)
            self.history.set_data(new, f"Edit {col} of point {index.row()}")
        except (ValueError, DatasetError) as exc:
            self.rejected.emit(f"Row {index.row()}, column {col}: {exc}. The old value is kept.")
            return False
        return True

    # ----------------------------------------------------------- following the store
    def _store_changed(self, new: Any, _old: Any) -> None:
        data = new.data
        if data is self._data:
            return
        if data.n != self._data.n or data.column_names != self._data.column_names:
            self.beginResetModel()
            self._data = data
            self.endResetModel()
        else:
            self._data = data
            if data.n:
                self.dataChanged.emit(self.index(0, 0), self.index(data.n - 1, self.columnCount() - 1))


class DatasetEditor(QWidget):
    """The table plus Add and Delete buttons and a line for refused edits."""

    def __init__(self, store: SettingsStore, history, marks: PointMarks, parent: QWidget | None = None):
        super().__init__(parent)
        self.store, self.history, self.marks = store, history, marks
        self.model = DatasetTableModel(store, history)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.horizontalHeader().setMinimumSectionSize(40)
        self.table.setToolTip("Double-click a cell to edit it; the views follow as soon as you press Enter.")
        self.add_button = QPushButton("Add point")
        self.add_button.setToolTip("Add a point as a new last row")
        self.delete_button = QPushButton("Delete point")
        self.delete_button.setToolTip("Delete the selected point (Delete key)")
        self.message = QLabel("")
        self.message.setWordWrap(True)
        theme.styled(self.message, lambda look: f"QLabel {{ color: {look.error}; }}")
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
        self._connect_selection()
        self.model.modelReset.connect(self._connect_selection)
        marks.changed.connect(self._marks_changed)
        theme.follow(self.restyle)

    def restyle(self, _look: theme.Look) -> None:
        """Rows as tall as the text in force (a fixed height, not measured per row: 1e5 rows)."""
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)

    def _connect_selection(self) -> None:
        # QTableView keeps its selection model across resets; connecting twice is refused quietly
        model = self.table.selectionModel()
        if model is not getattr(self, "_selection_model", None):
            model.currentRowChanged.connect(self._row_changed)
            self._selection_model = model
        self._marks_changed()

    def show_message(self, text: str) -> None:
        if self.message.text() != text:
            self.message.setText(text)

    def add_row(self) -> None:
        value = self.store.value
        try:
            self.history.set_data(value.data.with_added(default_new_point(value)), "Add point")
        except ValueError as exc:
            self.show_message(str(exc))
            return
        self.marks.select(self.store.value.data.n - 1)
        self.show_message("")

    def delete_selected(self) -> None:
        row = self.marks.selected
        if row is None:
            current = self.table.currentIndex()
            row = current.row() if current.isValid() else None
        if row is None:
            self.show_message("Select a point first, then delete it.")
            return
        try:
            self.history.apply(self.store.value.without_point(row), "Remove point")
        except ValueError as exc:
            self.show_message(str(exc))
            return
        self.marks.select(None)
        self.show_message("")

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and current.row() < self.model.rowCount():
            self.marks.select(current.row())

    def _marks_changed(self) -> None:
        row = self.marks.selected
        if row is not None and row < self.model.rowCount() and row != self.table.currentIndex().row():
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
