"""Server settings: database path, bind address and tokens, from options or the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from pydantic import SecretStr

ROOT = Path(__file__).resolve().parents[1]
SPEC_DIR = ROOT / "spec"

#: environment variable -> development default; the defaults are printed at start, real values never are.
TOKEN_ENV = {
    "huawei_token": ("REFERENCE_HUAWEI_TOKEN", "dev-huawei-token"),
    "huawei_readonly_token": ("REFERENCE_HUAWEI_READONLY_TOKEN", "dev-huawei-readonly-token"),
    "rainbond_token": ("REFERENCE_RAINBOND_TOKEN", "dev-rainbond-token"),
}
DB_ENV = "REFERENCE_DB"
MAX_BODY_ENV = "REFERENCE_MAX_BODY_BYTES"
#: Request bodies larger than this are refused (400, the documented body) before they are read whole.
DEFAULT_MAX_BODY = 1024 * 1024
DEFAULT_DB = Path("test-artifacts/reference.sqlite3")  # ignored by git; `make clean` resets it


@dataclass(frozen=True)
class Settings:
    """Everything the application needs; tokens are SecretStr so that no repr shows them."""

    db: Path
    huawei_token: SecretStr
    huawei_readonly_token: SecretStr
    rainbond_token: SecretStr
    spec_dir: Path = SPEC_DIR
    defaults_used: tuple[str, ...] = ()
    max_body_bytes: int = DEFAULT_MAX_BODY


def from_environment(
    db: Path | None = None,
    tokens: dict[str, str | None] | None = None,
    spec_dir: Path | None = None,
    max_body_bytes: int | None = None,
) -> Settings:
    """Settings from explicit values, else the REFERENCE_* environment variables, else the dev defaults."""
    given = tokens or {}
    values: dict[str, SecretStr] = {}
    defaults: list[str] = []
    for name, (env, default) in TOKEN_ENV.items():
        value = given.get(name) or os.environ.get(env) or None
        if value is None:
            value = default
            defaults.append(name)
        values[name] = SecretStr(value)
    return Settings(
        db=db or Path(os.environ.get(DB_ENV) or DEFAULT_DB),
        spec_dir=spec_dir or SPEC_DIR,
        defaults_used=tuple(defaults),
        max_body_bytes=max_body_bytes or int(os.environ.get(MAX_BODY_ENV) or DEFAULT_MAX_BODY),
        **values,
    )
