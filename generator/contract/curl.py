"""A curl command that reproduces a request exactly as it was sent: generated values as sent, credentials the
user gave read from shell variables ("$SPECFIRST_TOKEN"), so it can be pasted and run."""

from __future__ import annotations

import shlex
from collections.abc import Mapping

# Headers the HTTP library adds on its own; curl adds its own equivalents.
NOISE = frozenset({"user-agent", "accept-encoding", "connection", "content-length", "x-schemathesis-testcaseid"})


def _ansi_c(data: bytes) -> str:
    out = []
    for byte in data:
        char = chr(byte)
        if 32 <= byte < 127 and char not in "'\\":
            out.append(char)
        else:
            out.append(f"\\x{byte:02x}")
    return "$'" + "".join(out) + "'"


def _body(data: bytes) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return _ansi_c(data)
    return _ansi_c(data) if "\x00" in text else shlex.quote(text)


def _double_quoted(text: str) -> str:
    return '"' + "".join("\\" + c if c in '"\\`$' else c for c in text) + '"'


def _header(name: str, value: str, variables: Mapping[str, str]) -> str:
    for secret, variable in sorted(variables.items(), key=lambda item: len(item[0]), reverse=True):
        if secret and secret in value:
            parts = f"{name}: {value}".split(secret)
            return '"' + f"${{{variable}}}".join(_double_quoted(p)[1:-1] for p in parts) + '"'
    return shlex.quote(f"{name}: {value}")


def command(
    method: str,
    url: str,
    headers: Mapping[str, str | list[str]],
    body: bytes | None,
    variables: Mapping[str, str],
) -> str:
    """One shell line: curl -X METHOD URL -H ... --data-binary ...; `variables` maps credential -> variable."""
    parts = ["curl", "--globoff", "--path-as-is", "-X", method.upper(), shlex.quote(url)]
    for name, values in sorted(headers.items(), key=lambda item: item[0].lower()):
        if name.lower() in NOISE:
            continue
        for value in values if isinstance(values, list) else [values]:
            if name.lower() == "accept" and value == "*/*":
                continue
            parts += ["-H", _header(name, value, variables)]
    if body:
        parts += ["--data-binary", _body(body)]
    return " ".join(parts)


def variables_note(variables: Mapping[str, str]) -> str:
    """How to set the variables the curls read (names only, never values)."""
    names = sorted(set(variables.values()))
    return "" if not names else "the curls read your credentials from " + ", ".join(f"${n}" for n in names)
