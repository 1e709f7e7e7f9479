"""`specfirst check` fast: each output folder against its manifest (inputs and file hashes), nothing regenerated."""

from __future__ import annotations

from pathlib import Path

from .load import display_path
from .write import MANIFEST, diff_trees, output_hashes, read_manifest

# (output folder, the inputs it must be made from now, input key -> how a message names that input)
Expectation = tuple[Path, dict[str, str], dict[str, str]]


def folder_differences(folder: Path, inputs: dict[str, str], named: dict[str, str]) -> list[str]:
    """One line per way `folder` is not what its manifest says, or was made from other inputs than `inputs`."""
    shown = display_path(folder)
    if not folder.is_dir():
        return [f"{shown}: missing"]
    recorded = read_manifest(folder)
    if recorded is None:
        return [f"{shown}/{MANIFEST}: {'unreadable' if (folder / MANIFEST).exists() else 'missing'}"]
    made_from, files = recorded
    lines = [
        f"{shown}: stale: {named.get(key, key)} changed since it was generated"
        for key in sorted(set(inputs) | set(made_from))
        if inputs.get(key) != made_from.get(key)
    ]
    return lines + diff_trees(files, output_hashes(folder), shown)


def differences(expected: list[Expectation]) -> list[str]:
    """Every difference of every folder (empty when all are current)."""
    return [line for folder, inputs, named in expected for line in folder_differences(folder, inputs, named)]
