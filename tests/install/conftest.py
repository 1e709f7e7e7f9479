"""One clean virtual environment per test run with specfirst's wheel installed (no extras), shared by the tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.install import wheelhouse


@dataclass(frozen=True)
class CleanVenv:
    """A venv holding the specfirst wheel and its dependencies only; `run` runs a command with its bin/ first."""

    root: Path
    wheel: Path
    wheels: Path  # the local wheelhouse it was installed from

    @property
    def bin(self) -> Path:
        return self.root / "bin"

    @property
    def python(self) -> Path:
        return self.bin / "python"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV", "CI", "FORCE_COLOR"}}
        return {**env, "PATH": f"{self.bin}{os.pathsep}{env.get('PATH', '')}", "VIRTUAL_ENV": str(self.root)}

    def run(self, *args: str, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            list(args), cwd=cwd, env=self.env(), capture_output=True, text=True, timeout=timeout, check=False
        )

    def pip_install(self, *args: str) -> None:
        """Install into this venv with the test runner's pip, offline from the wheelhouse.

        It runs with this venv's environment: an inherited PYTHONPATH holding the checkout (as `make test` exports)
        would show pip the editable install's specfirst.egg-info, and pip would skip installing the wheel.
        """
        pip = [sys.executable, "-m", "pip", "--python", str(self.python), "install", "--quiet", "--no-compile"]
        done = subprocess.run(
            [*pip, "--no-index", "--find-links", str(self.wheels), *args],
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-3000:]


def build_wheel(source: Path, out: Path) -> Path:
    """`pip wheel --no-deps` of the project in `source` (copied first, so no build/ folder is left behind)."""
    with_build = out / f"src-{source.name}"
    shutil.copytree(source, with_build, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "build"))
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(out), str(with_build)],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    shutil.rmtree(with_build)
    (wheel,) = out.glob("*.whl")
    return wheel


@pytest.fixture(scope="session")
def clean_venv(tmp_path_factory: pytest.TempPathFactory) -> CleanVenv:
    base = tmp_path_factory.mktemp("clean-venv")
    source = base / "specfirst"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "generator", source / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    dist = base / "dist"
    dist.mkdir()
    wheel = build_wheel(source, dist)
    wheels = base / "wheelhouse"
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    wheelhouse.build(dependencies, wheels)
    venv = CleanVenv(base / "venv", wheel, wheels)
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv.root)], check=True, timeout=120)
    venv.pip_install(str(wheel))
    assert (venv.bin / "specfirst").is_file(), f"the wheel's console script is missing from {venv.bin}"
    return venv
