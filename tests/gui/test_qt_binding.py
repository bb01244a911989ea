"""The Qt binding itself: a call that returns nothing must not eat a reference to None.

PySide6 6.12.0 does (each `setText`, `show`, `processEvents`... takes one away); on Python
3.11, where None is not immortal, a busy counter then aborts with "none_dealloc" after some
thousands of calls, as a GUI test worker once did. pyproject.toml keeps 6.12.0 out.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel


def test_calls_returning_nothing_keep_none_alive(qtbot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("x")
    # Other threads may take or drop a few references meanwhile; 2000 lost ones is the bug.
    assert abs(sys.getrefcount(None) - before) < 100
