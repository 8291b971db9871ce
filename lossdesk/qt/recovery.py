"""Nothing lost: autosave unsaved work now and then, and offer it back after a crash.

Each running lossdesk writes its own recovery file, named by its process id, in the
application's data folder; a clean exit removes it. At start-up only files whose process
is gone are offered, so a second window never takes the first one's live autosave. A
file that cannot be used is renamed aside (kept for the user) and never offered again.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, QTimer

from lossdesk.session import Session, SessionError

AUTOSAVE_MS = 20_000
PREFIX = "recovery-"
SUFFIX = ".lossdesk"
DAMAGED = ".unusable"


def recovery_folder() -> Path:
    """The application's data folder, asked of Qt at the moment of asking.

    It follows ``XDG_DATA_HOME`` (and ``HOME``) and QStandardPaths' test mode, so a test
    run's temporary home holds its recovery files. Where Qt knows no such folder (no home
    at all), a per-user folder in the temporary directory, never the current directory.
    """
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    if found:
        return Path(found)
    user = os.getuid() if hasattr(os, "getuid") else os.getpid()
    return Path(tempfile.gettempdir()) / f"lossdesk-{user}"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # it exists but belongs to someone else
    return True


class RecoveryFile:
    """This process's recovery file, and the ones crashed runs left behind."""

    def __init__(self, folder: Path | None = None, pid: int | None = None):
        self.folder = folder or recovery_folder()
        self.pid = os.getpid() if pid is None else pid

    @property
    def path(self) -> Path:
        return self.folder / f"{PREFIX}{self.pid}{SUFFIX}"

    def save(self, session: Session) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        session.save(self.path)

    def discard(self, path: Path | None = None) -> None:
        (path or self.path).unlink(missing_ok=True)

    def orphans(self) -> list[Path]:
        """Recovery files whose process has ended, newest first.

        A file another lossdesk removes while this one looks (it restored or discarded
        it) is simply not in the list.
        """
        found = []
        for path in self.folder.glob(f"{PREFIX}*{SUFFIX}"):
            number = path.name[len(PREFIX):-len(SUFFIX)]
            if number.isdigit() and _alive(int(number)):
                continue
            try:
                found.append((path.stat().st_mtime, path))
            except OSError:  # gone meanwhile
                continue
        return [path for _, path in sorted(found, key=lambda item: item[0], reverse=True)]

    def pending(self) -> tuple[Path, Session | None, str | None] | None:
        """The newest orphaned recovery file: (path, session, None), or (path, None, why it is unusable)."""
        for path in self.orphans():
            try:
                return path, Session.load(path), None
            except SessionError as exc:
                if not path.exists():  # another lossdesk took it meanwhile
                    continue
                return path, None, str(exc)
        return None

    def set_aside(self, path: Path) -> Path | None:
        """Rename an unusable recovery file so it is kept but never offered again.

        Returns the new name, or None if it could not be renamed and was removed instead
        (an unusable file must not be offered at every start).
        """
        target = path.with_name(f"{path.stem}-{time.strftime('%Y%m%d-%H%M%S')}{DAMAGED}")
        try:
            path.replace(target)
        except OSError:
            path.unlink(missing_ok=True)
            return None
        return target


class Autosaver(QObject):
    """Every few seconds, if there is unsaved work, write it to this process's recovery file."""

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
        try:
            self.window.recovery.save(self.window.capture_session())
        except OSError as exc:
            self.window.show_status(f"Could not autosave ({exc.strerror or exc}); save your work by hand.",
                                    "warning")
            return False
        return True

