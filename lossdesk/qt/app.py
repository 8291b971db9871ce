"""Start the Qt application for the command line's options."""

from __future__ import annotations

import os
import sys

from ..cli import LaunchOptions


def run(options: LaunchOptions) -> int:
    if options.screenshot is not None and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication.instance() or QApplication(sys.argv[:1])
    label = QLabel(f"lossdesk — {options.dataset.name}, {options.loss}")
    label.resize(*options.size)
    if options.screenshot is not None:
        label.grab().save(str(options.screenshot))
        return 0
    label.show()
    return app.exec()
