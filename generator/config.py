"""Settings from `[tool.specfirst]` in the nearest pyproject.toml (per-API tables included), validated here (plain
dataclasses: every command reads them first, so they stay cheap to import)."""

from __future__ import annotations

import argparse
import json
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

from .errors import UsageError
from .load import display_path

Output = Literal["models", "clients", "docs"]
OUTPUTS: tuple[Output, ...] = ("models", "clients", "docs")
LANGS = ("zh", "en")
_IDENTIFIER = r"^[A-Za-z_][A-Za-z0-9_]*$"
Loc = tuple[int | str, ...]


class InvalidSetting(Exception):
    """A value that does not fit its key: where (`loc`, below [tool.specfirst]), what kind of error, the message
    (worded as pydantic words it: the messages users and tests know)."""

    def __init__(self, loc: Loc, kind: str, message: str) -> None:
        super().__init__(message)
        self.loc, self.kind, self.message = loc, kind, message


def _text(value: Any, loc: Loc) -> str:
    if not isinstance(value, str):
        raise InvalidSetting(loc, "string_type", "Input should be a valid string")
    return value


def _named(value: Any, loc: Loc) -> str:
    if re.match(_IDENTIFIER, _text(value, loc)) is None:
        raise InvalidSetting(loc, "string_pattern_mismatch", f"String should match pattern '{_IDENTIFIER}'")
    return str(value)


def _some_text(value: Any, loc: Loc) -> str:
    if not _text(value, loc):
        raise InvalidSetting(loc, "string_too_short", "String should have at least 1 character")
    return str(value)


_TRUE = {"true", "yes", "on", "1", "t", "y"}
_FALSE = {"false", "no", "off", "0", "f", "n"}


def _flag(value: Any, loc: Loc) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.lower() in _TRUE | _FALSE:
        return value.lower() in _TRUE
    raise InvalidSetting(loc, "bool_parsing", "Input should be a valid boolean")


def _table(value: Any, loc: Loc) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidSetting(loc, "dict_type", "Input should be a valid dictionary")
    return value


def _choices(choices: tuple[str, ...]) -> Callable[[Any, Loc], tuple[str, ...]]:
    """A list of some of `choices`."""
    said = ", ".join(f"'{c}'" for c in choices[:-1]) + f" or '{choices[-1]}'"

    def check(value: Any, loc: Loc) -> tuple[str, ...]:
        if not isinstance(value, list | tuple):
            raise InvalidSetting(loc, "tuple_type", "Input should be a valid tuple")
        for number, item in enumerate(value):
            if item not in choices:
                raise InvalidSetting((*loc, number), "literal_error", f"Input should be {said}")
        return tuple(value)

    return check


def _outputs(value: Any, loc: Loc) -> tuple[Output, ...]:
    outputs = _choices(OUTPUTS)(value, loc)
    if "clients" in outputs and "models" not in outputs:
        raise InvalidSetting(loc, "value_error", "Value error, 'clients' needs 'models' too")
    return tuple(o for o in OUTPUTS if o in outputs)


def _languages(value: Any, loc: Loc) -> tuple[str, ...]:
    found = _choices(LANGS)(value, loc)
    if not found:
        raise InvalidSetting(loc, "too_short", "Tuple should have at least 1 item after validation, not 0")
    return found


def _parsed(cls: type[Any], table: Mapping[str, Any], checks: Mapping[str, Callable[[Any, Loc], Any]], loc: Loc) -> Any:
    """`cls` from `table`, each key checked (`checks`); InvalidSetting at the first unknown key or bad value."""
    values = {}
    for name, value in table.items():
        if name not in checks:
            raise InvalidSetting((*loc, name), "extra_forbidden", "Extra inputs are not permitted")
        values[name] = value if value is None and name in _OPTIONAL else checks[name](value, (*loc, name))
    return cls(**values, given=frozenset(values))


_OPTIONAL = frozenset({"spec", "package", "docs_languages", "base_url", "distribution", "changelog_base"})


