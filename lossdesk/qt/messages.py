"""Qt's own messages: drop the one harmless line headless runs print, pass on every other.

Qt's offscreen (and minimal) platform answers every window's size-hint update with
``This plugin does not support propagateSizeHints()``: it says nothing about lossdesk and
would be the only line a ``--screenshot`` run prints. Every other message goes on
unchanged, to the handler that was installed before (pytest-qt's, say) or, if there was
none, formatted as Qt's default handler formats it (``QT_MESSAGE_PATTERN`` included) on
stderr.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QtMsgType, qFormatLogMessage, qInstallMessageHandler

#: the exact text of each message that is dropped
DROPPED = frozenset({"This plugin does not support propagateSizeHints()"})

_previous = None


def _handler(kind: QtMsgType, context, message: str) -> None:
    if message in DROPPED and kind == QtMsgType.QtWarningMsg:
        return
    if _previous is not None:
        _previous(kind, context, message)
        return
    try:
        sys.stderr.write(qFormatLogMessage(kind, context, message) + "\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):  # no stderr (closed, or a windowed start)
        pass


def install_message_filter() -> None:
    """Install the filter (again): a second call keeps the handler it passes messages on to."""
    global _previous  # Qt has one message handler per process
    before = qInstallMessageHandler(_handler)
    if before is not _handler:
        _previous = before
