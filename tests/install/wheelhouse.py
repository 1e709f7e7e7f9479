"""A local wheelhouse made from this environment's installed distributions, so a clean venv installs offline."""

from __future__ import annotations

import base64
import hashlib
import re
import zipfile
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def closure(roots: list[str]) -> list[metadata.Distribution]:
    """The installed distributions `roots` (requirement strings) need, following their dependencies' markers."""
    found: dict[str, metadata.Distribution] = {}
    todo = [(Requirement(r), "") for r in roots]
    while todo:
        req, extra = todo.pop()
        if req.marker is not None and not req.marker.evaluate({"extra": extra}):
            continue
        name = _norm(req.name)
        if name not in found:
            found[name] = metadata.distribution(req.name)
            todo += [(Requirement(r), "") for r in found[name].requires or []]
        for wanted in req.extras:
            todo += [(Requirement(r), wanted) for r in found[name].requires or [] if "extra" in r]
    return list(found.values())


def _record_line(arcname: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{arcname},sha256={digest},{len(data)}"


def repack(dist: metadata.Distribution, folder: Path) -> Path:
    """Write `dist` (as installed) back into a wheel in `folder`; pip's console scripts are left to pip."""
    name = re.sub(r"[-_.]+", "_", dist.metadata["Name"])
    version = dist.version
    wheel_info = dist.read_text("WHEEL") or ""
    tags = [t.split("-") for t in re.findall(r"^Tag: (\S+)", wheel_info, re.MULTILINE)]
    tag = "-".join(".".join(dict.fromkeys(t[i] for t in tags)) for i in range(3))  # py2.py3-none-any
    scripts = {ep.name for ep in dist.entry_points if ep.group in {"console_scripts", "gui_scripts"}}
    out = folder / f"{name}-{version}-{tag}.whl"
    records: list[str] = []
    info_dir = ""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for file in dist.files or []:
            rel = file.as_posix()
            if rel.endswith(".pyc") or "__pycache__" in rel:
                continue
            if ".dist-info/" in rel:
                info_dir = rel.split("/")[0]
                if rel.rsplit("/", 1)[1] in {"RECORD", "INSTALLER", "REQUESTED", "direct_url.json"}:
                    continue
            if rel.startswith("../"):
                if not rel.startswith("../../../bin/") or file.name in scripts:
                    continue
                arcname = f"{name}-{version}.data/scripts/{file.name}"
            else:
                arcname = rel
            path = Path(str(dist.locate_file(file)))
            if not path.is_file():
                continue
            data = path.read_bytes()
            info = zipfile.ZipInfo(arcname, (2020, 1, 1, 0, 0, 0))
            info.external_attr = (path.stat().st_mode & 0xFFFF) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data, compresslevel=1)
            records.append(_record_line(arcname, data))
        records.append(f"{info_dir}/RECORD,,")
        zf.writestr(f"{info_dir}/RECORD", "\n".join(records) + "\n")
    return out


def build(roots: list[str], folder: Path) -> list[Path]:
    """A wheel in `folder` for every installed distribution `roots` need."""
    folder.mkdir(parents=True, exist_ok=True)
    return [repack(dist, folder) for dist in closure(roots)]
