"""Writing an exported file: the allowed endings, the folder checks and the atomic write.

Every file is written next to its destination first and moved into place only when it
is complete, so a failed save never leaves half a picture behind. Problems arrive as
``ExportError`` with a message meant for the student, not a traceback.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from pathlib import Path

IMAGE_SUFFIXES = (".png", ".svg")
GIF_SUFFIX = ".gif"


class ExportError(Exception):
    """A picture could not be saved; the message says why in plain words."""


def check_suffix(path: Path, allowed: tuple[str, ...]) -> str:
    """The file name's ending in lower case, if lossdesk can write it; else ExportError."""
    suffix = path.suffix.lower()
    if suffix not in allowed:
        choices = " or ".join(allowed)
        problem = f"ends in {path.suffix}, which lossdesk cannot write" if path.suffix else "has no ending"
        raise ExportError(f"Cannot save “{path.name}”: the name {problem}. Choose a name ending in {choices}.")
    return suffix


def check_folder(path: Path) -> None:
    """Fail before any work if the file cannot go where it is asked to."""
    folder = path.parent
    if not folder.is_dir():
        raise ExportError(f"Cannot save “{path.name}”: the folder {folder} does not exist.")
    if path.is_dir():
        raise ExportError(f"Cannot save: {path} is a folder. Give a file name inside it.")


def explain_os_error(exc: OSError, path: Path) -> str:
    """What went wrong writing ``path``, in one plain sentence."""
    if isinstance(exc, PermissionError):
        return f"Cannot save “{path.name}”: you are not allowed to write in {path.parent}."
    if exc.errno == errno.ENOSPC:
        return f"Cannot save “{path.name}”: the disk is full."
    if isinstance(exc, IsADirectoryError):
        return f"Cannot save: {path} is a folder. Give a file name inside it."
    if isinstance(exc, FileNotFoundError):
        return f"Cannot save “{path.name}”: the folder {path.parent} does not exist."
    return f"Cannot save “{path.name}”: {exc.strerror or exc}."


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to a hidden file beside ``path``, then move it into place."""
    check_folder(path)
    part = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    try:
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(part, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            part.unlink()
        raise ExportError(explain_os_error(exc, path)) from exc
