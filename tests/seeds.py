"""Parse the tables of the two source documents in ../shared/seeds/ (shared by the fidelity and docs tests)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
RAINBOND = SEEDS / "000_782082c2d80feadf.txt"
HUAWEI = SEEDS / "004_7cdcdafdd0334ac4.txt"


@dataclass
class Table:
    """One table of a document: its heading context, header and rows."""

    context: str
    header: list[str]
    rows: list[list[str]]


def seed_text(path: Path) -> str:
    """The document's text; a clear failure when ../shared is not beside the checkout."""
    assert path.is_file(), f"source document missing: {path} (shared/ must sit beside the repository)"
    return path.read_text(encoding="utf-8")


def markdown_tables(text: str) -> list[Table]:
    """Pipe tables of a Markdown document, each with the nearest heading above it as context."""
    tables: list[Table] = []
    lines = text.splitlines()
    heading = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
        if line.startswith("|") and i + 1 < len(lines) and set(lines[i + 1].replace("|", "")) <= {"-", " "}:
            header = [c.strip() for c in line.strip("|").split("|")]
            rows = []
            i += 2
            while i < len(lines) and lines[i].startswith("|"):
                rows.append(_split_row(lines[i], len(header)))
                i += 1
            tables.append(Table(heading, header, rows))
            continue
        i += 1
    return tables


def _split_row(line: str, columns: int) -> list[str]:
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if len(cells) > columns:  # a `|` inside the last cell (e.g. "private|public")
        cells = [*cells[: columns - 1], "|".join(cells[columns - 1 :])]
    return cells


def huawei_tables(text: str) -> list[Table]:
    """The Huawei document's tables, whose cells each end with ' |' at the end of a line."""
    cells = re.split(r" ?\|\n", text)
    seps = [i for i, c in enumerate(cells) if re.fullmatch(r"(---\|)+---", c)]
    tables = []
    for n, sep in enumerate(seps):
        width = cells[sep].count("|") + 1
        header = cells[sep - width : sep]
        context = header[0]
        header[0] = header[0].splitlines()[-1]
        end = seps[n + 1] - (cells[seps[n + 1]].count("|") + 1) if n + 1 < len(seps) else len(cells)
        body = cells[sep + 1 : end]
        rows = [[c.strip() for c in body[k : k + width]] for k in range(0, len(body) - width + 1, width)]
        tables.append(Table(context, header, rows))
    return tables


def huawei_examples(text: str) -> dict[str, object]:
    """The request example and each response example by status code, as parsed JSON."""
    found: dict[str, object] = {}
    request = re.search(r"请求示例\n.*\n(\{.*\})", text)
    assert request
    found["request"] = json.loads(request.group(1))
    for status, body in re.findall(r"状态码: (\d{3})\n[^\n{]*\n(\{.*\})", text):
        found[status] = json.loads(body)
    return found
