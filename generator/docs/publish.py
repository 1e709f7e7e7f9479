"""Write the docs folder atomically with its own manifest, or say how it differs from a fresh build."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Mapping
from pathlib import Path

from ..docs import LANGS, Documents, render_docs

__all__ = ["FOLDER", "LANGS", "expected", "is_current", "publish"]
from ..load import display_path
from ..write import (
    MANIFEST,
    TMP_PREFIX,
    clean_leftovers,
    manifest,
    replace_folder,
    write_tree,
)
from ..write import is_current as current

FOLDER = "docs"
Sources = list[tuple[Path, str]]  # (spec file, package name)


PerApi = Mapping[str, tuple[str, ...]]  # package -> its own docs languages (from [tool.specfirst.apis.NAME])


def inputs(specs: Sources, generator: str, langs: tuple[str, ...], per_api: PerApi | None = None) -> dict[str, str]:
    """What the docs folder is made from: every spec, the generator, the languages."""
    found = {f"spec:{package}": hashlib.sha256(spec.read_bytes()).hexdigest() for spec, package in specs}
    own = {f"langs:{package}": ",".join(chosen) for package, chosen in sorted((per_api or {}).items())}
    return {**found, "generator": generator, "langs": ",".join(langs), **own}


def is_current(
    folder: Path, specs: Sources, generator: str, langs: tuple[str, ...] = LANGS, per_api: PerApi | None = None
) -> bool:
    """The folder holds what publish would write now (by its manifest)."""
    return current(folder, inputs(specs, generator, langs, per_api))


def expected(
    specs: Sources, documents: Documents, generator: str, langs: tuple[str, ...] = LANGS, per_api: PerApi | None = None
) -> dict[str, bytes]:
    """Every file the docs folder should hold, its manifest included."""
    files = render_docs(specs, documents, langs, per_api)
    return {**files, MANIFEST: manifest(inputs(specs, generator, langs, per_api), files)}


def publish(folder: Path, files: dict[str, bytes]) -> str:
    """Replace `folder` with `files` (what `expected` returned) in one step; one report line."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(folder.parent)
    with tempfile.TemporaryDirectory(prefix=TMP_PREFIX, dir=folder.parent) as tmp:
        staged = Path(tmp) / folder.name
        write_tree(staged, files)
        replace_folder(staged, folder)
    return f"{display_path(folder)}: written"
