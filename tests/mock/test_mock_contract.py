"""`specfirst contract` against `specfirst mock`: the mock conforms to the spec it serves, with every phase."""

from __future__ import annotations

import pytest

from tests.conftest import run_specfirst
from tests.mock.servers import (
    HUAWEI,
    HUAWEI_READONLY,
    HUAWEI_TOKEN,
    RAINBOND,
    RAINBOND_TOKEN,
    serving,
)

SEED_SPECS = [
    (HUAWEI, ["--token", HUAWEI_TOKEN, "--readonly-token", HUAWEI_READONLY]),
    (RAINBOND, ["--token", RAINBOND_TOKEN]),
]


@pytest.mark.parametrize(("spec", "auth"), SEED_SPECS, ids=["huawei", "rainbond"])
def test_contract_passes_against_the_mock_with_every_phase(spec, auth):
    with serving("mock", str(spec), *auth) as mock:
        done = run_specfirst(
            "contract", str(spec), "--base-url", mock.url, *auth, "--seed", "7", "--max-examples", "10", timeout=600
        )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "conforms: no failures" in done.stdout
    for phase in ("coverage", "examples", "fuzzing", "probes"):
        header = next(line for line in done.stdout.splitlines() if not line.startswith("data safety:"))
        assert phase in header, header
