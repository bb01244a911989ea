"""The document camera's folder: files written by the test while `scan()` waits, as a camera's
own program would write them (new, rewritten, half-written, other kinds of file)."""

from __future__ import annotations

import io
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from app.devices.scanner import FolderScanner, ScanCancelled, ScannerError


def png_bytes(colour: str = "red", size: tuple[int, int] = (40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "blue").save(out, "JPEG")
    return out.getvalue()


def later(delay: float, fn: Callable[[], None]) -> threading.Timer:
    timer = threading.Timer(delay, fn)
    timer.start()
    return timer


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "camera"
    path.mkdir()
    (path / "old.png").write_bytes(png_bytes("green"))  # there before the scan: never taken
    return path


def test_takes_the_new_picture_not_the_old_one(folder: Path) -> None:
    data = png_bytes()
    timer = later(0.3, lambda: (folder / "IMG_0001.png").write_bytes(data))
    image = FolderScanner(folder, timeout=5, poll=0.05).scan()
    timer.join()
    assert (image.data, image.mime, image.name) == (data, "image/png", "IMG_0001.png")
    assert (folder / "IMG_0001.png").exists()  # kept unless `remove`


def test_the_newest_of_several_and_the_kind_from_the_bytes(folder: Path) -> None:
    def camera() -> None:
        (folder / "a.jpg").write_bytes(jpeg_bytes())
        time.sleep(0.05)
        (folder / "b.png").write_bytes(jpeg_bytes())  # a JPEG saved under .png
        later_ns = time.time_ns() + 10_000_000
        os.utime(folder / "b.png", ns=(later_ns, later_ns))
        (folder / "notes.txt").write_text("not a picture")

    timer = later(0.2, camera)
    image = FolderScanner(folder, timeout=5, poll=0.3).scan()
    timer.join()
    assert image.name == "b.png" and image.mime == "image/jpeg"


def test_a_rewritten_old_file_counts_as_new(folder: Path) -> None:
    data = png_bytes("yellow", (50, 50))
    timer = later(0.2, lambda: (folder / "old.png").write_bytes(data))
    image = FolderScanner(folder, timeout=5, poll=0.05).scan()
    timer.join()
    assert image.data == data


def test_waits_while_the_file_is_still_being_written(folder: Path) -> None:
    data = png_bytes("purple", (200, 200))
    path = folder / "slow.png"

    def camera() -> None:
        with path.open("wb") as f:
            f.write(data[: len(data) // 2])
            f.flush()
            time.sleep(0.6)  # several looks see a steady but unfinished file
            f.write(data[len(data) // 2:])

    timer = later(0.1, camera)
    image = FolderScanner(folder, timeout=5, poll=0.05).scan()
    timer.join()
    assert image.data == data


def test_remove_deletes_the_picture_once_taken(folder: Path) -> None:
    timer = later(0.2, lambda: (folder / "x.png").write_bytes(png_bytes()))
    FolderScanner(folder, timeout=5, poll=0.05, remove=True).scan()
    timer.join()
    assert not (folder / "x.png").exists() and (folder / "old.png").exists()


def test_nothing_new_times_out_with_a_sentence(folder: Path) -> None:
    started = time.monotonic()
    with pytest.raises(ScannerError) as err:
        FolderScanner(folder, timeout=0.4, poll=0.05).scan()
    assert time.monotonic() - started < 2
    assert "0.4 秒内高拍仪没有保存新的图像" in err.value.zh and "within 0.4 s" in err.value.en


def test_cancel_stops_the_wait(folder: Path) -> None:
    stop = threading.Event()
    timer = later(0.2, stop.set)
    with pytest.raises(ScanCancelled):
        FolderScanner(folder, timeout=30, poll=0.05).scan(stop.is_set)
    timer.join()


def test_a_missing_or_unset_folder(tmp_path: Path) -> None:
    with pytest.raises(ScannerError) as err:
        FolderScanner(tmp_path / "nope").scan()
    assert "不存在" in err.value.zh and "does not exist" in err.value.en
    with pytest.raises(ScannerError) as err:
        FolderScanner("").devices()
    assert "[scanner] folder" in err.value.zh
