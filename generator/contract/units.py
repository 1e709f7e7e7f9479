"""A run as units of work, fixed by the spec and the options alone (never by --workers or --shard): per operation
an anchor (examples, coverage, the first fuzzing slice, edge cases, probes) and further fuzzing slices; one
stateful unit. Workers run units at once; shard K/N runs the units a deterministic balanced partition gives it."""

from __future__ import annotations

from dataclasses import dataclass

from ..contract.options import ContractOptions
from ..contract.target import MUTATING, Operation, SpecFacts

FUZZ_SLICE = 10  # fuzzing cases per slice: a large --max-examples is cut into slices that can run apart
STATEFUL = "(stateful)"


@dataclass(frozen=True)
class Unit:
    """One engine run: an operation (or every operation, for the stateful phase) and its share of the cases."""

    operation: str
    slice: int  # 0: the anchor; 1..: further fuzzing slices
    seed: int
    max_examples: int
    cost: int  # planned requests, to balance shards

    @property
    def name(self) -> str:
        return f"{self.operation} #{self.slice}"


def slices(max_examples: int) -> list[int]:
    """How many fuzzing cases each slice of one operation gets."""
    sizes = [FUZZ_SLICE] * (max_examples // FUZZ_SLICE)
    if max_examples % FUZZ_SLICE:
        sizes.append(max_examples % FUZZ_SLICE)
    return sizes or [max_examples]


def slice_seed(seed: int, index: int) -> int:
    """The seed of slice `index` (slice 0 keeps the run's seed)."""
    return seed if index == 0 else (seed * 1_000_003 + index * 7_919) % 2**31


def tested(options: ContractOptions, facts: SpecFacts) -> dict[str, Operation]:
    """The operations this run may send (--readonly: only those that cannot change state)."""
    return {k: op for k, op in facts.operations.items() if not (options.readonly and op.method in MUTATING)}


def plan(options: ContractOptions, facts: SpecFacts) -> list[Unit]:
    """Every unit of the whole (unsharded) run, in a stable order."""
    units: list[Unit] = []
    fuzzing = "fuzzing" in options.phases
    for label, op in sorted(tested(options, facts).items()):
        sizes = slices(options.max_examples) if fuzzing else [0]
        fixed = 5 * (1 + len(op.params)) + len(op.statuses)  # examples, coverage, edges and probes, roughly
        for index, size in enumerate(sizes):
            cost = size + (fixed if index == 0 else 0)
            units.append(Unit(label, index, slice_seed(options.seed, index), max(size, 1), cost))
    if "stateful" in options.phases and len(units) > 1:
        units.append(Unit(STATEFUL, 0, options.seed, options.max_examples, options.max_examples))
    return units


def partition(units: list[Unit], count: int) -> list[list[Unit]]:
    """`count` shards of about equal planned cost (largest first onto the least loaded; ties broken by order)."""
    shards: list[list[Unit]] = [[] for _ in range(count)]
    load = [0] * count
    for unit in sorted(units, key=lambda u: (-u.cost, u.operation, u.slice)):
        target = min(range(count), key=lambda i: (load[i], i))
        shards[target].append(unit)
        load[target] += unit.cost
    order = {u: i for i, u in enumerate(units)}
    return [sorted(s, key=order.__getitem__) for s in shards]


def mine(options: ContractOptions, facts: SpecFacts) -> list[Unit]:
    """The units this run sends: all of them, or its shard's."""
    units = plan(options, facts)
    if options.shard is None:
        return units
    k, n = options.shard
    return partition(units, n)[k - 1]
