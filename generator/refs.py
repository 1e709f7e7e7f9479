"""Follow and bundle `$ref`s: local ones checked, files inside the spec's folder pulled in, escapes refused."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from .errors import InputError
from .load import MAX_BYTES, MAX_NODES, Document, check_size, display_path, parse, read

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
# keys whose values are data, not OpenAPI objects: a `$ref` below them is not a reference
_DATA_KEYS = frozenset({"example", "examples", "default", "enum", "const"})
# schema keywords whose value is a map of name -> schema
_SCHEMA_MAPS = frozenset({"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"})
REMOTE_TIMEOUT = 10.0
_MODELLED = "/components/schemas/"  # local schema references the model stage resolves itself


def _unescape(part: str) -> str:
    return part.replace("~1", "/").replace("~0", "~")


class Resolver:
    """Resolves `#/...` references against one (bundled) document."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc

    def _fail(self, ref: str, at: list[str | int], why: str) -> InputError:
        line, col = self.doc.locate(at)
        return InputError(f"{self.doc.display}:{line}:{col}: $ref {ref[:200]!r}: {why}")

    def lookup(self, ref: str, at: list[str | int]) -> tuple[Any, list[str | int]]:
        """The value a single `$ref` string points at, and its pointer."""
        if not ref.startswith("#"):
            if ref.startswith(("http://", "https://", "//")):
                raise self._fail(ref, at, "remote references are refused (never fetched)")
            raise self._fail(ref, at, "reference to another file was not bundled")
        try:
            return _walk(self.doc.data, ref[1:])
        except LookupError:
            raise self._fail(ref, at, "target does not exist") from None

    def deref(self, value: Any, at: list[str | int]) -> tuple[Any, list[str | int]]:
        """Follow `$ref` chains from `value` (found at `at`) until a non-reference."""
        seen: set[str] = set()
        while isinstance(value, dict) and isinstance(value.get("$ref"), str):
            ref = value["$ref"]
            if ref in seen:
                raise self._fail(ref, at, "reference loop with no schema in it")
            seen.add(ref)
            value, at = self.lookup(ref, at)
        return value, at


def _walk(data: Any, fragment: str) -> tuple[Any, list[str | int]]:
    """The node a JSON-pointer fragment ('' or '/a/b') names; LookupError when it does not exist."""
    node: Any = data
    pointer: list[str | int] = []
    if fragment and not fragment.startswith("/"):
        raise LookupError(fragment)
    for raw in fragment.split("/")[1:]:
        part = _unescape(unquote(raw))
        if isinstance(node, dict) and part in node:
            node = node[part]
            pointer.append(part)
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
            pointer.append(int(part))
        else:
            raise LookupError(part)
    return node, pointer


def _escape(pointer: list[str | int]) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in pointer)


def _relocate(data: Any, at: list[str | int], fragment: str) -> str | None:
    """The document-wide fragment for a JSON Schema 2020-12 `$anchor` name or a pointer relative to an `$id`.

    `#name` names the one schema with `$anchor: name`; `#/...` written inside a schema with its own `$id`
    points into that schema. None when neither finds a target.
    """
    if fragment and not fragment.startswith("/"):
        found = [p for p, node in _nodes(data) if isinstance(node, dict) and node.get("$anchor") == unquote(fragment)]
        return _escape(found[0]) if len(found) == 1 else None
    node, resources = data, []
    for depth, part in enumerate(at, 1):
        node = node.get(part) if isinstance(node, dict) else None
        if not isinstance(node, dict):
            break
        if isinstance(node.get("$id"), str):
            resources.append(list(at[:depth]))
    for resource in reversed(resources):
        try:
            _, pointer = _walk(_walk(data, _escape(resource))[0], fragment)
        except LookupError:
            continue
        return _escape([*resource, *pointer])
    return None


def _nodes(data: Any) -> list[tuple[list[str | int], Any]]:
    """Every (pointer, node) of a document outside example/extension data, in document order."""
    out: list[tuple[list[str | int], Any]] = []
    stack: list[tuple[list[str | int], Any]] = [([], data)]
    while stack:
        at, node = stack.pop()
        out.append((at, node))
        if isinstance(node, dict):
            items = [(k, v) for k, v in node.items() if not (k in _DATA_KEYS or str(k).startswith("x-"))]
            stack.extend(reversed([([*at, k], v) for k, v in items]))
        elif isinstance(node, list):
            stack.extend(reversed([([*at, i], v) for i, v in enumerate(node)]))
    return out


