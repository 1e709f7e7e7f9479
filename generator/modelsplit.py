"""Stage 4a, models at scale: independent groups of schemas through datamodel-code-generator in parallel, merged.

Schemas that reference each other (directly or not) always stay in one group, so every run is complete on its own.
The grouping depends on the document only (never on the machine), so the output is the same everywhere; the
number of worker processes is what depends on the machine.
"""

from __future__ import annotations

import ast
import json
import math
import re
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from multiprocessing.pool import AsyncResult, Pool
from typing import Any, TypeVar

from . import workers
from .cache import Cache
from .cache import key as cache_key
from .masking import PREFIX, Table, mask, renumber, restorable, unmask
from .modelgen import prepare_components, run_generator, warm_up
from .verify import blank_literals
from .walk import iter_mappings

CHUNK = 400_000  # characters of schema JSON per group
MAX_GROUPS = 8
_LOCAL = "#/components/schemas/"

T = TypeVar("T")
Output = tuple[str, dict[str, str]]  # module text, schema name -> class name


def _refs(node: Any) -> Iterator[str | None]:
    """The component schema names `node` references; None for a reference of any other shape."""
    for item in iter_mappings(node):
        ref = item.get("$ref")
        if isinstance(ref, str):
            name = ref[len(_LOCAL) :].split("/", 1)[0] if ref.startswith(_LOCAL) else None
            yield name.replace("~1", "/").replace("~0", "~") if name else None


def expected_groups(size: int) -> int:
    """How many groups a document of `size` bytes is likely to make (its schemas are a part of it)."""
    return min(MAX_GROUPS, max(1, math.ceil(size / CHUNK)))


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


_DEFINED = re.compile(r"^(?:class\s+(\w+)|(\w+)\s*(?::|=(?!=)))", re.MULTILINE)  # module level: column 0
_STARTS_CODE = re.compile(r"[^\s#)]")  # a line that begins a statement after the imports
_WORD = re.compile(r"(?<![\w.])\w+")  # a whole word, not an attribute (`.Name`)
_ALIAS_NAME = r"(?<=TypeAliasType\()(\s*)([\"'])({})\2"  # TypeAliasType("Name", ...): the name must follow


@dataclass(frozen=True)
class Module:
    """One run's models module: its text, class names, and what it defines and imports at module level."""

    text: str
    class_map: dict[str, str]  # schema name -> class name
    defined: frozenset[str]
    imported: frozenset[str]
    head: int  # lines before the first statement that is not an import
    imports: tuple[str, ...]  # its import statements, `from __future__` left out


def index(text: str, class_map: dict[str, str]) -> Module:
    """What a merge needs to know of one models module (datamodel-code-generator writes one statement per
    column-0 line: imports first, then classes, aliases and `model_rebuild()` calls)."""
    lines = text.split("\n")
    head = next(
        (i for i, line in enumerate(lines) if _STARTS_CODE.match(line) and not line.startswith(("from ", "import "))),
        len(lines),
    )
    header = "\n".join(lines[:head])
    statements = [s for s in ast.parse(header).body if isinstance(s, ast.Import | ast.ImportFrom)]
    imported = {(a.asname or a.name).split(".")[0] for s in statements for a in s.names}
    imports = tuple(
        ast.get_source_segment(header, s) or ""
        for s in statements
        if not (isinstance(s, ast.ImportFrom) and s.module == "__future__")
    )
    defined = {a or b for a, b in _DEFINED.findall("\n".join(lines[head:]))}
    return Module(text, class_map, frozenset(defined), frozenset(imported), head, imports)


def rename(text: str, renames: dict[str, str]) -> str:
    """`text` with the module-level names in `renames` renamed wherever code uses them.

    Literals and comments are left alone, and so are attribute names (`.Name`), field and enum-member names
    (an indented `Name:` or `Name =` starting a line) and keyword arguments (`(Name=` or `, Name=`).
    """
    if not renames:
        return text
    code = blank_literals(text)
    names = "|".join(re.escape(n) for n in sorted(renames, key=len, reverse=True))
    edits: list[tuple[int, int, str]] = []
    for found in _WORD.finditer(code):  # every whole word, looked up (one regex of every name is far slower)
        if found.group() not in renames:
            continue
        start, end = found.span()
        line_start = code.rfind("\n", 0, start) + 1
        before = code[line_start:start]
        assigns = re.match(r"[ \t]*=(?!=)", code[end : end + 64]) is not None
        if before and not before.strip():  # the first word of an indented line: a field, member or argument?
            if assigns or re.match(r"[ \t]*:", code[end : end + 64]):
                continue
        elif before and assigns and before.rstrip()[-1:] in {"(", ","}:
            continue  # a keyword argument
        edits.append((start, end, renames[found.group()]))
    for found in re.finditer(_ALIAS_NAME.format(names), text):
        edits.append((found.start(3), found.end(3), renames[found.group(3)]))
    out = []
    last = 0
    for start, end, new in sorted(edits):
        out += [text[last:start], new]
        last = end
    return "".join([*out, text[last:]])


