"""Each spec read, bundled and validated once per run; every stage (models, clients, docs, verify) shares it."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from dataclasses import dataclass, field
from multiprocessing.pool import AsyncResult
from pathlib import Path
from typing import Any

from .errors import SpecfirstError, SpecInvalid
from .load import Document, load


@dataclass
class DocumentCache:
    """The documents of one run, loaded on first use."""

    allow_remote_refs: bool = False
    tolerant: bool = False  # invalid defaults: a warning each on stderr, left out (else problems, as validate)
    _documents: dict[Path, Document] = field(default_factory=dict)
    _checked: dict[Path, bool] = field(default_factory=dict)  # spec -> validated strictly

    def document(self, spec: Path) -> Document:
        """The loaded spec (not yet validated)."""
        key = spec.resolve()
        if key not in self._documents:
            doc = load(spec, allow_remote_refs=self.allow_remote_refs)
            if self.tolerant:
                from .annotations import drop_invalid_defaults

                for problem in drop_invalid_defaults(doc):
                    print(
                        f"{problem.file}:{problem.line}:{problem.col}: warning: {problem.message}; left out of the "
                        "generated code",
                        file=sys.stderr,
                    )
            self._documents[key] = doc
        return self._documents[key]

    def validated(self, spec: Path, *, strict: bool = False) -> Document:
        """The loaded spec, validated (strict also checks examples and operationIds); raises SpecInvalid."""
        from . import validate  # heavy: imported only when there is work to do

        doc = self.document(spec)
        key = spec.resolve()
        if key not in self._checked or (strict and not self._checked[key]):
            validate.check(doc, examples=strict, operation_ids=strict)
            self._checked[key] = strict
        return doc

    def assume_validated(self, spec: Path, strict: bool) -> None:
        """Count `spec` as validated (its validation runs elsewhere, and is waited for before anything is written)."""
        self._checked[spec.resolve()] = strict

    def __call__(self, spec: Path) -> Document:
        """The loaded, validated spec: what the docs stage asks for."""
        return self.validated(spec)


_FORKED: dict[str, DocumentCache] = {}  # "documents": what a forked validation worker reads (set before it forks)


def _validate_in_worker(spec: str, strict: bool) -> tuple[Any, ...]:
    """In a worker: validate one loaded spec and check its constructs; the outcome as plain, picklable data."""
    from . import support

    try:
        support.check(_FORKED["documents"].validated(Path(spec), strict=strict))
    except SpecInvalid as exc:
        return ("invalid", exc.problems)
    except SpecfirstError as exc:
        return ("error", type(exc).__name__, str(exc))
    return ("ok",)


@dataclass
class Validation:
    """The validation of a run's specs, in a worker process while this one goes on (`wait` before writing)."""

    pending: list[AsyncResult[tuple[Any, ...]]]

    def wait(self) -> None:
        """Return when every spec is valid; else raise what validating it in this process would have raised."""
        from . import errors

        for result in self.pending:
            outcome = result.get()
            if outcome[0] == "invalid":
                raise SpecInvalid(outcome[1])
            if outcome[0] == "error":
                kind = getattr(errors, outcome[1], SpecfirstError)
                raise kind(outcome[2])


def validate_aside(documents: DocumentCache, specs: list[tuple[Path, bool]], stack: ExitStack) -> Validation:
    """Validate `specs` (path, strict) in one worker process; until `wait` says otherwise they count as
    validated here, so the stages that follow do not validate them again."""
    from . import workers

    for spec, _ in specs:
        documents.document(spec)  # loaded here, so the worker inherits it rather than loading it again
    _FORKED["documents"] = documents
    pool = stack.enter_context(workers.pool(1))
    pending = [pool.apply_async(_validate_in_worker, (str(spec), strict)) for spec, strict in specs]
    for spec, strict in specs:
        documents.assume_validated(spec, strict)
    return Validation(pending)
