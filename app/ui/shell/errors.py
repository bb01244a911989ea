"""How the core's own errors are told to the clerk (registered with the worker runner).

The core raises errors that carry both languages (`OrderError.zh/.en`, `AuthError.zh/.en`,
`SecurityError.message_zh/_en`, `RequestError.field/.problem_zh`); the UI picks the one of
the language shown.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.ui.kit import i18n
from app.ui.kit.op_failures import register_error_message


def _english() -> bool:
    return i18n.installed_language() == "en"


def pick(zh: str, en: str) -> str:
    return en if _english() and en else zh


def import_error_types() -> None:
    """Import the modules of the errors below (run on the worker that opens the database, so
    that `install_error_messages` on the GUI thread finds them loaded)."""
    import app.core.catalog
    import app.core.request
    import app.db
    import app.security
    import app.services.orders.service
    import app.services.staff.auth  # noqa: F401


def install_error_messages() -> None:
    from app.core.catalog import CatalogError
    from app.core.request import RequestError
    from app.db import DatabaseError
    from app.security import SecurityError
    from app.services.orders.service import OrderError
    from app.services.staff.auth import AuthError

    register_error_message(OrderError, lambda e: pick(e.zh, e.en))
    register_error_message(AuthError, lambda e: pick(e.zh, e.en))
    register_error_message(SecurityError, lambda e: pick(e.message_zh, e.message_en))
    register_error_message(DatabaseError, lambda e: str(e))
    register_error_message(CatalogError, lambda e: str(e))
    register_error_message(
        RequestError,
        lambda e: QCoreApplication.translate("errors", "Please check {field}: {problem}").format(
            field=e.field, problem=pick(e.problem_zh, e.problem)),
    )
