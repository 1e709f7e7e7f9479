"""Write the docs folder atomically with its own manifest, or say how it differs from a fresh build."""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .. import ir
from ..cache import Cache
from ..docs import LANGS, Documents, prepare_docs
from ..docs.changelog import Base
from ..docs.model import IndexEntry

__all__ = ["FOLDER", "LANGS", "Base", "Kept", "is_current", "kept", "prepare", "publish", "recorded"]
from ..load import display_path
from ..write import (
    MANIFEST,
    TMP_PREFIX,
    clean_leftovers,
    ensure_folder,
    manifest,
    recorded_refs,
    ref_inputs,
    replace_folder,
    write_tree,
)
from ..write import is_current as current

FOLDER = "docs"
Sources = list[tuple[Path, str]]  # (spec file, package name)


Langs = tuple[str, ...] | None  # --lang: one language for every API; None: each API's own
ApiLangs = Mapping[str, tuple[str, ...]] | None  # configured languages by package
Changelogs = Mapping[str, Base] | None  # the changelog bases by package
ApiClients = Mapping[str, tuple[str, str]] | None  # configured client class names (sync, async) by package


@dataclass(frozen=True)
class Kept:
    """APIs whose specs were not given this run but whose pages stay in the folder as they are."""

    inputs: dict[str, str] = field(default_factory=dict)  # their <kind>:<package> inputs, as recorded
    entries: tuple[IndexEntry, ...] = ()
    files: dict[str, bytes] = field(default_factory=dict)


NOTHING = Kept()


def kept(folder: Path, specs: Sources, present: Collection[str] | None = None) -> Kept:
    """The APIs the folder's manifest records, other than `specs`' (and, given `present`, only those named
    there): their recorded inputs, index rows and files, read now."""
    try:
        recorded = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        inputs, apis = recorded["inputs"], recorded.get("apis", {})
        if not isinstance(inputs, dict) or not isinstance(apis, dict):
            return NOTHING
    except (OSError, ValueError, KeyError, TypeError):
        return NOTHING
    given = {package for _, package in specs}
    found = Kept()
    entries: list[IndexEntry] = []
    for package, data in sorted(apis.items()):
        if package in given or (present is not None and package not in present):
            continue
        try:
            entry = IndexEntry.from_json(package, data)
            files = {name: (folder / name).read_bytes() for name in entry.files}
        except (ValueError, OSError):  # not an entry, or its pages are gone: nothing left to keep
            continue
        found.inputs.update({k: str(v) for k, v in inputs.items() if k.endswith(f":{package}")})
        found.files.update(files)
        entries.append(entry)
    return Kept(found.inputs, tuple(entries), found.files)


def inputs(
    specs: Sources,
    generator: str,
    langs: Langs,
    api_langs: ApiLangs,
    site: bool = False,
    keep: Kept = NOTHING,
    changelogs: Changelogs = None,
    refs: Mapping[str, str] | None = None,
    api_clients: ApiClients = None,
) -> dict[str, str]:
    """What the docs folder is made from: every spec (and the files their `$ref`s pull in, `refs`), the
    generator, the languages, the client class names the samples use (and the site's extras)."""
    found = {f"spec:{package}": hashlib.sha256(spec.read_bytes()).hexdigest() for spec, package in specs}
    found.update(refs or {})
    configured = {f"langs:{k}": ",".join(v) for k, v in sorted((api_langs or {}).items())}
    configured.update({f"clients:{k}": ",".join(v) for k, v in sorted((api_clients or {}).items())})
    logs = {f"changelog:{k}": v.input for k, v in sorted((changelogs or {}).items())}
    extra = {"site": "yes"} if site else {}
    made = {"generator": generator, "langs": ",".join(langs) if langs else "auto"}
    return {**keep.inputs, **found, **configured, **logs, **extra, **made}


def is_current(
    folder: Path,
    specs: Sources,
    generator: str,
    langs: Langs = None,
    *,
    api_langs: ApiLangs = None,
    site: bool = False,
    keep: Kept = NOTHING,
    changelogs: Changelogs = None,
    api_clients: ApiClients = None,
) -> bool:
    """The folder holds what publish would write now (by its manifest)."""
    made = inputs(specs, generator, langs, api_langs, site, keep, changelogs, recorded(folder, specs), api_clients)
    return current(folder, made)


def recorded(folder: Path, specs: Sources) -> dict[str, str]:
    """The `$ref`'d files the folder's manifest says each spec's pages were made with, hashed as they are now."""
    return {k: v for spec, package in specs for k, v in recorded_refs(folder, spec, f":{package}").items()}


def prepare(
    specs: Sources,
    documents: Documents,
    generator: str,
    langs: Langs = None,
    *,
    api_langs: ApiLangs = None,
    site: bool = False,
    keep: Kept = NOTHING,
    changelogs: Changelogs = None,
    api_clients: ApiClients = None,
    cache: Cache | None = None,
) -> Callable[[Mapping[str, ir.Api] | None], dict[str, bytes]]:
    """Every file the docs folder should hold, in two steps: the pages but for the operations' Python samples
    now, and a function that adds them given the client models built so far (`prepare_docs`) and returns every
    file, the manifest included (`site`: a static site's extras too; `keep`: the pages of APIs not rendered now,
    which the index still lists; `api_clients`: the client class names of the APIs whose clients are built here)."""
    finish = prepare_docs(
        specs, documents, langs, api_langs=api_langs, site=site, kept=keep.entries, changelogs=changelogs,
        api_clients=api_clients, cache=cache, salt=generator,
    )  # fmt: skip

    def files_of(clients: Mapping[str, ir.Api] | None) -> dict[str, bytes]:
        rendered, entries = finish(clients)
        files = dict(sorted({**keep.files, **rendered}.items()))
        apis = {e.package: e.to_json() for e in sorted([*entries, *keep.entries], key=lambda e: e.package)}
        refs = {
            k: v for spec, package in specs for k, v in ref_inputs(spec, documents(spec).sources, f":{package}").items()
        }
        made = inputs(specs, generator, langs, api_langs, site, keep, changelogs, refs, api_clients)
        return {**files, MANIFEST: manifest(made, files, apis=apis)}

    return files_of


def publish(folder: Path, files: dict[str, bytes]) -> str:
    """Replace `folder` with `files` (what `prepare` gives) in one step; one report line."""
    ensure_folder(folder)  # a file in its place is refused, never swapped out
    clean_leftovers(folder.parent)
    with tempfile.TemporaryDirectory(prefix=TMP_PREFIX, dir=folder.parent) as tmp:
        staged = Path(tmp) / folder.name
        write_tree(staged, files, same_as=folder)  # unchanged pages are linked, not written again
        replace_folder(staged, folder)
    return f"{display_path(folder)}: written"
