"""Real revision pairs (../shared/specs/revisions/): the changes their commits actually made, and nothing else."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from specfirst.diff import compare
from specfirst.diff.sources import load_pair, source
from tests.conftest import ROOT, run_specfirst

REVISIONS = ROOT.parent / "shared" / "specs" / "revisions"


def test_revision_pairs_are_present() -> None:
    assert sorted(p.name for p in REVISIONS.glob("*.yaml")) == [
        "stripe-d374dec3.yaml",
        "stripe-ef16c287.yaml",
        "train-travel-1ae5e51.yaml",
        "train-travel-414c323.yaml",
    ]


def test_train_travel_shared_pagination_params() -> None:
    """1ae5e51 -> 414c323 moved `page` into components (no change where it was already integer, min 1), turned
    GET /trips' `page` from number into integer with minimum 1, and added `limit` and `country` (optional)."""
    base, head = (str(REVISIONS / f"train-travel-{rev}.yaml") for rev in ("1ae5e51", "414c323"))
    changes = compare(*load_pair(source(base), source(head)))
    found = sorted((c.level, c.id, c.operation, c.message.split(": ")[0]) for c in changes)
    assert found == [
        ("breaking", "request-parameter-min-increased", "GET /trips", "query parameter 'page'"),
        ("breaking", "request-parameter-type-changed", "GET /trips", "query parameter 'page'"),
        ("info", "new-optional-request-parameter", "GET /bookings", "new optional query parameter 'limit'"),
        ("info", "new-optional-request-parameter", "GET /stations", "new optional query parameter 'country'"),
        ("info", "new-optional-request-parameter", "GET /stations", "new optional query parameter 'limit'"),
        ("info", "new-optional-request-parameter", "GET /trips", "new optional query parameter 'limit'"),
    ]
    typed = next(c for c in changes if c.id == "request-parameter-type-changed")
    assert 'from "number" to "integer"' in typed.message


def test_stripe_pair(tmp_path: Path) -> None:
    """d374dec3 -> ef16c287 (4 MB each): payment_method_domains endpoints added, `features` on products, the n26
    iDEAL bank and NTSBDEB1 BIC enum values, `customer_cash_balance_transaction` as a new balance transaction
    source, and `invoiceitem.updated` dropped from the webhook event enum (a breaking request change)."""
    base, head = (str(REVISIONS / f"stripe-{rev}.yaml") for rev in ("d374dec3", "ef16c287"))
    done = run_specfirst("diff", base, head, "--format", "json", timeout=600)
    assert done.returncode == 1, done.stderr
    changes = json.loads(done.stdout)["changes"]
    breaking = {(c["id"], c["operation"], c["message"]) for c in changes if c["level"] == "breaking"}
    assert breaking == {
        (
            "request-property-enum-value-removed",
            op,
            "request property 'enabled_events/[]': enum value \"invoiceitem.updated\" removed",
        )
        for op in ("POST /v1/webhook_endpoints", "POST /v1/webhook_endpoints/{webhook_endpoint}")
    }
    added = sorted(c["operation"] for c in changes if c["id"] == "endpoint-added")
    assert added == [
        "GET /v1/payment_method_domains",
        "GET /v1/payment_method_domains/{payment_method_domain}",
        "POST /v1/payment_method_domains",
        "POST /v1/payment_method_domains/{payment_method_domain}",
        "POST /v1/payment_method_domains/{payment_method_domain}/validate",
    ]
    features = {c["operation"] for c in changes if c["id"] == "new-optional-request-property"}
    assert features == {"POST /v1/products", "POST /v1/products/{id}"}
    counts = Counter(c["id"] for c in changes)
    assert set(counts) == {
        "request-property-enum-value-removed",
        "endpoint-added",
        "new-optional-request-property",
        "request-property-enum-value-added",
        "response-property-enum-value-added",
        "response-required-property-added",
        "response-property-alternative-added",
    }
    values = {c["message"].rsplit("enum value ", 1)[1].split(" ")[0] for c in changes if "enum-value-added" in c["id"]}
    assert values == {'"n26"', '"NTSBDEB1"'}
    sources = {c["message"] for c in changes if c["id"] == "response-property-alternative-added"}
    assert all('alternative "customer_cash_balance_transaction" added' in m for m in sources)
    assert all(c["location"].startswith(head + ":") for c in changes)  # nothing was removed: all at HEAD's lines
