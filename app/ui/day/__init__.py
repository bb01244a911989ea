"""The hall's day in the GUI: opening and closing a shift, the supervisor's day, the complaint
register. The counter window calls the functions below; all database work runs as worker
operations, and every rule is the core's (`app.services.day.shifts`, `review`, `signoff`, `registers`, `reports`).

    dialog = open_shift_dialog(window, runner, db, actor)    # dialog.accepted -> opened
    dialog = close_shift_dialog(window, runner, db, actor)
    view = supervisor_day_view(window, runner, db, actor)
    view = complaint_register_view(window, runner, db, actor)
"""

from app.ui.day.complaints import ComplaintRegisterView, complaint_register_view
from app.ui.day.day_view import SupervisorDayView, supervisor_day_view
from app.ui.day.shift_close import ShiftCloseDialog, close_shift_dialog
from app.ui.day.shift_open import ShiftOpenDialog, open_shift_dialog

__all__ = [
    "ComplaintRegisterView",
    "ShiftCloseDialog",
    "ShiftOpenDialog",
    "SupervisorDayView",
    "close_shift_dialog",
    "complaint_register_view",
    "open_shift_dialog",
    "supervisor_day_view",
]
