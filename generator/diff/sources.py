"""The two sides of a diff: files or git objects `REV:PATH`, loaded through the one loader and `$ref` bundler."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..load import Document, display_path, parse, read
from ..refs import bundle

_PARALLEL_BYTES = 1024 * 1024  # two documents this large load in two processes (YAML parsing is the cost)
VALIDATE_BYTES = 1024 * 1024  # documents up to this size are validated (on 4 MB validation would triple the time)


@dataclass(frozen=True)
class Source:
    """One side of a diff: a file, or the text of a git object with the path it had in the tree."""

    shown: str
    path: Path
    text: str | None = None  # None: read `path` from disk

    @property
    def size(self) -> int:
        if self.text is not None:
            return len(self.text)
        try:
            return self.path.stat().st_size
        except OSError:
            return 0


def _git(*args: str, cwd: Path | None = None) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise InputError(f"specfirst diff: cannot run git: {exc.strerror or exc}") from None
    if done.returncode != 0:
        message = " ".join(done.stderr.split()) or f"exit status {done.returncode}"
        raise InputError(f"specfirst diff: git {' '.join(args)}: {message}")
    return done.stdout


def is_git_object(arg: str) -> bool:
    """`REV:PATH` (and not a file that happens to contain a colon, nor a Windows drive)."""
    rev, colon, _ = arg.partition(":")
    return bool(colon) and len(rev) > 1 and not Path(arg).exists()


def source(arg: str) -> Source:
    """A file path, or `REV:PATH` read with `git show`."""
    if not is_git_object(arg):
        return Source(display_path(Path(arg)), Path(arg))
    rev, _, rel = arg.partition(":")
    verify_rev(rev)
    text = _git("show", f"{rev}:{rel}")
    root = Path(_git("rev-parse", "--show-toplevel").strip() or ".")
    path = (Path.cwd() / rel) if rel.startswith(("./", "../")) else root / rel
    return Source(arg, path, text)


def verify_rev(rev: str) -> None:
    """InputError (exit 2) naming `rev` when git does not know it."""
    try:
        _git("rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    except InputError:
        raise InputError(f"specfirst diff: unknown git revision {rev!r} (not a commit in this repository)") from None


def at_ref(rev: str, spec: Path) -> Source | None:
    """The version of working-tree file `spec` at `rev`, or None when it did not exist there."""
    root = Path(_git("rev-parse", "--show-toplevel").strip()).resolve()
    try:
        rel = spec.resolve().relative_to(root).as_posix()  # `REV:PATH` and --full-tree paths start at the root
    except ValueError:
        raise InputError(f"specfirst diff: {display_path(spec)} is not inside the git repository {root}") from None
    if not _git("ls-tree", "--full-tree", "--name-only", rev, "--", rel).strip():
        return None
    return Source(f"{rev}:{display_path(spec)}", spec, _git("show", f"{rev}:{rel}"))


def load_source(src: Source, allow_remote_refs: bool = False) -> Document:
    """Read, parse and bundle one side; InputError (exit 2) when it is not an OpenAPI 3.0/3.1 document."""
    if src.text is None:
        doc = read(src.path)
    else:
        doc = parse(src.text, src.path, src.shown)
    if src.text is not None:
        doc.display = src.shown
    _require_openapi3(doc)
    bundle(doc, allow_remote=allow_remote_refs)
    paths = doc.data.get("paths")
    if paths is not None and not isinstance(paths, dict):
        line, col = doc.locate(["paths"])
        raise InputError(f"{doc.display}:{line}:{col}: 'paths' is not a mapping")
    if len(doc.text) <= VALIDATE_BYTES:
        from ..validate import structural_problems  # the one validator; its import costs about a second

        problems = sorted(structural_problems(doc))
        if problems:
            more = f"; {len(problems)} problems, `specfirst validate` lists them" if len(problems) > 1 else ""
            raise InputError(f"{problems[0]} (invalid spec{more})")
    return doc


def _require_openapi3(doc: Document) -> None:
    """The cheap part of validate.openapi_version (importing validate costs a second: the validators load)."""
    data = doc.data
    version = str(data.get("openapi", "")) if isinstance(data, dict) else ""
    if not re.fullmatch(r"3\.[01]\.\d+(-[\w.]+)?", version):
        from ..validate import openapi_version

        openapi_version(doc)  # raises the one-line InputError saying what the document is instead
        raise InputError(f"{doc.display}:1:1: not an OpenAPI 3.0/3.1 document")


def _load_in_worker(src: Source) -> Document:
    return load_source(src)


def load_pair(base: Source, head: Source, allow_remote_refs: bool = False) -> tuple[Document, Document]:
    """Both sides loaded; of two large documents, BASE is parsed in a worker process while HEAD is parsed here.

    One worker, not two: only one document (data and position index) is pickled back, which costs CPU.
    """
    if allow_remote_refs or min(base.size, head.size) < _PARALLEL_BYTES:
        return load_source(base, allow_remote_refs), load_source(head, allow_remote_refs)
    from ..workers import cpus, pool

    if cpus() < 2:
        return load_source(base), load_source(head)
    with pool(1) as workers:
        first = workers.apply_async(_load_in_worker, (base,))
        try:
            second = load_source(head)
        except InputError:
            first.get()  # BASE's own error, when it has one, is the one reported (as when loaded in turn)
            raise
        return first.get(), second
