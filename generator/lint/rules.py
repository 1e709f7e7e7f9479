"""The rule table: every rule's stable id, default severity, the node kind it checks and its handler.

Ids are a public contract (users put them in configuration). Where Spectral's `spectral:oas` or Redocly's
`recommended` ruleset has the rule, the id is theirs and `origin` says whose.
"""

from __future__ import annotations

from . import document_rules as d
from . import operation_rules as o
from . import schema_rules as s
from .model import Rule, Severity

E, W = Severity.ERROR, Severity.WARNING

RULES: tuple[Rule, ...] = (
    # -- info, servers, tags
    Rule("info-contact", W, "document", "info has a contact object", d.document, "spectral"),
    Rule("info-license", W, "document", "info has a license object", d.document, "redocly"),
    Rule("info-description", W, "document", "info has a description", d.document, "spectral"),
    Rule("oas3-api-servers", W, "document", "the document lists at least one server", d.document, "both"),
    Rule("no-server-example.com", W, "server", "server URLs do not point to example.com", d.server, "both"),
    Rule("no-server-trailing-slash", E, "server", "server URLs do not end with a slash", d.server, "both"),
    Rule(
        "no-undefined-server-variable", E, "server", "every {variable} in a server URL is defined", d.server, "redocly"
    ),
    Rule("no-server-variables-empty-enum", E, "server", "server variable enums are not empty", d.server, "redocly"),
    Rule(
        "openapi-tags",
        W,
        "document",
        "the document has a non-empty global tags list",
        d.document,
        "spectral",
        enabled=False,
    ),
    Rule("openapi-tags-uniqueness", E, "document", "global tag names are unique", d.document, "both"),
    Rule("tag-description", W, "tag", "global tags have a description", d.tag, "redocly"),
    Rule("operation-tags", W, "operation", "operations have at least one tag", o.operation, "spectral"),
    Rule(
        "operation-tag-defined",
        W,
        "operation",
        "operation tags are declared in the global tags",
        o.operation,
        "spectral",
    ),
    # -- paths
    Rule("path-params", E, "operation", "path parameters are declared and used", o.operation, "both"),
    Rule("path-declarations-must-exist", W, "path", "path templates have no empty {}", d.path, "both"),
    Rule("path-keys-no-trailing-slash", W, "path", "paths do not end with a slash", d.path, "both"),
    Rule("path-not-include-query", W, "path", "paths have no query string", d.path, "both"),
    Rule("no-identical-paths", E, "document", "no two paths differ only in parameter names", d.document, "redocly"),
    Rule("no-ambiguous-paths", W, "document", "no two paths can match the same request", d.document, "redocly"),
    # -- operations
    Rule("operation-operationId", W, "operation", "operations have an operationId", o.operation, "both"),
    Rule("operation-operationId-unique", E, "operation", "operationIds are unique", o.operation, "both"),
    Rule("operation-operationId-valid-in-url", W, "operation", "operationIds are URL-safe", o.operation, "both"),
    Rule("operation-description", W, "operation", "operations have a description", o.operation, "spectral"),
    Rule("operation-summary", E, "operation", "operations have a summary", o.operation, "redocly"),
    Rule("operation-success-response", W, "operation", "operations have a 2xx or 3xx response", o.operation, "both"),
    Rule("operation-4xx-response", W, "operation", "operations have a 4xx response", o.operation, "redocly"),
    Rule("operation-parameters-unique", E, "operation", "no parameter is declared twice", o.operation, "both"),
    Rule(
        "security-defined",
        E,
        "operation",
        "security requirements name defined schemes",
        o.operation,
        "both",
        also=(("document", d.document),),
    ),
    Rule("no-example-value-and-externalValue", E, "example", "examples have value or externalValue", o.example, "both"),
    # -- components and schemas
    Rule("no-unused-components", W, "document", "every component is referenced", d.document, "both"),
    Rule(
        "spec-components-invalid-map-name",
        E,
        "document",
        "component names use A-Z a-z 0-9 . _ -",
        d.document,
        "redocly",
    ),
    Rule("no-$ref-siblings", E, "ref", "OpenAPI 3.0: no keys beside $ref", s.ref, "spectral"),
    Rule(
        "oas3-valid-media-example", E, "document", "media and parameter examples match their schema", d.document, "both"
    ),
    Rule("oas3-valid-schema-example", E, "document", "schema examples match their schema", d.document, "both"),
    Rule("duplicated-entry-in-enum", W, "schema", "enum values are unique", s.schema, "spectral"),
    Rule("typed-enum", W, "schema", "enum values are of the schema's type", s.schema, "both"),
    Rule("array-items", E, "schema", "array schemas have items", s.schema, "spectral"),
    Rule("no-schema-type-mismatch", E, "schema", "objects have no items, arrays no properties", s.schema, "redocly"),
    Rule("nullable-type-sibling", E, "schema", "OpenAPI 3.0: nullable has a type beside it", s.schema, "redocly"),
    Rule("no-required-schema-properties-undefined", W, "schema", "required names are properties", s.schema, "redocly"),
    Rule(
        "oas3-schema",
        E,
        "document",
        "the document is valid OpenAPI (as `specfirst validate`; off by default, validate runs it)",
        d.structure,
        "both",
        enabled=False,
    ),
    # -- descriptions
    Rule("no-script-tags-in-markdown", W, "text", "no <script> in descriptions", d.text, "spectral"),
    Rule("no-eval-in-markdown", W, "text", "no eval( in descriptions", d.text, "spectral"),
    Rule("no-javascript-url-in-markdown", W, "text", "no javascript: URLs in descriptions", d.text),
    # -- specfirst's own: what its generator and contract tester need
    Rule("credential-not-sensitive", E, "schema", "credential-named properties are marked secret", s.schema),
    Rule("pattern-not-anchored", W, "schema", "patterns are anchored with ^...$", s.schema),
    Rule("request-string-max-length", W, "schema", "request strings have a maxLength", s.schema),
    Rule("mutating-operation-security", W, "operation", "POST/PUT/PATCH/DELETE need security", o.operation),
    Rule("response-status-without-schema", W, "response", "documented statuses have a body schema", o.response),
    Rule("operation-python-name", W, "operation", "operationIds make the same client method name", o.operation),
)

BY_ID = {rule.id: rule for rule in RULES}
assert len(BY_ID) == len(RULES), "rule ids are unique"

# the other peer's id for the same check: accepted in settings and in x-specfirst-lint-ignore
ALIASES = {
    "path-parameters-defined": "path-params",
    "path-declaration-must-exist": "path-declarations-must-exist",
    "no-path-trailing-slash": "path-keys-no-trailing-slash",
    "operation-operationId-url-safe": "operation-operationId-valid-in-url",
    "operation-2xx-response": "operation-success-response",
    "operation-parameters": "operation-parameters-unique",
    "no-duplicated-tag-names": "openapi-tags-uniqueness",
    "no-empty-servers": "oas3-api-servers",
    "oas3-server-not-example.com": "no-server-example.com",
    "oas3-server-trailing-slash": "no-server-trailing-slash",
    "oas3-operation-security-defined": "security-defined",
    "oas3-unused-component": "no-unused-components",
    "no-invalid-media-type-examples": "oas3-valid-media-example",
    "no-invalid-schema-examples": "oas3-valid-schema-example",
    "no-enum-type-mismatch": "typed-enum",
    "oas3-examples-value-or-externalValue": "no-example-value-and-externalValue",
    "struct": "oas3-schema",
}
assert not set(ALIASES) & set(BY_ID) and set(ALIASES.values()) <= set(BY_ID)
