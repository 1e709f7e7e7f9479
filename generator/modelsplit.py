"""Stage 4a, models at scale: a large document's schemas in groups through datamodel-code-generator in parallel,
merged.

A group is about PIECE characters of schemas in document order; the schemas of other groups it references are
stubs in its run (`stub`), whose classes are dropped and whose names are made those of the real classes when the
runs are merged (`settle`). So an edit to one schema runs its group alone again, however connected the schemas
are. The grouping depends on the document only (never on the machine), so the output is the same everywhere; the
number of worker processes is what depends on the machine.
"""

from __future__ import annotations

import ast
import hashlib
import json
import math
import re
import zlib
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from functools import partial
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path
from typing import Any, TypeVar

from . import workers
from .cache import Cache
from .cache import key as cache_key
from .errors import GenerationError
from .masking import PREFIX, Table, mask, renumber, restorable, unmask
from .modelgen import local_name, prepare_components, run_generator, warm_up
from .verify import blank_literals
from .walk import iter_mappings

CHUNK = 400_000  # characters of schema JSON: a document's schemas up to this size are one group
PIECE_MIN, PIECE = 60_000, 100_000  # characters of schema JSON per group of a larger document: at least, about
PIECE_MAX = 160_000  # and at most (one bound set of schemas may be larger on its own)
BOUNDARY = 4  # one schema in BOUNDARY may start a group
_LOCAL = "#/components/schemas/"

T = TypeVar("T")
Output = tuple[str, dict[str, str]]  # module text, schema name -> class name
# a YAML `description:` key's line and the lines below it indented further (its text), or a JSON "description"
_DESCRIBED = re.compile(
    rb'^( *)description:[^\n]*\n(?:\1 [^\n]*\n|[ \t]*\n)*|"description": *"(?:[^"\\\n]|\\.)*"', re.MULTILINE
)


def outline(spec: Path) -> bytes:
    """A digest of a spec file's text less its descriptions (`_DESCRIBED`): mostly, two texts that differ only in
    descriptions have the same outline (a guess, which decides only whether a model worker warms up ahead)."""
    try:
        return hashlib.blake2b(_DESCRIBED.sub(b"", spec.read_bytes()), digest_size=16).digest()
    except OSError:
        return b""


def _warm_unless_described(cache: Cache, salt: str, specs: Sequence[Path]) -> None:
    """In a model worker forked ahead (`ModelRuns.prefork`): the model generator warmed up, unless every spec's
    outline is the one the last run noted (an edit to descriptions only, mostly, which the cache answers without
    any model run: the CPU is better left to the other stages); the outlines noted for the next run."""
    same = True
    for spec in specs:
        name, found = cache_key("outline", salt, str(spec.resolve())), outline(spec)
        if cache.get(name) != found:
            cache.put(name, found)
            same = False
    if not same:
        warm_up()


def _refs(node: Any) -> Iterator[str | None]:
    """The component schema names `node` references; None for a reference of any other shape."""
    for item in iter_mappings(node):
        ref = item.get("$ref")
        if isinstance(ref, str):
            name = ref[len(_LOCAL) :].split("/", 1)[0] if ref.startswith(_LOCAL) else None
            yield name.replace("~1", "/").replace("~0", "~") if name else None


def expected_groups(size: int) -> int:
    """How many groups a document of `size` bytes is likely to make (its schemas are a part of it)."""
    return 1 if size <= CHUNK else max(2, math.ceil(size / (2 * PIECE)))


def is_model(schema: Any) -> bool:
    """Whether the model generator makes a schema a class of fields (its references are then read lazily)."""
    return (
        isinstance(schema, dict)
        and ("properties" in schema or (schema.get("type") == "object" and "additionalProperties" not in schema))
        and not any(k in schema for k in ("enum", "anyOf", "oneOf", "allOf", "items"))
    )


def _bound(name: str, schema: Any) -> set[str]:
    """The schemas `name` must be made with: what it inherits (allOf), is evaluated with when its class is made
    (a root model's type, a default, the type of extra properties), or pins to a Literal (a discriminated union
    and its variants)."""
    found = set() if is_model(schema) else {r for r in _refs(schema) if r}
    for node in iter_mappings(schema):
        if "default" in node or isinstance(node.get("discriminator"), dict):
            found |= {r for r in _refs(node) if r}
            mapping = node["discriminator"].get("mapping") if isinstance(node.get("discriminator"), dict) else None
            found |= {n for n in map(local_name, (mapping or {}).values()) if n}
        for key in ("additionalProperties", "patternProperties"):  # a type alias, or an `__annotations__` entry
            found |= {r for r in _refs(node.get(key)) if r}
        parts = node.get("allOf")
        for part in parts if isinstance(parts, list) else []:
            if isinstance(part, dict) and (parent := local_name(part.get("$ref"))):
                found.add(parent)
    found.discard(name)
    return found


