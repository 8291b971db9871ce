"""Save what is on screen: one view or the whole window as PNG or SVG, the descent as a GIF.

``files`` writes a file safely (ExportError says why it could not), ``pictures`` draws a
view (with its panel's title and readout above it) or the window as PNG, at 1× or 2× size,
or SVG, in the theme in force; ``gif`` records the regression explorer's descent, and
``menus`` holds the File menu's dialogs and the right-click menu on each view's title.
"""

from lossdesk.qt.export.files import ExportError
from lossdesk.qt.export.gif import export_descent_gif
from lossdesk.qt.export.menus import (
    add_export_menu,
    add_export_menus,
    export_descent_gif_dialog,
    export_view_dialog,
    export_window_dialog,
    save_descent_gif_to,
    save_view_to,
    save_window_to,
    visible_panels,
)
from lossdesk.qt.export.pictures import export_view, export_window

__all__ = [
    "ExportError",
    "add_export_menu",
    "add_export_menus",
    "export_descent_gif",
    "export_descent_gif_dialog",
    "export_view",
    "export_view_dialog",
    "export_window",
    "export_window_dialog",
    "save_descent_gif_to",
    "save_view_to",
    "save_window_to",
    "visible_panels",
]
