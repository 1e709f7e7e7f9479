"""Read the tables of the generated Markdown back into plain cells (escapes, links and code spans undone)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_LINK = re.compile(r"\[([^\]]*)\]\(([^)]*)\)")


@dataclass
class Table:
    """A table with the operation or model it belongs to and the heading right above it."""

    owner: str  # the model name for 属性 tables, "" otherwise
    heading: str
    header: list[str]
    rows: list[list[str]]


def split(line: str) -> list[str]:
    """Cells of one table row; `\\|` is a pipe inside a cell."""
    return [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]


def plain(cell: str) -> str:
    """What a reader sees in a cell: link text, code text, line breaks, pipes."""
    cell = cell.replace("\\|", "|")
    parts, pos = [], 0
    for code in re.finditer(r"(`+) ?(.*?) ?\1", cell):  # code spans hold no links
        parts += [_LINK.sub(r"\1", cell[pos : code.start()]), code.group(2)]
        pos = code.end()
    parts.append(_LINK.sub(r"\1", cell[pos:]))
    return "".join(parts).replace("<br>", "\n").strip()


def links(cell: str) -> list[tuple[str, str]]:
    return _LINK.findall(cell.replace("\\|", "|"))


def tables(text: str) -> list[Table]:
    out: list[Table] = []
    lines = text.splitlines()
    heading = model = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
            if line.startswith("### ") and heading not in {"属性", "Properties"}:
                model = heading
            elif line.startswith("## "):
                model = ""
        if line.startswith("|") and i + 1 < len(lines) and lines[i + 1].startswith("|---"):
            header, rows = split(line), []
            i += 2
            while i < len(lines) and lines[i].startswith("|"):
                rows.append(split(lines[i]))
                assert len(rows[-1]) == len(header), f"row has {len(rows[-1])} cells, header {len(header)}: {lines[i]}"
                i += 1
            out.append(Table(model, heading, header, rows))
            continue
        i += 1
    return out


def headings(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("#")]