def merge(modules: list[Module]) -> Output:
    """One module from several: imports gathered at the top, and every name that clashes renamed.

    The classes of the document's own schemas (and hoisted bodies) keep their names first, in group order;
    the classes the model generator made up for inline schemas (`Address`, `Status`) are numbered after them.
    """
    if len(modules) == 1:
        return modules[0].text, modules[0].class_map
    taken: set[str] = set().union(*(m.imported for m in modules))
    every = taken.union(*(m.defined for m in modules))
    renames: list[dict[str, str]] = [{} for _ in modules]
    named = [set(m.class_map.values()) & m.defined for m in modules]
    for first in (True, False):
        for module, own, chosen in zip(modules, named, renames, strict=True):
            for name in sorted(own if first else module.defined - own):
                if name in taken:
                    n = 1
                    while f"{name}{n}" in every:
                        n += 1
                    chosen[name] = f"{name}{n}"
                    every.add(chosen[name])
                taken.add(chosen.get(name, name))
    heads: list[str] = []
    bodies: list[str] = []
    class_map: dict[str, str] = {}
    for number, (module, chosen) in enumerate(zip(modules, renames, strict=True)):
        class_map |= {schema: chosen.get(cls, cls) for schema, cls in module.class_map.items()}
        lines = rename(module.text, chosen).split("\n")
        heads += ["\n".join(lines[: module.head])] if number == 0 else list(module.imports)
        bodies.append("\n".join(lines[module.head :]).strip("\n"))
    return "\n".join(heads).rstrip("\n") + "\n\n\n" + "\n\n\n".join(bodies) + "\n", class_map


Raw = tuple[str, dict[str, str], bool]  # a run's text, class map, and whether its descriptions are tokens


def _work(openapi: str, components: dict[str, Any], table: Table, plain: dict[str, Any], source: str) -> Raw:
    """One model run on masked `components`; on `plain` (the real descriptions) when a token cannot be put back."""
    text, class_map = run_generator(openapi, components, source)
    if not restorable(text, table):
        return (*run_generator(openapi, plain, source), False)
    return text, class_map, True


def _unmasked(text: str, table: Table) -> str:
    out = unmask(text, table)
    assert out is not None  # a masked run is one whose tokens all go back (`_work`)
    return out


@dataclass(frozen=True)
class _Stored:
    """A run read from the cache (answers `get` as a pending run does)."""

    raw: Raw

    def get(self) -> Raw:
        return self.raw


def _dump(text: str, class_map: dict[str, str]) -> bytes:
    return json.dumps({"text": text, "class_map": class_map}).encode()


def _load(payload: bytes | None) -> tuple[str, dict[str, str]] | None:
    try:
        stored = json.loads(payload) if payload is not None else None
        if stored is None or not isinstance(stored["text"], str) or not isinstance(stored["class_map"], dict):
            return None
        return stored["text"], stored["class_map"]
    except (ValueError, KeyError, TypeError):
        return None  # an entry from something else: run the model generator again


