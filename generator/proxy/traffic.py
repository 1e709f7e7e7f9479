"""What the proxy saw: statuses per operation, distinct violations; written on exit as JSON, JUnit and coverage."""

from __future__ import annotations

import json
import shlex
import threading
from pathlib import Path
from typing import Any

from ..contract.report import coverage, coverage_text, junit
from ..contract.results import Finding, Results
from ..contract.target import Operation as FactOperation
from ..contract.target import SpecFacts
from ..mock.spec import MockSpec

SECRET_HEADERS = frozenset({"authorization", "cookie", "proxy-authorization", "x-auth-token", "x-api-key", "api-key"})


def facts_of(spec: MockSpec) -> SpecFacts:
    """The facts contract's reports need, drawn from the index the proxy already has."""
    facts = SpecFacts(doc=spec.doc)
    for op in spec.operations():
        facts.operations[op.label] = FactOperation(
            label=op.label,
            method=op.method,
            statuses=sorted(str(s) for s in op.raw.get("responses") or {}),
            secured=bool(op.security),
            path_params=[str(p.get("name")) for p in op.params if p.get("in") == "path"],
        )
    for scheme in spec.schemes.values():
        if scheme.get("type") == "apiKey" and scheme.get("in") == "header":
            facts.auth_headers.add(str(scheme.get("name", "")).lower())
        elif scheme.get("type") in ("http", "oauth2", "openIdConnect"):
            facts.auth_headers.add("authorization")
    return facts


def curl(method: str, url: str, headers: list[tuple[str, str]], body: bytes, secret_names: set[str]) -> str:
    """A curl command that repeats the request, credentials masked."""
    parts = ["curl", "-X", method]
    for name, value in headers:
        if name.lower() in ("host", "content-length", "connection", "accept-encoding", "user-agent"):
            continue
        shown = "[masked]" if name.lower() in secret_names else value
        parts += ["-H", f"{name}: {shown}"]
    if body:
        parts += ["-d", body[:2000].decode("utf-8", "replace")]
    parts.append(url)
    return " ".join(shlex.quote(p) for p in parts)


class Traffic:
    """Thread-safe record of the exchanges seen."""

    def __init__(self, spec: MockSpec) -> None:
        self.facts = facts_of(spec)
        self.results = Results()
        self.secret_names = set(SECRET_HEADERS) | self.facts.auth_headers
        self._lock = threading.Lock()

    def saw(self, label: str, status: int) -> None:
        with self._lock:
            self.results.saw(label, status, "traffic")

    def add(self, check: str, label: str, message: str, curl_line: str, secrets: list[str]) -> None:
        with self._lock:
            self.results.add_secrets(secrets)
            self.results.add(Finding(check, label, check, message, curl_line))

    def write(self, directory: Path) -> list[Path]:
        """report.json, junit.xml and coverage.txt/.json in `directory`."""
        with self._lock:
            rows = coverage(self.facts, self.results)
            findings = self.results.sorted_findings()
            report: dict[str, Any] = {
                "spec": self.facts.doc.display,
                "requests": self.results.cases,
                "violations": [
                    {
                        "check": f.check,
                        "operation": f.operation,
                        "message": f.message,
                        "curl": f.curl,
                        "seen": self.results.occurrences.get(f.key, 1),
                    }
                    for f in findings
                ],
                "coverage": rows,
            }
            directory.mkdir(parents=True, exist_ok=True)
            files = {
                directory / "report.json": json.dumps(report, indent=2, ensure_ascii=False) + "\n",
                directory / "junit.xml": junit(self.facts, self.results, rows).decode("utf-8"),
                directory / "coverage.txt": coverage_text(rows) + "\n" if rows else "(no operations)\n",
                directory / "coverage.json": json.dumps(rows, indent=2) + "\n",
            }
            for path, text in files.items():
                path.write_text(text, "utf-8")
            return sorted(files)
