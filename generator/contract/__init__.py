"""Contract testing: property-test a running API against its OpenAPI spec with Schemathesis and our own checks."""

from __future__ import annotations

from generator.contract.command import add_parser, run
from generator.contract.options import ContractOptions

__all__ = ["ContractOptions", "add_parser", "run"]
