"""Stage 4a, models at scale: independent groups of schemas through datamodel-code-generator in parallel, merged.

Schemas that reference each other (directly or not) always stay in one group, so every run is complete on its own.
The grouping depends on the document only (never on the machine), so the output is the same everywhere; the
number of worker processes is what depends on the machine.
"""

from __future__ import annotations

import ast
import json
import math
import multiprocessing
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from multiprocessing.pool import AsyncResult, Pool
from typing import Any

from generator.modelgen import prepare_components, run_generator

CHUNK = 400_000  # characters of schema JSON per group
MAX_GROUPS = 8
PARALLEL_FROM = 100_000  # below this much schema JSON, one run in this process is faster than starting workers
_LOCAL = "#/components/schemas/"

Output = tuple[str, dict[str, str]]  # module text, schema name -> class name


def _refs(node: Any) -> Iterator[str | None]:
    """The component schema names `node` references; None for a reference of any other shape."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str):
                name = ref[len(_LOCAL) :].split("/", 1)[0] if ref.startswith(_LOCAL) else None
                yield name.replace("~1", "/").replace("~0", "~") if name else None
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def groups(schemas: dict[str, Any]) -> list[list[str]]:
    """Schema names in groups that reference nothing outside themselves, balanced by size, in document order."""
    names = list(schemas)
    weight = {n: len(json.dumps(schemas[n], default=str)) for n in names}
    total = sum(weight.values())
    count = min(MAX_GROUPS, math.ceil(total / CHUNK))
    if count <= 1:
        return [names]
    parent = {n: n for n in names}

    def root(n: str) -> str:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for name in names:
        for ref in _refs(schemas[name]):
            if ref is None:  # a reference into another part of the document: keep everything together
                return [names]
            if ref in parent:
                parent[root(name)] = root(ref)
    members: dict[str, list[str]] = {}
    for name in names:
        members.setdefault(root(name), []).append(name)
    order = {n: i for i, n in enumerate(names)}
    bins: list[list[str]] = [[] for _ in range(count)]
    loads = [0] * count
    for part in sorted(members.values(), key=lambda m: (-sum(weight[n] for n in m), order[m[0]])):
        lightest = loads.index(min(loads))
        bins[lightest] += part
        loads[lightest] += sum(weight[n] for n in part)
    return [sorted(b, key=order.__getitem__) for b in bins if b]


_CLASS = re.compile(rb"class\s+")


@dataclass(frozen=True)
class Module:
    """One run's models module, and where each module-level name is defined and used in it."""

    text: str
    class_map: dict[str, str]  # schema name -> class name
    defined: frozenset[str]
    imported: frozenset[str]
    uses: dict[str, list[tuple[int, int, int]]]  # name -> (line index, byte start, byte end) of each occurrence
    head: int  # lines before the first statement that is not an import
    imports: tuple[str, ...]  # its import statements, `from __future__` left out


def index(text: str, class_map: dict[str, str]) -> Module:
    """Parse a models module once and note what a merge needs (run in the worker, in parallel)."""
    tree = ast.parse(text)
    lines = text.encode().split(b"\n")
    defined: set[str] = set()
    imported: set[str] = set()
    imports: list[str] = []
    head = len(text.splitlines())
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            imported |= {(a.asname or a.name).split(".")[0] for a in node.names}
            if not (isinstance(node, ast.ImportFrom) and node.module == "__future__"):
                imports.append(ast.get_source_segment(text, node) or "")
            continue
        head = min(head, node.lineno - 1, *(d.lineno - 1 for d in getattr(node, "decorator_list", [])))
        if isinstance(node, ast.ClassDef | ast.FunctionDef):
            defined.add(node.name)
        elif isinstance(node, ast.Assign):
            defined |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            defined.add(node.target.id)
    uses: dict[str, list[tuple[int, int, int]]] = {}
    for item in ast.walk(tree):
        if isinstance(item, ast.Name) and item.id in defined:
            uses.setdefault(item.id, []).append((item.lineno - 1, item.col_offset, item.end_col_offset or 0))
        elif isinstance(item, ast.ClassDef) and (found := _CLASS.match(lines[item.lineno - 1], item.col_offset)):
            span = (item.lineno - 1, found.end(), found.end() + len(item.name.encode()))
            uses.setdefault(item.name, []).append(span)
        elif (
            isinstance(item, ast.Call)
            and isinstance(item.func, ast.Name)
            and item.func.id == "TypeAliasType"
            and item.args
            and isinstance(first := item.args[0], ast.Constant)
            and first.value in defined
            and first.lineno == first.end_lineno
        ):  # the alias's own name, a string that must follow the variable's
            uses.setdefault(f"'{first.value}", []).append(
                (first.lineno - 1, first.col_offset, first.end_col_offset or 0)
            )
    return Module(text, class_map, frozenset(defined), frozenset(imported), uses, head, tuple(imports))


