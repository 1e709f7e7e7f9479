"""Runs the stages in order: load, validate, build, models, render, format, verify, write."""

from __future__ import annotations

import errno
import hashlib
import importlib.metadata
import json
import os
import sys
import tempfile
import threading
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from functools import partial
from multiprocessing.pool import AsyncResult
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__, ir
from .cache import Cache
from .config import ApiSettings
from .docs import publish as docs
from .documents import DocumentCache, validate_aside
from .errors import UsageError
from .load import display_path, read
from .naming import snake
from .progress import Progress
from .project import configured, distribution
from .write import (
    MANIFEST,
    REF,
    clean_leftovers,
    diff_trees,
    ensure_folder,
    is_current,
    manifest,
    recorded_refs,
    ref_inputs,
    ref_path,
    replace_folder,
    staging_copy,
    tree_files,
    write_file,
    write_tree,
)

if TYPE_CHECKING:  # the heavy stages are imported only when there is work to do
    from .build import Builder
    from .modelsplit import ModelRuns
    from .verify import Sides, Verdicts

_TOOLS = ("datamodel-code-generator", "ruff", "jinja2")
MODELS = "models.py"
# the docs, in three steps: the pages but for the Python samples begun (while the model runs go on; given an
# ExitStack, they may go on in a worker process it stops), then given the client models built, then waited for
# (the samples added, `docs.prepare`; the result); callers pass None when no docs are due
DocsDone = Callable[[], dict[str, bytes] | None]
DocsWork = Callable[[ExitStack], Callable[[dict[str, ir.Api]], DocsDone]]
_DEFAULT_API = ApiSettings()
# code that cannot change the output (commands that read specs or generated code but write no part of it)
_NOT_OUTPUT = frozenset(
    {
        "contract",
        "lint",
        "diff",
        "mock",
        "proxy",
        "scaffold",
        "cli.py",
        "__main__.py",
        "progress.py",
        "regexcache.py",
        "astlock.py",
    }
)


def package_name(spec: Path) -> str:
    """The importable package name for a spec file: spec/huawei-apig.yaml -> huawei_apig."""
    name = snake(spec.name.split(".")[0], fallback="api")
    if name in sys.stdlib_module_names or name in {"generator", "specfirst", "models", "errors", "reference", "tests"}:
        name += "_api"
    return name


