"""pyqtgraph views: each owns its items and only sets data on them."""