class _Bundler:
    """Rewrites one document so that every `$ref` in it is local (`#/...`) and resolvable."""

    def __init__(self, root: Document, allow_remote: bool) -> None:
        self.root = root
        self.folder = root.path.resolve().parent
        self.allow_remote = allow_remote
        self.sources: dict[str, Document] = {str(root.path.resolve()): root}
        self.placed: dict[tuple[str, str], str] = {}
        self.inlining: list[tuple[str, str]] = []
        data = root.data if isinstance(root.data, dict) else {}
        schemas = (data.get("components") or {}).get("schemas") if isinstance(data.get("components"), dict) else None
        self.taken = set(schemas) if isinstance(schemas, dict) else set()
        self.hoisted: dict[str, Any] = {}
        self.visited: set[int] = set()
        self.budget = MAX_NODES
        self.resolved: dict[Path, Path] = {}  # each source's resolved path (a `$ref` resolves its own)

    def resolve(self, path: Path) -> Path:
        """`path` resolved, once per source."""
        if path not in self.resolved:
            self.resolved[path] = path.resolve()
        return self.resolved[path]

    def copy(self, value: Any, src: Document) -> Any:
        """A deep copy of `value`, counted against the document's node budget (inlining can multiply)."""
        self.budget -= 1
        if self.budget < 0:
            raise InputError(f"{src.display}:1:1: bundled document expands to more than {MAX_NODES:,} nodes")
        if isinstance(value, dict):
            return {k: self.copy(v, src) for k, v in value.items()}
        if isinstance(value, list):
            return [self.copy(v, src) for v in value]
        return value

    def fail(self, src: Document, at: list[str | int], ref: str, why: str) -> InputError:
        line, col = src.locate([*at, "$ref"])
        return InputError(f"{src.display}:{line}:{col}: $ref {ref[:200]!r}: {why}")

    def source(self, key: str, src: Document, at: list[str | int], ref: str) -> Document:
        """The document at `key` (a resolved path or a URL), loaded once."""
        found = self.sources.get(key)
        if found is None:
            if key.startswith(("http://", "https://")):
                found = self.fetch(key, src, at, ref)
            else:
                try:
                    found = read(Path(key))
                except InputError as exc:
                    raise self.fail(src, at, ref, f"cannot load: {exc}") from None
            self.sources[key] = found
        return found

    def fetch(self, url: str, src: Document, at: list[str | int], ref: str) -> Document:
        """GET a remote document (only with --allow-remote-refs), bounded in time and size."""
        import httpx

        try:
            with httpx.stream("GET", url, timeout=REMOTE_TIMEOUT, follow_redirects=False) as response:
                if response.status_code != 200:
                    raise self.fail(src, at, ref, f"fetching it answered HTTP {response.status_code}")
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > MAX_BYTES:
                        raise self.fail(src, at, ref, f"remote document is larger than {MAX_BYTES // 2**20} MiB")
        except httpx.HTTPError as exc:
            raise self.fail(src, at, ref, f"cannot fetch: {type(exc).__name__}") from None
        try:
            text = bytes(body).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise self.fail(src, at, ref, "remote document is not UTF-8 text") from None
        return parse(text, Path(urlsplit(url).path or "remote"), url)

    def target_key(self, src: Document, at: list[str | int], ref: str) -> tuple[str, str]:
        """(document key, fragment) a `$ref` written in `src` points at; refuses escapes and remote refs."""
        location, _, fragment = ref.partition("#")
        base = src.display if src.display.startswith(("http://", "https://")) else "https:"
        if base != "https:" or location.startswith(("http://", "https://", "//")):
            url = urljoin(base, location) if location else src.display
            if not url.startswith(("http://", "https://")):
                raise self.fail(src, at, ref, "a remote document may only refer to remote documents")
            if not self.allow_remote:
                raise self.fail(src, at, ref, "remote references are refused (never fetched); see --allow-remote-refs")
            return url.split("#")[0], fragment
        if not location:
            return str(self.resolve(src.path)), fragment
        if _SCHEME.match(location):
            raise self.fail(src, at, ref, "only relative file references and #/ pointers are supported")
        target = (self.resolve(src.path).parent / unquote(location)).resolve()
        if not target.is_relative_to(self.folder):
            raise self.fail(src, at, ref, f"refers outside the spec's folder {display_path(self.folder)}/; refused")
        return str(target), fragment

    def visit(self, node: Any, src: Document, at: list[str | int], in_schema: bool, names: bool = False) -> Any:
        """`node` with its `$ref`s rewritten; containers are edited in place."""
        if isinstance(node, list):
            for i, item in enumerate(node):
                node[i] = self.visit(item, src, [*at, i], in_schema)
            return node
        if not isinstance(node, dict):
            return node
        if src is self.root:
            if id(node) in self.visited:
                return node  # a YAML alias seen already
            self.visited.add(id(node))
        ref = node.get("$ref")
        if isinstance(ref, str) and not names:
            return self.reference(node, ref, src, at, in_schema)
        mapping = node.get("mapping") if in_schema and not names and isinstance(node.get("propertyName"), str) else None
        for name, target in (mapping or {}).items() if isinstance(mapping, dict) else ():
            if isinstance(target, str) and not target.startswith("#") and ("/" in target or ":" in target):
                line, col = src.locate([*at, "mapping", name])
                raise InputError(
                    f"{src.display}:{line}:{col}: discriminator mapping {target[:200]!r}: "
                    "only #/ pointers and schema names are supported (no files, never fetched)"
                )
        for key in list(node):
            value = node[key]
            if names:
                node[key] = self.visit(value, src, [*at, key], True)
            elif isinstance(key, str) and ((key in _DATA_KEYS and (in_schema or key != "examples")) or key[:2] == "x-"):
                continue
            elif key == "value" and not in_schema and len(at) >= 2 and at[-2] == "examples":
                continue  # an Example Object's value is data: a "$ref" in it is not a reference
            elif key == "schema" or (in_schema and key not in _SCHEMA_MAPS):
                node[key] = self.visit(value, src, [*at, key], True)
            else:
                is_map = (key in _SCHEMA_MAPS and in_schema) or (at == ["components"] and key == "schemas")
                node[key] = self.visit(value, src, [*at, key], in_schema or is_map, names=is_map)
        return node

    def reference(self, node: dict[str, Any], ref: str, src: Document, at: list[str | int], in_schema: bool) -> Any:
        key = self.target_key(src, at, ref)
        target = self.source(key[0], src, at, ref)
        try:
            value, pointer = _walk(target.data, key[1])
        except LookupError:
            fragment = _relocate(target.data, at if target is src else [], key[1])
            if fragment is None:
                raise self.fail(src, at, ref, "target does not exist") from None
            key = (key[0], fragment)
            value, pointer = _walk(target.data, fragment)
        if target is self.root and in_schema and key[1].startswith("/") and not key[1].startswith(_MODELLED):
            # a schema inside an operation or a response: the model stage sees only components/schemas
            return {**node, "$ref": self.hoist(key, value, target, pointer)}
        if target is self.root:
            node["$ref"] = "#" + key[1]
            self.check_chain(value, src, at, ref)
            return node
        if in_schema:
            return {**node, "$ref": self.hoist(key, value, target, pointer)}
        if key in self.inlining:
            raise self.fail(src, at, ref, "reference loop with no schema in it")
        self.inlining.append(key)
        copy = self.visit(self.copy(value, target), target, pointer, False)
        self.inlining.pop()
        return copy

    def hoist(self, key: tuple[str, str], value: Any, target: Document, pointer: list[str | int]) -> str:
        """Put an external schema under components/schemas once; its local `$ref`."""
        if key in self.placed:
            return self.placed[key]
        stem = str(pointer[-1]) if pointer else Path(key[0]).name.split(".")[0]
        name, n = stem or "Schema", 1
        while name in self.taken:
            n += 1
            name = f"{stem}{n}"
        self.taken.add(name)
        self.placed[key] = "#/components/schemas/" + name.replace("~", "~0").replace("/", "~1")
        self.hoisted[name] = self.visit(self.copy(value, target), target, pointer, True)
        return self.placed[key]

    def check_chain(self, value: Any, src: Document, at: list[str | int], ref: str) -> None:
        seen = {ref}
        while isinstance(value, dict) and isinstance(value.get("$ref"), str) and value["$ref"].startswith("#"):
            nxt = value["$ref"]
            if nxt in seen:
                raise self.fail(src, at, ref, "reference loop with no schema in it")
            seen.add(nxt)
            try:
                value, _ = _walk(self.root.data, nxt[1:])
            except LookupError:
                return  # reported where that `$ref` is written


def bundle(doc: Document, *, allow_remote: bool = False) -> None:
    """Make every `$ref` in `doc` local and resolvable, or raise InputError naming the offending one."""
    if not isinstance(doc.data, dict):
        return
    bundler = _Bundler(doc, allow_remote)
    try:
        bundler.visit(doc.data, doc, [], False)
    except RecursionError:
        raise InputError(f"{doc.display}:1:1: $ref chain nested too deeply to bundle") from None
    if bundler.hoisted:
        components = doc.data.setdefault("components", {})
        if not isinstance(components, dict):
            raise InputError(f"{doc.display}:1:1: 'components' is not a mapping")
        schemas = components.setdefault("schemas", {})
        if not isinstance(schemas, dict):
            raise InputError(f"{doc.display}:1:1: 'components.schemas' is not a mapping")
        schemas.update(bundler.hoisted)
    if len(bundler.sources) > 1:
        check_size(doc.data, doc.display)
    root = str(doc.path.resolve())
    doc.sources = tuple(sorted(Path(k) for k in bundler.sources if k != root and not k.startswith(("http:", "https:"))))
