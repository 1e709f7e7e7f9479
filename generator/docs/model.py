"""The plain-data docs model: what the Markdown and HTML reference templates see instead of the raw spec."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class TypePart:
    """One alternative of a type: `string`, `null`, or a link to a model, possibly inside arrays."""

    text: str
    ref: str = ""  # the model's anchor slug when `text` names a documented model
    arrays: int = 0  # how many `[...]` wrap it


@dataclass(frozen=True)
class Field:
    """One property row of a model's 属性 table."""

    name: str
    types: tuple[TypePart, ...]
    required: bool
    constraints: tuple[str, ...]
    title: str
    description: str
    depth: int = 0  # nesting of inline objects (shown as `»`)


@dataclass(frozen=True)
class Node:
    """A property with the properties of its inline object nested under it (the HTML's expandable tables)."""

    field: Field
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Alternative:
    """One member of a oneOf/anyOf/allOf: its type, and its properties when it is an inline object."""

    types: tuple[TypePart, ...]
    title: str
    fields: tuple[Field, ...]

    @property
    def tree(self) -> tuple[Node, ...]:
        return nest(self.fields)


@dataclass(frozen=True)
class Model:
    """One schema in the 模型 section: a JSON sketch and its properties."""

    name: str
    anchor: str
    description: str
    sketch: str
    types: tuple[TypePart, ...]
    constraints: tuple[str, ...]
    fields: tuple[Field, ...]
    combinator: str = ""  # oneOf | anyOf | allOf when the schema is made of alternatives
    alternatives: tuple[Alternative, ...] = ()

    @property
    def tree(self) -> tuple[Node, ...]:
        return nest(self.fields)


def nest(fields: tuple[Field, ...]) -> tuple[Node, ...]:
    """The flat `»` rows as a tree: each row owns the deeper rows that follow it."""
    out: list[Node] = []
    i = 0
    while i < len(fields):
        j = i + 1
        while j < len(fields) and fields[j].depth > fields[i].depth:
            j += 1
        out.append(Node(fields[i], nest(fields[i + 1 : j])))
        i = j
    return tuple(out)


@dataclass(frozen=True)
class Example:
    """A named example value, already as pretty JSON (or text)."""

    title: str
    text: str


@dataclass(frozen=True)
class Param:
    """A row of the 请求参数 table (path, query, header, cookie parameters and the body)."""

    name: str
    location: str
    types: tuple[TypePart, ...]
    required: bool
    title: str
    description: str
    constraints: tuple[str, ...]
    example: str
    cell: str = ""  # the source-format Markdown's 说明 cell when the spec gives one (`x-doc-cell`)


@dataclass(frozen=True)
class Credential:
    """How one security scheme sends its credential."""

    scheme: str
    name: str
    location: str  # header | query | cookie
    kind: str  # apiKey | http | oauth2 | openIdConnect | mutualTLS
    description: str
    placeholder: str
    required: bool  # False when the operation accepts other credentials (or none) instead


@dataclass(frozen=True)
class Response:
    """A row of the 返回结果 table, with its examples."""

    status: str
    reason: str
    rfc: str  # a link to the status code's definition, or ""
    description: str
    types: tuple[TypePart, ...]
    content_type: str
    examples: tuple[Example, ...]
    error_codes: tuple[str, ...]  # codes seen in the examples' error-code fields
    cell: str = ""  # the source-format Markdown's 说明 cell when the spec gives one (`x-doc-cell`)

    @property
    def is_error(self) -> bool:
        return not self.status.upper().startswith(("1", "2", "3"))


@dataclass(frozen=True)
class Curl:
    """The pieces of a copy-able curl command (templates join and quote them)."""

    method: str
    url: str
    headers: tuple[str, ...]
    data: str


@dataclass(frozen=True)
class Arg:
    """One argument of a Python sample call, as plain data the template turns into code."""

    name: str  # the keyword, "" for a positional argument
    kind: str  # literal | call (cls(value)) | fields (cls(key=value, ...)) | validate | adapter
    value: Any  # plain JSON-like data; for `fields` a tuple of (keyword, value)
    cls: str = ""  # `models.Name` or a type expression (adapter)