def fingerprint() -> str:
    """What the output depends on besides the spec: the generator's own files and its tools' versions."""
    digest = hashlib.sha256(__version__.encode())
    root = Path(__file__).parent
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if rel.parts[0] in _NOT_OUTPUT or "__pycache__" in rel.parts:
            continue
        if path.is_file() and path.suffix in {".py", ".jinja", ".jinja2"}:
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    for tool in _TOOLS:
        digest.update(f"{tool}=={importlib.metadata.version(tool)}".encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class Job:
    """One spec and the folder its package goes to."""

    spec: Path
    package: str
    allow_remote_refs: bool = False
    strict: bool = False  # also check examples and operationIds, as `specfirst validate` does
    api: ApiSettings = _DEFAULT_API  # its [tool.specfirst.apis.NAME] settings, CLI flags applied

    def inputs(self, generator: str) -> dict[str, str]:
        found = {"spec": hashlib.sha256(self.spec.read_bytes()).hexdigest(), "generator": generator}
        configured = self.api.changed_json(frozenset({"spec", "package", "changelog_base"}))
        return found if configured == "{}" else {**found, "settings": configured}

    @property
    def makes_package(self) -> bool:
        return "models" in self.api.outputs or "clients" in self.api.outputs


def plan(
    specs: list[Path],
    *,
    allow_remote_refs: bool = False,
    strict: bool = False,
    apis: Mapping[Path, ApiSettings] | None = None,
) -> list[Job]:
    """A job per spec (with the settings `apis` gives its resolved path), refusing two that make one package."""
    jobs: dict[str, Job] = {}
    for spec in specs:
        if not spec.is_file():
            read(spec)  # raises the one-line InputError (missing, a directory, unreadable)
        api = (apis or {}).get(spec.resolve(), _DEFAULT_API)
        job = Job(spec, api.package or package_name(spec), allow_remote_refs, strict, api)
        if job.package in jobs:
            raise UsageError(
                f"{display_path(spec)} and {display_path(jobs[job.package].spec)} both make package {job.package}"
            )
        jobs[job.package] = job
    return list(jobs.values())


def packages_in(out_dir: Path, jobs: list[Job]) -> set[str]:
    """The packages `out_dir` holds once `jobs` are written: those it holds now (a folder with a manifest)."""
    held = {p.parent.name for p in out_dir.glob(f"*/{MANIFEST}") if p.parent.name != docs.FOLDER}
    return held | {job.package for job in jobs}


def build_all(
    jobs: list[Job],
    staging: Path,
    generator: str,
    progress: Progress,
    documents: DocumentCache,
    docs_work: DocsWork | None,
    cache: Cache | None = None,
) -> dict[str, bytes] | None:
    """Render, format and verify every job's package under `staging`/<package>; return `docs_work`'s result
    (None without docs to make).

    The models of every job are made in worker processes while this process validates the specs (or, when a
    CPU is free, a worker does) and the docs are begun once the specs are read (`docs_work`: the pages but for
    their Python samples), so the slowest stage overlaps the others; the samples are added once the clients are
    built.
    """
    from . import workers  # the heavy stages are imported only when there is work to do
    from .format import format_tree
    from .modelsplit import ModelRuns, expected_groups

    with ModelRuns(cache, generator) as runs, ExitStack() as helpers:
        specs = [job.spec for job in jobs if job.makes_package]
        runs.prefork(sum(expected_groups(_size(spec)) for spec in specs), specs)
        finish_docs = _load(jobs, documents, progress, docs_work, helpers)
        # an edit (a cache that answers) runs few models, if any: a CPU is free for the validation from now on
        edit = cache is not None and not cache.empty
        aside = _validate(jobs, documents, progress, helpers, spare=True, nice=0) if edit else None
        builders = _hoisted(jobs, documents, runs, aside)
        progress.stage("all", "models")
        runs.start()
        progress.stage("all", f"models in {runs.count} group(s)")
        if not edit:
            aside = _validate(jobs, documents, progress, helpers, spare=runs.running < workers.cpus())
        try:
            clients, pieces, models_checked = _packages(jobs, runs, builders, documents, staging, cache, progress)
            docs_done = finish_docs(clients) if finish_docs is not None else None  # the samples use the clients
            progress.stage("all", "format")
            format_tree(staging, skip=(MODELS,), cache=cache)
            progress.stage("all", "verify")
            verified = verify(staging, jobs, pieces, cache, helpers)  # large files are parsed in workers
            if docs_done is not None:
                progress.stage("all", "docs samples")
            made = docs_done() if docs_done is not None else None  # made here, or waited for from the docs worker
            verified()
            for key, payload in [verdict for checked in models_checked for verdict in checked()]:
                assert cache is not None  # verdicts come only with a cache
                cache.put(key, payload)
        except Exception:
            if aside is not None:
                aside()  # an invalid spec can break a stage: its problems are the better report
            raise
        if aside is not None:
            progress.stage("all", "validate")
            aside()
    progress.stage("all", "write")
    for job in jobs:
        folder = staging / job.package
        refs = ref_inputs(job.spec, documents.document(job.spec).sources)
        write_file(folder / MANIFEST, manifest(job.inputs(generator) | refs, tree_files(folder)))
    return made


def _hoisted(
    jobs: list[Job], documents: DocumentCache, runs: ModelRuns, aside: Callable[[], None] | None
) -> dict[Job, Builder]:
    """Each job's models hoisted and queued for the model runs (`runs`), and its client builder; when hoisting
    fails, the spec's problems are reported instead, if it has any (`aside`: its validation under way)."""
    from .build import Builder
    from .hoist import hoist

    builders = {}
    for job in jobs:
        document = documents.document(job.spec)
        try:
            models = hoist(document)
        except Exception:  # an invalid spec can break the walk: its problems are the better report
            if aside is not None:
                aside()
            documents.validated(job.spec, strict=job.strict)
            raise
        builders[job] = Builder(document, job.package, models)
        runs.add(job.package, str(document.data.get("openapi")), models.components, display_path(job.spec))
    return builders


def _load(
    jobs: list[Job], documents: DocumentCache, progress: Progress, docs_work: DocsWork | None, helpers: ExitStack
) -> Callable[[dict[str, ir.Api]], DocsDone] | None:
    """Read every spec, then begin the docs (they need nothing else until the clients are built)."""
    for job in jobs:
        progress.stage(display_path(job.spec), "load")
        documents.document(job.spec)
    if docs_work is None:
        return None
    progress.stage("all", "docs")
    return docs_work(helpers)


def _later(finish: Callable[[dict[str, ir.Api]], dict[str, bytes] | None]) -> Callable[[dict[str, ir.Api]], DocsDone]:
    """Docs finished in this process, once their result is asked for (the other stages' workers begun)."""
    return lambda clients: partial(finish, clients)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # reported when the spec is read


def _packages(
    jobs: list[Job],
    runs: ModelRuns,
    builders: Mapping[Job, Builder],
    documents: DocumentCache,
    staging: Path,
    cache: Cache | None,
    progress: Progress,
) -> tuple[dict[str, ir.Api], dict[Job, set[str]], list[Callable[[], Verdicts]]]:
    """Each job's package rendered under `staging` as its models come: the client models, each spec's fragments,
    and the pending checks of the models files (each formatted and checked in the model workers while the rest is
    made: it is the largest file; `_models_checked`)."""
    from .render import models_file
    from .verify import fragments, spec_strings

    clients, pieces, models_checked = {}, {}, []
    for job in jobs:
        progress.stage(display_path(job.spec), "models")
        pieces[job] = fragments(spec_strings(documents.document(job.spec).data))  # while the model runs go on
        models_source, class_map = runs.result(job.package)
        write_tree(staging / job.package, {MODELS: models_file(models_source).encode()})
        models_checked.append(_models_checked(runs, staging, job.package, pieces[job], cache))
        progress.stage(display_path(job.spec), "clients")
        clients[job.package] = _package(job, builders[job].build(class_map), documents, staging, cache, runs.salt)
    return clients, pieces, models_checked


def _models_checked(
    runs: ModelRuns, staging: Path, package: str, pieces: set[str], cache: Cache | None
) -> Callable[[], Verdicts]:
    """One package's models.py formatted and checked in the model workers while the rest is made; the function
    returned waits for it and gives the verdicts to store once every file has passed. In one worker
    (`_format_and_check`); or, without a cache, when the file is large and two workers are idle (the model runs
    done: the end of a cold run), formatted in one and checked by halves in both (`verify.check_part`), and the
    code across the halves' cut checked here."""
    from .verify import BIG, can_split, check_source, settle_parts

    path = staging / package / MODELS
    if cache is not None or runs.workers < 2 or path.stat().st_size < BIG or not can_split(pieces):
        checking = (staging, package, pieces, cache, runs.salt, runs.text_key(package))
        return runs.submit(_format_and_check, checking).get
    rel = f"{package}/{MODELS}"
    halves: list[AsyncResult[Sides | None]] = []
    begun = threading.Event()

    def check(_: object) -> None:  # in the pool's thread: nothing may escape it (the result would never come)
        try:
            halves.extend(runs.submit(_check_part, (path, rel, pieces, half, 2)) for half in range(2))
        except Exception:
            halves.clear()  # the pool is gone: checked here, whole
        finally:
            begun.set()

    formatted = runs.submit(_format_models, (staging, package, None), check)

    def wait() -> Verdicts:
        formatted.get()
        begun.wait()
        text = path.read_text(encoding="utf-8")
        if len(halves) == 2:
            settle_parts(rel, text, pieces, [half.get() for half in halves])
        else:
            check_source(rel, text, pieces)
        return []

    return wait


def _format_models(staging: Path, package: str, cache: Cache | None, text_key: str | None = None) -> None:
    """In a worker: one package's models.py formatted on its own, as `format_tree` would (`text_key`: what it is
    but for its descriptions, `ModelRuns.text_key`)."""
    from .format import format_files

    models = f"{package}/{MODELS}"
    format_files(staging, [models], cache, {models: text_key} if text_key is not None else None)


def _format_and_check(
    staging: Path, package: str, pieces: set[str], cache: Cache | None, salt: str, text_key: str | None = None
) -> Verdicts:
    """In a worker: one package's models.py formatted (`_format_models`) and checked (`verify.check_file`; `salt`:
    the generator's fingerprint); its verdicts, to store once every file has passed."""
    from .verify import check_file

    _format_models(staging, package, cache, text_key)
    return check_file(staging / package, staging / package / MODELS, pieces, cache, salt)


def _check_part(path: Path, rel: str, pieces: set[str], part: int, parts: int) -> Sides | None:
    """In a worker: one of `parts` slices of a large models.py checked (`verify.check_part`)."""
    from .verify import check_part

    return check_part(rel, path.read_text(encoding="utf-8"), pieces, part, parts)


def _package(
    job: Job, built: ir.Api, documents: DocumentCache, staging: Path, cache: Cache | None, salt: str
) -> ir.Api:
    """Render one job's package but its models.py (its settings applied to the client model) under `staging`;
    its client model. With `cache`, files rendered before from an equal client model by this generator (`salt`)
    are not rendered again (the client model is plain data: equal models render equal files), nor are client
    methods rendered before from equal operations."""
    from .cache import key
    from .render import render_package

    api = configured(built, job.api)
    dist = distribution(api, documents.document(job.spec).data) if job.api.distribution else None
    clients = "clients" in job.api.outputs
    name = key("package", salt, api, clients, dist) if cache is not None else ""
    stored = cache.get(name) if cache is not None else None
    files: dict[str, str] = json.loads(stored) if stored is not None else {}
    if not files and cache is None:
        files = render_package(api, None, clients=clients, dist=dist)
    elif not files and cache is not None:  # each client method an earlier run rendered is taken from the cache
        methods = key("methods", salt, job.package)
        known, kept = cache.get_parts(methods), dict[bytes, bytes]()
        files = render_package(api, None, clients=clients, dist=dist, known=known, kept=kept)
        cache.keep_parts(methods, known, kept)
        cache.put(name, json.dumps(files).encode())
    write_tree(staging / job.package, {k: v.encode() for k, v in files.items()})
    return api


def current_inputs(job: Job, generator: str, out_dir: Path) -> dict[str, str]:
    """What `job`'s package is made from now: its inputs, and the `$ref`'d files its manifest lists, as they are."""
    return job.inputs(generator) | recorded_refs(out_dir / job.package, job.spec)


def _ref_names(inputs: Mapping[str, str], spec: Path, suffix: str = "") -> dict[str, str]:
    """How `check` names the `$ref`'d files among `inputs`: `spec/common.yaml ($ref'd by spec/api.yaml)`."""
    return {
        k: f"{display_path(ref_path(spec, k, suffix))} ($ref'd by {display_path(spec)})"
        for k in inputs
        if k.startswith(REF) and k.endswith(suffix)
    }


def _validate(
    jobs: list[Job], documents: DocumentCache, progress: Progress, helpers: ExitStack, *, spare: bool, nice: int = 10
) -> Callable[[], None] | None:
    """Validate every spec here, or (`spare`: a CPU the model runs leave free) in a worker while this process
    goes on (at `nice`); the worker's verdict is waited for before anything is written."""
    if spare:
        return validate_aside(documents, [(job.spec, job.strict) for job in jobs], helpers, nice=nice)
    for job in jobs:
        progress.stage(display_path(job.spec), "validate")
        documents.checked(job.spec, strict=job.strict)
    return None


def docs_plan(jobs: list[Job]) -> tuple[docs.Sources, dict[str, tuple[str, ...]], dict[str, tuple[str, str]]]:
    """The (spec, package) pairs whose docs are made, the packages with their own docs languages, and those with
    their own client class names (the samples use them)."""
    wanted = [j for j in jobs if "docs" in j.api.outputs]
    langs = {j.package: tuple(str(x) for x in j.api.docs_languages) for j in wanted if j.api.docs_languages}
    defaults = (_DEFAULT_API.client_class, _DEFAULT_API.async_client_class)
    names = {j.package: (j.api.client_class, j.api.async_client_class) for j in wanted}
    return [(j.spec, j.package) for j in wanted], langs, {k: v for k, v in names.items() if v != defaults}


def docs_changelogs(jobs: list[Job]) -> dict[str, docs.Base]:
    """The packages whose docs list their changes since a git ref (`changelog_base`), with that base."""
    wanted = [j for j in jobs if "docs" in j.api.outputs and j.api.changelog_base]
    if not wanted:
        return {}
    from .docs.changelog import base

    return {j.package: base(str(j.api.changelog_base), j.spec) for j in wanted}


def verify(
    root: Path, jobs: list[Job], pieces: Mapping[Job, set[str]], cache: Cache | None, stack: ExitStack
) -> Callable[[], None]:
    """Begin checking that every generated .py file but models.py (`_format_and_check`) parses, is printable text,
    and runs no spec text (`pieces`: each job's spec fragments); the function returned finishes the checks and
    raises what they found (nothing may be written before it returns)."""
    from .verify import start_check_tree

    started = [
        start_check_tree(
            root / job.package, None, cache, stack, pieces=pieces[job], skip=frozenset({root / job.package / MODELS})
        )
        for job in jobs
    ]

    def finish() -> None:
        for checked in started:
            checked()

    return finish


def generate(
    specs: list[Path],
    out_dir: Path,
    progress: Progress,
    *,
    allow_remote_refs: bool = False,
    strict: bool = False,
    apis: Mapping[Path, ApiSettings] | None = None,
    cache: Cache | None = None,
) -> list[str]:
    """Generate every package; return a line per package saying what happened (`cache`: reuse unchanged parts)."""
    jobs = plan(specs, allow_remote_refs=allow_remote_refs, strict=strict, apis=apis)
    generator = fingerprint()
    ensure_folder(out_dir)
    clean_leftovers(out_dir)
    packages = [j for j in jobs if j.makes_package]
    todo = [j for j in packages if not is_current(out_dir / j.package, current_inputs(j, generator, out_dir))]
    report = [f"{display_path(out_dir / j.package)}: up to date" for j in packages if j not in todo]
    sources, langs, names = docs_plan(jobs)
    logs = docs_changelogs(jobs)
    docs_dir = out_dir / docs.FOLDER
    keep = docs.kept(docs_dir, sources, present=packages_in(out_dir, jobs))
    docs_due = bool(sources or keep.entries) and not docs.is_current(
        docs_dir, sources, generator, api_langs=langs, keep=keep, changelogs=logs, api_clients=names
    )
    if not todo and not docs_due:
        return sorted([*report, *([f"{display_path(docs_dir)}: up to date"] if sources else [])])
    documents = DocumentCache(allow_remote_refs, tolerant=not strict, verdicts=cache, salt=generator)
    if cache is not None:
        from .render import keep_compiled_templates

        keep_compiled_templates(cache)

    # Everything is staged in a copy of the whole tree, then swapped in with one atomic exchange: a failure
    # or a kill at any point leaves `out_dir` exactly as it was (packages and docs together).
    with staging_copy(out_dir) as tmp:
        staged = Path(tmp) / out_dir.name

        def docs_work(stack: ExitStack | None) -> Callable[[dict[str, ir.Api]], DocsDone]:
            """The docs begun; the function returned finishes them given the client models and writes them into
            the staged tree (which a failure after it throws away whole). With `stack`, all of it in a worker
            process that `stack` stops, which takes the specs of the packages made now as valid (this process
            validates them before anything is swapped in): this process sends it the client models as soon as
            they are built, and waits for it later."""

            def begin() -> Callable[[dict[str, ir.Api]], None]:
                finish = docs.prepare(
                    sources, documents, generator, api_langs=langs, keep=keep, changelogs=logs, api_clients=names,
                    cache=cache,
                )  # fmt: skip

                def finish_and_publish(clients: dict[str, ir.Api]) -> None:
                    docs.publish(staged / docs.FOLDER, finish(clients))

                return finish_and_publish

            if stack is None:
                return _later(begin())
            from . import workers

            def work(receive: workers.Receive) -> None:
                for job in todo:
                    documents.assume_validated(job.spec, job.strict)
                begin()(receive())

            send, wait = workers.conversing(work, stack)
            return lambda clients: (send(clients), wait)[1]

        if todo:
            with tempfile.TemporaryDirectory(dir=tmp) as build:
                build_all(todo, Path(build), generator, progress, documents, docs_work if docs_due else None, cache)
                for job in todo:
                    replace_folder(Path(build) / job.package, staged / job.package)
                    report.append(f"{display_path(out_dir / job.package)}: written")
        elif docs_due:
            progress.stage("all", "docs")
            docs_work(None)({})()
        if sources:
            report.append(f"{display_path(docs_dir)}: {'written' if docs_due else 'up to date'}")
        replace_folder(staged, out_dir)
    progress.done()
    return sorted(report)


def check(
    specs: list[Path],
    out_dir: Path,
    progress: Progress,
    *,
    apis: Mapping[Path, ApiSettings] | None = None,
    full: bool = False,
) -> list[str]:
    """Lines describing how `out_dir` differs from a fresh generation (empty when it is current).

    By default only the manifests are compared with the specs, the generator and the files on disk (fast);
    `full` regenerates everything in a temporary folder and compares the bytes.
    """
    jobs = plan(specs, apis=apis)
    if out_dir.exists() and not out_dir.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(out_dir))
    generator = fingerprint()
    sources, langs, names = docs_plan(jobs)
    logs = docs_changelogs(jobs)
    packages = [j for j in jobs if j.makes_package]
    keep = docs.kept(out_dir / docs.FOLDER, sources, present=packages_in(out_dir, jobs))
    if not full:
        from .stale import differences

        tool = "the generator (specfirst or one of its tools)"
        folders = [
            (
                out_dir / j.package,
                inputs,
                {"spec": display_path(j.spec), "generator": tool, **_ref_names(inputs, j.spec)},
            )
            for j in packages
            for inputs in [current_inputs(j, generator, out_dir)]
        ]
        if sources or keep.entries:
            named = {f"spec:{package}": display_path(spec) for spec, package in sources}
            refs = docs.recorded(out_dir / docs.FOLDER, sources)
            for spec, package in sources:
                named.update(_ref_names(refs, spec, f":{package}"))
            docs_inputs = docs.inputs(
                sources, generator, None, langs, keep=keep, changelogs=logs, refs=refs, api_clients=names
            )
            shown = {**named, "generator": tool, "langs": "the languages"}
            shown.update({f"changelog:{p}": f"the changelog base {b.ref} of {p}" for p, b in logs.items()})
            shown.update({f"clients:{p}": f"the client class names of {p}" for p in names})
            folders.append((out_dir / docs.FOLDER, docs_inputs, shown))
        return differences(folders)
    documents = DocumentCache(tolerant=True)
    with tempfile.TemporaryDirectory(prefix="specfirst-check-") as tmp:
        staging = Path(tmp)
        docs_files = build_all(
            packages,
            staging,
            generator,
            progress,
            documents,
            (
                (
                    lambda _: _later(
                        docs.prepare(
                            sources,
                            documents,
                            generator,
                            api_langs=langs,
                            keep=keep,
                            changelogs=logs,
                            api_clients=names,
                        )
                    )
                )
                if sources or keep.entries
                else None
            ),
        )
        progress.done()
        expected = {job.package: tree_files(staging / job.package) for job in packages}
    if docs_files is not None:
        expected[docs.FOLDER] = docs_files
    return [
        line
        for name, files in expected.items()
        for line in diff_trees(files, tree_files(out_dir / name), display_path(out_dir / name))
    ]
