"""The "Changes" section of an API's docs: `specfirst diff` of its spec against a configured git ref."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..docs import model as m
from ..errors import InputError
from ..load import display_path

LEVELS = ("breaking", "warning", "info")  # the order the section lists them in


@dataclass(frozen=True)
class Base:
    """Where one API's changelog starts: a git ref, and the blob its spec had there ("" when it had none)."""

    ref: str
    spec: Path
    blob: str

    @property
    def input(self) -> str:
        """The docs manifest's record of it: a new commit of the base re-renders the page, nothing else does."""
        return f"{self.ref}@{self.blob or 'none'}"


def known(ref: str) -> bool:
    """`ref` names a commit of the git repository of the working directory."""
    from ..diff.sources import verify_rev

    try:
        verify_rev(ref)
    except InputError:
        return False
    return True


def base(ref: str, spec: Path) -> Base:
    """The base of `spec`'s changelog at `ref` (already known to git): the blob `git rev-parse REF:PATH` names."""
    from ..diff.sources import _git

    root = Path(_git("rev-parse", "--show-toplevel").strip()).resolve()
    try:
        rel = spec.resolve().relative_to(root).as_posix()
    except ValueError:
        raise InputError(f"{display_path(spec)} is not inside the git repository {root} (changelog_base)") from None
    if not _git("ls-tree", "--full-tree", "--name-only", ref, "--", rel).strip():
        return Base(ref, spec, "")
    return Base(ref, spec, _git("rev-parse", "--verify", "--end-of-options", f"{ref}:{rel}").strip())


def changes(start: Base) -> m.Changelog:
    """Every change of the spec since `start`, as the diff package judges them, by level (breaking first)."""
    from ..diff import compare
    from ..diff.command import _empty
    from ..diff.sources import Source, at_ref, load_source

    head = Source(start.spec.name, start.spec)
    old = at_ref(start.ref, start.spec)
    head_doc = load_source(head)
    base_doc = _empty(head) if old is None else load_source(old)
    found = compare(base_doc, head_doc)
    groups = tuple(
        m.ChangeGroup(level, tuple(m.Change(c.level, c.id, c.operation, c.message) for c in found if c.level == level))
        for level in LEVELS
    )
    return m.Changelog(start.ref, tuple(g for g in groups if g.changes))
