"""Whether a form or XML body said on the wire what Schemathesis meant: read back as the mock reads bodies."""

from __future__ import annotations

from typing import Any

from schemathesis import GenerationMode
from schemathesis.core.parameters import ParameterLocation

from ..load import Document
from ..mock.bodies import is_json
from ..mock.spec import MockSpec, Operation, index
from ..mock.validation import Validators, check_body

BODY_CHECKS = frozenset({"negative_data_rejection", "positive_data_acceptance"})


class WireReader:
    """The spec's operations and validators, built on first use (most runs send only JSON bodies)."""

    def __init__(self, doc: Document) -> None:
        self._doc = doc
        self._built: tuple[MockSpec, Validators, dict[tuple[str, str], Operation]] | None = None

    def _parts(self) -> tuple[MockSpec, Validators, dict[tuple[str, str], Operation]]:
        if self._built is None:
            spec = index(self._doc)
            ops = {(op.method, op.path): op for op in spec.operations()}
            self._built = (spec, Validators(spec), ops)
        return self._built

    def misread(self, check: str, case: Any, headers: dict[str, Any], raw: bytes | None) -> bool:
        """True when a body check's verdict rests on a value the bytes sent do not carry: a 'schema-violating' form
        or XML body that reads back valid (a missing array and an empty one are the same form body), or a 'valid'
        one that reads back invalid (a list of objects has no form encoding). JSON bodies carry every value."""
        media = getattr(case, "media_type", None)
        meta = getattr(case, "meta", None)
        if check not in BODY_CHECKS or not media or is_json(media) or meta is None or raw is None:
            return False
        negative = {where for where, info in meta.components.items() if info.mode == GenerationMode.NEGATIVE}
        if check == "negative_data_rejection" and negative != {ParameterLocation.BODY}:
            return False  # another component is the invalid one
        if check == "positive_data_acceptance" and negative:
            return False
        spec, validators, ops = self._parts()
        op = ops.get((case.method.upper(), case.operation.path))
        if op is None:
            return False
        found = [v for k, v in headers.items() if k.lower() == "content-type"]
        value = found[0] if found else media
        declared = str(value[0] if isinstance(value, list) and value else value)
        _, _, violation = check_body(spec, validators, op, declared, raw)
        return (violation is None) == (check == "negative_data_rejection")
