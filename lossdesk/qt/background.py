"""Work that cannot fit a frame runs off the GUI thread, and only the newest request counts.

``NewestWins`` runs one function at a time on a ``QThreadPool`` of one thread. Each
``submit(tag, fn)`` supersedes every earlier request: one still queued is taken off the
queue (never started), and the result of one already running is dropped when it arrives.
The newest result is delivered on the GUI thread by the ``finished(tag, value)`` signal
(``failed(tag, message)`` if ``fn`` raised). ``fn`` must be a pure function of values it
was given: it runs on another thread while the GUI goes on.
"""

from __future__ import annotations

import traceback
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

__all__ = ["NewestWins"]


class _Relay(QObject):
    """Lives on the GUI thread; a signal emitted from the worker is queued to it."""

    done = Signal(int, object, object)  # ticket, value, error text (None when it worked)


class _Job(QRunnable):
    def __init__(self, ticket: int, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.ticket, self.fn, self.relay = ticket, fn, relay
        self.setAutoDelete(False)  # the owner keeps it until its result is back

    def run(self) -> None:
        try:
            value, error = self.fn(), None
        except Exception:  # delivered as ``failed``: a worker must never take the app down
            value, error = None, traceback.format_exc(limit=4)
        try:
            self.relay.done.emit(self.ticket, value, error)
        except Exception:  # the receiver is gone (the window closed while this ran): nobody waits
            pass


class NewestWins(QObject):
    """Runs submitted functions on a worker thread; only the newest one's result is delivered."""

    finished = Signal(object, object)  # tag, value
    failed = Signal(object, str)  # tag, traceback text

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._relay = _Relay(self)
        self._relay.done.connect(self._arrived)
        self._ticket = 0
        self._tag: Any = None
        self._jobs: dict[int, _Job] = {}
        self.dropped = 0  # results that arrived after a newer request (for tests)

    @property
    def waiting(self) -> bool:
        """A request is out and its result has not been delivered yet."""
        return self._tag is not None

    @property
    def tag(self) -> Any:
        """The tag of the request whose result is awaited (None when nothing is)."""
        return self._tag

    def submit(self, tag: Any, fn: Callable[[], Any]) -> None:
        """Run ``fn()`` off the GUI thread; deliver its value with ``tag`` unless a newer request comes."""
        if tag is None:
            raise ValueError("a request needs a tag other than None")
        self._ticket += 1
        for ticket, job in list(self._jobs.items()):
            if self._pool.tryTake(job):  # still queued: it never runs
                del self._jobs[ticket]
        job = _Job(self._ticket, fn, self._relay)
        self._jobs[self._ticket] = job
        self._tag = tag
        self._pool.start(job)

    def cancel(self) -> None:
        """Forget every request: whatever is running is dropped when it arrives."""
        self._ticket += 1
        self._tag = None
        for ticket, job in list(self._jobs.items()):
            if self._pool.tryTake(job):
                del self._jobs[ticket]

    def wait(self, msecs: int = -1) -> bool:
        """Block until the worker is idle (for closing and for tests); True if it is."""
        return self._pool.waitForDone(msecs)

    def _arrived(self, ticket: int, value: Any, error: str | None) -> None:
        self._jobs.pop(ticket, None)
        if ticket != self._ticket:
            self.dropped += 1
            return
        tag, self._tag = self._tag, None
        if error is None:
            self.finished.emit(tag, value)
        else:
            self.failed.emit(tag, error)
