"""Real fixtures: `--path-param` and `--probe` names checked against the spec, and the path values each operation
will be sent with (the fixture's id, else the spec's example)."""

from __future__ import annotations

from typing import Any

from ..contract.options import ContractOptions
from ..contract.target import Operation, SpecFacts
from ..errors import UsageError


def check_names(options: ContractOptions, facts: SpecFacts) -> None:
    """UsageError (exit 2) for a --path-param or --probe that names nothing in the spec."""
    ids = {op.operation_id: op for op in facts.operations.values() if op.operation_id}
    for given in options.path_params:
        if given.operation_id is not None:
            op = ids.get(given.operation_id)
            if op is None:
                known = ", ".join(sorted(ids)) or "none"
                raise UsageError(f"specfirst contract: --path-param {given}: no operationId {given.operation_id!r} "
                                 f"in the spec (known: {known})")  # fmt: skip
            if given.name not in op.path_params:
                raise UsageError(f"specfirst contract: --path-param {given}: {op.label} has no path parameter "
                                 f"{given.name!r} (it has: {', '.join(op.path_params) or 'none'})")  # fmt: skip
        elif not any(given.name in op.path_params for op in facts.operations.values()):
            names = sorted({p for op in facts.operations.values() for p in op.path_params})
            raise UsageError(f"specfirst contract: --path-param {given}: no operation has a path parameter "
                             f"{given.name!r} (known: {', '.join(names) or 'none'})")  # fmt: skip
    for probe in options.probes:
        for name, _ in probe.values:
            if not any(name in op.params for op in facts.operations.values()):
                params = sorted({p for op in facts.operations.values() for p in op.params})
                raise UsageError(f"specfirst contract: --probe {probe}: no operation has a parameter {name!r} "
                                 f"(known: {', '.join(params) or 'none'})")  # fmt: skip


def path_values(options: ContractOptions, op: Operation) -> dict[str, str]:
    """The path parameters `op` is sent with: --path-param (per operation first), else the spec's example."""
    values = dict(op.examples)
    for given in options.path_params:
        if given.operation_id is None and given.name in op.path_params:
            values[given.name] = given.value
    for given in options.path_params:
        if given.operation_id == op.operation_id and given.name in op.path_params:
            values[given.name] = given.value
    return values


def given_names(options: ContractOptions, op: Operation) -> set[str]:
    """The path parameters of `op` the user fixed with --path-param."""
    return {
        g.name for g in options.path_params if g.name in op.path_params and g.operation_id in (None, op.operation_id)
    }


def schemathesis_parameters(options: ContractOptions, facts: SpecFacts) -> dict[str, Any]:
    """The `parameters` / `operations` entries of Schemathesis' configuration that pin the fixture ids."""
    data: dict[str, Any] = {}
    common = {f"path.{g.name}": g.value for g in options.path_params if g.operation_id is None}
    if common:
        data["parameters"] = common
    per_operation: dict[str, dict[str, str]] = {}
    for g in options.path_params:
        if g.operation_id is not None:
            per_operation.setdefault(g.operation_id, dict(common))[f"path.{g.name}"] = g.value
    if per_operation:
        data["operations"] = [
            {"include-operation-id": op_id, "parameters": values} for op_id, values in sorted(per_operation.items())
        ]
    return data
