"""What the tabs do alike with their data set: presets, own data, and editing points.

Where the points came from is a setting (``store.value.source``: a preset at some noise,
or own data). The preset box and the noise slider show it: with own data the box reads
"own data" and the slider is disabled until a preset is chosen, so moving it can never
replace the user's points with a preset's.
"""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QComboBox, QMenu

from lossdesk.model import PRESETS, Dataset
from lossdesk.qt.controls.binding import show_enabled, show_number, show_text, show_visible, write
from lossdesk.qt.controls.float_slider import bind_live_slider, signals_blocked
from lossdesk.settings import DataSource

OWN_DATA = "own data"


def at_start(value: Any) -> Any:
    """The settings with the model back at its start and no outlier (new points, new lesson)."""
    names = {f.name for f in fields(value)}
    changes: dict[str, Any] = {}
    if "w" in names:
        changes.update(w=0.0, b=0.0)
    if "theta" in names:
        changes["theta"] = None  # the usual start (start_theta), not flat zeros
    if "outlier" in names:
        changes.update(outlier=None, outlier_base=0.0)
    return replace(value, **changes)


def class_choice() -> QComboBox:
    """The data view's "add class k" box: the class a double-click adds (labelled points)."""
    combo = QComboBox()
    combo.setToolTip("The class a double-click in the plot adds")
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    combo.setMinimumContentsLength(5)
    return combo


class DataTabActions:
    """Mixin for a tab with ``store``, ``history``, ``marks``, ``descent``, ``refit_views()``,
    ``show_message(text, level)`` and ``preset_controls() -> (combo, noise slider)``.

    Call ``connect_data_actions()`` once the controls exist, and ``show_origin()`` whenever
    the store's ``source`` may have changed.
    """

    # ------------------------------------------------------------------ wiring
    def connect_data_actions(self, noise_text: str = "Change noise") -> None:
        combo, slider = self.preset_controls()
        combo.activated.connect(self._preset_activated)
        bind_live_slider(slider, self.history, self._noise_changed, noise_text)
        self.show_origin()

    def _preset_activated(self, index: int) -> None:
        combo, _slider = self.preset_controls()
        name = combo.itemData(index) or combo.itemText(index)
        if name not in PRESETS:  # "own data" is shown, not chosen
            self.show_origin()
            return
        self.load_preset(name)

    # ------------------------------------------------------------------ actions
    def load_preset(self, name: str, noise: float | None = None) -> None:
        """The preset's points (one undo step), the model at its start, the views fitted."""
        self.descent.set_playing(False)
        ok = write(self.show_message, lambda: self.history.apply(
            at_start(self.store.value.with_source(DataSource.from_preset(name, noise))), f"Load preset {name}"),
            self.show_origin)
        if ok:
            self.refit_views()

    def load_data(self, data: Dataset, text: str) -> None:
        """The user's own points (one undo step), the model at its start, the views fitted."""
        self.descent.set_playing(False)
        ok = write(self.show_message, lambda: self.history.apply(
            at_start(self.store.value.with_source(DataSource.own(data))), text), self.show_origin)
        if ok:
            self.refit_views()

    def remove_selected(self) -> None:
        row = self.marks.selected
        if row is None:
            self.show_message("Select a point first: click it in the plot or the table.", "warning")
            return
        try:
            self.history.apply(self.store.value.without_point(row), "Remove point")
        except ValueError as exc:
            self.show_message(str(exc), "warning")
            return
        self.marks.select(None)

    def _noise_changed(self, noise: float, live: bool) -> None:
        noise = noise + 0.0  # "-0" typed in the box is 0 (+0.0 drops the sign)
        source = self.store.value.source
        if source.preset is None:  # own data has no noise to change
            self.show_origin()
            return

        def change() -> None:
            new = self.store.value.with_source(DataSource.from_preset(source.preset, noise))
            if live:
                self.history.preview(new)
            else:
                self.history.apply(new, "Change noise")

        write(self.show_message, change, self.show_origin)

    # ------------------------------------------------------------------ showing
    def show_origin(self) -> None:
        """The preset box and the noise slider show where the current points came from."""
        combo, slider = self.preset_controls()
        source = self.store.value.source
        own = combo.findText(OWN_DATA, Qt.MatchFlag.MatchExactly)
        with signals_blocked(combo):
            if source.preset is None:
                if own < 0:
                    combo.addItem(OWN_DATA)
                    own = combo.count() - 1
                    model = combo.model()
                    if isinstance(model, QStandardItemModel):  # shown, never chosen
                        item = model.item(own)
                        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                    combo.setItemData(own, "Points of your own (opened, edited or from a session); "
                                           "choose a preset to replace them", Qt.ItemDataRole.ToolTipRole)
                if combo.currentIndex() != own:
                    combo.setCurrentIndex(own)
            else:
                if own >= 0:
                    combo.removeItem(own)
                index = combo.findData(source.preset)
                index = index if index >= 0 else combo.findText(source.preset, Qt.MatchFlag.MatchExactly)
                if combo.currentIndex() != index:
                    combo.setCurrentIndex(index)
        show_enabled(slider, source.preset is not None)
        level = source.noise_level
        if level is not None:
            show_number(slider, level)

    def preset_name(self) -> str | None:
        """The preset the points came from (None: own data)."""
        return self.store.value.source.preset