@dataclass(frozen=True)
class ApiSettings:
    """`[tool.specfirst.apis.NAME]`: how one spec is generated; unset keys keep the defaults."""

    spec: str | None = None  # relative to the project root; default spec_dir/NAME.yaml
    package: str | None = None  # default: from the spec's file name
    outputs: tuple[Output, ...] = OUTPUTS
    docs_languages: tuple[str, ...] | None = None
    client_class: str = "Client"
    async_client_class: str = "AsyncClient"
    base_url: str | None = None  # the clients' default base URL (default: the spec's first server)
    distribution: bool | None = None  # a publishable package (pyproject.toml, README); default: the top-level key
    changelog_base: str | None = None  # a git ref: the docs list changes since it
    given: frozenset[str] = field(default=frozenset(), compare=False, repr=False)  # the keys set, not defaulted

    @classmethod
    def parse(cls, table: Mapping[str, Any], loc: Loc = ()) -> ApiSettings:
        """The settings a table (or the flags) gives; InvalidSetting at the first key that does not fit."""
        checked: ApiSettings = _parsed(cls, table, _API_CHECKS, loc)
        return checked

    def explicit(self) -> dict[str, Any]:
        """The keys that were set, with their values."""
        return {name: getattr(self, name) for name in self.given}

    def changed_json(self, exclude: frozenset[str]) -> str:
        """The keys whose values differ from the defaults (but `exclude`), as compact JSON in field order."""
        changed = {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name != "given" and f.name not in exclude and getattr(self, f.name) != f.default
        }
        return json.dumps(changed, separators=(",", ":"), ensure_ascii=False)


_API_CHECKS: dict[str, Callable[[Any, Loc], Any]] = {
    "spec": _text,
    "package": _named,
    "outputs": _outputs,
    "docs_languages": _languages,
    "client_class": _named,
    "async_client_class": _named,
    "base_url": _text,
    "distribution": _flag,
    "changelog_base": _some_text,
}


@dataclass(frozen=True)
class Settings:
    """Where specs live and where generated code goes; paths are relative to the project root."""

    spec_dir: str = "spec"
    out_dir: str = "generated"
    distribution: bool = False
    apis: dict[str, ApiSettings] = field(default_factory=dict)
    # tables other commands own and validate themselves
    lint: dict[str, Any] = field(default_factory=dict)
    diff: dict[str, Any] = field(default_factory=dict)
    mock: dict[str, Any] = field(default_factory=dict)
    contract: dict[str, Any] = field(default_factory=dict)
    docs: dict[str, Any] = field(default_factory=dict)
    root: Path = Path()
    source: Path | None = None  # the pyproject.toml these came from
    given: frozenset[str] = field(default=frozenset(), compare=False, repr=False)

    @classmethod
    def parse(cls, table: Mapping[str, Any], root: Path, source: Path | None = None) -> Settings:
        """The settings a `[tool.specfirst]` table gives; InvalidSetting at the first key that does not fit."""
        checked: Settings = _parsed(cls, {**table, "root": root, "source": source}, _CHECKS, ())
        return checked

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


def _apis(value: Any, loc: Loc) -> dict[str, ApiSettings]:
    return {
        name: ApiSettings.parse(_table(api, (*loc, name)), (*loc, name)) for name, api in _table(value, loc).items()
    }


_CHECKS: dict[str, Callable[[Any, Loc], Any]] = {
    "spec_dir": _text,
    "out_dir": _text,
    "distribution": _flag,
    "apis": _apis,
    **{name: _table for name in ("lint", "diff", "mock", "contract", "docs")},
    "root": lambda value, loc: value,
    "source": lambda value, loc: value,
}


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


def _message(error: InvalidSetting) -> str:
    keys = [str(p) for p in error.loc if not isinstance(p, int)]
    table = "[tool.specfirst" + "".join(f".{p}" for p in keys[:-1]) + "]"
    key = keys[-1] if keys else ""
    if error.kind == "extra_forbidden":
        return f"{table} unknown key {key!r}"
    item = "".join(f"[{p}]" for p in error.loc if isinstance(p, int))
    return f"{table} {key}{item}: {error.message}"


def parse_settings(table: dict[str, Any], pyproject: Path, text: str) -> Settings:
    """Settings from a `[tool.specfirst]` table; UsageError at the offending key's line otherwise."""
    for key in ("root", "source", "given"):  # set by the loader, not the file
        if key in table:
            line, col = _locate(text, (key,))
            raise UsageError(f"{display_path(pyproject)}:{line}:{col}: [tool.specfirst] unknown key {key!r}")
    try:
        return Settings.parse(table, pyproject.parent, pyproject)
    except InvalidSetting as exc:
        path = tuple(p for p in exc.loc if not isinstance(p, int))
        line, col = _locate(text, path)
        raise UsageError(f"{display_path(pyproject)}:{line}:{col}: {_message(exc)}") from None


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
        merged = {**base.explicit(), **flags}
        if merged.get("distribution") is None:
            merged["distribution"] = settings.distribution or None
        try:
            found[spec.resolve()] = ApiSettings.parse({k: v for k, v in merged.items() if v is not None})
        except InvalidSetting as exc:
            raise UsageError(f"specfirst: --{str(exc.loc[0]).replace('_', '-')}: {exc.message}") from None
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
