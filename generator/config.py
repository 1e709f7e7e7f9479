"""Settings from `[tool.specfirst]` in the nearest pyproject.toml, validated by a pydantic model."""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from .errors import UsageError


class Settings(BaseModel):
    """Where specs live and where generated code goes; paths are relative to the project root."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    spec_dir: str = "spec"
    out_dir: str = "generated"
    root: Path = Path()

    @property
    def spec_path(self) -> Path:
        return self.root / self.spec_dir

    @property
    def out_path(self) -> Path:
        return self.root / self.out_dir


def load_settings(start: Path | None = None) -> Settings:
    """The settings of the project containing `start` (default: the working directory)."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                table = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}).get("specfirst")
            except (OSError, tomllib.TOMLDecodeError) as exc:
                raise UsageError(f"{pyproject}: cannot read settings: {exc}") from None
            if table is None:
                continue
            try:
                return Settings(**table, root=folder)
            except ValidationError as exc:
                first = exc.errors()[0]
                where = ".".join(str(p) for p in first["loc"])
                raise UsageError(f"{pyproject}: [tool.specfirst] {where}: {first['msg']}") from None
    return Settings(root=here)
