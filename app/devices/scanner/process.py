"""Running a scanning program (`scanimage`, PowerShell) with a deadline and a cancel check.

The program is stopped politely first (SIGTERM lets `scanimage` cancel the scan and release
the scanner), then killed; the caller always gets control back within `timeout` + 3 s.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.devices.scanner.base import Cancelled, ScanCancelled, never_cancelled

__all__ = ["Finished", "ProgramMissing", "TimedOut", "run_program"]

_POLL_S = 0.1


@dataclass(frozen=True)
class Finished:
    returncode: int
    stdout: bytes
    stderr: str

    def last_error_line(self) -> str:
        lines = [x.strip() for x in self.stderr.splitlines() if x.strip()]
        return lines[-1] if lines else ""


class ProgramMissing(Exception):
    pass


class TimedOut(Exception):
    pass


def run_program(args: Sequence[str], *, timeout: float, cancelled: Cancelled = never_cancelled,
                env: Mapping[str, str] | None = None) -> Finished:
    """Run `args`, collecting its output; `TimedOut`, `ScanCancelled` or `ProgramMissing`."""
    flags = getattr(subprocess, "CREATE_NO_WINDOW", 0) if sys.platform == "win32" else 0
    try:
        proc = subprocess.Popen(list(args), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=dict(env or os.environ),
                                creationflags=flags)
    except FileNotFoundError:
        raise ProgramMissing(args[0]) from None
    deadline = time.monotonic() + timeout
    while True:
        try:
            out, err = proc.communicate(timeout=_POLL_S)
            break
        except subprocess.TimeoutExpired:
            pass  # communicate keeps what it read so far; ask again
        if cancelled():
            _stop(proc)
            raise ScanCancelled()
        if time.monotonic() >= deadline:
            _stop(proc)
            raise TimedOut(args[0])
    return Finished(proc.returncode, out, err.decode("utf-8", "replace"))


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.communicate(timeout=2.0)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
