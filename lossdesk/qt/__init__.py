"""The Qt side of lossdesk: the only package that imports PySide6 and pyqtgraph."""

import PySide6  # noqa: F401  (imported before pyqtgraph so it picks this binding)
import os

# superqt reaches Qt through qtpy: point it at the same binding.
os.environ.setdefault("QT_API", "pyside6")
