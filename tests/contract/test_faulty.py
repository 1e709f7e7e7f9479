"""The fault corpus: each deliberately broken reference variant makes `specfirst contract` exit 1 naming the
right check; the correct server gives no failure at all (tests/contract/test_contract_reference.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.contract.servers import HUAWEI, RAINBOND, contract, serving
from tests.reference.server import HUAWEI_READONLY_TOKEN, HUAWEI_TOKEN, RAINBOND_TOKEN

FAULTS = [
    ("wrong_success_code", HUAWEI, "status_code_conformance"),
    ("wrong_field_type", HUAWEI, "response_schema_conformance"),
    ("missing_required_field", RAINBOND, "response_schema_conformance"),
    ("invalid_bodies_accepted", HUAWEI, "negative_data_rejection"),
    ("auth_ignored", RAINBOND, "ignored_auth"),
    ("server_error_on_valid_input", HUAWEI, "not_a_server_error"),
    ("undocumented_422", RAINBOND, "status_code_conformance"),
    ("wrong_content_type", HUAWEI, "content_type_conformance"),
    ("error_body_wrong_shape", RAINBOND, "response_schema_conformance"),
    ("valid_nulls_rejected", RAINBOND, "positive_data_acceptance"),
    ("length_limit_off_by_one", HUAWEI, "positive_data_acceptance"),
    ("update_not_applied", HUAWEI, "update_applied"),
    ("stack_trace_leak", RAINBOND, "no_internal_leak"),
]


@pytest.mark.parametrize(("fault", "spec", "check"), FAULTS, ids=[f[0] for f in FAULTS])
def test_fault_is_found_and_named(fault: str, spec: str, check: str, tmp_path: Path) -> None:
    with serving(f"tests.contract.faulty.{fault}", tmp_path / "reference.sqlite3") as server:
        result = contract(spec, server.base_url)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"[{check}]" in result.stdout, result.stdout
    assert "reproduce (got " in result.stdout and "curl --globoff --path-as-is -X" in result.stdout
    for secret in (HUAWEI_TOKEN, HUAWEI_READONLY_TOKEN, RAINBOND_TOKEN):
        assert secret not in result.stdout