@dataclass(frozen=True)
class Sample:
    """A Python call of the generated client for one operation (sync and async share it)."""

    package: str
    client: str  # the package's client class names (configurable)
    async_client: str
    variable: str  # the client's variable name
    base_url: str
    credentials: tuple[tuple[str, str], ...]  # (constructor keyword, placeholder)
    method: str
    args: tuple[Arg, ...]
    returns: bool  # the method returns a value worth printing
    imports: tuple[str, ...]  # extra `from X import Y` lines, as (module, name) joined by a space
    inline: bool = True  # the call fits on one line

    @property
    def uses_models(self) -> bool:
        return any(a.cls.startswith("models.") or "models." in a.cls for a in self.args)


@dataclass(frozen=True)
class Operation:
    """One HTTP operation."""

    anchor: str
    method: str
    path: str
    summary: str
    description: str
    deprecated: bool
    params: tuple[Param, ...]
    body: Param | None
    body_sketch: str
    content_type: str
    request_examples: tuple[Example, ...]
    responses: tuple[Response, ...]
    credentials: tuple[Credential, ...]
    curl: Curl
    operation_id: str = ""
    tag: str = "default"  # the tag it is listed under (its first)
    python: Sample | None = None


@dataclass(frozen=True)
class Tag:
    """Operations listed under one tag."""

    name: str
    anchor: str
    description: str
    operations: tuple[Operation, ...]


@dataclass(frozen=True)
class Group:
    """A group of tags (`x-tagGroups`); one unnamed group when the spec has none."""

    name: str
    tags: tuple[Tag, ...]


@dataclass(frozen=True)
class Api:
    """One API's reference."""

    package: str
    source: str
    title: str
    version: str
    description: str
    server: str
    operations: tuple[Operation, ...]
    models: tuple[Model, ...]
    groups: tuple[Group, ...] = ()
    langs: tuple[str, ...] = ("en",)  # the languages it is published in, its default first
    changelog: Changelog | None = None  # set when the API has a `changelog_base`


@dataclass(frozen=True)
class IndexEntry:
    """One API's row on the index page and the files it owns; the docs manifest records it, so a later run
    of other specs keeps this API's pages and lists it without rendering it again."""

    package: str
    lang: str  # its default language (the index page speaks the most common one)
    row: str  # its rendered <tr>
    files: tuple[str, ...]
    search: str = ""  # a site's: its entry of the site-wide search index, as JSON

    def to_json(self) -> dict[str, object]:
        found: dict[str, object] = {"lang": self.lang, "row": self.row, "files": list(self.files)}
        return {**found, "search": self.search} if self.search else found

    @classmethod
    def from_json(cls, package: str, data: object) -> IndexEntry:
        """The entry a manifest recorded; ValueError when it is not one (a hand-edited or foreign manifest)."""
        if not package.isidentifier() or not isinstance(data, dict):
            raise ValueError(f"not an index entry: {package!r}")
        lang, row, files = data.get("lang"), data.get("row"), data.get("files")
        if not isinstance(lang, str) or not isinstance(row, str) or not isinstance(files, list):
            raise ValueError(f"not an index entry: {package!r}")
        if not all(isinstance(f, str) and f.startswith(package + ".") and "/" not in f for f in files):
            raise ValueError(f"not an index entry: {package!r}")
        search = data.get("search", "")
        if not isinstance(search, str):
            raise ValueError(f"not an index entry: {package!r}")
        return cls(package, lang, row, tuple(files), search)


@dataclass(frozen=True)
class Change:
    """One change since the changelog's base, as `specfirst diff` judges it."""

    level: str  # breaking | warning | info
    id: str  # the diff rule
    operation: str
    message: str


@dataclass(frozen=True)
class ChangeGroup:
    """The changes of one level."""

    level: str
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class Changelog:
    """The Changes section: what changed since git ref `base`, grouped by level (breaking first)."""

    base: str
    groups: tuple[ChangeGroup, ...]
