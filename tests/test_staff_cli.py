"""`counter staff` on SQLite and PostgreSQL: the real command (a subprocess) for `list`, the
others through `app.cli.main`: credentials and new passwords from the environment or the
terminal, the two-person rule asking for a second supervisor, the forced change with
`passwd`, and one-line errors with exit status 2 (bad input) or 1 (refused)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from app.commands.staff import prompts
from tests.security_fixtures import PASSWORD, events, staff_row

ROOT = Path(__file__).resolve().parents[1]
NEW, OWN = "Start-pass-99", "Chosen-by-me-42"
ENV_NAMES = ("COUNTER_STAFF", "COUNTER_STAFF_PASSWORD", "COUNTER_NEW_PASSWORD",
             "COUNTER_SECOND_STAFF", "COUNTER_SECOND_STAFF_PASSWORD")


@pytest.fixture
def counter(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """`counter ARGS...` in this process with exactly the given variables, no terminal."""
    monkeypatch.setattr(sys, "stdin", io.StringIO())

    def run(*args: str, **env: str) -> tuple[int, str, str]:
        for name in ENV_NAMES:
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        code = main(list(args))
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


def admin(staff_no: str = "M001", password: str = PASSWORD) -> dict[str, str]:
    return {"COUNTER_STAFF": staff_no, "COUNTER_STAFF_PASSWORD": password}


def test_staff_list_is_the_real_command_on_both_databases(demo_db, db_url: str) -> None:
    def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
        clean = {k: v for k, v in os.environ.items() if k not in ENV_NAMES}
        return subprocess.run([sys.executable, "-m", "app", "staff", "list", "--db", db_url,
                               *args], capture_output=True, text=True, cwd=ROOT, timeout=300,
                              stdin=subprocess.DEVNULL, env={**clean, **env})

    table = run(**admin())
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0].startswith("工号 staff_no | 姓名 name | 角色 role")
    assert [line.split(" | ")[0] for line in lines[1:]] == ["A001", "C001", "C002", "M001",
                                                            "S001"]
    assert "S001 | 王丽 | supervisor | 在用 active | - | -" in lines
    as_json = run("--json", **admin("A001"))
    rows = [json.loads(line) for line in as_json.stdout.splitlines()]
    assert rows[1] == {"staff_no": "C001", "name": "李明", "role": "clerk", "active": True,
                       "locked": False, "locked_until": None, "must_change_password": False}

    clerk = run(**admin("C001"))
    assert clerk.returncode == 1 and "权限不足：管理员工账号" in clerk.stderr
    assert clerk.stderr.count("\n") == 1  # one line, no traceback
    nobody = run(COUNTER_STAFF="M001")
    assert nobody.returncode == 2 and "COUNTER_STAFF_PASSWORD" in nobody.stderr
    wrong = run(**admin("M001", "not-the-password"))
    assert wrong.returncode == 1 and "工号或密码错误" in wrong.stderr
    assert staff_row(demo_db, "M001").failed_logins == 1  # counts like any log-in


def test_add_then_the_new_clerk_must_change_the_password_with_passwd(
        demo_db, db_url: str, counter) -> None:  # type: ignore[no-untyped-def]
    code, out, err = counter("staff", "add", "C009", "--name", "钱七", "--db", db_url,
                             COUNTER_NEW_PASSWORD=NEW, **admin())
    assert code == 0, err
    assert "已添加 / added: C009 钱七 营业员 / clerk" in out and "须在下次登录时修改密码" in out
    code, out, err = counter("staff", "list", "--json", "--db", db_url, **admin())
    [row] = [r for r in map(json.loads, out.splitlines()) if r["staff_no"] == "C009"]
    assert row["must_change_password"] is True

    # Until then the new clerk can do nothing but change it.
    code, _out, err = counter("staff", "list", "--db", db_url, **admin("C009", NEW))
    assert code == 1 and "请先修改密码" in err
    code, out, err = counter("staff", "passwd", "--db", db_url, COUNTER_NEW_PASSWORD=OWN,
                             **admin("C009", NEW))
    assert code == 0 and "密码已修改 / password changed: C009" in out, err
    assert not staff_row(demo_db, "C009").must_change_password
    [changed] = events(demo_db, "staff.password_change")
    assert changed.data["forced"] is True

    code, _out, err = counter("staff", "add", "C009", "--name", "重复", "--db", db_url,
                              COUNTER_NEW_PASSWORD=NEW, **admin())
    assert code == 2 and "工号 C009 已存在" in err
    code, _out, err = counter("staff", "add", "C010", "--name", "新人", "--db", db_url,
                              COUNTER_NEW_PASSWORD="short1", **admin())
    assert code == 2 and "至少需要 8" in err
    code, _out, err = counter("staff", "add", "C010", "--name", "新人", "--db", db_url,
                              **admin())
    assert code == 2 and "COUNTER_NEW_PASSWORD" in err


def test_set_role_to_supervisor_asks_for_a_second_supervisor(
        demo_db, db_url: str, counter) -> None:  # type: ignore[no-untyped-def]
    args = ("staff", "set-role", "C001", "supervisor", "--db", db_url)
    code, out, err = counter(*args, **admin("A001"))
    assert code == 2 and "两人规则" in out and "COUNTER_SECOND_STAFF" in err
    assert staff_row(demo_db, "C001").role == "clerk"
    code, out, err = counter(*args, COUNTER_SECOND_STAFF="S001",
                             COUNTER_SECOND_STAFF_PASSWORD="wrong-one-1", **admin("A001"))
    assert code == 1 and "工号或密码错误" in err
    code, out, err = counter(*args, COUNTER_SECOND_STAFF="S001",
                             COUNTER_SECOND_STAFF_PASSWORD=PASSWORD, **admin("A001"))
    assert code == 0 and "角色已修改 / role changed: C001 李明 值班长 / supervisor" in out, err
    [event] = events(demo_db, "staff.role")
    assert (event.actor, event.target, event.authorized_by) == ("A001", "C001", "S001")
    # A demotion is one administrator's decision.
    code, out, err = counter("staff", "set-role", "C001", "clerk", "--db", db_url,
                             **admin("A001"))
    assert code == 0, err
    with pytest.raises(SystemExit) as refused:  # argparse: not a role
        counter("staff", "set-role", "C001", "boss", "--db", db_url)
    assert refused.value.code == 2


def test_reset_unlock_deactivate_reactivate(demo_db, db_url: str, counter) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        counter("staff", "list", "--db", db_url, **admin("C002", "guessing-1"))
    code, out, _err = counter("staff", "list", "--db", db_url, **admin())
    assert "锁定至 locked until" in next(line for line in out.splitlines()
                                        if line.startswith("C002"))
    code, out, err = counter("staff", "unlock", "C002", "--db", db_url, **admin())
    assert code == 0 and "已解锁 / unlocked: C002" in out, err
    code, out, err = counter("staff", "reset-password", "C002", "--db", db_url,
                             COUNTER_NEW_PASSWORD=NEW, **admin())
    assert code == 0 and "密码已重置" in out and "须在下次登录时修改密码" in out, err
    code, _out, err = counter("staff", "deactivate", "C002", "--db", db_url, "--reason", " ",
                              **admin())
    assert code == 2 and "原因" in err
    code, out, err = counter("staff", "deactivate", "S001", "--db", db_url, "--reason", "调岗",
                             **admin())
    assert code == 0 and "已停用 / deactivated: S001" in out and "已停用 / inactive" in out
    reactivate = ("staff", "reactivate", "S001", "--db", db_url)
    code, out, err = counter(*reactivate, COUNTER_NEW_PASSWORD=NEW, COUNTER_SECOND_STAFF="A001",
                             COUNTER_SECOND_STAFF_PASSWORD=PASSWORD, **admin("A001"))
    assert code == 2 and "不能是操作人本人" in err
    code, out, err = counter(*reactivate, COUNTER_NEW_PASSWORD=NEW, COUNTER_SECOND_STAFF="C001",
                             COUNTER_SECOND_STAFF_PASSWORD=PASSWORD, **admin("A001"))
    assert code == 1 and "权限不足：授权例外操作" in err  # a clerk confirms nothing
    code, out, err = counter("staff", "reactivate", "S001", "--db", db_url,
                             COUNTER_NEW_PASSWORD=NEW, COUNTER_SECOND_STAFF="M001",
                             COUNTER_SECOND_STAFF_PASSWORD=PASSWORD, **admin("A001"))
    assert code == 0 and "已重新启用 / reactivated: S001" in out, err
    assert [e.action for e in events(demo_db) if e.action.startswith("staff.")] == [
        "staff.unlock", "staff.password_reset", "staff.deactivate", "staff.reactivate"]


def test_new_passwords_are_asked_twice_on_a_terminal(
        demo_db, db_url: str, counter, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    answers: list[str] = []
    monkeypatch.setattr(prompts.getpass, "getpass", lambda _prompt: answers.pop(0))
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    answers[:] = [PASSWORD, NEW, NEW + "x"]  # M001's password, then two that differ
    code, _out, err = counter("staff", "reset-password", "C002", "--db", db_url,
                              COUNTER_STAFF="M001")
    assert code == 2 and "两次输入的新密码不一致" in err and not answers
    assert not staff_row(demo_db, "C002").must_change_password  # nothing was changed
    answers[:] = [PASSWORD, NEW, NEW]
    code, out, err = counter("staff", "reset-password", "C002", "--db", db_url,
                             COUNTER_STAFF="M001")
    assert code == 0 and "密码已重置" in out, err
    assert staff_row(demo_db, "C002").must_change_password
