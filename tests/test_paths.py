"""One module decides where data lives; the flag beats the environment beats the default."""

from __future__ import annotations

from pathlib import Path

from app.base.paths import DataPaths, default_data_dir, resolve_data_dir, resources_dir


def test_precedence(tmp_path):
    env = {"GLABELLA_HOME": str(tmp_path / "env"), "HOME": str(tmp_path / "home")}
    assert resolve_data_dir(tmp_path / "flag", env) == (tmp_path / "flag").resolve()
    assert resolve_data_dir(None, env) == (tmp_path / "env").resolve()
    del env["GLABELLA_HOME"]
    assert resolve_data_dir(None, env) == default_data_dir(env)


def test_platform_defaults():
    home = {"HOME": "/home/ann"}
    assert default_data_dir(home, "linux") == Path("/home/ann/.local/share/Glabella")
    assert default_data_dir({**home, "XDG_DATA_HOME": "/x"}, "linux") == Path("/x/Glabella")
    assert default_data_dir(home, "darwin") == Path(
        "/home/ann/Library/Application Support/Glabella")
    assert default_data_dir({"LOCALAPPDATA": r"C:\Users\ann\AppData\Local"}, "win32").name \
        == "Glabella"


def test_ensure_creates_the_folders(tmp_path):
    paths = DataPaths(tmp_path / "data").ensure()
    assert paths.drafts.is_dir() and paths.exports.is_dir()
    assert paths.database.parent == paths.root


def test_resources_are_found():
    assert (resources_dir() / "fonts" / "DejaVuSans.ttf").is_file()
    assert (resources_dir() / "fonts" / "LICENSE-DejaVu.txt").is_file()
