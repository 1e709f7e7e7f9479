"""`specfirst contract` against `specfirst mock` on samples of real-world documents (a few operations each)."""

from __future__ import annotations

import pytest

from tests.conftest import run_specfirst
from tests.mock.sample import credentials, documents_errors, sample
from tests.mock.servers import SHARED_SPECS, serving

ALL_PHASES = "examples,coverage,fuzzing,stateful,probes"
CORPUS = [
    "oai-petstore.yaml",
    "museum-3.1.yaml",
    "github-api.json",
    "train-travel-3.1.yaml",
    "spotify.yaml",
    "schema-types-3.1.yaml",
    "discord-3.1.json",
    "stripe-spec3.yaml",  # form bodies in Stripe's deepObject encoding
    "petstore3.yaml",  # form and XML bodies, some of whose cases the bytes sent cannot carry
]


@pytest.mark.parametrize("name", CORPUS)
def test_contract_passes_against_the_mock_on_a_sample_of_a_corpus_document(name, tmp_path):
    spec = sample(SHARED_SPECS / name, tmp_path / f"{name}.sample.json", with_params=1, without=1)
    # a spec whose operations document no 400/401 leaves a mock no conforming answer to a bad request
    phases = ALL_PHASES if documents_errors(spec) else "examples"
    mock_auth, contract_auth = credentials(spec)
    with serving("mock", str(spec), *mock_auth) as mock:
        done = run_specfirst(
            "contract", str(spec), "--base-url", mock.url, *contract_auth,
            "--phases", phases, "--max-examples", "2", "--seed", "3", timeout=600,
        )  # fmt: skip
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:] + mock.log()[-2000:]
