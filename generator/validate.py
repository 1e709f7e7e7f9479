"""Stage 2, validate: openapi-spec-validator plus specfirst's own checks, each problem at file:line:col."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from .errors import InputError, Problem, SpecInvalid
from .load import Document, Pointer
from .speedups import MetaMemo, placed_schema
from .support import node_pointer, value_pointer
from .walk import HTTP_METHODS, iter_operations

if TYPE_CHECKING:  # the validators cost about a second to import: only when there is something to validate
    from jsonschema.exceptions import ValidationError

_BASE = "urn:specfirst:spec"
_VALUE_KEYS = frozenset({"default"})


def openapi_version(doc: Document) -> str:
    """'3.0' or '3.1'; InputError for anything that is not an OpenAPI 3.0/3.1 document."""
    data = doc.data
    if not isinstance(data, dict):
        raise InputError(f"{doc.display}:1:1: not an OpenAPI document (top level is not a mapping)")
    version = data.get("openapi")
    if version is None:
        what = "Swagger 2.0 is not supported, convert it to OpenAPI 3" if "swagger" in data else "no 'openapi' key"
        raise InputError(f"{doc.display}:1:1: not an OpenAPI 3 document ({what})")
    match = re.fullmatch(r"3\.([01])\.\d+(-[\w.]+)?", str(version))
    if not match:
        line, col = doc.locate(["openapi"])
        raise InputError(
            f"{doc.display}:{line}:{col}: unsupported OpenAPI version {str(version)[:40]!r} (3.0.x or 3.1.x)"
        )
    return f"3.{match.group(1)}"


def structural_problems(doc: Document, memo: MetaMemo | None = None) -> list[Problem]:
    """What openapi-spec-validator finds, each at the line of the offending node (`memo`: the schemas that passed
    the meta-schema check in an earlier run, not checked again; a schema equal to one that passed earlier in this
    run is not checked again either)."""
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator  # heavy: on use only

    from .speedups import apply, remembering

    apply()
    version = openapi_version(doc)
    validator_cls = OpenAPIV31SpecValidator if version == "3.1" else OpenAPIV30SpecValidator
    dialect = doc.data.get("jsonSchemaDialect") if isinstance(doc.data, dict) else None  # picks 3.1's meta-schema
    with remembering(memo or MetaMemo(), f"{version} {dialect!r}"):
        return _structural_problems(doc, validator_cls)


def _structural_problems(doc: Document, validator_cls: Any) -> list[Problem]:
    problems: list[Problem] = []
    errors = validator_cls(doc.data).iter_errors()
    while True:
        try:
            err = next(errors)
        except StopIteration:
            break
        except RecursionError:
            raise InputError(f"{doc.display}:1:1: $ref loop or nesting too deep to validate") from None
        except Exception as exc:  # the keyword validators raise on shapes the schema check already reported
            if problems:
                break
            raise InputError(f"{doc.display}:1:1: cannot validate: {_short(str(exc))}") from None
        if "is not unique" in err.message:
            continue  # reported with its location by operation_id_problems
        if err.validator == "format" and err.validator_value == "regex":
            continue  # Python's re is not the judge of an ECMA-262 pattern: support.pattern_problems is
        problems.append(doc.problem(_error_pointer(doc, err), _short(err.message).split(" Failed validating ")[0]))
    return problems


def _error_pointer(doc: Document, err: ValidationError) -> list[str | int]:
    pointer = list(err.absolute_path)
    schema = placed_schema(err)  # a meta-schema error's path starts at its schema: where is that schema?
    if schema is not None:
        at = node_pointer(doc, schema)
        if at is not None:
            return [*at, *pointer]
    if pointer:
        return pointer
    placed = value_pointer(doc, err.instance, _VALUE_KEYS)  # a bad default is reported without its place
    if placed:
        return placed
    found = re.search(r"'(/[^']*)'", err.message)
    return ["paths", found.group(1)] if found else []


def _short(message: str, limit: int = 240) -> str:
    message = " ".join(message.split())
    return message if len(message) <= limit else message[: limit - 1] + "…"


def operation_id_problems(doc: Document) -> list[Problem]:
    """Every operation has an operationId, and no two share one."""
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for path, method, op in iter_operations(doc.data):
        where: Pointer = ["paths", path, method]
        op_id = op.get("operationId")
        if not isinstance(op_id, str) or not op_id:
            problems.append(doc.problem(where, f"{method.upper()} {path}: operation has no operationId"))
        elif op_id in seen:
            problems.append(
                doc.problem([*where, "operationId"], f"operationId {op_id!r} is already used by {seen[op_id]}")
            )
        else:
            seen[op_id] = f"{method.upper()} {path}"
    return problems


def example_problems(doc: Document) -> list[Problem]:
    """Every example (parameter, media type, schema) validates against its schema."""
    return [doc.problem(pointer, message) for pointer, message in example_errors(doc)]


def example_errors(doc: Document) -> Iterator[tuple[list[str | int], str]]:
    """(pointer, message) for every example that does not validate against its schema (`lint` shares it)."""
    version = openapi_version(doc)
    sites = list(_example_sites(doc.data))
    if not sites:
        return
    from openapi_schema_validator import OAS30Validator, OAS31Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4, DRAFT202012

    spec = DRAFT202012 if version == "3.1" else DRAFT4
    registry: Registry[Any] = Registry().with_resource(
        _BASE, Resource.from_contents(doc.data, default_specification=spec)
    )
    validator_cls = OAS31Validator if version == "3.1" else OAS30Validator
    for schema_ptr, example_ptr, value in sites:
        ref = {"$ref": _BASE + "#" + _json_pointer(schema_ptr)}
        validator = validator_cls(ref, registry=registry)
        try:
            error = next(iter(sorted(validator.iter_errors(value), key=lambda e: list(e.absolute_path))), None)
        except Exception as exc:  # an unresolvable $ref inside the schema
            yield schema_ptr, f"cannot check example: {_short(str(exc))}"
            continue
        if error is not None:
            inner = "/".join(str(p) for p in error.absolute_path)
            at = f" at '{inner}'" if inner else ""
            yield (
                [*example_ptr, *error.absolute_path],
                f"example does not match its schema{at}: {_short(error.message)}",
            )


def _json_pointer(parts: Pointer) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _example_sites(data: dict[str, Any]) -> Iterator[tuple[list[str | int], list[str | int], Any]]:
    """(schema pointer, example pointer, example value) for every example in the document."""
    for path, item in (data.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        for method, op in item.items():
            if method not in HTTP_METHODS and method != "parameters":
                continue
            base: list[str | int] = ["paths", path, method]
            params = op if method == "parameters" else op.get("parameters", [])
            for i, param in enumerate(params if isinstance(params, list) else []):
                yield from _holder_examples(param, [*base, i] if method == "parameters" else [*base, "parameters", i])
            if method == "parameters" or not isinstance(op, dict):
                continue
            body = op.get("requestBody")
            if isinstance(body, dict):
                for mime, media in (body.get("content") or {}).items():
                    yield from _holder_examples(media, [*base, "requestBody", "content", mime])
            for status, response in (op.get("responses") or {}).items():
                if isinstance(response, dict):
                    for mime, media in (response.get("content") or {}).items():
                        yield from _holder_examples(media, [*base, "responses", status, "content", mime])
    schemas = (data.get("components") or {}).get("schemas") or {}
    for name, schema in schemas.items():
        yield from _schema_examples(schema, ["components", "schemas", name])


def _holder_examples(holder: Any, ptr: list[str | int]) -> Iterator[tuple[list[str | int], list[str | int], Any]]:
    if not isinstance(holder, dict) or "schema" not in holder:
        return
    schema_ptr = [*ptr, "schema"]
    if "example" in holder:
        yield schema_ptr, [*ptr, "example"], holder["example"]
    for key, example in (holder.get("examples") or {}).items():
        if isinstance(example, dict) and "value" in example:
            yield schema_ptr, [*ptr, "examples", key, "value"], example["value"]


def _schema_examples(schema: Any, ptr: list[str | int]) -> Iterator[tuple[list[str | int], list[str | int], Any]]:
    if not isinstance(schema, dict):
        return
    if "example" in schema:
        yield ptr, [*ptr, "example"], schema["example"]
    if isinstance(schema.get("examples"), list):
        for i, example in enumerate(schema["examples"]):
            yield ptr, [*ptr, "examples", i], example
    for name, sub in (schema.get("properties") or {}).items():
        yield from _schema_examples(sub, [*ptr, "properties", name])
    if isinstance(schema.get("items"), dict):
        yield from _schema_examples(schema["items"], [*ptr, "items"])


def check(doc: Document, *, examples: bool = True, operation_ids: bool = True, memo: MetaMemo | None = None) -> None:
    """Raise SpecInvalid with every problem found; return quietly when the document is valid (`memo`: see
    structural_problems)."""
    from .annotations import invalid_defaults

    defaults = [problem for _, problem in invalid_defaults(doc)]
    placed = {(p.line, p.col) for p in defaults}  # the validator's own lines for them are less readable
    problems = [p for p in structural_problems(doc, memo) if (p.line, p.col) not in placed] + defaults
    if operation_ids:
        problems += operation_id_problems(doc)
    if examples and not problems:
        problems += example_problems(doc)
    if problems:
        raise SpecInvalid(problems)


_PROSE = frozenset({"description", "summary"})
# values kept whole: data (examples, defaults, enums), extensions, and maps whose keys are the user's and whose
# values may be strings that matter (discriminator mappings, OAuth scopes, a link's parameters)
_KEPT = frozenset({"example", "examples", "default", "enum", "const", "mapping", "scopes"})
_VALIDATORS = ("openapi-spec-validator", "openapi-schema-validator", "jsonschema")


def prose_free(node: Any) -> Any:
    """`node` with the text of every description and summary blanked: what the checks here read of a document
    (a description or summary must be a string, and none of them looks at which)."""
    if isinstance(node, list):
        return [prose_free(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for k, v in node.items():
        if k in _PROSE and isinstance(v, str):
            out[k] = ""
        elif k in _KEPT or (isinstance(k, str) and k.startswith("x-")) or (k == "parameters" and isinstance(v, dict)):
            out[k] = v
        else:
            out[k] = prose_free(v)
    return out


def validator_versions() -> list[str]:
    """The versions of the validating packages (a cached verdict holds for these only)."""
    import importlib.metadata

    return [importlib.metadata.version(name) for name in _VALIDATORS]


def verdict_key(doc: Document, strict: bool, salt: str) -> str:
    """The cache key of a document's verdict: equal for documents that differ in the text of descriptions and
    summaries only (`salt`: the generator's fingerprint; the validators' versions are added here)."""
    from .cache import key

    return key("valid", salt, validator_versions(), strict, prose_free(doc.data))


def require_valid(doc: Document) -> None:
    """Structural validation for the commands that serve or test a spec: InputError (exit 2) naming the first
    problem, and how many more `specfirst validate` would list."""
    try:
        check(doc, examples=False, operation_ids=False)
    except SpecInvalid as exc:
        first = exc.problems[0]
        more = f" (and {len(exc.problems) - 1} more; see `specfirst validate`)" if len(exc.problems) > 1 else ""
        raise InputError(f"{first}{more}") from None
