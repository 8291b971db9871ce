"""Start the Qt application for the command line's options."""

from __future__ import annotations

import gc
from dataclasses import replace
import os
import sys

from lossdesk.settings.launch import LaunchOptions


def _needs_offscreen(options: LaunchOptions) -> bool:
    has_display = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    headless_job = options.screenshot is not None or options.export_gif is not None
    return headless_job and not has_display and sys.platform.startswith("linux")


def build_window(options: LaunchOptions):
    """The main window showing the start's settings (a QApplication must exist).

    The settings arrive whole and validated from the command line (or a session it
    named); the window shows them in one call and then runs the requested steps.
    """
    from lossdesk.qt.main_window import MainWindow  # noqa: PLC0415

    window = MainWindow(options.settings)
    if options.dark is not None:
        window.set_dark(options.dark, remember=False)
    if options.font_scale is not None:
        window.set_font_scale(options.font_scale, remember=False)
    if options.size is not None:
        window.resize(*options.size)
    else:
        window.fit_screen()
    if options.session is not None:
        window.session_path = options.session
        window.remember_recent(options.session)
    window.run_steps(options.steps, _report_progress)
    if _report_progress.shown:
        print(file=sys.stderr)  # end the progress line
    window.mark_saved()  # a fresh start holds no unsaved work
    return window


def _report_progress(done: int, total: int) -> None:
    """One line on stderr, rewritten in place, so a long --steps run shows it is alive."""
    _report_progress.shown = True
    print(f"\rlossdesk: running descent step {done} of {total}…", end="", file=sys.stderr, flush=True)


_report_progress.shown = False


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
    from lossdesk.qt.messages import install_message_filter  # noqa: PLC0415

    install_message_filter()  # drop Qt's offscreen "propagateSizeHints()" line, pass on the rest
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415

    from lossdesk.qt.theme import configure_pyqtgraph  # noqa: PLC0415

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("lossdesk")
    app.setOrganizationName("lossdesk")
    app.setDesktopFileName("lossdesk")  # Wayland and the task bar match the window to lossdesk.desktop
    configure_pyqtgraph()
    try:
        # --export-gif runs its --steps itself, frame by frame.
        window = build_window(replace(options, steps=0) if options.export_gif is not None else options)
    except Exception as exc:  # noqa: BLE001 — one clear line, never a traceback
        print(f"lossdesk: error: could not build the window: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    install_error_hook(window)
    if options.export_gif is not None:
        from lossdesk.qt.export import ExportError, export_descent_gif  # noqa: PLC0415

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
        for tab in window.built_tabs:
            if hasattr(tab, "settle"):  # background work (the network's landscape) into the picture
                tab.settle()
        app.processEvents()
        from lossdesk.qt.export.pictures import with_gl_windows  # noqa: PLC0415

        if not with_gl_windows(window, window.grab().toImage()).save(str(options.screenshot)):
            print(f"lossdesk: error: could not write {options.screenshot}", file=sys.stderr)
            return 2
        window.close()
        return 0
    window.show()
    window.offer_recovery()
    gc.collect()
    gc.freeze()  # long-lived start-up objects leave the collector's work list (fewer pauses)
    return app.exec()
