"""Does the recognition model speed up search? DreamCoder list tasks, split 50/50.

The same seeded split as bench_library.py: a wake-sleep curriculum with `--method
neural` on the training half (abstraction learning and a recognition model trained on
the solutions and on dreams), then every test task searched twice at the same budget
with the learned library: plain enumeration, and enumeration guided by the model. For
every task both solve, the speed-up is unguided candidates / guided candidates.

Data: EC2 (Ellis et al. 2021), repository ellisk42/ec, data/list_tasks.json (MIT).
Reference: DeepCoder reports 32x-907x from guidance over plain enumeration; EC2 79% ->
94% of held-out list tasks once its recognition model joins the library.

Run: python benchmarks/bench_guidance.py [--iterations 2] [--budget 10] [--train-budget 10] [--jobs 2]
     [--candidates N] [--train-candidates N]   (candidates alone: figures independent of the machine)
     (or --rundir RUNDIR of an earlier `--method neural` run, to skip the curriculum)
     [--choose-on lists]: compare the two kinds of guidance on another collection instead
     (how the default was chosen, without the test split); with --priors 0.3,0 and/or
     --unguided-shares 0,0.5: compare unguided search and guidance at each combination
     there (--prior P, --unguided-share S: the test arm's)
Last line: prior=<p> unguided_share=<s> median_speedup=<x> solved_unguided=<n>/<N> solved_guided=<n>/<N>
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from neurosym.curriculum.recognition_phase import model_path
from neurosym.curriculum.run import Curriculum, CurriculumConfig, split_tasks
from neurosym.library import Library
from neurosym.library.store import load_library
from neurosym.neural.guided import GuidedSearcher
from neurosym.neural.checkpoints import load_model
from neurosym.cli_options import add_train_and_test_budget_options
from neurosym.curriculum.protocol import Protocol, train_and_test_budgets
from neurosym.search.solve import solve
from neurosym.task_io import load_tasks
from neurosym.domains.lists import dreamcoder_tasks_path

#: the vendored copy of DreamCoder's list tasks (data/README.md)
DEFAULT_TASKS = dreamcoder_tasks_path()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--iterations", type=int, default=2, help="curriculum iterations (default 2)")
    add_train_and_test_budget_options(ap, "both searches")
    ap.add_argument("--jobs", type=int, default=2, help="tasks searched in parallel (default 2)")
    ap.add_argument("--seed", type=int, default=0, help="split seed (default 0)")
    ap.add_argument("--dreams", type=int, default=10_000, help="dreams per sleep (default 10000)")
    ap.add_argument("--epochs", type=int, default=40, help="recognition epochs per sleep (default 40)")
    ap.add_argument("--limit", type=int, default=0, help="use only this many tasks (0: all)")
    ap.add_argument("--rundir", type=Path, default=None,
                    help="an existing run of `--method neural` on the same split (skips the curriculum), "
                         "or where to keep the new one")
    ap.add_argument("--compare-contextual", action="store_true",
                    help="also search guided with the other kind of costs (parent/position-conditioned or not)")
    ap.add_argument("--choose-on", default=None, metavar="DOMAIN",
                    help="compare per-production and parent/position-conditioned guidance on this built-in "
                         "domain (its tasks named like a training task left out) and stop: how the default "
                         "was chosen without looking at the test split")
    ap.add_argument("--prior", type=float, default=None,
                    help="share of the library's own weights mixed into the prediction, in the guided test arm "
                         f"(default {GuidedSearcher.DEFAULT_PRIOR}, GuidedSearcher's)")
    ap.add_argument("--unguided-share", type=float, default=None,
                    help="share of each test budget left to plain enumeration when guidance has not solved "
                         f"(default {GuidedSearcher.DEFAULT_UNGUIDED_SHARE}, GuidedSearcher's)")
    ap.add_argument("--priors", default=None, metavar="P[,P...]",
                    help="with --choose-on: compare parent/position-conditioned guidance at these priors (and "
                         "unguided search) on that domain instead of the two kinds of costs")
    ap.add_argument("--unguided-shares", default=None, metavar="S[,S...]",
                    help="with --choose-on: compare guidance with these unguided shares (and unguided search)")
    ap.add_argument("--data", type=Path, default=DEFAULT_TASKS)
    ap.add_argument("--out", type=Path, default=None, help="write the figures and the protocol here (JSON)")
    opts = ap.parse_args(argv)
    prior = GuidedSearcher.DEFAULT_PRIOR if opts.prior is None else _shares(ap, "--prior", str(opts.prior))[0]
    share = (GuidedSearcher.DEFAULT_UNGUIDED_SHARE if opts.unguided_share is None
             else _shares(ap, "--unguided-share", str(opts.unguided_share), below_one=True)[0])
    compared = opts.priors is not None or opts.unguided_shares is not None
    if compared and not opts.choose_on:
        ap.error("--priors and --unguided-shares compare on a validation domain: give --choose-on DOMAIN "
                 "(the test arm takes one --prior and one --unguided-share)")
    priors = _shares(ap, "--priors", opts.priors) if opts.priors is not None else [prior]
    shares = (_shares(ap, "--unguided-shares", opts.unguided_shares, below_one=True)
              if opts.unguided_shares is not None else [share])
    tasks = load_tasks(opts.data)
    if opts.limit:
        tasks = tasks[: opts.limit]
    train, test = split_tasks(tasks, 0.5, opts.seed)
    train_budget, opts.search_budget = train_and_test_budgets(opts.train_budget, opts.train_candidates, opts.budget,
                                                              opts.candidates)
    protocol = Protocol.of(train, test, opts.seed, opts.seed, train_budget, opts.search_budget, source=opts.data.name)
    print(f"{protocol.describe()}; {opts.iterations} iterations, jobs={opts.jobs}", flush=True)
    rundir = opts.rundir or Path(tempfile.mkdtemp(prefix="bench-guidance-")) / "run"
    if not model_path(rundir).exists():
        config = CurriculumConfig(source=str(opts.data), iterations=opts.iterations,
                                  budget=train_budget.seconds, candidates=train_budget.candidates, seed=opts.seed,
                                  jobs=opts.jobs,
                                  method="neural", dreams=opts.dreams, recognition_epochs=opts.epochs)
        start = time.perf_counter()
        figures = Curriculum(train, rundir, config, on_event=lambda m: print("  " + m, flush=True),
                             library=Library.base()).run()
        print(f"curriculum: {time.perf_counter() - start:.0f} s, train solved per iteration "
              f"{[f.solved_train for f in figures]}, recognition loss {[f.recognition_loss for f in figures]}; "
              f"records in {rundir}", flush=True)
    library = load_library(rundir / "library")
    model = load_model(model_path(rundir), library=library)
    print(f"library: {len(library.routines)} routines; model: {len(model.names)} productions, device {model.device}")
    if opts.choose_on:
        seen = {t.name for t in train}
        if compared:
            _choose_variants(opts, model, library, seen, priors, shares)
        else:
            _choose(opts, model, library, seen)
        return
    unguided = solve(test, method="enum", budget=opts.search_budget, seed=opts.seed, library=library, jobs=opts.jobs)
    guided = solve(test, method=GuidedSearcher(model, prior=prior, unguided_share=share), budget=opts.search_budget,
                   seed=opts.seed, library=library,
                   jobs=opts.jobs)
    if opts.compare_contextual:
        other = GuidedSearcher(model, prior=prior, unguided_share=share,
                               contextual=not GuidedSearcher(model).contextual)
        label = "contextual" if other.contextual else "unigram"
        alt = solve(test, method=other, budget=opts.search_budget, seed=opts.seed, library=library, jobs=opts.jobs)
        both = [u.candidates / max(a.candidates, 1) for u, a in zip(unguided, alt) if u.solved and a.solved]
        print(f"with {label} costs instead: solved {sum(r.solved for r in alt)}/{len(test)}, median speed-up "
              f"{statistics.median(both) if both else float('nan'):.2f}x over {len(both)} tasks")
    speedups = []
    for u, g in zip(unguided, guided):
        if u.solved and g.solved:
            speedups.append(u.candidates / max(g.candidates, 1))
        elif u.solved != g.solved:
            print(f"  {'+' if g.solved else '-'} {g.task}: {(g if g.solved else u).program_text}")
    median = statistics.median(speedups) if speedups else float("nan")
    if speedups:
        print(f"both solved {len(speedups)} tasks; speed-up median {median:.2f}x, geometric mean "
              f"{statistics.geometric_mean(speedups):.2f}x, guided faster on {sum(s > 1 for s in speedups)}, "
              f"slower on {sum(s < 1 for s in speedups)}")
    n_u, n_g = sum(r.solved for r in unguided), sum(r.solved for r in guided)
    line = f"prior={prior} unguided_share={share} median_speedup={median:.2f} solved_unguided={n_u}/{len(test)} solved_guided={n_g}/{len(test)}"
    if opts.out is not None:
        record = {"protocol": protocol.to_json(library, "learned"), "prior": prior, "unguided_share": share, "figures": line,
                  "test": {"unguided": [r.to_json() for r in unguided], "guided": [r.to_json() for r in guided]}}
        opts.out.write_text(json.dumps(record, indent=1) + "\n")
    print(line)


def _shares(ap: argparse.ArgumentParser, flag: str, text: str, below_one: bool = False) -> list[float]:
    """Comma-separated shares in [0, 1] (or [0, 1) with `below_one`); a usage error otherwise."""
    try:
        values = [float(p) for p in text.split(",")]
    except ValueError:
        ap.error(f"argument {flag}: expected numbers between 0 and 1 separated by commas, got {text!r}")
    bad = [v for v in values if not (0.0 <= v < 1.0 if below_one else 0.0 <= v <= 1.0)]
    if bad:
        ap.error(f"argument {flag}: a share between 0 and 1{' (below 1)' if below_one else ''}, got {bad[0]}")
    return values


def _domain_tasks(opts: argparse.Namespace, seen: set[str]) -> list:
    from neurosym.domains.registry import get_domain

    return [t for t in get_domain(opts.choose_on) if t.name not in seen]


def _choose_variants(opts: argparse.Namespace, model, library: Library, seen: set[str], priors: list[float],
                     shares: list[float]) -> None:
    """Unguided search and guidance at each prior and unguided share, on a domain disjoint
    from the test half."""
    tasks = _domain_tasks(opts, seen)
    unguided = solve(tasks, method="enum", budget=opts.search_budget, seed=opts.seed, library=library, jobs=opts.jobs)
    parts = [f"choose_on={opts.choose_on} tasks={len(tasks)} solved_unguided={sum(r.solved for r in unguided)}"]
    for prior in priors:
        for share in shares:
            guided = solve(tasks, method=GuidedSearcher(model, prior=prior, unguided_share=share),
                           budget=opts.search_budget, seed=opts.seed, library=library, jobs=opts.jobs)
            both = [u.candidates / max(g.candidates, 1) for u, g in zip(unguided, guided) if u.solved and g.solved]
            median = statistics.median(both) if both else float("nan")
            parts.append(f"prior={prior} unguided_share={share}: solved={sum(r.solved for r in guided)} "
                         f"median_speedup={median:.2f}")
            print("  " + parts[-1], flush=True)
    print(parts[0] + "; " + "; ".join(parts[1:]))


def _choose(opts: argparse.Namespace, model, library: Library, seen: set[str]) -> None:
    """Unigram vs contextual guidance on a domain disjoint from the split's test half."""
    tasks = _domain_tasks(opts, seen)
    runs = {}
    for contextual in (False, True):
        runs[contextual] = solve(tasks, method=GuidedSearcher(model, contextual=contextual), budget=opts.search_budget,
                                 seed=opts.seed, library=library, jobs=opts.jobs)
    both = [u.candidates / max(c.candidates, 1) for u, c in zip(runs[False], runs[True]) if u.solved and c.solved]
    ratio = statistics.geometric_mean(both) if both else float("nan")
    print(f"choose_on={opts.choose_on} tasks={len(tasks)} solved_unigram={sum(r.solved for r in runs[False])} "
          f"solved_contextual={sum(r.solved for r in runs[True])} "
          f"unigram_over_contextual_candidates_geomean={ratio:.2f} over {len(both)} tasks")


if __name__ == "__main__":
    main()
