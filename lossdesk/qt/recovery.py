"""Nothing lost: autosave unsaved work now and then, and offer it back after a crash.

The recovery file lives in the application's data folder; a clean exit removes it, so
one found at start-up means the last run ended without closing properly.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, QTimer

from lossdesk.session import Session, SessionError

AUTOSAVE_MS = 20_000
RECOVERY_NAME = "recovery.lossdesk"


def recovery_path() -> Path:
    folder = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))
    return folder / RECOVERY_NAME


def pending_recovery() -> Session | None:
    """The autosaved session a crashed run left behind, if there is a usable one."""
    path = recovery_path()
    if not path.exists():
        return None
    try:
        return Session.load(path)
    except SessionError:
        path.unlink(missing_ok=True)  # unusable: nothing to offer
        return None


def discard_recovery() -> None:
    recovery_path().unlink(missing_ok=True)


class Autosaver(QObject):
    """Every few seconds, if there are unsaved edits, write them to the recovery file."""

    def __init__(self, window, interval_ms: int = AUTOSAVE_MS):
        super().__init__(window)
        self.window = window
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.save_now)
        self.timer.start()

    def save_now(self) -> bool:
        """Write the recovery file when something is unsaved; True if written."""
        if not self.window.has_unsaved_changes():
            return False
        path = recovery_path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.window.capture_session().save(path)
        except OSError as exc:
            self.window.show_status(f"Could not autosave ({exc.strerror or exc}); save your work by hand.",
                                    "warning")
            return False
        return True
