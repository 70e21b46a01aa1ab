"""Any install: the wheel holds the rubric and the example dossiers, and once installed
outside the repository, `scorer init && scorer compare` works in an empty folder."""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from scorer.scaffold import starter_files
from tests.conftest import ROOT

SOURCES = ("scorer", "rubrics", "projects", "pyproject.toml", "README.md")
"""What a build reads from the repository."""
TODAY = "2026-11-26"


def pip(*args: str, cwd: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet",
                    *args], cwd=cwd, check=True, timeout=300)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel built from a copy of the repository's sources (links kept as links, so the
    build sees what a checkout holds), away from the working tree other runs use."""
    work = tmp_path_factory.mktemp("build")
    source = work / "source"
    source.mkdir()
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, symlinks=True,
                            ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy(path, source / name)
    pip("wheel", "--no-deps", "--wheel-dir", str(work / "dist"), str(source), cwd=work)
    (built,) = (work / "dist").glob("scorer-*.whl")
    return built


def test_the_wheel_holds_every_module_the_rubric_and_the_dossiers(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "scorer").rglob("*.py")}
    assert modules <= names, sorted(modules - names)
    with zipfile.ZipFile(wheel) as archive:
        for name, data in starter_files().items():
            assert archive.read(f"scorer/bundled/{name}") == data, name
    assert "scorer/py.typed" in names


def test_installed_outside_the_repository_init_and_compare_work(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; "
                              "print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    # The dependencies come from this environment; scorer itself only from the wheel.
    ours = {sysconfig.get_paths()["purelib"], *site.getsitepackages()}
    Path(purelib, "dependencies.pth").write_text("\n".join(sorted(ours)) + "\n", "utf-8")
    pip("--python", str(python), "install", "--no-deps", "--no-index", str(wheel),
        cwd=tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    env = {key: value for key, value in os.environ.items() if not key.startswith("SCORER_")}
    env.update(HOME=str(empty), SCORER_TODAY=TODAY, PYTHONPATH="", COLUMNS="100")

    def scorer(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(venv / "bin" / "scorer"), *args], cwd=empty, env=env,
                              capture_output=True, text=True, timeout=120)

    where = subprocess.run([str(python), "-c", "import scorer; print(scorer.__file__)"],
                           cwd=empty, env=env, capture_output=True, text=True, check=True)
    assert where.stdout.startswith(str(venv)), where.stdout  # not the repository's copy
    assert "run `scorer init`" in scorer("compare").stderr
    init = scorer("init")
    assert init.returncode == 0, init.stderr
    assert init.stdout.startswith("wrote a workspace in this folder:")
    table = scorer("compare")
    assert table.returncode == 0, table.stderr
    assert "Render" in table.stdout and "Total /30" in table.stdout
    record = json.loads(scorer("compare", "--format", "json").stdout)
    assert sorted(p["id"] for p in record["projects"]) == sorted(
        p.stem for p in (ROOT / "projects").glob("*.yaml"))
