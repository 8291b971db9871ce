"""The Qt side of lossdesk: the only package that imports PySide6 and pyqtgraph."""

import PySide6  # noqa: F401  (imported before pyqtgraph so it picks this binding)
