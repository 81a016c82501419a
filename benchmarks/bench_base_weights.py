"""Base-library weights: does a prior over the base primitives reach further than uniform?

The base library weighs every primitive and literal alike. This script searches the
same collections with the base library re-weighted by named variants and compares
each with uniform weights, task by task, under a candidates budget (the same figures
on any machine):

  uniform          every production at log-weight 0 (Library.base())
  constants        the literals 3, 4, 5 half as likely as 0, 1, 2 (one cost unit more)
  stack            the five stack primitives half as likely
  constants+stack  both
  by-need          uniform weights, searched with EnumerativeSearcher(constants="by-need"):
                   the literals other than 0 and 1 that the task's examples do not point
                   at one unit dearer, per task (search/constant_hints.py)
  split            tasks whose examples a map or filter could give first search that
                   function's task with a quarter of the budget (search/deduction.py),
                   and count, sum, any and all tasks the predicate of a sketch
                   (search/sketches.py)

Without `split` a variant searches with split_share=0 (no splitting). Parts join with '+' (`by-need+stack`).

Collections: `train` and `test` (the seed-0 halves of DreamCoder's list tasks, the split
bench_library and bench_guidance use) and any built-in domain name (`lists`,
`integers`, `text`, each searched with the base library of its own DSL). Choose a
variant on one collection and report it on the others. The last line is machine-readable:
`base_weights <collection>:<variant>=<solved>/<n> ...`.

Run: python benchmarks/bench_base_weights.py [--candidates N] [--collections train,test,lists]
     [--variants uniform,constants+stack] [--jobs J] [--limit N]
"""

from __future__ import annotations

import argparse
import math
import statistics
from typing import Sequence

from neurosym.cli_options import non_negative_int, positive_int
from neurosym.curriculum.run import split_tasks
from neurosym.domains.lists import dreamcoder_tasks_path
from neurosym.domains.registry import get_domain
from neurosym.lang.dsl import DSL
from neurosym.library import Library
from neurosym.search.base import Budget, SearchResult
from neurosym.search.deduction import DEFAULT_SPLIT_SHARE
from neurosym.search.enumerative import EnumerativeSearcher
from neurosym.search.solve import solve
from neurosym.task import Task
from neurosym.task_io import load_tasks

HALF_AS_LIKELY = -math.log(2)
STACK = ("empty_stack", "push", "pop", "top", "is_empty_stack")
PARTS = {"constants": ("3", "4", "5"), "stack": STACK}
BY_NEED = "by-need"  # parts that choose the searcher, not weights
SPLIT = "split"
SEARCHER_PARTS = (BY_NEED, SPLIT)


def variant_library(name: str, dsl: DSL | None = None) -> Library:
    """The base library of `dsl` (the base language by default) with the named parts
    (joined by '+') half as likely, those of them it has."""
    base = Library.base(dsl=dsl)
    if name == "uniform":
        return base
    parts = name.split("+")
    unknown = [p for p in parts if p not in PARTS and p not in SEARCHER_PARTS]
    if unknown:
        raise SystemExit(f"bench_base_weights: unknown variant part(s) {unknown}; "
                         f"known: uniform, {', '.join((*PARTS, *SEARCHER_PARTS))} (joined by '+')")
    names = set(base.names())
    return base.with_weights({n: HALF_AS_LIKELY for p in parts if p in PARTS for n in PARTS[p] if n in names})


def variant_searcher(name: str) -> EnumerativeSearcher:
    """Constants priced by need where the variant names it, else all alike; tasks split
    at map and filter (search/deduction.py) where it names `split`, else not."""
    parts = name.split("+")
    return EnumerativeSearcher(constants="by-need" if BY_NEED in parts else "all",
                               split_share=DEFAULT_SPLIT_SHARE if SPLIT in parts else 0.0)


def collection(name: str) -> list[Task]:
    if name in ("train", "test"):
        train, test = split_tasks(load_tasks(dreamcoder_tasks_path()), 0.5, 0)
        return train if name == "train" else test
    return get_domain(name)


def compare(base: Sequence[SearchResult], other: Sequence[SearchResult]) -> str:
    """Gains, losses and the geometric-mean candidate ratio on tasks both solve."""
    both = [(b, o) for b, o in zip(base, other) if b.solved and o.solved]
    won = [o.task for b, o in zip(base, other) if o.solved and not b.solved]
    lost = [b.task for b, o in zip(base, other) if b.solved and not o.solved]
    speed = "no task both solve"
    if both:
        ratio = statistics.geometric_mean(b.candidates / max(1, o.candidates) for b, o in both)
        speed = f"{ratio:.2f}x fewer candidates (geometric mean) on the {len(both)} both solve"
    return f"{speed}; gained {won or 'none'}; lost {lost or 'none'}"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--candidates", type=positive_int, default=150_000, help="candidates per task (default 150,000)")
    ap.add_argument("--collections", default="train,test,lists", help="comma-separated (default train,test,lists)")
    ap.add_argument("--variants", default="uniform,constants,stack,constants+stack",
                    help="comma-separated; the first is the baseline (default uniform,constants,stack,constants+stack)")
    ap.add_argument("--jobs", type=positive_int, default=2, help="tasks searched in parallel (default 2)")
    ap.add_argument("--limit", type=non_negative_int, default=0, help="only the first N tasks of each collection (0: all)")
    opts = ap.parse_args(argv)
    variants = [v.strip() for v in opts.variants.split(",") if v.strip()]
    for v in variants:
        variant_library(v)  # an unknown part is refused before any search
    budget = Budget.of(None, opts.candidates)
    print(f"budget {budget.describe()}; variants {', '.join(variants)} "
          f"(baseline {variants[0]}); jobs {opts.jobs}", flush=True)
    figures = []
    for name in [c.strip() for c in opts.collections.split(",") if c.strip()]:
        tasks = collection(name)[: opts.limit or None]
        dsl = tasks[0].dsl if tasks else None  # `text` is in the text DSL
        results = {v: solve(tasks, variant_searcher(v), budget, library=variant_library(v, dsl), jobs=opts.jobs)
                   for v in variants}
        for v in variants:
            solved = sum(r.solved for r in results[v])
            figures.append(f"{name}:{v}={solved}/{len(tasks)}")
            line = f"{name}: {v} solved {solved}/{len(tasks)}"
            if v != variants[0]:
                line += f"; against {variants[0]}: {compare(results[variants[0]], results[v])}"
            print(line, flush=True)
    print("base_weights " + " ".join(figures))


if __name__ == "__main__":
    main()
