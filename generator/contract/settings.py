"""Turn ContractOptions into a Schemathesis configuration (the schemathesis.toml shape, validated by it)."""

from __future__ import annotations

from typing import Any

import schemathesis
from schemathesis.config._output import DEFAULT_KEYS_TO_SANITIZE

from ..contract.options import ContractOptions
from ..contract.target import MUTATING, SpecFacts
from ..errors import UsageError

# Every method the coverage phase may try on a path that does not declare it, and the ones that cannot change data.
ALL_UNEXPECTED = ("delete", "get", "options", "patch", "post", "put", "query", "trace")
SAFE_UNEXPECTED = tuple(m for m in ALL_UNEXPECTED if m.upper() not in MUTATING)
ALWAYS_SECRET_HEADERS = ("authorization", "x-auth-token", "cookie", "set-cookie", "proxy-authorization")


def schemathesis_config(options: ContractOptions, facts: SpecFacts) -> schemathesis.Config:
    """The configuration: every check on, chosen phases, seed, limits and what to mask."""
    phases: dict[str, dict[str, Any]] = {
        name: {"enabled": name in options.phases} for name in ("examples", "coverage", "fuzzing", "stateful")
    }
    methods = ALL_UNEXPECTED if options.allow_unsafe_probes else SAFE_UNEXPECTED
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
        "seed": options.seed,
        "workers": 1,
        "continue-on-failure": True,
        "request-timeout": options.request_timeout,
        "cache": {"enabled": False},
        "generation": {"max-examples": options.max_examples, "database": "none"},
        "phases": phases,
        "output": {"sanitization": {"keys-to-sanitize": sorted(masked), "replacement": "[masked]"}},
    }
    if options.headers:
        data["headers"] = dict(options.headers)
    try:
        return schemathesis.Config.from_dict(data)
    except Exception as exc:  # ConfigError and friends: a bad option value reached Schemathesis
        raise UsageError(f"specfirst contract: {str(exc).splitlines()[0]}") from None
