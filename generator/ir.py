"""Stage 3, ir: the plain-data intermediate model that templates see instead of the raw spec."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Parameter:
    """One path, query, header or cookie parameter of an operation."""

    name: str  # the wire name, data only
    py_name: str  # a safe identifier
    location: str  # path | query | header | cookie
    required: bool
    annotation: str  # a Python type expression built from safe identifiers only
    description: str
    sensitive: bool = False
    style: str = "simple"  # matrix | label | simple | form | spaceDelimited | pipeDelimited | deepObject
    explode: bool = False  # defaults resolved: true for form, false otherwise
    allow_reserved: bool = False
    media_type: str | None = None  # set when the parameter has `content` instead of `schema`: sent encoded so


@dataclass(frozen=True)
class Encoding:
    """How one property of a form or multipart body is serialized (the OpenAPI Encoding Object)."""

    name: str  # the property's wire name, data only
    content_type: str | None  # as the spec says it, None when unset
    style: str | None  # None when unset: the runtime applies form/explode defaults
    explode: bool | None
    allow_reserved: bool
    binary: bool  # format: binary (or a 3.1 contentMediaType): always a file part in multipart


@dataclass(frozen=True)
class Body:
    """The request body an operation takes."""

    content_type: str
    kind: str  # json | form | multipart | bytes | text
    annotation: str
    required: bool
    description: str
    encoding: tuple[Encoding, ...] = ()  # form and multipart only, sorted by property name


@dataclass(frozen=True)
class Response:
    """One documented response of an operation."""

    status: str  # "201", "4XX" or "default"
    description: str
    content_type: str | None
    kind: str | None  # json | text | bytes | None (no body)
    annotation: str  # "None" when there is no body
    error_class: str | None = None  # set for non-2xx responses


@dataclass(frozen=True)
class ErrorClass:
    """A typed exception raised for one documented error status and body shape."""

    name: str
    status: str
    annotation: str  # the parsed error body's type ("None" when the response has no body)
    kind: str | None
    description: str


@dataclass(frozen=True)
class SecurityScheme:
    """How one credential reaches the server."""

    name: str  # the spec's scheme name, data only
    py_name: str  # the client constructor keyword
    kind: str  # header | query | cookie | bearer | basic
    wire_name: str  # header/query/cookie name, data only
    description: str


@dataclass(frozen=True)
class Operation:
    """One HTTP operation: one method on the generated clients."""

    py_name: str
    raw_name: str
    operation_id: str
    method: str  # upper case
    path: str  # the template, data only
    summary: str
    description: str
    deprecated: bool
    parameters: tuple[Parameter, ...]
    body: Body | None
    responses: tuple[Response, ...]
    security: tuple[str, ...]  # SecurityScheme.py_name values
    return_annotation: str
    idempotent: bool

    @property
    def successes(self) -> tuple[Response, ...]:
        """The 2xx responses."""
        return tuple(r for r in self.responses if r.error_class is None)

    @property
    def errors(self) -> tuple[Response, ...]:
        """The documented non-2xx responses."""
        return tuple(r for r in self.responses if r.error_class is not None)


@dataclass(frozen=True)
class Api:
    """Everything the templates need to render one API package."""

    package: str
    title: str
    version: str
    description: str
    openapi: str
    server_url: str
    operations: tuple[Operation, ...]
    security: tuple[SecurityScheme, ...]
    error_classes: tuple[ErrorClass, ...]
    model_names: tuple[str, ...] = field(default=())
    client_class: str = "Client"  # the generated client classes' names ([tool.specfirst.apis.NAME])
    async_client_class: str = "AsyncClient"


@dataclass(frozen=True)
class Distribution:
    """What a publishable package's own pyproject.toml and README say (from the spec's info object)."""

    name: str  # the distribution name: the package name with dashes
    version: str  # info.version when it is a PEP 440 version, else 0.0.0
    title: str
    summary: str  # one line
    license: str = ""  # info.license.identifier or name; empty: no licence field
    license_url: str = ""
