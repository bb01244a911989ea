"""Roles, permissions and the role→permission table.

Why a table as data: halls differ (one lets clerks see full ID numbers, another
does not), so the table is built by :func:`role_permissions` from the defaults
plus an optional per-hall override mapping, e.g. loaded from configuration.
Unknown role/permission names in an override are rejected loudly: a typo must
not silently remove (or grant) a right.

Default separation of duties: ``admin`` only sets the system up (staff,
tariffs) and has no business rights; business approvals sit with
``supervisor`` (值班长) and ``manager`` (营业厅经理).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from app.security.errors import SecurityError

__all__ = [
    "DEFAULT_ROLE_PERMISSIONS",
    "PERMISSION_LABELS",
    "ROLE_LABELS",
    "Permission",
    "PermissionDenied",
    "Role",
    "RoleTable",
    "has_permission",
    "require_permission",
    "role_permissions",
    "roles_with_permission",
]


class Role(StrEnum):
    """Staff roles, lowest business rank first (the order is used in messages)."""

    CLERK = "clerk"
    SUPERVISOR = "supervisor"
    MANAGER = "manager"
    ADMIN = "admin"


class Permission(StrEnum):
    ORDER_CREATE = "order.create"
    ORDER_VOID = "order.void"
    REFUND_APPROVE = "refund.approve"
    DIFFERENCE_APPROVE = "difference.approve"
    EXPORT_UNMASKED = "export.unmasked"
    DAY_SIGNOFF = "day.signoff"
    STAFF_ADMIN = "staff.admin"
    TARIFF_ADMIN = "tariff.admin"
    HALL_SETTINGS = "hall.settings"
    PII_VIEW_FULL = "pii.view_full"
    SHIFT_OPEN = "shift.open"
    SHIFT_CLOSE = "shift.close"
    EXCEPTION_AUTHORIZE = "exception.authorize"
    STOCK_RECEIVE = "stock.receive"
    STOCK_TRANSFER = "stock.transfer"


ROLE_LABELS: Final[Mapping[Role, tuple[str, str]]] = MappingProxyType(
    {
        Role.CLERK: ("营业员", "clerk"),
        Role.SUPERVISOR: ("值班长", "supervisor"),
        Role.MANAGER: ("营业厅经理", "hall manager"),
        Role.ADMIN: ("系统管理员", "system administrator"),
    }
)

#: (Chinese action, English gerund) used in messages: "权限不足：作废订单需要值班长权限".
PERMISSION_LABELS: Final[Mapping[Permission, tuple[str, str]]] = MappingProxyType(
    {
        Permission.ORDER_CREATE: ("受理订单", "creating an order"),
        Permission.ORDER_VOID: ("作废订单", "voiding an order"),
        Permission.REFUND_APPROVE: ("审批退款", "approving a refund"),
        Permission.DIFFERENCE_APPROVE: ("审批长短款", "approving a cash difference"),
        Permission.EXPORT_UNMASKED: ("导出未脱敏数据", "exporting unmasked data"),
        Permission.DAY_SIGNOFF: ("日结签核", "signing off the day"),
        Permission.STAFF_ADMIN: ("管理员工账号", "managing staff accounts"),
        Permission.TARIFF_ADMIN: ("维护资费", "maintaining tariffs"),
        Permission.HALL_SETTINGS: ("修改营业厅设置", "changing the hall's settings"),
        Permission.PII_VIEW_FULL: ("查看完整个人信息", "viewing full personal data"),
        Permission.SHIFT_OPEN: ("开班", "opening a shift"),
        Permission.SHIFT_CLOSE: ("交班", "closing a shift"),
        Permission.EXCEPTION_AUTHORIZE: ("授权例外操作", "authorizing an exception"),
        Permission.STOCK_RECEIVE: ("物品入库", "receiving stock"),
        Permission.STOCK_TRANSFER: ("柜台间调拨物品", "transferring stock between counters"),
    }
)

RoleTable = Mapping[Role, frozenset[Permission]]

_CLERK: Final = frozenset({Permission.ORDER_CREATE, Permission.SHIFT_OPEN, Permission.SHIFT_CLOSE})
_SUPERVISOR: Final = _CLERK | {
    Permission.ORDER_VOID,
    Permission.REFUND_APPROVE,
    Permission.DIFFERENCE_APPROVE,
    Permission.EXPORT_UNMASKED,
    Permission.DAY_SIGNOFF,
    Permission.PII_VIEW_FULL,
    Permission.EXCEPTION_AUTHORIZE,
    # Receipts and transfers: the supervisor keeps the hall's stock; a clerk does one with a
    # supervisor's authorization at the counter (`auth.authorize`).
    Permission.STOCK_RECEIVE,
    Permission.STOCK_TRANSFER,
}
_SETUP: Final = frozenset({Permission.STAFF_ADMIN, Permission.TARIFF_ADMIN,
                           Permission.HALL_SETTINGS})

DEFAULT_ROLE_PERMISSIONS: Final[RoleTable] = MappingProxyType(
    {
        Role.CLERK: _CLERK,
        Role.SUPERVISOR: _SUPERVISOR,
        Role.MANAGER: _SUPERVISOR | _SETUP,
        Role.ADMIN: _SETUP,
    }
)


def _parse_role(value: str | Role) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise ValueError(f"unknown role {value!r}; known: {[r.value for r in Role]}") from None


def _parse_permission(value: str | Permission) -> Permission:
    try:
        return Permission(value)
    except ValueError:
        raise ValueError(f"unknown permission {value!r}") from None


def role_permissions(overrides: Mapping[str, Iterable[str]] | None = None) -> RoleTable:
    """The effective, read-only role→permissions table.

    Each role named in ``overrides`` gets exactly the listed permissions
    (replace, not merge, so a hall can also *remove* rights); other roles keep
    the defaults. Raises ``ValueError`` on unknown names.
    """
    table: dict[Role, frozenset[Permission]] = dict(DEFAULT_ROLE_PERMISSIONS)
    for role_name, perms in (overrides or {}).items():
        if isinstance(perms, str):
            raise TypeError(f"permissions for {role_name!r} must be a list, not a string")
        table[_parse_role(role_name)] = frozenset(_parse_permission(p) for p in perms)
    return MappingProxyType(table)


def has_permission(
    role: str | Role | None, permission: str | Permission, table: RoleTable | None = None
) -> bool:
    """Whether ``role`` holds ``permission``.

    An unknown or missing role is denied (roles come from data); an unknown
    permission raises ``ValueError`` (it is a programming error).
    """
    perm = _parse_permission(permission)
    if role is None:
        return False
    try:
        r = Role(role)
    except ValueError:
        return False
    return perm in (DEFAULT_ROLE_PERMISSIONS if table is None else table).get(r, frozenset())


def roles_with_permission(
    permission: str | Permission, table: RoleTable | None = None
) -> list[Role]:
    """Roles holding ``permission``, lowest rank first."""
    perm = _parse_permission(permission)
    effective = DEFAULT_ROLE_PERMISSIONS if table is None else table
    return [r for r in Role if perm in effective.get(r, frozenset())]


class PermissionDenied(SecurityError):
    """Raised by :func:`require_permission`; the message names the role that *can* do it."""

    def __init__(
        self, role: str | Role | None, permission: str | Permission, table: RoleTable | None = None
    ) -> None:
        self.role = role
        self.permission = _parse_permission(permission)
        action_zh, action_en = PERMISSION_LABELS[self.permission]
        holders = roles_with_permission(self.permission, table)
        if holders:
            role_zh, role_en = ROLE_LABELS[holders[0]]
            zh = f"权限不足：{action_zh}需要{role_zh}权限"
            en = f"Permission denied: {action_en} requires the {role_en} role"
        else:
            zh = f"权限不足：{action_zh}未授权给任何角色"
            en = f"Permission denied: no role is allowed {action_en}"
        super().__init__(zh, en)


def require_permission(
    role: str | Role | None, permission: str | Permission, table: RoleTable | None = None
) -> None:
    """Raise :class:`PermissionDenied` unless ``role`` holds ``permission``."""
    if not has_permission(role, permission, table):
        raise PermissionDenied(role, permission, table)
