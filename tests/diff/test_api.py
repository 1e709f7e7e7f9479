"""`specfirst diff --api`: what a spec change breaks for callers of the generated Python package."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from specfirst.diff.api import SurfaceDiff
from specfirst.diff.surface import read_surface
from tests.conftest import GENERATED, SPEC_DIR, run_specfirst
from tests.diff.pairs import APP_CREATE, APP_INFO, UPDATE_APP, H, add_param, original, query, set_in


def _rename_schema(old: str, new: str) -> Any:
    def mutate(doc: dict[str, Any]) -> None:
        schemas = doc["components"]["schemas"]
        doc["components"]["schemas"] = {(new if k == old else k): v for k, v in schemas.items()}
        text = json.dumps(doc).replace(f'"#/components/schemas/{old}"', f'"#/components/schemas/{new}"')
        doc.clear()
        doc.update(json.loads(text))

    return mutate


CASES = {
    "op_renamed": set_in([*UPDATE_APP, "operationId"], "modify_app"),
    "schema_renamed": _rename_schema("AppInfo", "ApplicationInfo"),
    "required_query": add_param(H, "put", query("dry_run", True)),
    "optional_property": set_in([*APP_INFO, "properties", "owner"], {"type": "string"}),
}


@pytest.fixture(scope="module")
def surfaces(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple[str, str, str, str]]]:
    """Each case's package generated (all in one `specfirst generate`), compared with the committed huawei_apig."""
    tmp = tmp_path_factory.mktemp("api")
    specs = []
    for name, mutate in CASES.items():
        data = original("huawei")
        mutate(data)
        spec = tmp / f"{name}.yaml"
        spec.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        specs.append(str(spec))
    done = run_specfirst("generate", *specs, "--out", str(tmp / "out"))
    assert done.returncode == 0, done.stderr
    base = read_surface(GENERATED / "huawei_apig")
    return {
        name: [
            (c.level, c.id, c.operation, c.message)
            for c in SurfaceDiff(base, read_surface(tmp / "out" / name)).changes()
        ]
        for name in CASES
    }


def test_the_committed_package_has_no_surface_change_against_itself() -> None:
    surface = read_surface(GENERATED / "huawei_apig")
    assert "update_app" in surface.methods["Client"] and "AppCreate" in surface.models
    assert SurfaceDiff(surface, read_surface(GENERATED / "huawei_apig")).changes() == []


def test_operation_id_rename_renames_the_method(surfaces: dict[str, list[tuple[str, str, str, str]]]) -> None:
    found = surfaces["op_renamed"]
    renamed = {(op, msg) for level, rule, op, msg in found if rule == "api-method-renamed" and level == "breaking"}
    assert (
        "Client.update_app",
        "breaks callers of op_renamed.Client.update_app: method renamed to modify_app (an operationId change)",
    ) in renamed
    assert {op for op, _ in renamed} == {
        "Client.update_app",
        "Client.update_app_raw",
        "AsyncClient.update_app",
        "AsyncClient.update_app_raw",
    }
    assert [f for f in found if f[1] != "api-method-renamed"] == []


def test_component_rename_with_the_same_structure_renames_the_class(
    surfaces: dict[str, list[tuple[str, str, str, str]]],
) -> None:
    found = surfaces["schema_renamed"]
    assert found == [
        (
            "breaking",
            "api-model-renamed",
            "models.AppInfo",
            "breaks callers of schema_renamed.models.AppInfo: model class AppInfo renamed to ApplicationInfo "
            "(same fields)",
        )
    ]


def test_required_query_parameter_is_a_new_required_keyword_argument(
    surfaces: dict[str, list[tuple[str, str, str, str]]],
) -> None:
    found = surfaces["required_query"]
    assert (
        "breaking",
        "api-argument-added-required",
        "Client.update_app",
        "breaks callers of required_query.Client.update_app: keyword argument 'dry_run' is now required",
    ) in found
    assert {f[1] for f in found} == {"api-argument-added-required"}
    assert len(found) == 4  # update_app and update_app_raw, sync and async


def test_optional_property_breaks_nobody(surfaces: dict[str, list[tuple[str, str, str, str]]]) -> None:
    assert surfaces["optional_property"] == [
        (
            "info",
            "api-model-field-added",
            "models.AppInfo",
            "optional_property.models.AppInfo: optional field 'owner' added",
        )
    ]


def test_cli_api_names_the_package_and_the_method(tmp_path: Path) -> None:
    data = original("huawei")
    set_in([*APP_CREATE, "required"], ["name", "remark"])(data)
    head = tmp_path / "huawei-apig.yaml"
    head.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    done = run_specfirst("diff", "--api", str(SPEC_DIR / "huawei-apig.yaml"), str(head), "--format", "json")
    assert done.returncode == 1, done.stderr
    messages = {(c["id"], c["message"]) for c in json.loads(done.stdout)["changes"]}
    assert (
        "api-model-field-became-required",
        "breaks callers of huawei_apig.models.AppCreate: keyword argument 'remark' is now required",
    ) in messages
    assert (
        "api-argument-field-became-required",
        "breaks callers of huawei_apig.Client.update_app: body field 'remark' (models.AppCreate) is now required",
    ) in messages
    assert all(c["level"] == "breaking" for c in json.loads(done.stdout)["changes"])
