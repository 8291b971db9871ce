"""Damaged or odd CSV files are refused in one short line; saved files keep their mode."""

from __future__ import annotations

import os
import stat
import threading

import pytest

from lossdesk.model import DatasetError, make_preset, read_csv, write_csv
from lossdesk.model.files import read_bytes_checked, write_text_atomically


def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    result: list[str] = []

    def read() -> None:
        try:
            read_csv(fifo)
        except DatasetError as exc:
            result.append(str(exc))

    worker = threading.Thread(target=read, daemon=True)
    worker.start()
    worker.join(5)
    assert not worker.is_alive(), "reading a FIFO blocked"
    assert result and "not an ordinary file" in result[0]


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(DatasetError, match="not an ordinary file"):
        read_csv(tmp_path)


def test_non_utf8_file_with_a_bare_carriage_return_in_the_header(tmp_path):
    path = tmp_path / "odd.csv"
    path.write_bytes(b"x\r,y\n1,\xff\n")
    with pytest.raises(DatasetError, match="not UTF-8"):
        read_csv(path)


def test_an_unbalanced_quote_gives_a_short_message(tmp_path):
    path = tmp_path / "quote.csv"
    path.write_text('x,y\n1,"2\n' + "3,4\n" * 30000)
    with pytest.raises(DatasetError) as info:
        read_csv(path)
    message = str(info.value)
    assert len(message) < 200 and "\n" not in message


def test_a_huge_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"x,y\n" + b"1,2\n" * 100)
    with pytest.raises(ValueError, match="too large"):
        read_bytes_checked(path, limit=100)


@pytest.mark.parametrize("mode", [0o644, 0o600, 0o664])
def test_overwriting_keeps_the_old_mode(tmp_path, mode):
    path = tmp_path / "points.csv"
    path.write_text("x,y\n1,2\n")
    os.chmod(path, mode)
    write_csv(make_preset("linear"), path)
    assert stat.S_IMODE(path.stat().st_mode) == mode
    assert read_csv(path) == make_preset("linear")


def test_a_new_file_follows_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        write_text_atomically(tmp_path / "new.txt", "hello")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o644
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".lossdesk-")]