@dataclass
class ModelRuns:
    """datamodel-code-generator runs for any number of documents, in worker processes while the caller goes on.

    Each group runs with its descriptions masked (`masking`), so with a cache each group's run is looked up by the
    group's content less its descriptions and `salt` (the generator's fingerprint), and only the groups not found
    are run; every run is stored, and the descriptions are put back into each. Use as a context manager: leaving
    it (on an error too) stops every worker at once.
    """

    cache: Cache | None = None
    salt: str = ""
    _stack: ExitStack = field(default_factory=ExitStack)
    _pending: dict[str, list[tuple[str, Table, AsyncResult[Raw] | _Stored]] | Output] = field(default_factory=dict)
    _queued: list[tuple[str, str, dict[str, Any], str]] = field(default_factory=list)
    running: int = 0  # the runs sent to worker processes (the others came from the cache)
    _pool: Pool | None = None
    _pool_size: int = 0

    def prefork(self, expected: int) -> None:
        """Start a worker for each of the `expected` runs (at most one per CPU) now, loading the model generator
        while this process reads the specs; `start` uses them, or stops them when the cache answers. Without a
        cache to answer, every worker loads it; otherwise one CPU is left to this process (a warm-up is wasted
        when the runs come from the cache)."""
        size = min(workers.cpus(), expected)
        if workers.cpus() > 1 and size > 0 and self._pool is None:
            warmed = size if self.cache is None or self.cache.empty else size - 1
            self._pool = self._stack.enter_context(workers.pool(size, warm_up, warmed))
            self._pool_size = size

    def submit(self, work: Callable[..., T], args: tuple[Any, ...]) -> AsyncResult[T]:
        """`work(*args)` in a model worker (idle once the runs are done; one is started when there is none)."""
        if self._pool is None:
            self._pool = self._stack.enter_context(workers.pool(1))
        return self._pool.apply_async(work, args)

    def add(self, key: str, openapi: str, components: dict[str, Any], source: str) -> None:
        """Queue the models of one document; `start` sends them to the workers."""
        self._queued.append((key, openapi, components, source))

    @property
    def count(self) -> int:
        """How many model runs there are (one per group of every document), once started."""
        return sum(len(p) if isinstance(p, list) else 1 for p in self._pending.values())

    def start(self) -> None:
        """Begin every queued run in worker processes (even one run overlaps the validation and docs done here)."""
        for key, _, components, _ in self._queued:
            if not components.get("schemas"):
                self._pending[key] = ("", {})  # an API without schemas gets an empty models module
        prepared = [(k, o, prepare_components(c), s) for k, o, c, s in self._queued if k not in self._pending]
        if not prepared:
            if self._pool is not None:
                self._pool.terminate()
                self._pool = None
            return
        tasks: list[tuple[str, str, Table, tuple[str, dict[str, Any], Table, dict[str, Any], str]]] = []
        for key, openapi, components, source in prepared:
            schemas = components.get("schemas") or {}
            for names in groups(schemas):
                plain = {**components, "schemas": {n: schemas[n] for n in names}}
                masked, table = mask(plain["schemas"])
                group = {**components, "schemas": masked}
                name = cache_key("models", self.salt, openapi, group) if self.cache else ""
                tasks.append((key, name, table, (openapi, group, table, plain, source)))
        found: dict[int, AsyncResult[Raw] | _Stored] = {}
        for task in tasks if self.cache else []:
            if stored := _load(self.cache.get(task[1]) if self.cache else None):
                found[id(task)] = _Stored((*stored, True))
        missing = [t for t in tasks if id(t) not in found]
        self.running = len(missing)
        if self._pool is not None and (not missing or self._pool_size < min(len(missing), workers.cpus())):
            self._pool.terminate()  # not needed (the CPUs go to the stages here), or too few
            self._pool = None
        if missing:
            pool = self._pool = self._pool or self._stack.enter_context(workers.pool(len(missing)))
            # the largest runs start first, so the workers finish close together; each document keeps its group order
            for task in sorted(missing, key=lambda t: -len(t[3][1]["schemas"])):
                found[id(task)] = pool.apply_async(_work, task[3])
        for task in tasks:
            pending = self._pending.setdefault(task[0], [])
            assert isinstance(pending, list)
            pending.append((task[1], task[2], found[id(task)]))

    def result(self, key: str) -> Output:
        """The merged models module of one document (waits for its runs; re-raises their error).

        The groups' modules are merged with their descriptions still tokens (numbered apart, one table for all),
        so the merge is reused from the cache for as long as the groups are, whatever their descriptions say.
        """
        pending = self._pending[key]
        if isinstance(pending, tuple):
            return pending
        table = tuple(text for _, group_table, _ in pending for text in group_table)
        merged = cache_key("merged", [name for name, _, _ in pending]) if self.cache and len(pending) > 1 else ""
        if self.cache is not None and merged and all(isinstance(run, _Stored) for _, _, run in pending):
            found = _load(self.cache.get(merged))
            if found is not None:  # every group unchanged but for descriptions: so is their merge
                return _unmasked(found[0], table), found[1]
        runs = []
        for name, group_table, run in pending:
            raw, class_map, masked = run.get()
            if self.cache is not None and masked and not isinstance(run, _Stored):
                self.cache.put(name, _dump(raw, class_map))  # a run on the real descriptions is not stored
            runs.append((raw, class_map, group_table, masked))
        if not all(masked and (group_table or PREFIX not in raw) for raw, _, group_table, masked in runs):
            # a run on the real descriptions, or a spec that holds the token prefix itself: merged as it is
            return merge([index(_unmasked(raw, t) if m else raw, c) for raw, c, t, m in runs])
        modules, offset = [], 0
        for raw, class_map, group_table, _ in runs:
            modules.append(index(renumber(raw, offset), class_map))
            offset += len(group_table)
        text, class_map = merge(modules)
        if self.cache is not None and merged:
            self.cache.put(merged, _dump(text, class_map))
        return _unmasked(text, table), class_map

    def __enter__(self) -> ModelRuns:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()