def groups(schemas: dict[str, Any]) -> list[list[str]]:
    """Schema names in groups of about PIECE characters of JSON, in document order, each run on its own.

    A document of up to CHUNK characters is one group. Schemas bound together (`_bound`) share a group; the
    others a group references are stubs in its run (`stubs`). Where a group ends depends on the schemas near it
    only (a schema whose name hashes to one in BOUNDARY starts a group once the group is PIECE_MIN long), so an
    edit moves no other group's bounds."""
    names = list(schemas)
    weight = {n: len(json.dumps(schemas[n], default=str)) for n in names}
    if sum(weight.values()) <= CHUNK:
        return [names]
    parent = {n: n for n in names}

    def root(n: str) -> str:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for name in names:
        if any(ref is None for ref in _refs(schemas[name])):
            return [names]  # a reference into another part of the document: keep everything together
        for other in _bound(name, schemas[name]):
            if other in parent:
                parent[root(name)] = root(other)
    units: dict[str, list[str]] = {}
    for name in names:
        units.setdefault(root(name), []).append(name)
    out: list[list[str]] = []
    size = 0
    for unit in units.values():  # in the document order of their first schema
        heavy = sum(weight[n] for n in unit)
        if out and (size + heavy > PIECE_MAX or (size >= PIECE_MIN and zlib.crc32(unit[0].encode()) % BOUNDARY == 0)):
            out.append([])
            size = 0
        if not out:
            out.append([])
        out[-1] += unit
        size += heavy
    order = {n: i for i, n in enumerate(names)}
    return [sorted(group, key=order.__getitem__) for group in out]


def stub(schema: Any) -> Any:
    """What a group's run is given for a schema of another group it references: as little as makes the model
    generator write the reference as it would with the schema itself (the class name, its nullability, the
    members of an enum); the stub's own class is dropped from the run's output (`settle`)."""
    if not isinstance(schema, dict):
        return schema
    if "enum" in schema:
        return {k: v for k, v in schema.items() if k not in ("description", "title")}
    kind = "object" if is_model(schema) else "string"
    types = schema.get("type")
    out: dict[str, Any] = {"type": [kind, "null"] if isinstance(types, list) and "null" in types else kind}
    if schema.get("nullable") is True:
        out["nullable"] = True
    if kind == "object":
        out["properties"] = {"stub": {"type": "string"}}
    return out


def stubs(schemas: dict[str, Any], group: list[str]) -> list[str]:
    """The schemas outside `group` it references, in document order."""
    inside = set(group)
    wanted = {r for n in group for r in _refs(schemas[n]) if r and r not in inside and r in schemas}
    return [n for n in schemas if n in wanted]


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
    renames: Mapping[str, str] = field(default_factory=dict)  # names of `text` -> those `defined` gives (`settle`)
    dropped: frozenset[str] = frozenset()  # statements to leave out (what they define, after `renames`)


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


_STATEMENT = re.compile(r"[^\s#)\]}]")  # a line that begins a module-level statement
_REBUILD = re.compile(r"^\w+\.model_rebuild\(\)$", re.MULTILINE)
Run = tuple[str, dict[str, str], tuple[str, ...]]  # a run's text, class map (its stubs' too), stub schema names


def _drop(text: str, names: Collection[str]) -> str:
    """`text` without the module-level statements that define `names`."""
    out: list[str] = []
    skipping = False
    for line in text.split("\n"):
        if _STATEMENT.match(line):
            found = _DEFINED.match(line)
            skipping = found is not None and (found.group(1) or found.group(2)) in names
        if not skipping:
            out.append(line)
    return "\n".join(out)


