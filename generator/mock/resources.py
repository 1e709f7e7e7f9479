"""Resources inferred from the spec alone: `/pets` is a collection, `/pets/{petId}` its item; POST creates, GET reads,
PUT/PATCH update, DELETE removes; items named by path-parameter examples are seeded from the spec's examples."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import negotiation
from .negotiation import NOTHING
from .respond import Answer, Responder
from .spec import MockSpec, Operation, Route, properties
from .state import Store
from .validation import Parsed


@dataclass(frozen=True)
class Target:
    """Where an operation acts: the concrete collection path, and the item id when it names one."""

    collection: str
    item: str | None
    id_param: str | None


def target(route: Route, path_params: dict[str, str]) -> Target:
    """`/a/{x}/b/{y}` with x=1, y=2 -> collection `/a/1/b`, item `2`; a path ending in a literal is a collection."""
    parts = route.template.rstrip("/").split("/")
    last = parts[-1]
    concrete = [_fill(p, path_params) for p in parts]
    if last.startswith("{") and last.endswith("}") and last[1:-1] in path_params:
        return Target("/".join(concrete[:-1]) or "/", path_params[last[1:-1]], last[1:-1])
    return Target("/".join(concrete) or "/", None, None)


def _fill(part: str, values: dict[str, str]) -> str:
    if part.startswith("{") and part.endswith("}"):
        return values.get(part[1:-1], part)
    return part


def id_property(spec: MockSpec, schema: Any, id_param: str | None) -> str | None:
    """The property that carries a resource's id: `id`, the item's path parameter name, or one ending in id."""
    schema = spec.resolve(schema)
    props = properties(spec, schema)
    for name in ("id", id_param or "", "uuid", "name" if id_param == "name" else ""):
        if name and name in props:
            return name
    ending = [p for p in props if p.lower().endswith("id") and len(p) <= 24]
    return ending[0] if len(ending) == 1 else None


def _typed(value: str, schema: Any) -> Any:
    kind = schema.get("type") if isinstance(schema, dict) else None
    kinds = kind if isinstance(kind, list) else [kind]
    if "integer" in kinds and value.lstrip("-").isdigit():
        return int(value)
    return value


class Resources:
    """The stateful behaviour; `handle` answers a validated request, or returns None for plain negotiation."""

    def __init__(self, spec: MockSpec, store: Store, responder: Responder, seed: int) -> None:
        self.spec = spec
        self.store = store
        self.responder = responder
        self.seed = seed

    def _success(self, op: Operation, accept: str | None) -> negotiation.Choice:
        return negotiation.choose(self.spec, op, negotiation.success_key(op), accept)

    def _request_schema(self, op: Operation) -> Any:
        body = self.spec.resolve(op.raw.get("requestBody")) or {}
        media = next(iter((body.get("content") or {}).values()), None) if isinstance(body, dict) else None
        return self.spec.resolve(media).get("schema") if isinstance(self.spec.resolve(media), dict) else None

    def _schema(self, choice: negotiation.Choice) -> dict[str, Any]:
        schema = self.spec.resolve(negotiation.schema_of(self.spec, choice))
        return schema if isinstance(schema, dict) else {}

    def not_found(self, op: Operation, accept: str | None, key: str) -> Answer | None:
        status_key = negotiation.documented(op, 404)
        if status_key is None:
            return None  # nothing documents a 404: the documented success answers instead
        choice = negotiation.choose(self.spec, op, status_key, accept, 404)
        choice.status = 404
        return self.responder.answer(op, choice, self.responder.body_for(op, choice, key), key)

    def handle(
        self, op: Operation, route: Route, path_params: dict[str, str], parsed: Parsed, accept: str | None
    ) -> Answer | None:
        where = target(route, path_params)
        choice = self._success(op, accept)
        if not 200 <= choice.status < 300:
            return None
        body = parsed.body if isinstance(parsed.body, dict) else None
        if where.item is not None:
            return self._item(op, where, choice, body, parsed, accept)
        return self._collection(op, where, choice, body, accept)

    def _item(
        self,
        op: Operation,
        where: Target,
        choice: negotiation.Choice,
        body: dict[str, Any] | None,
        parsed: Parsed,
        accept: str | None,
    ) -> Answer | None:
        key = f"{where.collection}/{where.item}"
        stored = self.store.get(where.collection, str(where.item))
        if op.method in ("GET", "HEAD"):
            if stored is None:
                return self.not_found(op, accept, key)
            return self.responder.answer(op, choice, self.responder.view(op, choice, stored, key), key)
        if op.method == "DELETE":
            if not self.store.delete(where.collection, str(where.item)):
                return self.not_found(op, accept, key)
            value = self.responder.view(op, choice, stored or {}, key) if choice.media else NOTHING
            return self.responder.answer(op, choice, value, key)
        if op.method in ("PUT", "PATCH", "POST"):
            changes = dict(body or {})
            if op.method == "POST" and body is None:  # e.g. petstore's POST /pet/{petId}?name=&status=
                changes = {k: v for k, v in parsed.values["query"].items() if not isinstance(v, dict | list)}
            if stored is None and (op.method != "PUT" or self.not_found(op, accept, key) is not None):
                return self.not_found(op, accept, key)
            id_name = id_property(self.spec, self._schema(choice), where.id_param)
            base = stored if stored is not None else self._base(op, choice, key, id_name, str(where.item))
            merged = self._merge(base, changes, id_name, base.get(id_name) if id_name else None)
            self.store.change(where.collection, str(where.item), lambda _old: merged)
            return self.responder.answer(op, choice, self.responder.view(op, choice, merged, key), key)
        return None

    def _collection(
        self, op: Operation, where: Target, choice: negotiation.Choice, body: dict[str, Any] | None, accept: str | None
    ) -> Answer | None:
        schema = self._schema(choice)
        if op.method == "POST" and body is not None:
            id_name = id_property(self.spec, schema, None) or id_property(self.spec, self._request_schema(op), None)
            if id_name is None:
                return None
            sent = body.get(id_name)
            new_id = (
                str(sent)
                if sent is not None and not isinstance(sent, dict | list)
                else self._new_id(where, schema, id_name)
            )
            key = f"{where.collection}/{new_id}"
            base = self._base(op, choice, key, id_name, new_id)
            merged = self._merge(base, body, id_name, base.get(id_name))
            self.store.change(where.collection, new_id, lambda _old: merged)
            answer = self.responder.answer(op, choice, self.responder.view(op, choice, merged, key), key)
            location = next((h for h in (choice.response.get("headers") or {}) if h.lower() == "location"), None)
            if location:
                answer.headers[location] = f"{self.spec.base_path}{where.collection.rstrip('/')}/{new_id}"
            return answer
        if op.method in ("PUT", "PATCH") and body is not None:
            id_name = id_property(self.spec, schema, None)
            if id_name is None:
                return None
            if body.get(id_name) is None or isinstance(body.get(id_name), dict | list):
                return self.not_found(op, accept, where.collection)  # no id: nothing to update
            item = str(body[id_name])
            key = f"{where.collection}/{item}"
            stored = self.store.get(where.collection, item)
            if stored is None:
                return self.not_found(op, accept, key)
            merged = self._merge(stored, body, id_name, stored.get(id_name))
            self.store.change(where.collection, item, lambda _old: merged)
            return self.responder.answer(op, choice, self.responder.view(op, choice, merged, key), key)
        if op.method == "GET":
            return self._listing(op, where, choice, schema)
        return None

    def _listing(
        self, op: Operation, where: Target, choice: negotiation.Choice, schema: dict[str, Any]
    ) -> Answer | None:
        items = self.store.items(where.collection)
        if not items:
            return None
        kinds = schema.get("type")
        if kinds == "array" or (isinstance(kinds, list) and "array" in kinds):
            item_schema = self.spec.resolve(schema.get("items"))
            shown = [i for i in items if not self.responder.validators.errors(item_schema, i)]
            return self.responder.answer(op, choice, shown, where.collection)
        props = properties(self.spec, schema)
        for name, prop in props.items():
            prop = self.spec.resolve(prop)
            if isinstance(prop, dict) and prop.get("type") == "array":
                base = self.responder.body_for(op, choice, where.collection)
                if isinstance(base, dict):
                    item_schema = self.spec.resolve(prop.get("items"))
                    base[name] = [i for i in items if not self.responder.validators.errors(item_schema, i)]
                    if not self.responder.validators.errors(schema, base):
                        return self.responder.answer(op, choice, base, where.collection)
                break
        return None

    def _base(
        self, op: Operation, choice: negotiation.Choice, key: str, id_name: str | None, item: str, generate: bool = True
    ) -> dict[str, Any]:
        base = self.responder.body_for(op, choice, key, generate=generate)
        base = dict(base) if isinstance(base, dict) else {}
        if id_name:
            base[id_name] = _typed(item, self.spec.resolve(properties(self.spec, self._schema(choice)).get(id_name)))
        return base

    def _merge(
        self, base: dict[str, Any], changes: dict[str, Any], id_name: str | None, keep_id: Any
    ) -> dict[str, Any]:
        merged = {**base, **changes}
        if id_name and keep_id is not None:
            merged[id_name] = keep_id
        return merged

    def _new_id(self, where: Target, schema: dict[str, Any], id_name: str) -> str:
        """A fresh id of the id property's type: integers count up, strings are uuids (or hex) from seed and count."""
        prop = self.spec.resolve(properties(self.spec, schema).get(id_name)) or {}
        declared = prop.get("type")
        kinds: list[Any] = declared if isinstance(declared, list) else [declared]
        count = len(self.store.items(where.collection)) + 1
        while True:
            digest = hashlib.sha256(f"{self.seed}:{where.collection}:{count}".encode()).digest()
            if "integer" in kinds:
                candidate = str(1000 + count)
            elif prop.get("format") == "uuid" or "string" not in kinds:
                candidate = str(uuid.UUID(bytes=digest[:16], version=4))
            else:
                candidate = digest.hex()[:32]
            if self.store.get(where.collection, candidate) is None:
                return candidate
            count += 1

    def seed_examples(self) -> int:
        """Store the items whose path parameters all have examples, from the success response's example."""
        if self.store.seeded():
            return 0
        count = 0
        for route in self.spec.routes:
            example_values: dict[str, str] = {}
            for op in route.operations.values():
                for param in op.params:
                    if param.get("in") == "path":
                        value = _param_example(self.spec, param)
                        if value is not None:
                            example_values.setdefault(str(param.get("name")), str(value))
            if not route.names or any(n not in example_values for n in route.names):
                continue
            where = target(route, example_values)
            if where.item is None or self.store.get(where.collection, where.item) is not None:
                continue
            for method in ("GET", "PUT", "PATCH", "POST"):
                found = route.operations.get(method)
                if found is None:
                    continue
                choice = self._success(found, None)
                key = f"{where.collection}/{where.item}"
                id_name = id_property(self.spec, self._schema(choice), where.id_param)
                base = self._base(found, choice, key, id_name, where.item, generate=False)  # start fast
                if base:
                    self.store.change(where.collection, where.item, _constant(base))
                    count += 1
                    break
        self.store.mark_seeded()
        return count


def _constant(value: dict[str, Any]) -> Callable[[dict[str, Any] | None], dict[str, Any]]:
    return lambda _old: value


def _param_example(spec: MockSpec, param: dict[str, Any]) -> Any:
    if "example" in param:
        return param["example"]
    examples = param.get("examples")
    if isinstance(examples, dict) and examples:
        return (spec.resolve(next(iter(examples.values()))) or {}).get("value")
    schema = spec.resolve(param.get("schema")) or {}
    if isinstance(schema, dict):
        if "example" in schema:
            return schema["example"]
        if isinstance(schema.get("examples"), list) and schema["examples"]:
            return schema["examples"][0]
    return None
