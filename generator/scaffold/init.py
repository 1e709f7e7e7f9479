"""Write the scaffold into a folder: each file written, merged or skipped (never overwritten without --force)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..errors import UsageError
from ..load import display_path, load
from ..naming import snake
from ..render import environment
from . import merge

TEMPLATES = Path(__file__).parent / "templates"
SPEC_DIR = "spec"
OUT_DIR = "generated"


@dataclass
class Report:
    """What init did to each file, in order, and what the user still has to do."""

    lines: list[str] = field(default_factory=list)
    todo: list[str] = field(default_factory=list)

    def add(self, path: Path, what: str) -> None:
        self.lines.append(f"{display_path(path)}: {what}")


def _write(path: Path, text: str, force: bool, report: Report) -> bool:
    """Write a file specfirst owns whole; an existing one only with --force."""
    if path.exists() and not force:
        report.add(path, "exists, skipped (--force overwrites it)")
        return False
    existed = path.exists()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    report.add(path, "overwritten" if existed else "written")
    return True


def _merge(path: Path, fresh: str, merged: tuple[str | None, str] | None, report: Report) -> None:
    """Write `fresh` where there is no file, else the merge's text (or say why the file was left alone)."""
    if merged is None:
        path.write_text(fresh, encoding="utf-8")
        report.add(path, "written")
        return
    text, why = merged
    if text is None:
        report.add(path, f"left alone: {why}")
        if not why.startswith("already"):
            report.todo.append(f"{display_path(path)}: {why}")
    else:
        path.write_text(text, encoding="utf-8")
        report.add(path, f"merged: {why}")


def scaffold(folder: Path, source: Path | None, force: bool) -> Report:
    """Scaffold a spec-first project in `folder` (created when missing)."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"specfirst init: {display_path(folder)} is not a folder")
    # a spec that cannot be read, parsed or bundled stops here, with its own one-line error
    pulled_in = load(source).sources if source is not None else ()
    folder.mkdir(parents=True, exist_ok=True)
    name = snake((source.name.split(".")[0] if source else folder.resolve().name), fallback="api")
    spec_file = source.name if source else f"{name.replace('_', '-')}.yaml"
    env = environment(TEMPLATES)
    values = {
        "name": name,
        "title": name.replace("_", " ").title() + " API",
        "package": name,
        "spec_dir": SPEC_DIR,
        "out_dir": OUT_DIR,
        "spec_file": spec_file,
        "version": __version__,
    }
    report = Report()
    spec = folder / SPEC_DIR / spec_file
    if source is not None and spec.exists() and source.resolve() == spec.resolve():
        report.add(spec, "is the spec already")
    elif _write(spec, "", force, report):
        if source is not None:
            shutil.copyfile(source, spec)
        else:
            spec.write_text(env.get_template("spec.yaml.jinja").render(values), encoding="utf-8")
    if source is not None and source.resolve() != spec.resolve():
        base = source.resolve().parent
        for pulled in pulled_in:  # the files its `$ref`s pull in, at the same place beside it
            copy = spec.parent / pulled.relative_to(base)
            if _write(copy, "", force, report):
                shutil.copyfile(pulled, copy)

    section = env.get_template("pyproject.toml.jinja").render(values)
    pyproject = folder / "pyproject.toml"
    existing = pyproject.read_text(encoding="utf-8") if pyproject.exists() else None
    _merge(pyproject, section.lstrip(), None if existing is None else merge.merge_pyproject(existing, section), report)

    _write(folder / "specfirst.mk", env.get_template("specfirst.mk.jinja").render(values), force, report)
    makefile = folder / "Makefile"
    existing = makefile.read_text(encoding="utf-8") if makefile.exists() else None
    fresh = "# `make help` is yours to add; the specfirst targets live in specfirst.mk\ninclude specfirst.mk\n"
    _merge(makefile, fresh, None if existing is None else merge.merge_makefile(existing), report)

    workflow = folder / ".github" / "workflows" / "specfirst.yml"
    _write(workflow, env.get_template("workflow.yml.jinja").render(values), force, report)

    def entry(indent: str) -> str:
        return env.get_template("pre-commit-entry.yaml.jinja").render(values, indent=indent)

    precommit = folder / ".pre-commit-config.yaml"
    existing = precommit.read_text(encoding="utf-8") if precommit.exists() else None
    fresh = "repos:\n" + entry("  ")
    _merge(precommit, fresh, None if existing is None else merge.merge_precommit(existing, entry), report)
    return report