class PointEditing:
    """Mixin: drag, add (double-click), relabel and remove points in a tab's data view.

    The tab has ``store``, ``history``, ``marks``, ``data_view`` (with ``features_at``,
    ``nearest_point`` and ``plot``), ``show_message`` and ``remove_selected``; labelled
    points (a ``labels`` column) get their class from ``store.value.add_label`` and a
    "Change label" entry per other class in the point's menu.
    """

    def _labelled(self) -> bool:
        return hasattr(self.store.value.data, "labels")

    def connect_point_editing(self) -> None:
        """Wire the data view's points and scene, and the loss bars' hover, to these handlers."""
        pts = self.data_view.points
        pts.dragStarted.connect(self._drag_started)
        pts.dragMoved.connect(self._drag_moved)
        pts.dragFinished.connect(lambda _row: self.history.end_live("Move point"))
        pts.clicked.connect(self.marks.select)
        pts.contextRequested.connect(self._point_menu)
        scene = self.data_view.widget.scene()
        scene.sigMouseMoved.connect(lambda pos: self.marks.set_hover(self.data_view.nearest_point(pos)))
        scene.sigMouseClicked.connect(self._data_clicked)
        self.loss_view.widget.scene().sigMouseMoved.connect(
            lambda pos: self.marks.set_hover(self.loss_view.bar_at(pos)))

    def _drag_started(self, row: int) -> None:
        self.history.begin_live()
        self.marks.select(row)

    def _drag_moved(self, row: int, x: float, y: float) -> None:
        s = self.store.value
        write(self.show_message, lambda: self.history.preview(
            s.with_source(s.source.edited(s.data.with_row(row, self.data_view.features_at(row, x, y))))))

    def _data_clicked(self, ev) -> None:
        """A click on empty ground clears the selection; a double-click adds a point there."""
        if ev.button() != Qt.MouseButton.LeftButton or self.data_view.nearest_point(ev.scenePos()) is not None:
            return
        if not ev.double():
            self.marks.select(None)
            return
        p = self.data_view.plot.getViewBox().mapSceneToView(ev.scenePos())
        s = self.store.value
        values = self.data_view.features_at(-1, float(p.x()), float(p.y()))
        if self._labelled():
            values["label"] = float(s.add_label)
        if write(lambda text, _level: self.show_message(text, "warning"),
                 lambda: self.history.set_data(s.data.with_added(values), "Add point")):
            self.marks.select(self.store.value.data.n - 1)
        ev.accept()

    def _point_menu(self, row: int, screen_pos) -> None:
        self.marks.select(row)
        data = self.store.value.data
        menu = QMenu(self)
        relabel = {}
        if self._labelled():
            for k in range(data.n_classes):
                if k != data.labels[row]:
                    relabel[menu.addAction(f"Change label to {k}")] = k
            menu.addSeparator()
        remove = menu.addAction("Remove point")
        chosen = menu.exec(screen_pos.toPoint())
        menu.deleteLater()  # one menu per right-click: never let them pile up under the tab
        if chosen is remove:
            self.remove_selected()
        elif chosen in relabel:
            self.relabel(row, relabel[chosen])

    def relabel(self, row: int, label: int) -> None:
        """Give point ``row`` another class (one undo step)."""
        data = self.store.value.data
        write(self.show_message, lambda: self.history.set_data(data.with_value(row, "label", label), "Change label"))


class BannerMessages:
    """Mixin: a message goes to the status bar (``status`` signal); an error also stands in
    the tab's ``banner`` until the tab hides it. ``_problem_shown`` is the data problem the
    banner holds, if any: ``_hide_error`` leaves that one up."""

    _problem_shown: str | None = None

    def show_message(self, text: str, level: str = "info") -> None:
        self.status.emit(text, level)
        if level == "error":
            self._show_banner(f"⚠ {text}")

    def _show_banner(self, text: str) -> None:
        show_text(self.banner, text)
        show_visible(self.banner, True)

    def _hide_banner(self) -> None:
        show_visible(self.banner, False)

    def _hide_error(self) -> None:
        if self._problem_shown is None:
            self._hide_banner()
