"""lossdesk: see what a loss function does to a model, point by point."""

__version__ = "0.1.0"
