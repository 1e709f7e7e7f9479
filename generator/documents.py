"""Each spec read, bundled and validated once per run; every stage (models, clients, docs, verify) shares it."""

from __future__ import annotations

import sys
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from .cache import Cache
from .load import Document, load


@dataclass
class DocumentCache:
    """The documents of one run, loaded on first use."""

    allow_remote_refs: bool = False
    tolerant: bool = False  # invalid defaults: a warning each on stderr, left out (else problems, as validate)
    verdicts: Cache | None = None  # where `checked` keeps the verdicts of valid documents
    salt: str = ""  # the generator's fingerprint, part of every verdict's key
    _documents: dict[Path, Document] = field(default_factory=dict)
    _checked: dict[Path, bool] = field(default_factory=dict)  # spec -> validated strictly

    def document(self, spec: Path) -> Document:
        """The loaded spec (not yet validated)."""
        key = spec.resolve()
        if key not in self._documents:
            doc = load(spec, allow_remote_refs=self.allow_remote_refs, cache=self.verdicts)
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
            if self.verdicts is None:
                validate.check(doc, examples=strict, operation_ids=strict)
            else:  # the schemas' meta-schema verdicts of the last run answer for the schemas unchanged since
                from .cache import key as cache_key
                from .speedups import MetaMemo

                name = cache_key("meta", self.salt, validate.validator_versions(), str(key))
                memo = MetaMemo(self.verdicts.get(name))
                try:
                    validate.check(doc, examples=strict, operation_ids=strict, memo=memo)
                finally:
                    self.verdicts.put(name, memo.dump())
            self._checked[key] = strict
        return doc

    def checked(self, spec: Path, *, strict: bool = False) -> Document:
        """The loaded spec, validated and its constructs checked (SpecInvalid, UnsupportedConstruct); with
        `verdicts`, a document that differs from one found valid in the text of descriptions only is not checked
        again (`validate.verdict_key`)."""
        from . import support, validate

        doc = self.document(spec)
        key = validate.verdict_key(doc, strict, self.salt) if self.verdicts is not None else ""
        if self.verdicts is not None and self.verdicts.get(key) == b"ok":
            self.assume_validated(spec, strict)
            return doc
        support.check(self.validated(spec, strict=strict))
        if self.verdicts is not None:
            self.verdicts.put(key, b"ok")
        return doc

    def assume_validated(self, spec: Path, strict: bool) -> None:
        """Count `spec` as validated (its validation runs elsewhere, and is waited for before anything is written)."""
        self._checked[spec.resolve()] = strict

    def __call__(self, spec: Path) -> Document:
        """The loaded, validated spec: what the docs stage asks for."""
        return self.validated(spec)


def validate_aside(
    documents: DocumentCache, specs: list[tuple[Path, bool]], stack: ExitStack, *, nice: int = 10
) -> Callable[[], None]:
    """Validate `specs` (path, strict) and check their constructs in a worker process; until the function
    returned is called (it raises what validating here would have raised) they count as validated here, so the
    stages that follow do not validate them again. The worker yields the CPU to the others (`nice`): nothing
    waits for its verdict before the output is made (a model run, the longest stage, does), but in an edit,
    where the validation is as long as the rest, it is given its share (nice 0)."""
    from . import workers

    for spec, _ in specs:
        documents.document(spec)  # loaded here, so the worker inherits it rather than loading it again

    def work() -> None:
        for spec, strict in specs:
            documents.checked(spec, strict=strict)

    wait = workers.aside(work, stack, nice=nice)
    for spec, strict in specs:
        documents.assume_validated(spec, strict)
    return wait
