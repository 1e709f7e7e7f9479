"""`specfirst diff --api`: generate both revisions, compare the packages' public surfaces, say what breaks callers."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from ..errors import InputError, SpecInvalid
from ..pipeline import generate, package_name
from ..progress import Progress
from .model import Change
from .sources import Source
from .surface import Arg, Method, Model, Surface, read_surface, union_members


def compare_api(base: Source | None, head: Source, *, allow_remote_refs: bool = False) -> list[Change]:
    """Every change of the generated package's public surface from `base` to `head`."""
    with tempfile.TemporaryDirectory(prefix="specfirst-diff-api-") as tmp:
        new = _generated(head, Path(tmp) / "head", allow_remote_refs)
        old = _generated(base, Path(tmp) / "base", allow_remote_refs) if base is not None else Surface(new.package)
    return SurfaceDiff(old, new).changes()


def _generated(src: Source, out: Path, allow_remote_refs: bool) -> Surface:
    spec = src.path
    if src.text is not None:  # a git object: its text goes where the pipeline can read it, under its own name
        spec = out.parent / f"{out.name}-spec" / src.path.name
        spec.parent.mkdir(parents=True)
        spec.write_text(src.text, encoding="utf-8")
    try:
        generate([spec], out, Progress(enabled=False), allow_remote_refs=allow_remote_refs)
    except SpecInvalid as exc:  # bad input for a diff (exit 2), not a finding
        more = f"; {len(exc.problems)} problems" if len(exc.problems) > 1 else ""
        raise InputError(f"{exc.lines()[0]} (invalid spec{more})") from None
    return read_surface(out / package_name(spec))


