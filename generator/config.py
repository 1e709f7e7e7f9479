"""Settings from `[tool.specfirst]` in the nearest pyproject.toml (per-API tables included), validated by pydantic."""

from __future__ import annotations

import argparse
import re
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import UsageError
from .load import display_path

Output = Literal["models", "clients", "docs"]
OUTPUTS: tuple[Output, ...] = ("models", "clients", "docs")
_IDENTIFIER = r"^[A-Za-z_][A-Za-z0-9_]*$"


class ApiSettings(BaseModel):
    """`[tool.specfirst.apis.NAME]`: how one spec is generated; unset keys keep the defaults."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    spec: str | None = None  # relative to the project root; default spec_dir/NAME.yaml
    package: str | None = Field(default=None, pattern=_IDENTIFIER)  # default: from the spec's file name
    outputs: tuple[Output, ...] = OUTPUTS
    docs_languages: tuple[Literal["zh", "en"], ...] | None = Field(default=None, min_length=1)
    client_class: str = Field(default="Client", pattern=_IDENTIFIER)
    async_client_class: str = Field(default="AsyncClient", pattern=_IDENTIFIER)
    base_url: str | None = None  # the clients' default base URL (default: the spec's first server)
    distribution: bool | None = None  # a publishable package (pyproject.toml, README); default: the top-level key
    changelog_base: str | None = Field(default=None, min_length=1)  # a git ref: the docs list changes since it

    @field_validator("outputs")
    @classmethod
    def _clients_need_models(cls, outputs: tuple[Output, ...]) -> tuple[Output, ...]:
        if "clients" in outputs and "models" not in outputs:
            raise ValueError("'clients' needs 'models' too")
        return tuple(sorted(set(outputs), key=OUTPUTS.index))


class Settings(BaseModel):
    """Where specs live and where generated code goes; paths are relative to the project root."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    spec_dir: str = "spec"
    out_dir: str = "generated"
    distribution: bool = False
    apis: dict[str, ApiSettings] = {}
    # tables other commands own and validate themselves
    lint: dict[str, Any] = {}
    diff: dict[str, Any] = {}
    mock: dict[str, Any] = {}
    contract: dict[str, Any] = {}
    docs: dict[str, Any] = {}
    root: Path = Path()
    source: Path | None = None  # the pyproject.toml these came from

    @property
    def spec_path(self) -> Path:
        return self.root / self.spec_dir

    @property
    def out_path(self) -> Path:
        return self.root / self.out_dir

    def api_specs(self) -> dict[Path, ApiSettings]:
        """Each configured API's spec file (resolved) and its settings."""
        found: dict[Path, ApiSettings] = {}
        for name, api in self.apis.items():
            spec = self.root / (api.spec or f"{self.spec_dir}/{name}.yaml")
            found[spec.resolve()] = api
        return found


def _locate(text: str, loc: tuple[int | str, ...]) -> tuple[int, int]:
    """line:col of the key at `loc` (below [tool.specfirst]) in the pyproject text, best effort; 1:1 if not found."""
    table = ["tool", "specfirst", *(str(p) for p in loc[:-1])]
    key = str(loc[-1]) if loc else ""
    lines = text.splitlines()
    header = re.compile(r"^\s*\[\s*" + r"\s*\.\s*".join(re.escape(p) for p in table) + r"\s*\]\s*(#.*)?$")
    start = next((i for i, line in enumerate(lines) if header.match(line)), None)
    if start is None:
        return 1, 1
    for i in range(start + 1, len(lines)):
        if lines[i].lstrip().startswith("["):
            break
        found = re.match(r"^(\s*)(" + re.escape(key) + r'|"' + re.escape(key) + r'")\s*=', lines[i])
        if found:
            return i + 1, len(found.group(1)) + 1
    return start + 1, 1


def _message(error: Any) -> str:
    keys = [str(p) for p in error["loc"] if not isinstance(p, int)]
    table = "[tool.specfirst" + "".join(f".{p}" for p in keys[:-1]) + "]"
    key = keys[-1] if keys else ""
    if error["type"] == "extra_forbidden":
        return f"{table} unknown key {key!r}"
    item = "".join(f"[{p}]" for p in error["loc"] if isinstance(p, int))
    return f"{table} {key}{item}: {error['msg']}"


def parse_settings(table: dict[str, Any], pyproject: Path, text: str) -> Settings:
    """Settings from a `[tool.specfirst]` table; UsageError at the offending key's line otherwise."""
    for key in ("root", "source"):  # set by the loader, not the file
        if key in table:
            line, col = _locate(text, (key,))
            raise UsageError(f"{display_path(pyproject)}:{line}:{col}: [tool.specfirst] unknown key {key!r}")
    try:
        return Settings(**table, root=pyproject.parent, source=pyproject)
    except ValidationError as exc:
        first = exc.errors()[0]
        path = tuple(p for p in first["loc"] if not isinstance(p, int))
        line, col = _locate(text, path)
        raise UsageError(f"{display_path(pyproject)}:{line}:{col}: {_message(first)}") from None