def settle(runs: list[Run]) -> list[Module]:
    """Group runs made with stubs indexed as modules that fit together: each schema's class keeps the name its
    own run gave it (a clash with an earlier group's, or with a name some group imports, numbered), each run's
    stubs take those names (a class of its own in the way is numbered), and the stubs' classes are dropped (the
    renames and drops are done by `merge`, with its own, in one pass over each text)."""
    modules = [index(text, class_map) for text, class_map, _ in runs]
    if not any(extra for _, _, extra in runs):
        return modules
    every = set().union(*(m.defined | m.imported for m in modules))
    taken = set().union(*(m.imported for m in modules))

    def fresh(name: str) -> str:
        n = 1
        while f"{name}{n}" in every:
            n += 1
        every.add(f"{name}{n}")
        return f"{name}{n}"

    final: dict[str, str] = {}
    for _, class_map, extra in runs:
        for schema, cls in class_map.items():
            if schema not in extra:
                final[schema] = fresh(cls) if cls in taken else cls
                taken.add(final[schema])
    out = []
    for (_, class_map, extra), module in zip(runs, modules, strict=True):
        missing = [e for e in extra if e not in class_map or e not in final]
        if missing:
            raise GenerationError(f"models: the model generator made no class for schema {missing[0]!r}")
        renames = {class_map[s]: final[s] for s in class_map if class_map[s] != final[s]}
        wanted = {final[s] for s in class_map}
        for name in module.defined - set(class_map.values()):  # a class of its own (an inline schema's)
            if name in wanted:
                renames[name] = fresh(name)
        dropped = frozenset(final[e] for e in extra)
        defined = frozenset(renames.get(n, n) for n in module.defined) - dropped
        own = {s: final[s] for s in class_map if s not in extra}
        out.append(replace(module, class_map=own, defined=defined, renames=renames, dropped=dropped))
    return out


def merge(modules: list[Module], offsets: Sequence[int] = (), memo: tuple[Cache, str] | None = None) -> Output:
    """One module from several: imports gathered at the top, and every name that clashes renamed.

    The classes of the document's own schemas (and hoisted bodies) keep their names first, in group order;
    the classes the model generator made up for inline schemas (`Address`, `Status`) are numbered after them.
    `offsets`: each module's description tokens are renumbered by its offset once merged (`masking.renumber`;
    names are renamed in code and tokens live in literals, so the order does not matter); `memo`: a cache and
    the generator's fingerprint, where each module's part of the merge is kept (an edit to one group leaves the
    others' renames as they were).
    """
    if len(modules) == 1 and not modules[0].renames and not modules[0].dropped:
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
    rebuilds: list[str] = []
    class_map: dict[str, str] = {}
    for number, (module, chosen) in enumerate(zip(modules, renames, strict=True)):
        class_map |= {schema: chosen.get(cls, cls) for schema, cls in module.class_map.items()}
        settled = {name: module.renames.get(name, name) for name in {*module.renames, *chosen}}
        both = {name: chosen.get(now, now) for name, now in settled.items() if chosen.get(now, now) != name}
        head, body, found = _part(module, both, number == 0, memo)
        heads += [head] if number == 0 else list(module.imports)
        rebuilds += found
        bodies.append(renumber(body, offsets[number]) if offsets else body)
    # a class may use one of a later module (a group's stub): its rebuild waits until every class is made
    tail = "\n\n\n" + "\n".join(rebuilds) if rebuilds else ""
    return "\n".join(heads).rstrip("\n") + "\n\n\n" + "\n\n\n".join(bodies) + tail + "\n", class_map