class SurfaceDiff:
    """The breaking (and the harmless) differences between two surfaces of one package."""

    def __init__(self, old: Surface, new: Surface) -> None:
        self.old, self.new = old, new
        self.pkg = new.package
        self.out: list[Change] = []
        self.renamed: dict[str, str] = {}  # old model class -> new one with the same fields

    def changes(self) -> list[Change]:
        self._models()
        self._methods()
        self._errors()
        order = {"breaking": 0, "warning": 1, "info": 2}
        return sorted(self.out, key=lambda c: (order[c.level], c.operation, c.id, c.message))

    def _add(self, rule: str, level: str, what: str, file: str, line: int, col: int, message: str) -> None:
        text = (
            f"breaks callers of {self.pkg}.{what}: {message}"
            if level == "breaking"
            else f"{self.pkg}.{what}: {message}"
        )
        self.out.append(Change(rule, level, what, f"{self.pkg}/{file}:{line}:{col}", text))

    def _old_annotation(self, text: str) -> str:
        """A BASE annotation with renamed model classes written as their HEAD names."""
        for old, new in self.renamed.items():
            text = re.sub(rf"\b{re.escape(old)}\b", new, text)
        return text

    def _models(self) -> None:
        old, new = self.old.models, self.new.models
        gone = [n for n in old if n not in new]
        added = [n for n in new if n not in old]
        for name in gone:
            twin = next((n for n in added if new[n].shape() == old[name].shape()), None)
            model = old[name]
            if twin is not None:
                added.remove(twin)
                self.renamed[name] = twin
                self._add(
                    "api-model-renamed",
                    "breaking",
                    f"models.{name}",
                    "models.py",
                    new[twin].line,
                    1,
                    f"model class {name} renamed to {twin} (same fields)",
                )
            else:
                self._add(
                    "api-model-removed",
                    "breaking",
                    f"models.{name}",
                    "models.py",
                    model.line,
                    1,
                    f"model class {name} removed",
                )
        for name in added:
            self._add("api-model-added", "info", f"models.{name}", "models.py", new[name].line, 1, "model class added")
        for name, model in new.items():
            before = old.get(name)
            if before is not None:
                self._model(before, model)

    def _model(self, old: Model, new: Model) -> None:
        what = f"models.{new.name}"
        for member, line in old.members.items():
            if member not in new.members:
                self._add(
                    "api-enum-member-removed", "breaking", what, "models.py", line, 1, f"enum member {member} removed"
                )
        for member, line in new.members.items():
            if member not in old.members:
                self._add("api-enum-member-added", "info", what, "models.py", line, 1, f"enum member {member} added")
        for name, (_, _required, line, col) in old.fields.items():
            if name not in new.fields:
                self._add(
                    "api-model-field-removed", "breaking", what, "models.py", line, col, f"field '{name}' removed"
                )
        for name, (annotation, required, line, col) in new.fields.items():
            if name not in old.fields:
                if required:
                    self._add(
                        "api-model-field-added-required",
                        "breaking",
                        what,
                        "models.py",
                        line,
                        col,
                        f"keyword argument '{name}' is now required",
                    )
                else:
                    self._add(
                        "api-model-field-added", "info", what, "models.py", line, col, f"optional field '{name}' added"
                    )
                continue
            before, was_required, _, _ = old.fields[name]
            if required and not was_required:
                self._add(
                    "api-model-field-became-required",
                    "breaking",
                    what,
                    "models.py",
                    line,
                    col,
                    f"keyword argument '{name}' is now required",
                )
                self._callers(new.name, name)
            elif was_required and not required:
                self._add(
                    "api-model-field-became-optional",
                    "warning",
                    what,
                    "models.py",
                    line,
                    col,
                    f"field '{name}' may now be None or missing",
                )
            if required != was_required:  # `X | None` becoming `X` is the requiredness change, said once
                before, annotation = _drop_none(before), _drop_none(annotation)
            self._annotation(
                "api-model-field-type",
                what,
                "models.py",
                line,
                col,
                f"field '{name}'",
                self._old_annotation(before),
                annotation,
            )

    def _callers(self, model: str, field: str) -> None:
        """Each client method taking `model` as an argument: its callers must now pass `field` too."""
        pattern = re.compile(rf"\bmodels\.{re.escape(model)}\b")
        for cls, methods in self.new.methods.items():
            for name, method in methods.items():
                for arg in method.args.values():
                    if pattern.search(arg.annotation):
                        self._add(
                            "api-argument-field-became-required",
                            "breaking",
                            f"{cls}.{name}",
                            "client.py",
                            arg.line,
                            arg.col,
                            f"{arg.name} field '{field}' ({arg.annotation}) is now required",
                        )

    def _annotation(
        self, rule: str, what: str, file: str, line: int, col: int, subject: str, old: str, new: str
    ) -> None:
        if old == new:
            return
        before, after = union_members(old), union_members(new)
        if before is not None and after is not None and after < before:
            self._add(f"{rule}-narrowed", "breaking", what, file, line, col, f"{subject} narrowed from {old} to {new}")
        elif before is not None and after is not None and after > before:
            self._add(f"{rule}-widened", "info", what, file, line, col, f"{subject} widened from {old} to {new}")
        else:
            self._add(f"{rule}-changed", "breaking", what, file, line, col, f"{subject} changed from {old} to {new}")

    def _methods(self) -> None:
        for cls in ("Client", "AsyncClient"):
            old, new = self.old.methods.get(cls, {}), self.new.methods.get(cls, {})
            gone = [n for n in old if n not in new]
            added = [n for n in new if n not in old]
            for name in gone:
                sig = self._old_signature(old[name])
                twin = next((n for n in added if new[n].signature() == sig), None)
                if twin is not None:
                    added.remove(twin)
                    self._add(
                        "api-method-renamed",
                        "breaking",
                        f"{cls}.{name}",
                        "client.py",
                        new[twin].line,
                        new[twin].col,
                        f"method renamed to {twin} (an operationId change)",
                    )
                else:
                    self._add(
                        "api-method-removed",
                        "breaking",
                        f"{cls}.{name}",
                        "client.py",
                        old[name].line,
                        old[name].col,
                        "method removed",
                    )
            for name in added:
                self._add(
                    "api-method-added",
                    "info",
                    f"{cls}.{name}",
                    "client.py",
                    new[name].line,
                    new[name].col,
                    "method added",
                )
            for name, method in new.items():
                if name in old:
                    self._method(f"{cls}.{name}", old[name], method)

    def _old_signature(self, method: Method) -> tuple[object, ...]:
        args = tuple((a.name, self._old_annotation(a.annotation), a.required) for a in method.args.values())
        return (args, self._old_annotation(method.returns))

    def _method(self, what: str, old: Method, new: Method) -> None:
        old_pos = [a for a in old.args.values() if not a.keyword_only]
        new_pos = [a for a in new.args.values() if not a.keyword_only]
        renamed: dict[str, str] = {}
        if len(old_pos) == len(new_pos):
            for a, b in zip(old_pos, new_pos, strict=True):
                if a.name != b.name and a.name not in new.args and b.name not in old.args:
                    renamed[a.name] = b.name
                    self._add(
                        "api-argument-renamed",
                        "warning",
                        what,
                        "client.py",
                        b.line,
                        b.col,
                        f"positional argument '{a.name}' renamed to '{b.name}' (callers passing it by keyword break)",
                    )
        for name, arg in old.args.items():
            if name not in new.args and name not in renamed:
                self._add(
                    "api-argument-removed",
                    "breaking",
                    what,
                    "client.py",
                    new.line,
                    new.col,
                    f"{_kind(arg)} '{name}' removed",
                )
        for name, arg in new.args.items():
            before = old.args.get(name) or next((old.args[o] for o, n in renamed.items() if n == name), None)
            if before is None:
                if arg.required:
                    self._add(
                        "api-argument-added-required",
                        "breaking",
                        what,
                        "client.py",
                        arg.line,
                        arg.col,
                        f"{_kind(arg)} '{name}' is now required",
                    )
                else:
                    self._add(
                        "api-argument-added",
                        "info",
                        what,
                        "client.py",
                        arg.line,
                        arg.col,
                        f"optional {_kind(arg)} '{name}' added",
                    )
                continue
            if arg.required and not before.required:
                self._add(
                    "api-argument-became-required",
                    "breaking",
                    what,
                    "client.py",
                    arg.line,
                    arg.col,
                    f"{_kind(arg)} '{name}' is now required",
                )
            if before.keyword_only != arg.keyword_only and before.name == name:
                self._add(
                    "api-argument-kind-changed",
                    "breaking",
                    what,
                    "client.py",
                    arg.line,
                    arg.col,
                    f"argument '{name}' is now {_kind(arg)}",
                )
            was, now = self._old_annotation(before.annotation), arg.annotation
            if arg.required != before.required:  # `X | None = None` becoming `X` is said once, as required
                was, now = _drop_none(was), _drop_none(now)
            self._annotation("api-argument-type", what, "client.py", arg.line, arg.col, f"argument '{name}'", was, now)
        old_returns = self._old_annotation(old.returns)
        if old_returns != new.returns:
            self._add(
                "api-return-type-changed",
                "warning",
                what,
                "client.py",
                new.line,
                new.col,
                f"return type changed from {old_returns} to {new.returns}",
            )

    def _errors(self) -> None:
        for name, line in self.old.errors.items():
            if name not in self.new.errors:
                self._add(
                    "api-exception-removed",
                    "breaking",
                    f"errors.{name}",
                    "errors.py",
                    line,
                    1,
                    f"exception class {name} removed (except clauses naming it fail)",
                )
        for name, line in self.new.errors.items():
            if name not in self.old.errors:
                self._add(
                    "api-exception-added", "info", f"errors.{name}", "errors.py", line, 1, "exception class added"
                )


def _drop_none(annotation: str) -> str:
    members = union_members(annotation)
    if members is None or "None" not in members or len(members) < 2:
        return annotation
    return " | ".join(sorted(members - {"None"}))


def _kind(arg: Arg) -> str:
    return "keyword argument" if arg.keyword_only else "positional argument"
