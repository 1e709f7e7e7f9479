"""Turn ContractOptions into a Schemathesis configuration (the schemathesis.toml shape, validated by it)."""

from __future__ import annotations

from typing import Any

import schemathesis
from schemathesis.config._output import DEFAULT_KEYS_TO_SANITIZE

from ..contract.fixtures import schemathesis_parameters
from ..contract.options import ContractOptions
from ..contract.target import MUTATING, SpecFacts
from ..contract.units import STATEFUL, Unit
from ..errors import UsageError

# Every method the coverage phase may try on a path that does not declare it, and the ones that cannot change data.
ALL_UNEXPECTED = ("delete", "get", "options", "patch", "post", "put", "query", "trace")
SAFE_UNEXPECTED = tuple(m for m in ALL_UNEXPECTED if m.upper() not in MUTATING)
ALWAYS_SECRET_HEADERS = ("authorization", "x-auth-token", "cookie", "set-cookie", "proxy-authorization")


def _enabled(options: ContractOptions, unit: Unit | None) -> set[str]:
    chosen = set(options.phases)
    if unit is None:
        return chosen
    if unit.operation == STATEFUL:
        return chosen & {"stateful"}
    return chosen & ({"examples", "coverage", "fuzzing"} if unit.slice == 0 else {"fuzzing"})


def schemathesis_config(options: ContractOptions, facts: SpecFacts, unit: Unit | None = None) -> schemathesis.Config:
    """The configuration of one unit of work (or the whole run): every check on, its phases, seed, limits,
    the fixture ids and what to mask."""
    enabled = _enabled(options, unit)
    phases: dict[str, dict[str, Any]] = {
        name: {"enabled": name in enabled} for name in ("examples", "coverage", "fuzzing", "stateful")
    }
    unsafe = options.allow_unsafe_probes and not options.readonly
    methods = ALL_UNEXPECTED if unsafe else SAFE_UNEXPECTED
    phases["coverage"]["unexpected-methods"] = list(methods)
    masked = {h.lower() for h in options.headers} | {h.lower() for h in options.readonly_headers}
    masked |= (
        set(DEFAULT_KEYS_TO_SANITIZE)
        | set(ALWAYS_SECRET_HEADERS)
        | facts.auth_headers
        | {s.lower() for s in facts.sensitive}
    )
    data: dict[str, Any] = {
        "base-url": options.base_url,
        "seed": options.seed if unit is None else unit.seed,
        # Schemathesis' own workers where they fit: the stateful unit spans every operation
        "workers": options.workers if unit is not None and unit.operation == STATEFUL else 1,
        "continue-on-failure": True,
        "request-timeout": options.request_timeout,
        "cache": {"enabled": False},
        "generation": {
            "max-examples": options.max_examples if unit is None else unit.max_examples,
            "database": "none",
        },
        "phases": phases,
        "output": {"sanitization": {"keys-to-sanitize": sorted(masked), "replacement": "[masked]"}},
    }
    if options.headers:
        data["headers"] = dict(options.headers)
    data.update(schemathesis_parameters(options, facts))
    try:
        return schemathesis.Config.from_dict(data)
    except Exception as exc:  # ConfigError and friends: a bad option value reached Schemathesis
        raise UsageError(f"specfirst contract: {str(exc).splitlines()[0]}") from None
