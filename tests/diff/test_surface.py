"""The --api surface comparison on small hand-written packages (no generation): each kind of break, named."""

from __future__ import annotations

from pathlib import Path

from specfirst.diff.api import SurfaceDiff
from specfirst.diff.surface import read_surface

CLIENT = """
class Client:
    def __init__(self, base_url: str) -> None: ...
    def get_pet(self, pet_id: str, *, expand: str | int | None = None, timeout: float | None = None) -> models.Pet: ...
    def list_pets(self, *, limit: int | None = None) -> list[models.Pet]: ...
    def _send(self) -> None: ...
"""
MODELS = """
class Status(StrEnum):
    available = "available"
    sold = "sold"

class Pet(BaseModel):
    id: Annotated[int, Field(title="Id")]
    name: Annotated[str | None, Field(title="Name")] = None
    tag: str | None = None
"""
ERRORS = """
class ApiError(Exception): ...
class NotFoundError(ApiError): ...
"""


def _package(root: Path, client: str = CLIENT, models: str = MODELS, errors: str = ERRORS) -> Path:
    folder = root / "pets"
    folder.mkdir(parents=True)
    for name, text in (("client.py", client), ("models.py", models), ("errors.py", errors)):
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _changes(tmp_path: Path, **head: str) -> set[tuple[str, str, str]]:
    old = read_surface(_package(tmp_path / "base"))
    new = read_surface(_package(tmp_path / "head", **head))
    return {(c.level, c.id, c.message) for c in SurfaceDiff(old, new).changes()}


def test_same_package_no_change(tmp_path: Path) -> None:
    assert _changes(tmp_path) == set()


def test_argument_narrowed_and_widened(tmp_path: Path) -> None:
    narrowed = CLIENT.replace("expand: str | int | None = None", "expand: str | None = None")
    assert _changes(tmp_path, client=narrowed) == {
        (
            "breaking",
            "api-argument-type-narrowed",
            "breaks callers of pets.Client.get_pet: argument 'expand' narrowed from str | int | None to str | None",
        )
    }


def test_argument_made_required_and_method_removed(tmp_path: Path) -> None:
    client = CLIENT.replace("*, limit: int | None = None", "*, limit: int").replace("def get_pet", "def _get_pet")
    assert _changes(tmp_path, client=client) == {
        (
            "breaking",
            "api-argument-became-required",
            "breaks callers of pets.Client.list_pets: keyword argument 'limit' is now required",
        ),
        ("breaking", "api-method-removed", "breaks callers of pets.Client.get_pet: method removed"),
    }


def test_enum_member_field_and_exception_removed(tmp_path: Path) -> None:
    models = MODELS.replace('    sold = "sold"\n', "").replace("    tag: str | None = None\n", "")
    models = models.replace('Annotated[str | None, Field(title="Name")] = None', 'Annotated[str, Field(title="Name")]')
    errors = ERRORS.replace("class NotFoundError(ApiError): ...\n", "")
    assert _changes(tmp_path, models=models, errors=errors) == {
        ("breaking", "api-enum-member-removed", "breaks callers of pets.models.Status: enum member sold removed"),
        ("breaking", "api-model-field-removed", "breaks callers of pets.models.Pet: field 'tag' removed"),
        (
            "breaking",
            "api-model-field-became-required",
            "breaks callers of pets.models.Pet: keyword argument 'name' is now required",
        ),
        (
            "breaking",
            "api-exception-removed",
            "breaks callers of pets.errors.NotFoundError: exception class NotFoundError removed "
            "(except clauses naming it fail)",
        ),
    }
