"""The regression explorer: controls and dataset editor on the left, five live views on the right.

Data flows one way. Controls and mouse gestures change the settings (``store.update``,
or ``history`` for data edits); every change of the store recomputes one results value
(``compute_regression``) and the views and readouts draw it, so they always show the same
step. The descent run in progress is the only thing the tab holds besides its widgets: it
is passed into the computation, and it is dropped when the data, loss, parameters,
optimizer or the line change under it.

A slow exact surface or best line (MAE, Huber, quantile and log-cosh at large N) is worked
out off the GUI thread by the tab's cache (``ExactLater``); a coarse stand-in shows until
it arrives, the surface panel's readout says so, and during a drag the exact one is only
asked for when the drag rests.

With a penalty (issue 15) the cost is the mean loss + λ·P(w): the side column's penalty
box chooses it, the formula bar adds its term and number, the loss panel stands a
penalty bar on the mean, and the surface shows the total cost (or, switched, the data
cost with the penalty's level lines) and the regularisation path with the current λ's
optimum ringed. The path does not depend on λ: it is worked out once per data set, loss
and penalty kind (at once for MSE, off the GUI thread for the other losses, hidden until
it arrives).
"""

from __future__ import annotations

from functools import partial
from typing import Callable

import numpy as np
from PySide6.QtCore import QObject, QPointF, Qt, QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QMenu, QTabWidget, QWidget

from lossdesk.model import DescentRun
from lossdesk.model import fitting as fitting_model
from lossdesk.model import surface as surface_model
from lossdesk.model.dataset import RegressionData
from lossdesk.model.results.runs import advance_run, run_news
from lossdesk.model.results.regression import (
    MAX_RUN_STEPS,
    SURFACE_SIZE,
    RegressionCache,
    RegressionResults,
    RegularisationPath,
    compute_regression,
    path_key,
    path_seconds,
    penalty_of,
    regression_path,
    start_run,
)
from lossdesk.model.snapshot import SurfaceWindow, penalty_key, penalty_kwargs
from lossdesk.qt.controls.binding import show_checked, show_choice, show_number, show_text, write
from lossdesk.qt.controls.dataset_table import DatasetEditor
from lossdesk.qt.controls.outlier import OutlierControls
from lossdesk.qt.controls.penalty import PenaltyControls
from lossdesk.qt.controls.regression_panel import ControlPanel
from lossdesk.qt import theme
from lossdesk.qt.background import NewestWins
from lossdesk.qt.formula import cost_formula_html, cost_formula_room_html, cost_formula_tooltip
from lossdesk.qt.tabs.data_actions import DataTabActions
from lossdesk.qt.tabs.layout import lay_out_tab
from lossdesk.qt.tabs.refresh_when_shown import EVERYTHING, RefreshWhenShown
from lossdesk.qt.undo import DataHistory
from lossdesk.qt.views.data_fit import DataFitView
from lossdesk.qt.views.loss_curve import LossCurveView
from lossdesk.qt.views.loss_surface import LossSurfaceView
from lossdesk.qt.views.panel import FormulaLabel, ViewPanel
from lossdesk.qt.views.per_example_loss import PerExampleLossView
from lossdesk.qt.views.residual_histogram import ResidualHistogramView
from lossdesk.settings import RegressionSettings, SettingsStore, changed_fields
from lossdesk.settings.regression import LINE_LIMIT
from lossdesk.settings.selection import PointMarks

__all__ = ["MAX_RUN_STEPS", "SURFACE_SIZE", "ExactLater", "RegressionExplorer"]

#: a surface or best line expected to take longer than this is worked out off the GUI thread
SYNC_SECONDS = 0.008
#: a drag that holds still this long gets its exact surface worked out
REST_MS = 150
#: otherwise the worker is asked this soon: after the frame with the stand-ins is drawn
SOON_MS = 30
WAITING_TEXT = "working out the exact surface…"
COARSE_TEXT = "coarse surface while you drag"
PATH_WAITING_TEXT = "working out the λ path…"