def load_settings(start: Path | None = None) -> Settings:
    """The settings of the project containing `start` (default: the working directory)."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                text = pyproject.read_text(encoding="utf-8")
                table = tomllib.loads(text).get("tool", {}).get("specfirst")
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
                raise UsageError(f"{pyproject}: cannot read settings: {exc}") from None
            if table is None:
                continue
            if not isinstance(table, dict):
                raise UsageError(f"{pyproject}:1:1: [tool.specfirst] is not a table")
            return parse_settings(table, pyproject, text)
    return Settings(root=here)


def add_api_arguments(parser: argparse.ArgumentParser) -> None:
    """The flags of `generate` and `check` that override `[tool.specfirst.apis.NAME]` (and its defaults)."""
    parser.add_argument("--package", help="package name (one SPEC only; default: from the file name)")
    parser.add_argument("--outputs", help="comma list of models,clients,docs (default: all)")
    parser.add_argument("--docs-lang", action="append", choices=("zh", "en"), help="docs language (repeatable)")
    parser.add_argument("--client-class", help="name of the sync client class (default: Client)")
    parser.add_argument("--async-client-class", help="name of the async client class (default: AsyncClient)")
    parser.add_argument("--base-url", dest="default_base_url", help="the clients' default base URL")
    parser.add_argument("--distribution", action="store_true", default=None, help="make publishable packages")
    parser.add_argument("--changelog-base", metavar="REF", help=CHANGELOG_HELP)


CHANGELOG_HELP = "git ref the docs' Changes section lists changes since (default: each API's changelog_base)"


def api_settings(settings: Settings, specs: list[Path], args: argparse.Namespace) -> dict[Path, ApiSettings]:
    """Each spec's settings: its `[tool.specfirst.apis.NAME]` table (if any), the CLI flags on top."""
    flags: dict[str, Any] = {
        "package": getattr(args, "package", None),
        "outputs": args.outputs.split(",") if getattr(args, "outputs", None) else None,
        "docs_languages": getattr(args, "docs_lang", None),
        "client_class": getattr(args, "client_class", None),
        "async_client_class": getattr(args, "async_client_class", None),
        "base_url": getattr(args, "default_base_url", None),
        "distribution": getattr(args, "distribution", None),
        "changelog_base": getattr(args, "changelog_base", None),
    }
    flags = {k: v for k, v in flags.items() if v is not None}
    if "package" in flags and len(specs) != 1:
        raise UsageError("--package names the package of one SPEC; give exactly one")
    configured = settings.api_specs()
    found: dict[Path, ApiSettings] = {}
    for spec in specs:
        base = configured.get(spec.resolve(), ApiSettings())
        merged = {**base.model_dump(exclude_unset=True), **flags}
        if merged.get("distribution") is None:
            merged["distribution"] = settings.distribution or None
        try:
            found[spec.resolve()] = ApiSettings(**{k: v for k, v in merged.items() if v is not None})
        except ValidationError as exc:
            first = exc.errors()[0]
            raise UsageError(f"specfirst: --{str(first['loc'][0]).replace('_', '-')}: {first['msg']}") from None
    _check_changelog_bases(settings, found, flags.get("changelog_base"))
    return found


def _check_changelog_bases(settings: Settings, found: dict[Path, ApiSettings], flag: str | None) -> None:
    """UsageError at the `changelog_base` key (or naming the flag) when git does not know the ref."""
    refs = {api.changelog_base for api in found.values() if api.changelog_base}
    if not refs:
        return
    from .docs.changelog import known

    for ref in sorted(refs):
        if known(ref):
            continue
        if flag is not None or settings.source is None:
            raise UsageError(f"specfirst: --changelog-base {ref!r}: unknown git revision")
        name = next((n for n, api in sorted(settings.apis.items()) if api.changelog_base == ref), "")
        text = settings.source.read_text(encoding="utf-8")
        line, col = _locate(text, ("apis", name, "changelog_base"))
        where = f"{display_path(settings.source)}:{line}:{col}"
        raise UsageError(f"{where}: [tool.specfirst.apis.{name}] changelog_base {ref!r}: unknown git revision")


def default_specs(settings: Settings) -> list[Path]:
    """Every spec of the project: spec_dir/*.yaml and *.json, and each configured API's spec."""
    found = sorted(settings.spec_path.glob("*.yaml")) + sorted(settings.spec_path.glob("*.json"))
    known = {p.resolve() for p in found}
    for name, api in sorted(settings.apis.items()):
        spec = settings.root / (api.spec or f"{settings.spec_dir}/{name}.yaml")
        if spec.resolve() not in known:
            found.append(spec)
    return found
