"""Reading and writing the user's files safely: never half-written, never a surprise mode.

A file is written to a temporary file beside it, flushed to disk, given the mode the old
file had (or what the umask allows for a new one) and only then renamed over the old one.
Reading refuses what is not a regular file (a FIFO would block forever) and what is too
large to be a lesson's data before a byte is read.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

#: the largest file lossdesk reads (a lesson's data set is kilobytes)
MAX_READ_BYTES = 50 * 1024 * 1024


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text_atomically(path: str | os.PathLike[str], text: str) -> None:
    """Replace ``path`` by a complete file holding ``text`` (UTF-8), keeping its mode."""
    path = Path(path)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        mode = 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(prefix=".lossdesk-", suffix=path.suffix, dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_bytes_checked(path: str | os.PathLike[str], limit: int = MAX_READ_BYTES) -> bytes:
    """The bytes of a regular file no larger than ``limit``; OSError or ValueError otherwise."""
    path = Path(path)
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise ValueError(f"cannot read {path.name}: it is not an ordinary file (a folder, a pipe or a device)")
    if info.st_size > limit:
        raise ValueError(f"cannot read {path.name}: it is too large ({info.st_size // (1024 * 1024)} MB; "
                         f"lossdesk reads files up to {limit // (1024 * 1024)} MB)")
    with path.open("rb") as fh:
        return fh.read(limit + 1)


def shorten(text: str, limit: int = 40) -> str:
    """``text`` cut to one short line for a message (a damaged file can hold megabytes)."""
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