def _part(
    module: Module, renames: dict[str, str], first: bool, memo: tuple[Cache, str] | None
) -> tuple[str, str, list[str]]:
    """One module's part of a merge: its header (the first module's), its body with `renames` made and its
    dropped statements left out, and its `model_rebuild()` calls (taken out of the body)."""
    name = ""
    if memo is not None:
        digest = hashlib.sha256(module.text.encode()).digest()
        name = cache_key("part", memo[1], digest, sorted(renames.items()), sorted(module.dropped), module.head, first)
        stored = memo[0].get(name)
        if stored is not None:
            head, body, found = json.loads(stored)
            return head, body, found
    lines = rename(module.text, renames).split("\n")
    head = "\n".join(lines[: module.head]) if first else ""
    body = _drop("\n".join(lines[module.head :]), module.dropped)
    found = _REBUILD.findall(body)
    body = _REBUILD.sub("", body).strip("\n")
    if memo is not None:
        memo[0].put(name, json.dumps([head, body, found]).encode())
    return head, body, found


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
    _pending: dict[str, list[tuple[str, Table, tuple[str, ...], AsyncResult[Raw] | _Stored]] | Output] = field(
        default_factory=dict
    )
    _queued: list[tuple[str, str, dict[str, Any], str]] = field(default_factory=list)
    running: int = 0  # the runs sent to worker processes (the others came from the cache)
    _pool: Pool | None = None
    _pool_size: int = 0
    _whole: dict[str, str] = field(default_factory=dict)  # document -> the cache key of its whole models module
    _masked: dict[str, str] = field(default_factory=dict)  # document -> `text_key`
    _edit: bool = False  # the cache answers (`prefork`): one worker, forked ahead, takes the first run at once

    def prefork(self, expected: int, specs: Sequence[Path] = ()) -> None:
        """Start a worker for each of the `expected` runs (at most one per CPU) of `specs` now, each loading the
        model generator while this process reads the specs; `start` uses them, or stops them when the cache
        answers. When a cache may answer, one worker only: an edit runs one group again, mostly (a pool hands a
        task to any idle worker, so a second one could take it before its warm-up), and the other CPU is left to
        this process; that worker warms up only when the specs changed in more than descriptions, as far as their
        text tells (`_warm_unless_described`: otherwise the warm-up would be wasted); more runs get a pool of their
        own."""
        cold = self.cache is None or self.cache.empty
        size = min(workers.cpus(), expected) if cold else min(1, expected)
        self._edit = not cold
        if workers.cpus() > 1 and size > 0 and self._pool is None:
            warm = (
                warm_up if self.cache is None or cold else partial(_warm_unless_described, self.cache, self.salt, specs)
            )
            self._pool = self._stack.enter_context(workers.pool(size, warm, size))
            self._pool_size = size

    def submit(
        self, work: Callable[..., T], args: tuple[Any, ...], then: Callable[[T], object] | None = None
    ) -> AsyncResult[T]:
        """`work(*args)` in a model worker (idle once the runs are done; one is started when there is none);
        `then(result)` called in a thread of this process once it is done (not when it failed)."""
        if self._pool is None:
            self._pool = self._stack.enter_context(workers.pool(1))
            self._pool_size = 1
        return self._pool.apply_async(work, args, callback=then)

    @property
    def workers(self) -> int:
        """How many model workers there are now (each idle once the runs are done)."""
        return self._pool_size if self._pool is not None else 0

    def add(self, key: str, openapi: str, components: dict[str, Any], source: str) -> None:
        """Queue the models of one document; `start` sends them to the workers."""
        self._queued.append((key, openapi, components, source))

    @property
    def count(self) -> int:
        """How many model runs there are (one per group of every document), once started."""
        return sum(len(p) if isinstance(p, list) else 1 for p in self._pending.values())

    def start(self) -> None:
        """Begin every queued run in worker processes (even one run overlaps the validation and docs done here). In
        an edit (`prefork` found a cache that answers), the first group the cache does not hold goes to the worker
        forked ahead as soon as it is found, while the other groups are keyed and looked up; any others missing get
        workers of their own."""
        for key, openapi, components, source in self._queued:
            if not components.get("schemas"):
                self._pending[key] = ("", {})  # an API without schemas gets an empty models module
            elif self.cache is not None:  # the whole module as the last run made it, when its input is the same
                self._whole[key] = cache_key("modelset", self.salt, openapi, components, source)
                if stored := _load(self.cache.get(self._whole[key])):
                    self._pending[key] = stored
        prepared = [(k, o, prepare_components(c), s) for k, o, c, s in self._queued if k not in self._pending]
        if not prepared:
            if self._pool is not None:
                self._pool.terminate()
                self._pool = None
            return
        tasks: list[tuple[str, str, Table, tuple[str, ...], tuple[str, dict[str, Any], Table, dict[str, Any], str]]]
        tasks, missing = [], []
        found: dict[int, AsyncResult[Raw] | _Stored] = {}
        ahead = self._pool if self._edit else None  # an edit: the worker forked ahead runs the first group missing
        for key, openapi, components, source in prepared:
            schemas = components.get("schemas") or {}
            for names in groups(schemas):
                extra = stubs(schemas, names)
                chosen = {n: schemas[n] for n in names} | {n: stub(schemas[n]) for n in extra}
                plain = {**components, "schemas": chosen}
                masked, table = mask(chosen)
                group = {**components, "schemas": masked}
                name = cache_key("models", self.salt, openapi, group) if self.cache else ""
                tasks.append((key, name, table, tuple(extra), (openapi, group, table, plain, source)))
                if stored := _load(self.cache.get(name) if self.cache else None):
                    found[id(tasks[-1])] = _Stored((*stored, True))
                elif ahead is not None:  # at once, while the other groups are keyed and looked up
                    found[id(tasks[-1])] = ahead.apply_async(_work, tasks[-1][4])
                    ahead = None
                else:
                    missing.append(tasks[-1])
        early = self._edit and self._pool is not None and ahead is None  # the worker ahead has a run
        self.running = len(missing) + early
        pool: Pool | None = None
        if early:
            pool = self._stack.enter_context(workers.pool(len(missing))) if missing else None  # the rest, apart
        else:
            if self._pool is not None and (not missing or self._pool_size < min(len(missing), workers.cpus())):
                self._pool.terminate()  # not needed (the CPUs go to the stages here), or too few
                self._pool = None
            if missing and self._pool is None:
                self._pool = self._stack.enter_context(workers.pool(len(missing)))
                self._pool_size = min(len(missing), workers.cpus())
            pool = self._pool
        # the largest runs start first, so the workers finish close together; each document keeps its group order
        for task in sorted(missing, key=lambda t: -len(t[4][1]["schemas"])):
            assert pool is not None  # made above for the runs missing
            found[id(task)] = pool.apply_async(_work, task[4])
        for task in tasks:
            pending = self._pending.setdefault(task[0], [])
            assert isinstance(pending, list)
            pending.append((task[1], task[2], task[3], found[id(task)]))

    def result(self, key: str) -> Output:
        """The merged models module of one document (waits for its runs; re-raises their error).

        With a cache, a document whose components are those of an earlier run gets that run's module at once (an
        edit outside them); otherwise the groups' modules are merged with their descriptions still tokens
        (numbered apart, one table for all), so the merge is reused from the cache for as long as the groups are,
        whatever their descriptions say.
        """
        pending = self._pending[key]
        if isinstance(pending, tuple):
            return pending
        made = self._merged(key, pending)
        if self.cache is not None and key in self._whole:
            self.cache.put(self._whole[key], _dump(*made))
        return made

    def text_key(self, key: str) -> str | None:
        """With a cache, what one document's models module is but for its descriptions (the digest of its text
        with them masked), once merged; None when unknown (`format._fixed_imports` keeps a fix by it)."""
        return self._masked.get(key)

    def _merged(
        self, key: str, pending: list[tuple[str, Table, tuple[str, ...], AsyncResult[Raw] | _Stored]]
    ) -> Output:
        table = tuple(text for _, group_table, _, _ in pending for text in group_table)
        merged = cache_key("merged", [name for name, *_ in pending]) if self.cache and len(pending) > 1 else ""
        if self.cache is not None and merged and all(isinstance(run, _Stored) for *_, run in pending):
            found = _load(self.cache.get(merged))
            if found is not None:  # every group unchanged but for descriptions: so is their merge
                self._masked[key] = cache_key("masked", self.salt, found[0])
                return _unmasked(found[0], table), found[1]
        runs = []
        for name, group_table, extra, run in pending:
            raw, class_map, masked = run.get()
            if self.cache is not None and masked and not isinstance(run, _Stored):
                self.cache.put(name, _dump(raw, class_map))  # a run on the real descriptions is not stored
            runs.append((raw, class_map, group_table, masked, extra))
        if not all(masked and (group_table or PREFIX not in raw) for raw, _, group_table, masked, _ in runs):
            # a run on the real descriptions, or a spec that holds the token prefix itself: merged as it is
            return merge(settle([(_unmasked(raw, t) if m else raw, c, x) for raw, c, t, m, x in runs]))
        offsets, offset = [], 0
        for _, _, group_table, _, _ in runs:
            offsets.append(offset)
            offset += len(group_table)
        memo = (self.cache, self.salt) if self.cache is not None else None
        text, class_map = merge(settle([(raw, c, x) for raw, c, _, _, x in runs]), offsets, memo)
        if self.cache is not None:
            self._masked[key] = cache_key("masked", self.salt, text)
        if self.cache is not None and merged:
            self.cache.put(merged, _dump(text, class_map))
        return _unmasked(text, table), class_map

    def __enter__(self) -> ModelRuns:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()
