"""Notice when nobody has touched the counter for a while (to lock the screen).

`IdleWatcher` filters the application's events: any key, mouse, wheel, tablet or touch input
counts as activity. After `timeout_ms` without input it emits `idle_timeout` once; it arms
again at the next input. The event filter only records the time of the input, so it costs next
to nothing on each event; the single timer re-checks when it fires.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QElapsedTimer, QEvent, QObject, QTimer, Signal

__all__ = ["INPUT_EVENTS", "IdleWatcher"]

INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TabletPress,
        QEvent.Type.TabletMove,
        QEvent.Type.TabletRelease,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TouchEnd,
    }
)


class IdleWatcher(QObject):
    """Emits `idle_timeout` after `timeout_ms` (default: `minutes`) without user input."""

    idle_timeout = Signal()

    def __init__(
        self,
        app: QCoreApplication | None = None,
        *,
        minutes: float = 5,
        timeout_ms: int | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        instance = app if app is not None else QCoreApplication.instance()
        if instance is None:
            raise RuntimeError("create the QApplication before the idle watcher")
        self._app = instance
        self._timeout_ms = timeout_ms if timeout_ms is not None else round(minutes * 60_000)
        self._check_timeout(self._timeout_ms)
        self._last_input = QElapsedTimer()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timer)
        self._running = False
        self._fired = False

    @staticmethod
    def _check_timeout(ms: int) -> None:
        if ms <= 0:
            raise ValueError("the idle timeout must be positive")

    @property
    def timeout_ms(self) -> int:
        return self._timeout_ms

    def set_timeout_minutes(self, minutes: float) -> None:
        self.set_timeout_ms(round(minutes * 60_000))

    def set_timeout_ms(self, ms: int) -> None:
        """Change the timeout; counted from the last input."""
        self._check_timeout(ms)
        self._timeout_ms = ms
        if self._running and not self._fired:
            self._timer.start(self.remaining_ms())

    def is_running(self) -> bool:
        return self._running

    def start(self) -> None:
        """Start watching; the time counts from now."""
        if not self._running:
            self._app.installEventFilter(self)
            self._running = True
        self.reset()

    def stop(self) -> None:
        if self._running:
            self._app.removeEventFilter(self)
            self._running = False
        self._timer.stop()

    def reset(self) -> None:
        """Count as input (e.g. after unlocking): the time starts again and it may fire again."""
        self._last_input.start()
        self._fired = False
        if self._running:
            self._timer.start(self._timeout_ms)

    def remaining_ms(self) -> int:
        """Time left before `idle_timeout`; 0 once it has fired."""
        if self._fired or not self._last_input.isValid():
            return 0
        return max(0, self._timeout_ms - int(self._last_input.elapsed()))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS:
            self._last_input.start()
            if self._fired:  # armed again by the first input after firing
                self._fired = False
                self._timer.start(self._timeout_ms)
        return False

    def _on_timer(self) -> None:
        if not self._running or self._fired:
            return
        remaining = self.remaining_ms()
        if remaining > 0:  # there was input since the timer was started
            self._timer.start(remaining)
            return
        self._fired = True
        self.idle_timeout.emit()
