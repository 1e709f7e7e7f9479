"""Benchmark `specfirst mock` against Prism (when Node is available): time to listen on Stripe, and throughput with
p50/p99 latency on a simple GET (petstore3) and a validated PUT (huawei-apig), over loopback, bounded in count.

`python bench/mock.py --help` lists the options; `--quick` uses small counts and a short Prism start limit.
Prism is installed with npm into test-artifacts/bench-node/ (git-ignored) on first use.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("SPECFIRST_CORPUS", ROOT.parent / "shared" / "specs"))
NODE_DIR = ROOT / "test-artifacts" / "bench-node"
PRISM = NODE_DIR / "node_modules" / ".bin" / "prism"
HUAWEI = ROOT / "spec" / "huawei-apig.yaml"
APP = (
    "/v2/0b6fb3f5a1a34c2e9f3f0c3e5d8f2a1b/apigw/instances/eddc4d25480b4cd6b512f270a1b8b341"
    "/apps/356de8eb7a8742168586e5daf5339965"
)


PETSTORE_AUTH = {"api_key": "k", "Authorization": "Bearer t"}


@dataclass
class Load:
    """Throughput and latency of one load run."""

    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def specfirst_cmd(spec: Path, port: int) -> list[str]:
    return [sys.executable, "-m", "specfirst", "mock", str(spec), "--port", str(port)]


def prism_cmd(spec: Path, port: int) -> list[str]:
    return [str(PRISM), "mock", "-h", "127.0.0.1", "-p", str(port), str(spec)]


def start(cmd: list[str], port: int, limit: float, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], float | None]:
    """Start a server; seconds until it answers an HTTP request (None when it did not within `limit`)."""
    began = time.monotonic()
    process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while time.monotonic() - began < limit and process.poll() is None:
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=1.0)
            return process, time.monotonic() - began
        except httpx.HTTPError:
            time.sleep(0.1)
    return process, None


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def _load(method: str, url: str, count: int, clients: int, **kwargs: object) -> Load:
    latencies: list[float] = []
    errors = 0
    queue = iter(range(count))

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal errors
        for _ in queue:
            began = time.perf_counter()
            response = await client.request(method, url, **kwargs)  # type: ignore[arg-type]
            latencies.append(time.perf_counter() - began)
            errors += response.status_code >= 400

    async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=clients)) as client:
        await client.request(method, url, **kwargs)  # type: ignore[arg-type]  # warm-up
        began = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(clients)))
        elapsed = time.perf_counter() - began
    latencies.sort()
    return Load(
        rps=len(latencies) / elapsed,
        p50_ms=statistics.median(latencies) * 1000,
        p99_ms=latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        errors=errors,
    )


def ensure_prism() -> bool:
    if PRISM.exists():
        return True
    if shutil.which("npm") is None:
        return False
    NODE_DIR.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", "--silent", "@stoplight/prism-cli"], cwd=NODE_DIR, check=False
    )
    return done.returncode == 0 and PRISM.exists()


def throughput(name: str, cmd_for: object, count: int, clients: int, env: dict[str, str]) -> dict[str, Load | None]:
    """The simple GET (petstore3 /pet/{id}) and the validated PUT (huawei update_app) on one tool."""
    out: dict[str, Load | None] = {}
    cases = [
        ("GET petstore3 /pet/{petId}", CORPUS / "petstore3.yaml", "GET", "/pet/10", PETSTORE_AUTH, None),
        ("PUT huawei update_app", HUAWEI, "PUT", APP, {"X-Auth-Token": "t"}, {"name": "app_bench", "remark": "r"}),
    ]
    for label, spec, method, path, headers, body in cases:
        port = free_port()
        process, ready = start(cmd_for(spec, port), port, 120, env)  # type: ignore[operator]
        try:
            if ready is None:
                out[label] = None
                continue
            url = f"http://127.0.0.1:{port}{path}"
            if name == "specfirst" and method == "GET":  # the stateful mock answers 404 until the pet exists
                pet = {"id": 10, "name": "doggie", "photoUrls": ["u"]}
                httpx.post(f"http://127.0.0.1:{port}/pet", json=pet, headers=headers, timeout=30)
            kwargs: dict[str, object] = {"headers": headers}
            if body is not None:
                kwargs["json"] = body
            out[label] = asyncio.run(_load(method, url, count, clients, **kwargs))
        finally:
            stop(process)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small counts; Prism gets 60 s to start on Stripe")
    parser.add_argument("--requests", type=int, help="requests per load run (2000; quick 300)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent connections (8)")
    parser.add_argument("--prism-limit", type=float, help="seconds Prism gets to listen on Stripe (600; quick 60)")
    parser.add_argument("--no-prism", action="store_true", help="measure specfirst only")
    args = parser.parse_args()
    count = args.requests or (300 if args.quick else 2000)
    prism_limit = args.prism_limit or (60.0 if args.quick else 600.0)
    stripe = CORPUS / "stripe-spec3.yaml"
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "XDG_CACHE_HOME": cache, "PYTHONPATH": f"{ROOT / 'generated'}{os.pathsep}{ROOT}"}
        rows: list[tuple[str, str, str]] = []
        starts: dict[str, float | None] = {}
        for label in ("specfirst (first start: parse, validate, cache)", "specfirst (cached parse)"):
            port = free_port()
            process, starts[label] = start(specfirst_cmd(stripe, port), port, 300, env)
            stop(process)
        have_prism = not args.no_prism and ensure_prism()
        if have_prism:
            port = free_port()
            process, starts["prism"] = start(prism_cmd(stripe, port), port, prism_limit, env)
            stop(process)
        for label, seconds in starts.items():
            shown = f"{seconds:.1f} s" if seconds is not None else f"not listening after {prism_limit:.0f} s"
            rows.append(("listen on Stripe (4.2 MB)", label, shown))
        ours = throughput("specfirst", specfirst_cmd, count, args.clients, env)
        theirs = throughput("prism", prism_cmd, count, args.clients, env) if have_prism else {}
    for label, load in ours.items():
        for tool, result in (("specfirst", load), ("prism", theirs.get(label))):
            if result is None:
                continue
            figures = f"{result.rps:.0f} req/s, p50 {result.p50_ms:.1f} ms, p99 {result.p99_ms:.1f} ms"
            rows.append((label, tool, figures + (f", {result.errors} errors" if result.errors else "")))
        other = theirs.get(label)
        if load is not None and other is not None:
            rows.append(
                (
                    label,
                    "ratio specfirst/prism",
                    f"throughput x{load.rps / other.rps:.2f}, p99 x{load.p99_ms / other.p99_ms:.2f}",
                )
            )
    if not have_prism and not args.no_prism:
        rows.append(("prism", "-", "not measured: npm not available"))
    width = [max(len(r[i]) for r in rows) for i in range(2)]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"specfirst mock bench: {count} requests per run, {args.clients} clients, loopback; load average {load}")
    for measure, tool, value in rows:
        print(f"{measure:<{width[0]}}  {tool:<{width[1]}}  {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
