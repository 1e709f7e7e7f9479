"""Write the docs folder atomically with its own manifest, or say how it differs from a fresh build."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

from generator.docs import LANGS, render_docs

__all__ = ["FOLDER", "LANGS", "differences", "expected", "publish"]
from generator.load import display_path
from generator.write import (
    MANIFEST,
    TMP_PREFIX,
    clean_leftovers,
    diff_trees,
    is_current,
    manifest,
    replace_folder,
    tree_files,
    write_tree,
)

FOLDER = "docs"
Sources = list[tuple[Path, str]]  # (spec file, package name)


def inputs(specs: Sources, generator: str, langs: tuple[str, ...]) -> dict[str, str]:
    """What the docs folder is made from: every spec, the generator, the languages."""
    found = {f"spec:{package}": hashlib.sha256(spec.read_bytes()).hexdigest() for spec, package in specs}
    return {**found, "generator": generator, "langs": ",".join(langs)}


def expected(
    specs: Sources, generator: str, langs: tuple[str, ...] = LANGS, *, allow_remote_refs: bool = False
) -> dict[str, bytes]:
    """Every file the docs folder should hold, its manifest included."""
    files = render_docs(specs, langs, allow_remote_refs=allow_remote_refs)
    return {**files, MANIFEST: manifest(inputs(specs, generator, langs), files)}


def publish(
    specs: Sources, folder: Path, generator: str, langs: tuple[str, ...] = LANGS, *, allow_remote_refs: bool = False
) -> str:
    """Replace `folder` with a fresh reference in one step (nothing when it is current); one report line."""
    shown = display_path(folder)
    if is_current(folder, inputs(specs, generator, langs)):
        return f"{shown}: up to date"
    folder.parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(folder.parent)
    files = expected(specs, generator, langs, allow_remote_refs=allow_remote_refs)
    with tempfile.TemporaryDirectory(prefix=TMP_PREFIX, dir=folder.parent) as tmp:
        staged = Path(tmp) / folder.name
        write_tree(staged, files)
        replace_folder(staged, folder)
    return f"{shown}: written"


def differences(specs: Sources, folder: Path, generator: str, langs: tuple[str, ...] = LANGS) -> list[str]:
    """`<folder>/<file>: missing|extra|changed` for every file that is not what publish would write."""
    shown = display_path(folder)
    lines = diff_trees(expected(specs, generator, langs), tree_files(folder))
    return [f"{shown}/{line.split(': ', 1)[1]}: {line.split(':')[0]}" for line in lines]
