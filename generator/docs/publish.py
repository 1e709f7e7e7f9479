"""Write the docs folder atomically with its own manifest, or say how it differs from a fresh build."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Mapping
from pathlib import Path

from .. import ir
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


Langs = tuple[str, ...] | None  # --lang: one language for every API; None: each API's own
ApiLangs = Mapping[str, tuple[str, ...]] | None  # configured languages by package


def inputs(specs: Sources, generator: str, langs: Langs, api_langs: ApiLangs, site: bool = False) -> dict[str, str]:
    """What the docs folder is made from: every spec, the generator, the languages (and the site's extras)."""
    found = {f"spec:{package}": hashlib.sha256(spec.read_bytes()).hexdigest() for spec, package in specs}
    configured = {f"langs:{k}": ",".join(v) for k, v in sorted((api_langs or {}).items())}
    extra = {"site": "yes"} if site else {}
    return {**found, **configured, **extra, "generator": generator, "langs": ",".join(langs) if langs else "auto"}


def is_current(
    folder: Path, specs: Sources, generator: str, langs: Langs = None, *, api_langs: ApiLangs = None, site: bool = False
) -> bool:
    """The folder holds what publish would write now (by its manifest)."""
    return current(folder, inputs(specs, generator, langs, api_langs, site))


def expected(
    specs: Sources,
    documents: Documents,
    generator: str,
    langs: Langs = None,
    *,
    api_langs: ApiLangs = None,
    clients: Mapping[str, ir.Api] | None = None,
    site: bool = False,
) -> dict[str, bytes]:
    """Every file the docs folder should hold, its manifest included (`site`: a static site's extras too)."""
    files = render_docs(specs, documents, langs, api_langs=api_langs, clients=clients, site=site)
    return {**files, MANIFEST: manifest(inputs(specs, generator, langs, api_langs, site), files)}


def publish(folder: Path, files: dict[str, bytes]) -> str:
    """Replace `folder` with `files` (what `expected` returned) in one step; one report line."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(folder.parent)
    with tempfile.TemporaryDirectory(prefix=TMP_PREFIX, dir=folder.parent) as tmp:
        staged = Path(tmp) / folder.name
        write_tree(staged, files)
        replace_folder(staged, folder)
    return f"{display_path(folder)}: written"
