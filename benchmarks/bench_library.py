"""Does the learned library help? DreamCoder list tasks, split 50/50.

A seeded 50/50 split of DreamCoder's list tasks (EC2, Ellis et al. 2021, repository
ellisk42/ec, data/list_tasks.json, MIT licence); a wake-sleep curriculum of K
iterations on the training half; then the test half, at the same per-task budget,
searched with the base primitives only and with the learned library, in one run.

Compression is a description length ratio: the solutions with every routine inlined,
over the rewritten solutions plus the routines' own bodies.

Reference (EC2, Table 3, 7-minute timeouts on 64 CPUs): 37% of the test tasks with
plain enumeration, 71% with the library alone, 94% with the recognition model.

With --transfer, the learned library and the base primitives also search collections
the library never saw (the project's lists and integers domains, PSB1's training
cases), each at the test budget: `transfer_solved_base=<n>/<N>
transfer_solved_library=<n>/<N> (...)`, the line before the last.

With --validation-fraction F, part of the training half is held out and the settings
given by --shares, --routine-shares, --proportional (the enumerator's cost mode) and
--hedge (a share of each budget for the base primitives, HedgedSearcher) are compared
on it; the best is then used on the test half and the transfer collections.

The wake pools its unspent budget (neurosym/curriculum/pool.py): the training tasks it
leaves unsolved are searched again with what the solved ones left of budget x tasks,
so training never takes more than --train-budget per task and iteration; --no-pool
turns it off.

Run: python benchmarks/bench_library.py [--iterations 2] [--budget 10] [--train-budget 30] [--jobs 2] [--seed 0]
     [--candidates N] [--train-candidates N]   (candidates alone: figures independent of the machine)
     [--no-pool] [--hedge 0.3]
     [--transfer] [--validation-fraction 0.5 --shares 0.5,0.8,0.95 --proportional none,3]
Last line: test_solved_base=<n>/<N> test_solved_library=<n>/<N> routines=<count> compression=<ratio>
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from neurosym.curriculum.pool import MAX_POOL_FACTOR
from neurosym.curriculum.transfer import compare_on_collections, figures_line
from neurosym.curriculum.run import Curriculum, CurriculumConfig, split_tasks
from neurosym.cli_options import add_train_and_test_budget_options
from neurosym.curriculum.protocol import Protocol, train_and_test_budgets
from neurosym.lang.inline import inline
from neurosym.errors import NeurosymError
from neurosym.lang.parser import parse
from neurosym.library import Library
from neurosym.library.compression import ROUTINE_UNIFORM, UNIFORM_SHARE, refit_weights
from neurosym.library.store import load_library
from neurosym.search.base import Budget
from neurosym.search.enumerative import EnumerativeSearcher
from neurosym.search.hedge import HedgedSearcher
from neurosym.search.solve import solve
from neurosym.task_io import load_tasks
from neurosym.domains.lists import dreamcoder_tasks_path

#: the vendored copy of DreamCoder's list tasks (data/README.md)
DEFAULT_TASKS = dreamcoder_tasks_path()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--iterations", type=int, default=2, help="curriculum iterations (default 2)")
    add_train_and_test_budget_options(ap, "both libraries")
    ap.add_argument("--no-pool", action="store_true",
                    help="the wake searches each task at the training budget only (default: the tasks it leaves "
                         "unsolved are searched again with the budget the solved ones left unspent, pool.py)")
    ap.add_argument("--jobs", type=int, default=2, help="tasks searched in parallel (default 2)")
    ap.add_argument("--seed", type=int, default=0, help="split seed (default 0)")
    ap.add_argument("--limit", type=int, default=0, help="use only this many tasks (0: all)")
    ap.add_argument("--rundir", type=Path, default=None, help="keep the curriculum run here")
    ap.add_argument("--resume", action="store_true",
                    help="continue (or, when finished, reuse) the curriculum run in --rundir, same settings")
    ap.add_argument("--data", type=Path, default=DEFAULT_TASKS)
    ap.add_argument("--out", type=Path, default=None, help="write the figures and the protocol here (JSON)")
    ap.add_argument("--validation-fraction", type=float, default=0.0,
                    help="hold this share of the training half out as a validation split, on which --shares "
                         "are compared (the test half is never used to choose a setting)")
    ap.add_argument("--routine-shares", default="",
                    help="comma-separated routine_uniform values of the weight refit to compare on the validation "
                         "split (a routine's uniform mass relative to a primitive's)")
    ap.add_argument("--transfer", action="store_true",
                    help="also search task collections the library never saw (the lists and integers domains, "
                         "PSB1's training cases) with the base primitives and with the learned library")
    ap.add_argument("--shares", default="",
                    help="comma-separated uniform shares of the weight refit to compare on the validation split "
                         "(default: the library's own, UNIFORM_SHARE in neurosym.library.compression)")
    ap.add_argument("--proportional", default="",
                    help="comma-separated enumerator cost modes to compare on the validation split: 'none' (a "
                         "node per bit below the best production, the default) or K (costs in proportion to "
                         "bits, K units for the most likely; EnumerativeSearcher(proportional=K))")
    ap.add_argument("--hedge", default="",
                    help="comma-separated fallback shares to compare on the validation split (or one to use): the "
                         "library searches for the rest of each test budget, then the base primitives for this share "
                         "(HedgedSearcher); 'none' for no hedge (the default)")
    opts = ap.parse_args(argv)
    tasks = load_tasks(opts.data)
    if opts.limit:
        tasks = tasks[: opts.limit]
    train, test = split_tasks(tasks, 0.5, opts.seed)
    validation: list = []
    if opts.validation_fraction:
        train, validation = split_tasks(train, opts.validation_fraction, opts.seed + 1)
        print(f"validation: {len(validation)} of the training half's tasks held out to choose settings", flush=True)
    train_budget, test_budget = train_and_test_budgets(opts.train_budget, opts.train_candidates, opts.budget,
                                                       opts.candidates)
    protocol = Protocol.of(train, test, opts.seed, opts.seed, train_budget, test_budget, source=opts.data.name)
    pooling = "no pooling" if opts.no_pool else f"unspent training budget pooled (at most {MAX_POOL_FACTOR}x per task)"
    print(f"{protocol.describe()}; {opts.iterations} iterations, {pooling}, jobs={opts.jobs}", flush=True)
    rundir = opts.rundir or Path(tempfile.mkdtemp(prefix="bench-library-")) / "run"
    config = CurriculumConfig(source=str(opts.data), iterations=opts.iterations, budget=train_budget.seconds,
                              candidates=train_budget.candidates,
                              seed=opts.seed, jobs=opts.jobs, pool_unspent=not opts.no_pool)
    start = time.perf_counter()
    if opts.resume and opts.rundir is None:
        ap.error("--resume needs --rundir (the run to continue)")
    try:
        figures = Curriculum(train, rundir, config, on_event=lambda m: print("  " + m, flush=True),
                             library=Library.base()).run(resume=opts.resume)
    except NeurosymError as error:  # a folder that holds no run, or another run's
        ap.exit(2, f"bench_library.py: error: {error}\n")
    print(f"curriculum: {time.perf_counter() - start:.0f} s, records in {rundir}")
    learned = load_library(rundir / "library")
    solutions = {k: parse(v) for k, v in json.loads((rundir / "state.json").read_text())["solutions"].items()}
    bodies = {r.name: r.body for r in learned.routines}
    inlined = sum(inline(p, bodies, beta=False).size for p in solutions.values())
    described = sum(p.size for p in solutions.values()) + sum(b.size for b in bodies.values())
    compression = inlined / described if described else 1.0
    for r in learned.routines:
        print(f"  routine {r.name} : {r.type}  (used by {len(r.used_by)} tasks)")
    shares = [float(x) for x in opts.shares.split(",") if x.strip()]
    routine_shares = [float(x) for x in opts.routine_shares.split(",") if x.strip()]
    modes = [None if x.strip().lower() == "none" else int(x) for x in opts.proportional.split(",") if x.strip()]
    hedges = [None if x.strip().lower() == "none" else float(x) for x in opts.hedge.split(",") if x.strip()]
    searcher = _searcher(None, hedges[0] if len(hedges) == 1 else None)
    if validation and (shares or routine_shares or modes or len(hedges) > 1):
        scores = {}
        settings = [(share, r, k, h) for share in shares or [UNIFORM_SHARE] for r in routine_shares or [ROUTINE_UNIFORM]
                    for k in modes or [None] for h in hedges or [None]]
        for setting in settings:
            share, mass, k, hedge = setting
            candidate = refit_weights(learned, solutions, uniform_share=share, routine_uniform=mass)
            out = solve(validation, method=_searcher(k, hedge), budget=test_budget, seed=opts.seed,
                        library=candidate, jobs=opts.jobs)
            scores[setting] = sum(r.solved for r in out)
            print(f"validation share={share:g} routine_uniform={mass:g} proportional={k} hedge={hedge} "
                  f"solved={scores[setting]}/{len(validation)}", flush=True)
        best = max(settings, key=lambda s: (scores[s], s[2] is None, s[3] is None,
                                            -abs(s[0] - UNIFORM_SHARE) - abs(s[1] - ROUTINE_UNIFORM)))
        learned = refit_weights(learned, solutions, uniform_share=best[0], routine_uniform=best[1])
        searcher = _searcher(best[2], best[3])
        print(f"chosen on the validation split: uniform share {best[0]:g}, routine_uniform {best[1]:g}, "
              f"proportional {best[2]}, hedge {best[3]}", flush=True)
    results = {}
    for label, library in (("base", Library.base()), ("library", learned)):
        out = solve(test, method=searcher, budget=test_budget, seed=opts.seed, library=library, jobs=opts.jobs)
        results[label] = out
        print(f"test tasks with the {label} library: solved {sum(r.solved for r in out)}/{len(test)}", flush=True)
    for base, lib in zip(results["base"], results["library"]):
        if base.solved != lib.solved:
            print(f"  {'+' if lib.solved else '-'} {lib.task}: {lib.program_text if lib.solved else base.program_text}")
    transfer = _transfer(learned, {t.name for t in train + validation}, searcher, test_budget, opts) \
        if opts.transfer else None
    print(f"train solved per iteration: {[f.solved_train for f in figures]} (at the per-task budget "
          f"{[f.first_pass_solved for f in figures]}, with the unspent budget "
          f"{[f'{f.pooled_solved}/{f.pooled_tasks}' for f in figures]})")
    line = (f"test_solved_base={sum(r.solved for r in results['base'])}/{len(test)} "
            f"test_solved_library={sum(r.solved for r in results['library'])}/{len(test)} "
            f"routines={len(learned.routines)} compression={compression:.2f}")
    if transfer is not None:
        print(transfer["line"])
    if opts.out is not None:
        record = {"protocol": protocol.to_json(learned, "learned"), "figures": line, "transfer": transfer,
                  "train_solved_per_iteration": [f.solved_train for f in figures], "pooled": not opts.no_pool,
                  "test": {label: [r.to_json() for r in out] for label, out in results.items()}}
        opts.out.write_text(json.dumps(record, indent=1) + "\n")
    print(line)


def _searcher(proportional: int | None, hedge: float | None) -> object:
    """The enumerator in a cost mode, hedged with the base primitives for `hedge` of each
    budget (a library without routines, the base arm, is searched with the whole budget)."""
    inner = EnumerativeSearcher(proportional=proportional)
    return inner if hedge is None else HedgedSearcher(inner, fallback_share=hedge)


def transfer_collections(seen: set[str]) -> dict[str, list]:
    """Task collections from outside the DreamCoder list tasks, less the tasks whose
    names are in `seen` (the curriculum's: `sum`, `head`, `evens`, ... are DreamCoder
    tasks as well as lists tasks)."""
    from neurosym.domains.psb1 import PSB1_PROBLEMS, psb1_problem
    from neurosym.domains.registry import get_domain

    collections = {"lists": get_domain("lists"), "integers": get_domain("integers"),
                   "psb1": [psb1_problem(name)[0] for name in PSB1_PROBLEMS]}
    return {name: [t for t in tasks if t.name not in seen] for name, tasks in collections.items()}


def _transfer(learned: Library, seen: set[str], searcher: object, budget: Budget, opts: argparse.Namespace) -> dict:
    """Base primitives vs the learned library on collections it never saw, same budget."""
    figures = compare_on_collections(learned, transfer_collections(seen), budget, method=searcher, seed=opts.seed,
                                     jobs=opts.jobs, on_event=lambda m: print("transfer " + m, flush=True))
    return {"collections": {name: f.to_json() for name, f in figures.items()},
            "line": figures_line(figures, "transfer")}


if __name__ == "__main__":
    main()
