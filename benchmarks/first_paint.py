"""Start-up driver: build lossdesk's main window as the app does, show it, and report its first paint.

Run by ``frame_speed.py`` as a subprocess (``python benchmarks/first_paint.py [--app-root DIR]``);
the parent times from starting the process to reading the line this script prints, so the
figure includes the interpreter's start, every import, building all tabs and the first paint.

The driver does what ``lossdesk.qt.app.run`` does before the event loop (a QApplication,
``configure_pyqtgraph``, ``build_window(parse_options([]))``, ``show``), with one addition of
its own: an event filter on the application that notes the first ``Paint`` event of the
window or any widget inside it. When that paint pass has finished (a zero-time timer after
it) it prints ``painted <seconds since this script started>`` and quits. The app is not
changed in any way.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import os  # noqa: E402
import sys  # noqa: E402


def main() -> int:
    argv = sys.argv[1:]
    if "--app-root" in argv:
        sys.path.insert(0, os.path.abspath(argv[argv.index("--app-root") + 1]))
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    app.setApplicationName("lossdesk")
    app.setOrganizationName("lossdesk")
    from lossdesk.cli import parse_options
    from lossdesk.qt.app import build_window
    from lossdesk.qt.theme import configure_pyqtgraph

    configure_pyqtgraph()
    window = build_window(parse_options([]))
    window.confirm_close = False
    built = time.perf_counter() - STARTED
    state = {"painted": None}

    def report() -> None:
        print(f"painted {time.perf_counter() - STARTED:.4f} built {built:.4f} "
              f"lossdesk {sys.modules['lossdesk'].__file__}", flush=True)
        window.close()
        app.quit()

    class FirstPaint(QObject):
        def eventFilter(self, obj, ev):  # noqa: N802 (Qt naming)
            if state["painted"] is None and ev.type() == QEvent.Type.Paint:
                w = obj if obj.isWidgetType() else None
                if w is not None and (w is window or window.isAncestorOf(w)):
                    state["painted"] = time.perf_counter()
                    QTimer.singleShot(0, report)  # after the rest of this paint pass
            return False

    spy = FirstPaint()
    app.installEventFilter(spy)
    window.show()
    QTimer.singleShot(60_000, app.quit)  # never hang the benchmark
    app.exec()
    return 0 if state["painted"] is not None else 1


if __name__ == "__main__":
    sys.exit(main())