class ExactLater(RegressionCache):
    """The explorer's cache: slow exact surfaces and best lines are worked out off the GUI thread.

    ``surface`` and ``best_line`` return the exact values (``line_loss_surface``,
    ``best_line``) whenever they are known or quick (expected under ``SYNC_SECONDS``: small
    data, or MSE). Otherwise they return a stand-in (``coarse_line_surface``,
    ``rough_best_line``, pure functions of the same arguments), and the exact value is
    asked of a worker (``NewestWins``: a newer request supersedes an older one) at once,
    or, while ``defer`` is set (a gesture in progress), when ``request()`` is called.
    When it arrives ``ready()`` is called and the next call returns it.

    The regularisation path (``path``) goes the same way, without a stand-in: a path of
    a sample would wander off the star, so there is none until the exact one arrives.
    """

    def __init__(self, ready: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__()
        self.ready = ready
        self.defer = False
        self.surfaces = NewestWins(parent)
        self.bests = NewestWins(parent)
        self.paths = NewestWins(parent)
        self.surfaces.finished.connect(self._surface_arrived)
        self.bests.finished.connect(self._best_arrived)
        self.paths.finished.connect(self._path_arrived)
        for worker in (self.surfaces, self.bests, self.paths):
            worker.failed.connect(self._failed)
        self.errors: list[str] = []
        self._want_surface: tuple | None = None  # (key, data, loss, params, window)
        self._want_best: tuple | None = None  # (key, data, loss, params, penalty)
        self._want_path: tuple | None = None  # (key, data, loss, params, penalty)
        self._stand_ins: dict[str, tuple] = {}  # kind -> (key, data, value)

    @property
    def waiting(self) -> bool:
        """A stand-in is out: an exact surface, best line or path is still to come."""
        return self._want_surface is not None or self._want_best is not None or self._want_path is not None

    @property
    def waiting_path(self) -> bool:
        """Only the regularisation path is still to come."""
        return self._want_path is not None and self._want_surface is None and self._want_best is None

    @property
    def working(self) -> bool:
        """The worker has been asked for everything waited for (not only for something older)."""
        ws, wb, wp = self._want_surface, self._want_best, self._want_path
        return self.waiting and (ws is None or self.surfaces.tag == ws[0]) and \
            (wb is None or self.bests.tag == wb[0]) and (wp is None or self.paths.tag == wp[0])

    def surface(self, data: RegressionData, loss: str, params: dict[str, float],
                window: SurfaceWindow) -> np.ndarray:
        key = (id(data), loss, tuple(sorted(params.items())), window)
        if (key == self._surface_key and self._surface is not None) or \
                surface_model.surface_seconds(loss, data.n, window.size) <= SYNC_SECONDS:
            self._want_surface = None
            return super().surface(data, loss, params, window)
        self._want_surface = (key, data, loss, dict(params), window)
        if not self.defer:
            self.request()
        rows = surface_model.coarse_rows(data.n, loss, window.size, window.size)
        return self._stand_in("surface", key[1:], data, rows, lambda: surface_model.coarse_line_surface(
            data.x, data.y, loss, window.w_grid, window.b_grid, **params))

    def best_line(self, data: RegressionData, loss: str, params: dict[str, float],
                  penalty: dict | None = None) -> tuple[float, float]:
        key = (id(data), loss, tuple(sorted(params.items())), penalty_key(penalty))
        if self.best_known(data, loss, params, penalty):
            self._want_best = None
            return super().best_line(data, loss, params, penalty)
        self._want_best = (key, data, loss, dict(params), penalty_kwargs(penalty))
        if not self.defer:
            self.request()
        rows = fitting_model.rough_rows(data.n, loss)
        return self._stand_in("best", key[1:], data, rows, lambda: fitting_model.rough_best_line(
            data.x, data.y, loss, **penalty_kwargs(penalty), **params))

    def best_known(self, data: RegressionData, loss: str, params: dict[str, float],
                   penalty: dict | None = None) -> bool:
        """The exact best line for these is known (or quick to work out)."""
        key = (id(data), loss, tuple(sorted(params.items())), penalty_key(penalty))
        kind = penalty_kwargs(penalty).get("penalty")
        return (key == self._best_key and self._best is not None) or \
            fitting_model.best_line_seconds(loss, data.n, kind) <= SYNC_SECONDS

    def path(self, data: RegressionData, loss: str, params: dict[str, float],
             penalty: dict) -> RegularisationPath | None:
        """The regularisation path, or None while the worker works it out."""
        key = path_key(data, loss, params, penalty)
        if (key == self._path_key and self._path is not None) or penalty.get("penalty") is None or \
                path_seconds(loss, data.n, penalty.get("penalty")) <= SYNC_SECONDS:
            self._want_path = None
            return super().path(data, loss, params, penalty)
        self._want_path = (key, data, loss, dict(params), dict(penalty))
        if not self.defer:
            self.request()
        return None

    def request(self) -> None:
        """Ask the worker for whatever exact value is waited for (unless it is already asked).

        The best line first, alone: the window (and so the surface wanted) may move with it,
        and one worker at a time leaves a core to the GUI."""
        want = self._want_best
        if want is not None:
            if self.bests.tag != want[0]:
                _key, data, loss, params, penalty = want
                self.bests.submit(want[0], partial(fitting_model.best_line, data.x, data.y, loss,
                                                   **penalty, **params))
            return
        want = self._want_surface
        if want is not None:
            if self.surfaces.tag != want[0]:
                _key, data, loss, params, window = want
                self.surfaces.submit(want[0], partial(surface_model.line_loss_surface, data.x, data.y, loss,
                                                      window.w_grid, window.b_grid, **params))
            return
        want = self._want_path  # last: the surface matters more than the path on it
        if want is not None and self.paths.tag != want[0]:
            _key, data, loss, params, penalty = want
            self.paths.submit(want[0], partial(regression_path, data, loss, params, penalty))

    def _stand_in(self, kind: str, key: tuple, data: RegressionData, rows: np.ndarray, make: Callable):
        """The stand-in of the last call again (the same object, so nothing is redrawn) while
        the rows it looks at hold the same points: dragging a point outside the sample."""
        memo = self._stand_ins.get(kind)
        xs, ys = data.x[rows], data.y[rows]
        if memo is None or memo[0] != key or not (np.array_equal(memo[1], xs) and np.array_equal(memo[2], ys)):
            memo = self._stand_ins[kind] = (key, xs, ys, make())
        return memo[3]

    def _surface_arrived(self, key: tuple, value: np.ndarray) -> None:
        want = self._want_surface
        if want is None or want[0] != key:
            return  # superseded while it was worked out
        self._surface_key, self._surface, self._surface_data = key, value, want[1]
        self._want_surface = None
        self.ready()

    def _best_arrived(self, key: tuple, value: tuple[float, float]) -> None:
        want = self._want_best
        if want is None or want[0] != key:
            return
        self._best_key, self._best, self._best_data = key, (float(value[0]), float(value[1])), want[1]
        self._want_best = None
        self.ready()

    def _path_arrived(self, key: tuple, value: RegularisationPath | None) -> None:
        want = self._want_path
        if want is None or want[0] != key:
            return
        self._path_key, self._path, self._path_data = key, value, want[1]
        self._want_path = None
        self.ready()

    def _failed(self, _key: tuple, text: str) -> None:
        self.errors.append(text)


def banner_style(look: theme.Look) -> str:
    """The error banner: the theme's error colour on the formula bar's panel."""
    return (f"QLabel {{ background: {look.panel}; color: {look.error}; border: 1px solid {look.error};"
            " padding: 4px; font-weight: bold; }")


#: the side column's width at normal text; it grows with the text up to SIDE_MAX
SIDE_WIDTH, SIDE_MAX = 290, 315
#: the settings whose change makes a descent run in progress meaningless
RUN_INPUTS = frozenset({"source", "loss", "optimizer", "penalty", "strength", "l1_ratio"})


class RegressionExplorer(RefreshWhenShown, DataTabActions, QWidget):
    status = Signal(str, str)  # message, level

    def __init__(self, store: SettingsStore | None = None, history: DataHistory | None = None,
                 marks: PointMarks | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.store: SettingsStore = store if store is not None else SettingsStore(RegressionSettings())
        self.history = history if history is not None else DataHistory(self.store, ("outlier", "outlier_base"), self)
        self.marks = marks if marks is not None else PointMarks()
        self.run: DescentRun | None = None  # the descent in progress (transient, never saved)
        self.cache = ExactLater(self._exact_arrived, self)
        self._jump_when_known = False  # "jump to best" was pressed while the best line was worked out
        self._rest = QTimer(self)  # a drag that holds still gets its exact surface
        self._rest.setSingleShot(True)
        self._rest.setInterval(REST_MS)
        self._rest.timeout.connect(self._ask_exact)
        self._other_cache = RegressionCache()  # for results_for(other settings)
        self.window: SurfaceWindow | None = None  # the surface window on screen
        self._shown: RegressionResults | None = None  # what the views draw now
        self.add_mode = False  # the window's "add points" mode: a click on empty space adds
        self._dragging_point = False  # the mouse holds a point of the data view
        self._fitted_for = None  # the data set the data view's range was last fitted to

        # ---------------------------------------------------------------- views
        self.data_view = DataFitView()
        self.hist_view = ResidualHistogramView()
        self.loss_view = PerExampleLossView()
        self.surface_view = LossSurfaceView()
        self.curve_view = LossCurveView()
        self.data_panel = ViewPanel("Data and fit", self.data_view.widget,
                                    "Drag a point to move it; double-click empty space to add one; "
                                    "right-click a point for more. The current line is ŷ = w·x + b; the "
                                    "dashed best line has the lowest cost for this loss. Each segment is a "
                                    "point's residual, coloured by its loss (bright = large).")
        self.surface_panel = ViewPanel("Loss surface: cost over (w, b)", self.surface_view.widget,
                                       "Dark is low cost. The star is the best line; drag the white "
                                       "handle to move the line; the orange path is gradient descent. "
                                       "With a penalty the pink curve is the regularisation path, the "
                                       "best line for every λ from 0 to 1000, ringed at the λ chosen.")
        self.hist_panel = ViewPanel("Error distribution", self.hist_view.widget,
                                    "How the residuals r = y − ŷ spread (target minus prediction), "
                                    "with their mean and median")
        self.loss_panel = ViewPanel("Loss of each point", self.loss_view.widget,
                                    "One bar per point; the dashed line is the cost, the mean of the bars. "
                                    "With a penalty, the green bar right of them is λ·P(w) standing on the "
                                    "mean, and its top, the dotted line, is the cost. "
                                    "Hover a bar to find its point.")
        self.curve_panel = ViewPanel("Loss curve", self.curve_view.widget,
                                     "The cost after each descent step")
        self.reduction = QComboBox()
        for key in ("mean", "sum", "none"):
            self.reduction.addItem(key, key)
        self.reduction.setToolTip("How the losses of the points become one number (the “reduction”): "
                                  "mean (the cost), sum, or none (keep one loss per point)")
        # small, and never cut to "mea": as wide as its longest item, whatever the text size
        self.reduction.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.reduction.setMinimumContentsLength(4)
        self.loss_panel.add_header_widget(self.reduction)
        self.parts_box = QCheckBox("show data cost and penalty")
        self.parts_box.setToolTip("Draw the data cost (the mean loss alone) with the penalty's level lines over "
                                  "it, instead of their sum. For a line the penalty depends on the slope w "
                                  "alone, so its level lines are upright: w = ±const. The penalised optimum "
                                  "sits where a data contour just touches one of them.")
        self.parts_box.setVisible(False)  # only with a penalty

        self.formula = FormulaLabel()  # draws its rich text itself: no re-layout of the window per frame
        self.formula.setToolTip(cost_formula_tooltip("mse"))
        theme.styled(self.formula, theme.formula_style)
        self.formula.reserve(cost_formula_room_html())  # a loss with a parameter never resizes the plots
        self.banner = QLabel("")
        self.banner.setWordWrap(True)
        theme.styled(self.banner, banner_style)
        self.banner.setToolTip("What went wrong last; it goes away with the next descent step")
        self.banner.setVisible(False)

        # ---------------------------------------------------------------- left column
        self.controls = ControlPanel(self.store, self)
        self.descent = self.controls.descent
        self.penalty = PenaltyControls(self.store)
        self.penalty.layout().addRow(self.parts_box)  # what the surface shows of the penalty, by its controls
        panel_layout = self.controls.layout()
        panel_layout.insertWidget(panel_layout.indexOf(self.controls.descent) - 1, self.penalty)  # under Loss
        self.outlier_controls = OutlierControls(self.store, self.history, self.marks)
        self.controls.outlier_form.addRow(self.outlier_controls)
        self.editor = DatasetEditor(self.store, self.history, self.marks)
        self.side = QTabWidget()
        self.side.addTab(self.controls, "Controls")
        self.side.addTab(self.editor, "Data table")
        self.side.setMinimumWidth(SIDE_WIDTH)
        self.side.setMaximumWidth(SIDE_MAX + 40)

        lay_out_tab(self, self.side, [self.data_panel, self.surface_panel],
                    [self.hist_panel, self.loss_panel, self.curve_panel],
                    header=[self.formula, self.banner], top_sizes=[520, 420])

        self._connect()
        self.show_settings()
        self.refresh(EVERYTHING, refit=True)
        theme.follow(self.restyle)

    def restyle(self, look: theme.Look) -> None:
        """A new theme or text size: the formula drawn again in its sizes and colours, and
        the side column as wide as the larger text needs (within its limits)."""
        if self._shown is not None:
            r = self._shown
            show_text(self.formula, self._formula_html(r))
        self.formula.reserve(cost_formula_room_html())
        # the side a little wider for larger text; its column adds the scroll bar and widens
        self.side.setMinimumWidth(int(min(SIDE_MAX, SIDE_WIDTH * max(1.0, look.font_scale) ** 0.5)))

    # ==================================================================== wiring
    def _connect(self) -> None:
        c = self.controls
        self.store.changed.connect(self._store_changed)
        self.marks.changed.connect(self._marks_changed)
        self.history.undo_stack.indexChanged.connect(self._history_moved)
        self.connect_data_actions()
        self.outlier_controls.message.connect(self.show_message)
        self.penalty.status.connect(self.show_message)
        self.parts_box.toggled.connect(lambda on: write(self.show_message, lambda: self.store.update(show_parts=on),
                                                        self.show_settings))
        self.editor.model.rejected.connect(lambda text: self.status.emit(text, "warning"))
        c.loss.currentIndexChanged.connect(lambda i: self.set_loss(c.loss.itemData(i)))
        c.delta.valueChanged.connect(lambda v: self._set_param("huber", "delta", v))
        c.tau.valueChanged.connect(lambda v: self._set_param("quantile", "tau", v))
        c.w.valueChanged.connect(lambda v: self._set_line(w=v))
        c.b.valueChanged.connect(lambda v: self._set_line(b=v))
        c.jump_best.clicked.connect(self.jump_to_best)
        self.descent.started.connect(lambda: self.banner.setVisible(False))
        self.descent.message.connect(self.show_message)
        self.reduction.currentIndexChanged.connect(
            lambda i: self._write(lambda: self.store.update(reduction=self.reduction.itemData(i))))

        pts = self.data_view.points
        pts.dragStarted.connect(self._drag_started)
        pts.dragMoved.connect(self._drag_moved)
        pts.dragFinished.connect(self._drag_finished)
        pts.clicked.connect(self.marks.select)
        pts.contextRequested.connect(self._point_menu)
        scene = self.data_view.widget.scene()
        scene.sigMouseMoved.connect(self._data_hover)
        scene.sigMouseClicked.connect(self._data_clicked)
        self.loss_view.widget.scene().sigMouseMoved.connect(self._bar_hover)
        self.surface_view.handleMoved.connect(lambda w, b: self._set_line(w=w, b=b))

    def preset_controls(self):
        return self.controls.preset, self.controls.noise

    def show_settings(self, value: RegressionSettings | None = None) -> None:
        """The controls show the settings (signals blocked; unchanged widgets untouched)."""
        v = self.store.value if value is None else value
        c = self.controls
        show_choice(c.loss, v.loss)
        c.show_param_controls(v.loss)
        show_number(c.delta, v.loss_params["huber"]["delta"])
        show_number(c.tau, v.loss_params["quantile"]["tau"])
        show_number(c.w, v.w)
        show_number(c.b, v.b)
        show_choice(self.reduction, v.reduction)
        self.penalty.refresh(v)
        show_checked(self.parts_box, v.show_parts)
        self.show_origin()

    sync_controls = show_settings

    def _store_changed(self, new: RegressionSettings, old: RegressionSettings) -> None:
        changed = changed_fields(old, new)
        if self.run is not None and (changed & RUN_INPUTS or new.params != old.params
                                     or (new.w, new.b) != tuple(float(t) for t in self.run.theta)):
            self.run = None
        self.marks.forget_beyond(new.data.n)
        self.show_settings(new)
        self.settings_changed(frozenset(changed))

    def _marks_changed(self) -> None:
        if self.active:
            self._show_marks()
        else:
            self._pending = self._pending | {"marks"}

    def _history_moved(self, _index: int) -> None:
        # A finished gesture lets the surface window move to the best line again.
        shown = self._shown
        if shown is not None and not self.history.live and not shown.window.contains(*shown.best):
            self.settings_changed(frozenset({"window"}))
        self._fit_after_gesture()

    def _fit_after_gesture(self) -> None:
        """A gesture (a point dragged, a slider let go) is over: the data view fits its points.

        After a drag by the mouse the view only moves when it must (a point out of sight or
        under the legend), so a small nudge does not shift everything under the hand.
        """
        shown = self._shown
        if shown is None or not self.active or self.history.live or shown.data is self._fitted_for:
            return
        view = self.data_view
        if not self._dragging_point or not view.in_view() or view.covered_points():
            view.fit_range()
            view.show(shown.snapshot)  # the lines across the new range
            view.show_best(*shown.best)
        self._fitted_for = shown.data

    # ==================================================================== actions
    def _write(self, change) -> bool:
        return write(self.show_message, change, self.show_settings)

    def set_loss(self, name: str) -> None:
        self._write(lambda: self.store.update(loss=name))

    def _set_param(self, loss: str, key: str, value: float) -> None:
        self._write(lambda: self.store.set(self.store.value.with_loss_param(loss, key, value)))

    def _set_line(self, **wb: float) -> None:
        self._write(lambda: self.store.update(**{k: float(v) for k, v in wb.items()}))

    def jump_to_best(self) -> None:
        """Put the line at the lowest cost (computed from the current settings, shown or not)."""
        self.descent.set_playing(False)
        v = self.store.value
        pen = penalty_of(v)
        if not self.cache.best_known(v.data, v.loss, v.params, pen):
            self._jump_when_known = True  # it is being worked out: jump when it arrives
            self.cache.best_line(v.data, v.loss, v.params, pen)
            self._ask_exact()
            return
        self._jump_when_known = False
        w, b = self.cache.best_line(v.data, v.loss, v.params, pen)
        self._set_line(w=w, b=b)

    def _exact_arrived(self) -> None:
        """An exact surface or best line came from the worker: show it (and jump, if asked)."""
        self.settings_changed(frozenset({"exact"}))
        if self._jump_when_known:
            v = self.store.value
            if self.cache.best_known(v.data, v.loss, v.params, penalty_of(v)):
                self.jump_to_best()

    def _ask_exact(self) -> None:
        self.cache.request()
        self._show_waiting()

    def _show_waiting(self) -> None:
        """The surface panel says whether the surface shown is the exact one."""
        if not self.cache.waiting:
            text = ""
        elif self.cache.waiting_path:
            text = PATH_WAITING_TEXT
        elif self.history.live and not self.cache.working:
            text = COARSE_TEXT
        else:
            text = WAITING_TEXT
        show_text(self.surface_panel.readout, text)

    def choose_outlier(self, row: int | None) -> None:
        self.outlier_controls.choose_outlier(row)

    def add_outlier(self) -> int | None:
        return self.outlier_controls.add_outlier()

    def _drag_started(self, row: int) -> None:
        self._dragging_point = True
        self.history.begin_live()
        self.marks.select(row)

    def _drag_moved(self, row: int, x: float, y: float) -> None:
        def move() -> None:
            v = self.store.value
            self.history.preview(v.with_source(v.source.edited(v.data.with_row(row, {"x": x, "y": y}))))

        self._write(move)

    def _drag_finished(self, _row: int) -> None:
        # The view held still under the hand; now that it is let go, every point comes back
        # into sight and out from under the legend (``_fit_after_gesture``).
        self.history.end_live("Move point")
        self._history_moved(0)
        self._dragging_point = False
        self.cache.defer = False
        self._ask_exact()

    def _data_hover(self, scene_pos: QPointF) -> None:
        self.marks.set_hover(self.data_view.nearest_point(scene_pos))

    def _bar_hover(self, scene_pos: QPointF) -> None:
        self.marks.set_hover(self.loss_view.bar_at(scene_pos))

    def add_point(self, x: float, y: float) -> int | None:
        """Add a point (one undo step), select it and return its row."""
        if self._write(lambda: self.history.set_data(self.store.value.data.with_added({"x": x, "y": y}),
                                                     "Add point")):
            row = self.store.value.data.n - 1
            self.marks.select(row)
            return row
        return None

    def _data_clicked(self, ev) -> None:
        if ev.button() != Qt.MouseButton.LeftButton:
            return
        if self.data_view.nearest_point(ev.scenePos()) is not None:
            return
        if ev.double() or self.add_mode:
            p = self.data_view.plot.getViewBox().mapSceneToView(ev.scenePos())
            self.add_point(float(p.x()), float(p.y()))
            ev.accept()
        else:
            self.marks.select(None)

    def _point_menu(self, row: int, screen_pos: QPointF) -> None:
        self.marks.select(row)
        menu = QMenu(self)
        remove = menu.addAction("Remove point")
        outlier = menu.addAction("Make this the outlier")
        chosen = menu.exec(screen_pos.toPoint())
        menu.deleteLater()  # one menu per right-click: never let them pile up under the tab
        if chosen is remove:
            self.remove_selected()
        elif chosen is outlier:
            self.choose_outlier(row)

    def show_message(self, text: str, level: str = "info") -> None:
        self.status.emit(text, level)
        if level == "error":
            show_text(self.banner, f"⚠ {text}")
            self.banner.setVisible(True)

    # ==================================================================== descent (the panel's driver)
    def run_problem(self) -> str | None:
        return None  # every regression loss can score any x,y points

    def advance(self, k: int) -> str:
        """Take k descent steps from the current line, write (w, b) back, return the run's status."""
        run = self.run
        if run is None or run.status not in ("running", "diverged"):
            run = start_run(self.store.value)
        self.run = run
        was = run.status
        status = advance_run(run, k, LINE_LIMIT)
        self._write_back(run)
        news = run_news(run, self.store.value.optimizer.lr, "line")
        if news is not None and (status != was or status == "diverged"):  # a diverged run says so again
            self.show_message(*news)
        return status

    def _write_back(self, run: DescentRun) -> None:
        """Put the line where the run is (recomputing once)."""
        w, b = (float(t) for t in run.thetas[-1])
        if not self.store.update(w=w, b=b):  # the line stayed, but the path and the curve still moved on
            self.settings_changed(frozenset({"run"}))

    def reset_run(self) -> None:
        """Forget the run and put the line back at the start, ŷ = 0·x + 0."""
        self.run = None
        moved = []
        if self._write(lambda: moved.append(self.store.update(w=0.0, b=0.0))) and not moved[0]:
            self.settings_changed(frozenset({"run"}))  # the line was there already: clear the path

    def run_steps(self, k: int) -> str:
        """Run k steps at once (the command line's --steps)."""
        return self.advance(k)

    def set_active(self, active: bool) -> None:
        if not active:
            self.descent.set_playing(False)  # a tab out of sight runs nothing
        super().set_active(active)

    # ==================================================================== results → views
    def results(self) -> RegressionResults:
        """The current results, from the current settings (correct whether shown or not)."""
        return self._results(defer=self.history.live)  # a gesture: the exact surface waits for it to rest

    def _results(self, defer: bool) -> RegressionResults:
        self.cache.defer = defer
        return compute_regression(self.store.value, self.run, self.cache, self.window, hold_window=self.history.live,
                                  parts=self.store.value.show_parts)

    def results_for(self, settings: RegressionSettings) -> RegressionResults:
        """The results another settings value would give (e.g. the same line under another
        loss, for a lesson); the current value gives ``results()``."""
        if settings is self.store.value:
            return self.results()
        # a cache of its own, so the views' cached surface is not pushed out
        return compute_regression(settings, None, self._other_cache, self.window)

    def refit_views(self) -> None:
        self.window = None
        self.refresh(EVERYTHING, refit=True)

    def refresh(self, changed: frozenset = EVERYTHING, refit: bool = False) -> None:
        if not self.active:  # computed when next shown
            self._pending = self._pending | changed | ({"refit"} if refit else set())
            return
        # The worker is asked only once this frame is drawn (it would compete with it for the
        # CPU and the GIL), and during a gesture only when the gesture holds still.
        results = self._results(defer=True)
        self.window = results.window
        self.show_results(results, refit=refit or "refit" in changed)
        if self.cache.waiting and not self.cache.working:
            self._rest.start(REST_MS if self.history.live else SOON_MS)  # (again)
        self._show_waiting()

    def show_results(self, r: RegressionResults, refit: bool = False) -> None:
        """Draw one results value: views, readouts, formula and the run's text."""
        last = None if refit else self._shown
        if last is None or r.data is not last.data:
            # New points are fitted into view (an added outlier, an edit, an undo), except
            # while the mouse drags one (it stays under the hand); a slider held down only
            # widens the view so the point it moves stays in sight.
            if refit or last is None:
                fit: bool | str = True
            elif self._dragging_point and self.history.live:
                fit = False
            elif self.history.live:
                fit = "grow"
            else:
                fit = True
            self.data_view.set_points(r.data.x, r.data.y, fit_view=fit)
            if fit is True:
                self._fitted_for = r.data
        if last is None or r.drawn_surface is not last.drawn_surface or r.window != last.window:
            self.surface_view.show_surface(r.window, r.drawn_surface, r.lines)
            self.controls.w.set_range(*r.window.w_range)
            self.controls.b.set_range(*r.window.b_range)
        if last is None or r.best != last.best or r.data is not last.data:
            self.surface_view.show_optimum(*r.best)
            self.data_view.show_best(*r.best)
        snap = r.snapshot
        self.data_view.show(snap)
        self.hist_view.show(snap)
        self.loss_view.show(snap)
        self.surface_view.show_current(snap.w, snap.b)
        self.surface_view.show_path(r.path)
        self._show_penalty(r, last)
        self.curve_view.show(r.costs, r.best_cost)
        show_text(self.formula, self._formula_html(r))
        if last is None or (r.loss, r.reduction, r.penalty) != (last.loss, last.reduction, last.penalty):
            self.formula.setToolTip(cost_formula_tooltip(r.loss, r.reduction, r.penalty))
        self._shown = r
        self._show_readouts(r)
        self.descent.show_run_text(r.run_message)
        self._show_marks()

    @staticmethod
    def _formula_html(r: RegressionResults) -> str:
        return cost_formula_html(r.loss, r.params, r.snapshot, r.reduction, r.penalty, r.strength, r.l1_ratio,
                                 r.penalty_value)

    def _show_penalty(self, r: RegressionResults, last: RegressionResults | None) -> None:
        """The penalty's bar, its level lines and the regularisation path (all hidden without one)."""
        self.loss_view.show_penalty(r.penalty_bar)
        self.surface_view.show_penalty_lines(*r.penalty_lines)
        path = r.reg_path
        if path is None:
            self.surface_view.show_reg_path(np.zeros(0), np.zeros(0), None)
        else:
            self.surface_view.show_reg_path(path.w, path.b, r.best)
        if last is None or (r.penalty is None) != (last.penalty is None):
            self.parts_box.setVisible(r.penalty is not None)

    def _show_readouts(self, r: RegressionResults) -> None:
        if r.reduction == "mean" and r.penalty is not None:
            text = f"mean = {r.data_cost:.4g}   penalty = {r.penalty_value:.4g}   cost = {r.cost:.4g}"
        elif r.reduction == "mean":
            text = f"cost = {r.cost:.4g}"
        elif r.reduction == "sum":
            text = f"sum = {r.total:.4g}"
        else:
            text = f"{r.n} separate losses"
        show_text(self.loss_panel.readout, text)
        show_text(self.data_panel.readout, f"n = {r.n}   cost = {r.cost:.4g}")
        show_text(self.hist_panel.readout,
                  f"mean = {r.snapshot.mean_residual:.3g}   median = {r.snapshot.median_residual:.3g}")
        run_text = "" if r.run_steps is None else f"step {r.run_steps}   cost = {r.costs[-1]:.4g}"
        show_text(self.curve_panel.readout, run_text)

    def _show_marks(self) -> None:
        m = self.marks
        outlier = self._shown.outlier if self._shown is not None else None
        self.data_view.show_marks(m.hover, m.selected, outlier)
        self.loss_view.show_highlight(m.hover if m.hover is not None else m.selected)