def _renamed(module: Module, renames: dict[str, str]) -> str:
    """The module's text with the names in `renames` renamed where they are defined and used (code only)."""
    if not renames:
        return module.text
    lines = module.text.encode().split(b"\n")
    edits = [(*at, new) for old, new in renames.items() for at in module.uses.get(old, [])]
    edits += [(*at, repr(new)) for old, new in renames.items() for at in module.uses.get(f"'{old}", [])]
    for row, start, end, new in sorted(edits, reverse=True):
        lines[row] = lines[row][:start] + new.encode() + lines[row][end:]
    return b"\n".join(lines).decode()


def merge(modules: list[Module]) -> Output:
    """One module from several: imports gathered at the top, names that clash renamed in the later modules."""
    if len(modules) == 1:
        return modules[0].text, modules[0].class_map
    taken: set[str] = set().union(*(m.imported for m in modules))
    every = taken.union(*(m.defined for m in modules))
    heads: list[str] = []
    bodies: list[str] = []
    class_map: dict[str, str] = {}
    for number, module in enumerate(modules):
        renames: dict[str, str] = {}
        for name in sorted(module.defined & taken):
            n = 1
            while f"{name}{n}" in every:
                n += 1
            renames[name] = f"{name}{n}"
            every.add(renames[name])
        taken |= {renames.get(n, n) for n in module.defined}
        class_map |= {schema: renames.get(cls, cls) for schema, cls in module.class_map.items()}
        lines = _renamed(module, renames).splitlines()
        heads += ["\n".join(lines[: module.head])] if number == 0 else list(module.imports)
        bodies.append("\n".join(lines[module.head :]).strip("\n"))
    return "\n".join(heads) + "\n\n\n" + "\n\n\n".join(bodies) + "\n", class_map


def _cpus() -> int:
    """The CPUs this process may run on."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity else os.cpu_count() or 1


def _work(openapi: str, components: dict[str, Any], source: str) -> Module:
    return index(*run_generator(openapi, components, source))


@dataclass
class ModelRuns:
    """datamodel-code-generator runs for any number of documents, in worker processes while the caller goes on.

    Use as a context manager: leaving it (on an error too) stops every worker at once.
    """

    _pool: Pool | None = None
    _pending: dict[str, list[AsyncResult[Module]] | Output] = field(default_factory=dict)
    _queued: list[tuple[str, str, dict[str, Any], str]] = field(default_factory=list)

    def add(self, key: str, openapi: str, components: dict[str, Any], source: str) -> None:
        """Queue the models of one document; `start` sends them to the workers."""
        self._queued.append((key, openapi, components, source))

    def start(self) -> None:
        """Begin every queued run: in worker processes when the documents are large, else on `result`."""
        for key, _, components, _ in self._queued:
            if not components.get("schemas"):
                self._pending[key] = ("", {})  # an API without schemas gets an empty models module
        prepared = [(k, o, prepare_components(c), s) for k, o, c, s in self._queued if k not in self._pending]
        size = sum(len(json.dumps(c.get("schemas") or {}, default=str)) for _, _, c, _ in prepared)
        if size < PARALLEL_FROM:
            for key, openapi, components, source in prepared:
                self._pending[key] = run_generator(openapi, components, source)
            return
        tasks = []
        for key, openapi, components, source in prepared:
            schemas = components.get("schemas") or {}
            for names in groups(schemas):
                part = {**components, "schemas": {n: schemas[n] for n in names}}
                tasks.append((key, (openapi, part, source)))
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        self._pool = multiprocessing.get_context(method).Pool(min(len(tasks), _cpus()))
        for key, args in tasks:
            pending = self._pending.setdefault(key, [])
            assert isinstance(pending, list)
            pending.append(self._pool.apply_async(_work, args))

    def result(self, key: str) -> Output:
        """The merged models module of one document (waits for its runs; re-raises their error)."""
        pending = self._pending[key]
        if isinstance(pending, tuple):
            return pending
        return merge([r.get() for r in pending])

    def __enter__(self) -> ModelRuns:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
