"""Write the docs folder atomically with its own manifest, or say how it differs from a fresh build.

The folder documents every API it was given, now or before: a run with fewer specs re-renders the APIs of the
specs it was given and keeps the others' pages as they are (their index rows come from the manifest), so that
generating a subset never removes what belongs to specs that were not given.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from ..docs import LANGS, Documents, api_files, render_docs
from ..docs.model import IndexEntry

__all__ = ["FOLDER", "LANGS", "Kept", "expected", "is_current", "kept", "publish"]
from ..load import display_path
from ..write import (
    MANIFEST,
    TMP_PREFIX,
    clean_leftovers,
    ensure_folder,
    manifest,
    replace_folder,
    write_tree,
)
from ..write import is_current as current

FOLDER = "docs"
Sources = list[tuple[Path, str]]  # (spec file, package name)


@dataclass(frozen=True)
class Kept:
    """APIs whose specs were not given this run but whose pages stay in the folder as they are."""

    inputs: dict[str, str] = field(default_factory=dict)  # their api:<package> inputs, as recorded
    entries: tuple[IndexEntry, ...] = ()
    files: dict[str, bytes] = field(default_factory=dict)


NOTHING = Kept()


def kept(folder: Path, specs: Sources, langs: tuple[str, ...] = LANGS, present: Collection[str] | None = None) -> Kept:
    """The APIs the folder's manifest records, other than `specs`' (and, given `present`, only those named
    there): their recorded inputs, index rows and files, read now. Nothing when the languages differ."""
    try:
        recorded = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        inputs, apis = recorded["inputs"], recorded.get("apis", {})
        if not isinstance(inputs, dict) or not isinstance(apis, dict) or inputs.get("langs") != ",".join(langs):
            return NOTHING
    except (OSError, ValueError, KeyError, TypeError):
        return NOTHING
    given = {package for _, package in specs}
    found = Kept()
    entries: list[IndexEntry] = []
    for package, data in sorted(apis.items()):
        key = f"api:{package}"
        if package in given or (present is not None and package not in present) or key not in inputs:
            continue
        try:
            entry = IndexEntry.from_json(package, data)
            files = {name: (folder / name).read_bytes() for name in api_files(package, langs)}
        except (ValueError, OSError):  # not an entry, or its pages are gone: nothing left to keep
            continue
        found.inputs[key] = str(inputs[key])
        found.files.update(files)
        entries.append(entry)
    return Kept(found.inputs, tuple(entries), found.files)


def inputs(specs: Sources, generator: str, langs: tuple[str, ...], keep: Kept = NOTHING) -> dict[str, str]:
    """What the docs folder is made from: every API's spec and the generator that rendered it, the languages."""
    found = {
        f"api:{package}": f"{hashlib.sha256(spec.read_bytes()).hexdigest()} {generator}" for spec, package in specs
    }
    return {**keep.inputs, **found, "langs": ",".join(langs)}


def is_current(
    folder: Path, specs: Sources, generator: str, langs: tuple[str, ...] = LANGS, keep: Kept = NOTHING
) -> bool:
    """The folder holds what publish would write now (by its manifest)."""
    return current(folder, inputs(specs, generator, langs, keep))


def expected(
    specs: Sources, documents: Documents, generator: str, langs: tuple[str, ...] = LANGS, keep: Kept = NOTHING
) -> dict[str, bytes]:
    """Every file the docs folder should hold, its manifest included."""
    rendered, entries = render_docs(specs, documents, langs, keep.entries)
    files = dict(sorted({**keep.files, **rendered}.items()))
    apis = {e.package: e.to_json() for e in sorted([*entries, *keep.entries], key=lambda e: e.package)}
    return {**files, MANIFEST: manifest(inputs(specs, generator, langs, keep), files, apis=apis)}


def publish(folder: Path, files: dict[str, bytes]) -> str:
    """Replace `folder` with `files` (what `expected` returned) in one step; one report line."""
    ensure_folder(folder)  # a file in its place is refused, never swapped out
    clean_leftovers(folder.parent)
    with tempfile.TemporaryDirectory(prefix=TMP_PREFIX, dir=folder.parent) as tmp:
        staged = Path(tmp) / folder.name
        write_tree(staged, files)
        replace_folder(staged, folder)
    return f"{display_path(folder)}: written"
