"""What the installers rely on, checked without building anything: the data folder named in
counter.ini, the rendered templates, the icon file and the list of shipped licences."""

from __future__ import annotations

import importlib.util
import struct
import sys
import tomllib
from pathlib import Path
from types import ModuleType

import pytest

from app.db import engine
from app.db.engine import DatabaseError, installed_data_dir

ROOT = Path(__file__).resolve().parents[1]


def _load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- counter.ini: where a per-machine install keeps the hall's data -------------------------

def test_no_ini_means_no_installed_folder(tmp_path: Path) -> None:
    assert installed_data_dir(tmp_path) is None


def test_absolute_folder(tmp_path: Path) -> None:
    target = tmp_path / "ProgramData" / "hall-counter"
    (tmp_path / "counter.ini").write_text(f"[paths]\ndata_dir = {target}\n", encoding="utf-8")
    assert installed_data_dir(tmp_path) == target


def test_relative_folder_is_beside_the_program(tmp_path: Path) -> None:
    (tmp_path / "counter.ini").write_text("[paths]\ndata_dir = data\n", encoding="utf-8")
    assert installed_data_dir(tmp_path) == tmp_path / "data"


@pytest.mark.parametrize("encoding", ["utf-16", "gbk", "utf-8-sig"])
def test_ini_as_windows_writes_it(tmp_path: Path, encoding: str,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    # Inno Setup writes through the Windows API (UTF-16 with BOM or the ANSI code page, GBK on
    # a Chinese Windows); Notepad adds a UTF-8 BOM.
    monkeypatch.setattr("locale.getpreferredencoding", lambda do_setlocale=True: "gbk")
    target = tmp_path / "营业厅数据"
    (tmp_path / "counter.ini").write_bytes(
        f"[paths]\r\ndata_dir={target}\r\n".encode(encoding))
    assert installed_data_dir(tmp_path) == target


def test_a_broken_ini_is_an_error_not_an_empty_database(tmp_path: Path) -> None:
    ini = tmp_path / "counter.ini"
    ini.write_text("[paths]\n", encoding="utf-8")
    with pytest.raises(DatabaseError, match="data_dir"):
        installed_data_dir(tmp_path)
    ini.write_text("data_dir = x\n", encoding="utf-8")  # no section
    with pytest.raises(DatabaseError, match=r"counter\.ini"):
        installed_data_dir(tmp_path)


def test_data_dir_order_env_then_ini_then_user_folder(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    program = tmp_path / "Program Files" / "Hall Counter"
    program.mkdir(parents=True)
    exe = program / "counter.exe"
    exe.write_bytes(b"")
    shared = tmp_path / "ProgramData" / "hall-counter"
    (program / "counter.ini").write_text(f"[paths]\ndata_dir = {shared}\n", encoding="utf-8")
    monkeypatch.setattr(sys, "executable", str(exe))
    monkeypatch.setattr(sys, "frozen", True, raising=False)

    monkeypatch.setenv("COUNTER_DATA_DIR", str(tmp_path / "env"))
    assert engine.data_dir() == tmp_path / "env"
    monkeypatch.delenv("COUNTER_DATA_DIR")
    assert engine.data_dir() == shared
    monkeypatch.delenv("COUNTER_DB", raising=False)
    assert engine.default_db_url() == f"sqlite:///{shared / engine.DB_FILE}"

    (program / "counter.ini").unlink()
    assert engine.data_dir() != shared  # the user's data folder (platformdirs)


def test_ini_is_ignored_when_not_frozen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a counter.ini lying in a venv's bin folder must not move a developer's database
    (tmp_path / "counter.ini").write_text("[paths]\ndata_dir = elsewhere\n", encoding="utf-8")
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    monkeypatch.delattr(sys, "frozen", raising=False)
    assert installed_data_dir() is None


# -- the templates ---------------------------------------------------------------------------

def test_templates_are_filled_from_pyproject(tmp_path: Path) -> None:
    render = _load(ROOT / "installer" / "render_templates.py")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert render.main(["--out", str(tmp_path)]) == 0
    iss = (tmp_path / "counter.iss").read_bytes()
    assert iss.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Inno Setup then reads the Chinese
    text = iss.decode("utf-8-sig")
    assert f"AppVersion={project['version']}\r\n" in text
    assert f"OutputBaseFilename={project['name']}-{project['version']}-windows-x64-setup" in text
    assert "@" not in text.replace("@VERSION@", "")  # every placeholder filled
    assert "{commonappdata}\\hall-counter" in text
    assert 'Key: "data_dir"' in text  # the lookup of app/db/engine.py installed_data_dir
    assert "usPostUninstall" in text and "MB_DEFBUTTON2" in text  # data kept unless asked
    desktop = (tmp_path / "hall-counter.desktop").read_text(encoding="utf-8")
    assert project["version"] in desktop
    assert "Exec=@EXEC@" in desktop and "Icon=@ICON@" in desktop  # filled by install.sh


def test_render_refuses_unknown_placeholders() -> None:
    render = _load(ROOT / "installer" / "render_templates.py")
    assert render.render("v@VERSION@ @EXEC@", {"VERSION": "1"}) == "v1 @EXEC@"
    with pytest.raises(SystemExit, match="VERSON"):
        render.render("@VERSON@", {"VERSION": "1"})
    values = render.project_values()
    assert len(values["VERSION_NUMERIC"].split(".")) == 4


# -- the icon --------------------------------------------------------------------------------

def test_ico_holds_every_size_windows_asks_for() -> None:
    data = (ROOT / "resources" / "icons" / "counter.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1)
    sizes = {}
    for i in range(count):
        w, h, _, _, planes, bpp, length, offset = struct.unpack_from("<BBBBHHII", data, 6 + 16 * i)
        size = w or 256
        assert w == h and planes == 1 and bpp == 32
        blob = data[offset:offset + length]
        assert len(blob) == length
        if size == 256:
            assert blob[:8] == b"\x89PNG\r\n\x1a\n"
        else:  # BITMAPINFOHEADER, height doubled (image + mask)
            assert struct.unpack_from("<Iii", blob) == (40, size, size * 2)
        sizes[size] = blob
    assert set(sizes) >= {16, 24, 32, 48, 256}
    png = (ROOT / "resources" / "icons" / "counter.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (256, 256)


# -- licences --------------------------------------------------------------------------------

def test_shipped_distributions_and_licences() -> None:
    from app.licensing import runtime_components

    components = {c.name.lower().replace("_", "-"): c for c in runtime_components()}
    assert next(iter(components)) == "hall-counter"
    for name in ("sqlalchemy", "alembic", "reportlab", "pyside6-essentials", "keyring",
                 "argon2-cffi", "psycopg", "psycopg-binary", "cryptography"):
        assert name in components, name
    assert "pytest" not in components and "pyinstaller" not in components  # dev only
    assert "LGPL" in components["pyside6-essentials"].licence
    assert components["sqlalchemy"].licence == "MIT"
    assert (ROOT / "resources" / "licenses" / "LGPL-3.0.txt").is_file()
    assert (ROOT / "resources" / "licenses" / "GPL-3.0.txt").is_file()
