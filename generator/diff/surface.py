"""The public surface of a generated package, read with `ast`: client methods, model classes, enums, exceptions."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

CLIENTS = ("Client", "AsyncClient")
_ENUM_BASES = frozenset({"Enum", "StrEnum", "IntEnum", "Flag", "IntFlag"})


@dataclass(frozen=True)
class Arg:
    """One argument of a public method."""

    name: str
    annotation: str
    required: bool
    keyword_only: bool
    line: int
    col: int


@dataclass
class Method:
    """A public method of Client or AsyncClient."""

    name: str
    args: dict[str, Arg]
    returns: str
    line: int
    col: int

    def signature(self) -> tuple[object, ...]:
        return (tuple((a.name, a.annotation, a.required) for a in self.args.values()), self.returns)


@dataclass
class Model:
    """A class of models.py: its fields (name -> (annotation, required)) or, for an Enum, its members."""

    name: str
    line: int
    col: int
    fields: dict[str, tuple[str, bool, int, int]] = field(default_factory=dict)
    members: dict[str, int] = field(default_factory=dict)
    enum: bool = False

    def shape(self) -> tuple[object, ...]:
        return (self.enum, tuple((k, v[0], v[1]) for k, v in sorted(self.fields.items())), tuple(sorted(self.members)))


@dataclass
class Surface:
    """What callers of one generated package can touch."""

    package: str
    methods: dict[str, dict[str, Method]] = field(default_factory=dict)  # client class -> name -> method
    models: dict[str, Model] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)  # exception class -> line


def read_surface(folder: Path) -> Surface:
    """Parse client.py, models.py and errors.py of the generated package in `folder`."""
    surface = Surface(folder.name)
    client = _parse(folder / "client.py")
    for node in client.body:
        if isinstance(node, ast.ClassDef) and node.name in CLIENTS:
            surface.methods[node.name] = {
                f.name: _method(f)
                for f in node.body
                if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef) and not f.name.startswith("_")
            }
    for node in _parse(folder / "models.py").body:
        if isinstance(node, ast.ClassDef):
            surface.models[node.name] = _model(node)
    for node in _parse(folder / "errors.py").body:
        if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            surface.errors[node.name] = node.lineno
    return surface


def _parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8")) if path.is_file() else ast.Module(body=[], type_ignores=[])


def _method(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> Method:
    a = fn.args
    positional = [*a.posonlyargs, *a.args]
    defaults = [None] * (len(positional) - len(a.defaults)) + list(a.defaults)
    args: dict[str, Arg] = {}
    for arg, default in zip(positional, defaults, strict=True):
        if arg.arg not in ("self", "cls"):
            args[arg.arg] = _arg(arg, default is None, False)
    for arg, kw_default in zip(a.kwonlyargs, a.kw_defaults, strict=True):
        args[arg.arg] = _arg(arg, kw_default is None, True)
    returns = ast.unparse(fn.returns) if fn.returns is not None else ""
    return Method(fn.name, args, returns, fn.lineno, fn.col_offset + 1)


def _arg(arg: ast.arg, required: bool, keyword_only: bool) -> Arg:
    annotation = ast.unparse(arg.annotation) if arg.annotation is not None else ""
    return Arg(arg.arg, annotation, required, keyword_only, arg.lineno, arg.col_offset + 1)


def _model(node: ast.ClassDef) -> Model:
    bases = {b.id if isinstance(b, ast.Name) else b.attr if isinstance(b, ast.Attribute) else "" for b in node.bases}
    model = Model(node.name, node.lineno, node.col_offset + 1, enum=bool(bases & _ENUM_BASES))
    for item in node.body:
        if model.enum and isinstance(item, ast.Assign):
            for target in item.targets:
                if isinstance(target, ast.Name) and not target.id.startswith("_"):
                    model.members[target.id] = item.lineno
        elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
            name = item.target.id
            if name.startswith("_") or name == "model_config":
                continue
            annotation, required = _field(item)
            model.fields[name] = (annotation, required, item.lineno, item.col_offset + 1)
    return model


def _field(item: ast.AnnAssign) -> tuple[str, bool]:
    """The field's type (Annotated metadata dropped) and whether constructing the model needs it."""
    ann = item.annotation
    required = item.value is None
    if isinstance(ann, ast.Subscript) and ast.unparse(ann.value).endswith("Annotated"):
        parts = ann.slice.elts if isinstance(ann.slice, ast.Tuple) else [ann.slice]
        for meta in parts[1:]:
            if isinstance(meta, ast.Call) and ast.unparse(meta.func).endswith("Field"):
                has_default = any(k.arg in ("default", "default_factory") for k in meta.keywords)
                if has_default:
                    required = False
        ann = parts[0]
    if isinstance(item.value, ast.Call) and ast.unparse(item.value.func).endswith("Field"):
        first = item.value.args[0] if item.value.args else None
        has_default = any(k.arg in ("default", "default_factory") for k in item.value.keywords)
        required = not has_default and (first is None or (isinstance(first, ast.Constant) and first.value is ...))
    return ast.unparse(ann), required


def union_members(annotation: str) -> frozenset[str] | None:
    """The members of `A | B | None` (or Optional/Union), None when the annotation does not parse."""
    try:
        node = ast.parse(annotation, mode="eval").body
    except SyntaxError:
        return None
    out: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, ast.BinOp) and isinstance(item.op, ast.BitOr):
            stack += [item.left, item.right]
        elif isinstance(item, ast.Subscript) and ast.unparse(item.value) in ("Optional", "typing.Optional"):
            stack += [item.slice, ast.Constant(None)]
        elif isinstance(item, ast.Subscript) and ast.unparse(item.value) in ("Union", "typing.Union"):
            stack += list(item.slice.elts) if isinstance(item.slice, ast.Tuple) else [item.slice]
        else:
            out.add(ast.unparse(item))
    return frozenset(out)
