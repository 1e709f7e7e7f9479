"""The speed fixes to openapi-spec-validator's stack (generator/speedups.py) change no verdict: on real
documents, valid and made invalid in the places the fixes touch, the errors are those of the library as shipped
(run in a fresh interpreter, where nothing is patched)."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from typing import Any

import pytest

from generator.load import load
from generator.speedups import _Seen, apply
from tests.conftest import ROOT

CORPUS = ROOT.parent / "shared" / "specs"

ERRORS = """
import json, sys
from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
data = json.load(sys.stdin)
cls = OpenAPIV31SpecValidator if str(data.get("openapi", "")).startswith("3.1") else OpenAPIV30SpecValidator
print(json.dumps([[e.message, [str(p) for p in e.absolute_path]] for e in cls(data).iter_errors()]))
"""


def _errors(data: dict[str, Any], *, patched: bool) -> list[list[Any]]:
    """The library's errors for `data` in a fresh interpreter, with the fixes applied first or as shipped."""
    script = ("from generator.speedups import apply; apply()\n" if patched else "") + ERRORS
    found = subprocess.run(
        [sys.executable, "-c", script],
        input=json.dumps(data, default=str), capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    return list(json.loads(found.stdout))


def _broken(data: dict[str, Any]) -> dict[str, Any]:
    """Errors where the fixes work: a schema of the wrong type, a default of the wrong type, a required property
    that no allOf part defines, all in schemas reached more than once."""
    data = copy.deepcopy(data)
    schemas = data["components"]["schemas"]
    names = list(schemas)
    schemas[names[0]] = {"type": 5}
    schemas[names[1]] = {"type": "integer", "default": "not a number"}
    schemas[names[2]] = {"allOf": [{"$ref": f"#/components/schemas/{names[3]}"}], "required": ["nowhere"]}
    schemas["UsesThemTwice"] = {
        "type": "object",
        "properties": {f"p{k}": {"$ref": f"#/components/schemas/{names[k % 3]}"} for k in range(6)},
    }
    return data


@pytest.mark.parametrize("name", ["stripe-spec3.yaml", "petstore3.yaml", "train-travel-3.1.yaml"])
def test_the_validator_fixes_change_no_verdict(name: str) -> None:
    data = load(CORPUS / name).data
    broken = _broken(data)
    shipped = _errors(broken, patched=False)
    assert len(shipped) >= 2  # the defects are found at all
    assert _errors(broken, patched=True) == shipped
    assert _errors(data, patched=True) == _errors(data, patched=False)


def test_seen_is_a_list_with_set_lookups() -> None:
    seen = _Seen()
    seen.append(3)
    seen.append(7)
    assert 3 in seen and 7 in seen and 5 not in seen
    assert seen == [3, 7]


def test_the_fixes_are_installed_once() -> None:
    from openapi_spec_validator.validation import keywords

    apply()
    init = keywords.SchemaValidator.__init__
    apply()
    assert keywords.SchemaValidator.__init__ is init


@pytest.mark.parametrize("name", ["petstore3.yaml", "train-travel-3.1.yaml"])
def test_the_meta_schema_memo_changes_no_verdict(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from openapi_schema_validator import OAS30Validator, OAS31Validator

    from generator.speedups import MetaMemo
    from generator.validate import structural_problems

    checks: list[object] = []
    for cls in (OAS30Validator, OAS31Validator):
        real = cls.check_schema.__func__  # type: ignore[attr-defined]

        def counted(cls: Any, schema: Any, real: Any = real, **kw: Any) -> None:
            checks.append(schema)
            real(cls, schema, **kw)

        monkeypatch.setattr(cls, "check_schema", classmethod(counted))
    doc = load(CORPUS / name)
    memo = MetaMemo()
    assert structural_problems(doc, memo) == []
    assert checks and memo.passed  # every schema checked, and its digest kept to answer next time
    remembered = MetaMemo(memo.dump())
    assert remembered.known == memo.passed
    checks.clear()
    assert structural_problems(doc, remembered) == []
    assert checks == []  # no schema checked against the meta-schema again
    broken = copy.deepcopy(doc)
    broken.data = _broken(doc.data)
    assert structural_problems(broken, MetaMemo(memo.dump())) == structural_problems(broken)
    assert structural_problems(broken)  # the schemas that changed were checked: their errors are found
