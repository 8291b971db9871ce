"""Start the Qt application for the command line's options."""

from __future__ import annotations

import gc
from dataclasses import replace
import os
import sys

from lossdesk.cli import LaunchOptions


def _needs_offscreen(options: LaunchOptions) -> bool:
    has_display = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    headless_job = options.screenshot is not None or options.export_gif is not None
    return headless_job and not has_display and sys.platform.startswith("linux")


def build_window(options: LaunchOptions):
    """The main window with the command line's settings applied (a QApplication must exist)."""
    from lossdesk.qt.main_window import MainWindow  # noqa: PLC0415

    window = MainWindow()
    window.resize(*options.size)
    if options.tab == "classification":
        tab = window.classification
        tab.set_loss(options.loss)
    else:
        tab = window.explorer
    state = tab.state
    if options.preset is not None:
        if options.preset != state.preset:
            tab.load_preset(options.preset)
    else:
        tab.load_data(options.dataset, "Open data set")  # type: ignore[arg-type]
    state.undo_stack.clear()
    for key, value in options.params.items():
        state.loss_params[options.loss][key] = value
    tab.set_loss(options.loss)
    tab.descent.set_optimizer(options.optimizer)
    if options.lr is not None:
        tab.descent.set_lr(options.lr)
    tab.sync_controls()
    tab.refresh(frozenset({"loss", "line", "run"}))
    window.set_tab(options.tab)
    if options.tab == "compare":
        window.compare.set_arrow_loss(options.loss)
    if options.tab == "descent":
        lab = window.descent_lab
        if options.optimizers:
            lab.set_shown(options.optimizers)
        if options.lr is not None:
            lab.set_learning_rate(options.lr, lab.shown)
        if options.steps and lab.race is not None:
            lab.race.step(options.steps)
            lab.refresh_runs()
    elif options.steps:
        state.step(options.steps)
    if options.session is not None:
        window.open_session_path(options.session)
    if options.lesson is not None:
        window.lessons.show_step(options.lesson)
    return window


def install_error_hook(window) -> None:
    """Report an unexpected error in the status bar instead of losing it in a terminal."""
    import traceback  # noqa: PLC0415

    def hook(exc_type, exc, tb):
        traceback.print_exception(exc_type, exc, tb, file=sys.stderr)
        try:
            window.show_status(f"Something went wrong ({exc_type.__name__}: {exc}). "
                               "Your data is unchanged; you can keep working.", "error")
        except RuntimeError:  # the window is already gone
            pass

    sys.excepthook = hook


def run(options: LaunchOptions) -> int:
    if _needs_offscreen(options):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415

    from lossdesk.qt.style import configure_pyqtgraph  # noqa: PLC0415

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("lossdesk")
    app.setOrganizationName("lossdesk")
    configure_pyqtgraph()
    try:
        # --export-gif runs its --steps itself, frame by frame.
        window = build_window(replace(options, steps=0) if options.export_gif is not None else options)
    except Exception as exc:  # noqa: BLE001 — one clear line, never a traceback
        print(f"lossdesk: error: could not build the window: {exc}", file=sys.stderr)
        return 1
    install_error_hook(window)
    if options.export_gif is not None:
        from lossdesk.qt.export.files import ExportError, export_descent_gif  # noqa: PLC0415

        window.confirm_close = False
        window.set_tab("regression")
        window.show()
        for _ in range(3):
            app.processEvents()
        try:
            export_descent_gif(window.explorer, options.export_gif, options.steps)
        except ExportError as exc:
            print(f"lossdesk: error: {exc}", file=sys.stderr)
            return 2
        window.close()
        return 0
    if options.screenshot is not None:
        window.confirm_close = False
        window.show()
        for _ in range(3):
            app.processEvents()
        if not window.grab().save(str(options.screenshot)):
            print(f"lossdesk: error: could not write {options.screenshot}", file=sys.stderr)
            return 2
        window.close()
        return 0
    window.show()
    window.offer_recovery()
    gc.collect()
    gc.freeze()  # long-lived start-up objects leave the collector's work list (fewer pauses)
    return app.exec()
