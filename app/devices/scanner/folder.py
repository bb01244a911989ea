"""A document camera (高拍仪) or a scanner's own button, through the folder it saves into.

Most document cameras come with their own capture program, and many scanners have a "scan to
folder" button; both write an image file into a folder. `FolderScanner.scan()` notes what the
folder holds when the clerk presses "scan", then waits for a file that is new or rewritten
since, has a picture's or PDF's name, stays the same size for one look and ends as its format
ends (the camera's program may still be writing it), and takes the newest such file.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from app.clock import Clock
from app.devices.scanner.base import (
    MAX_SCAN_BYTES,
    Cancelled,
    ScanCancelled,
    ScannedImage,
    Scanner,
    ScannerError,
    never_cancelled,
)
from app.devices.scanner.formats import EXTENSIONS, looks_complete, sniff_mime

__all__ = ["FolderScanner"]

Seen = dict[str, tuple[int, int]]  # name -> (mtime_ns, size)


class FolderScanner(Scanner):
    backend = "folder"

    def __init__(self, folder: str | Path, *, timeout: float = 90.0, poll: float = 0.25,
                 remove: bool = False, clock: Clock | None = None,
                 zone: str | ZoneInfo | None = None) -> None:
        super().__init__(clock=clock, zone=zone)
        self.folder = Path(folder) if folder else Path()
        self.configured = bool(folder)
        self.timeout, self.poll, self.remove = timeout, poll, remove

    def describe(self) -> str:
        return f"folder {self.folder}"

    def check_folder(self) -> None:
        if not self.configured:
            raise ScannerError("没有设置高拍仪/扫描文件夹（[scanner] folder）",
                               "No folder is set for the document camera ([scanner] folder)")
        if not self.folder.is_dir():
            raise ScannerError(f"高拍仪文件夹 {self.folder} 不存在",
                               f"The document camera's folder {self.folder} does not exist")
        if not os.access(self.folder, os.R_OK | os.X_OK):
            raise ScannerError(f"没有权限读取文件夹 {self.folder}",
                               f"The folder {self.folder} cannot be read (permissions)")

    def devices(self) -> list[str]:
        self.check_folder()
        return [str(self.folder)]

    def _look(self) -> Seen:
        seen: Seen = {}
        try:
            entries = list(os.scandir(self.folder))
        except OSError as exc:
            raise ScannerError(f"无法读取文件夹 {self.folder}：{exc.strerror or exc}",
                               f"Cannot read the folder {self.folder}: {exc.strerror or exc}"
                               ) from None
        for entry in entries:
            if Path(entry.name).suffix.lower() not in EXTENSIONS or entry.name.startswith("."):
                continue
            try:
                st = entry.stat()
            except OSError:
                continue  # removed meanwhile
            if entry.is_file():
                seen[entry.name] = (st.st_mtime_ns, st.st_size)
        return seen

    def scan(self, cancelled: Cancelled = never_cancelled) -> ScannedImage:
        self.check_folder()
        before = self._look()
        deadline = time.monotonic() + self.timeout
        previous: Seen = {}
        while True:
            fresh = {n: s for n, s in self._look().items() if before.get(n) != s and s[1] > 0}
            steady = [n for n, s in fresh.items() if previous.get(n) == s]
            for name in sorted(steady, key=lambda n: fresh[n][0], reverse=True):
                image = self._take(name)
                if image is not None:
                    return image
            previous = fresh
            if cancelled():
                raise ScanCancelled()
            if time.monotonic() >= deadline:
                raise ScannerError(
                    f"{self.timeout:g} 秒内高拍仪没有保存新的图像，请拍摄后再点“扫描”",
                    f"No new picture reached the folder within {self.timeout:g} s; take the "
                    "picture, then press Scan again")
            time.sleep(self.poll)

    def _take(self, name: str) -> ScannedImage | None:
        path = self.folder / name
        try:
            if path.stat().st_size > MAX_SCAN_BYTES:
                raise ScannerError(f"文件 {name} 超过 20 MB", f"The file {name} is over 20 MB")
            data = path.read_bytes()
        except OSError:
            return None  # moved or locked by the camera's program: look again
        mime = sniff_mime(data)
        if mime is None or not looks_complete(data, mime):
            return None  # not a picture yet (still being written)
        if self.remove:
            with contextlib.suppress(OSError):  # kept if the camera's program holds it open
                path.unlink()
        return ScannedImage(data, mime, name)
