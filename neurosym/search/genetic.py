"""Genetic programming over our typed ASTs with DEAP's toolbox, selection and records.

Individuals are `Typed` programs (see gp_ops) in a small class that DEAP's creator
gives a fitness; they are never DEAP `PrimitiveTree`s and never `eval`-ed: each is
compiled by our closure compiler and run under the search step budget (gp_eval).
Fitness is a vector of per-example errors (for lexicase), cached by program, with the
total error and then the size ranking programs for the hall of fame and tournaments.
The loop is DEAP's eaSimple (select, varAnd, evaluate the changed) written out so that
the budget is checked between generations and inside evaluation.

Randomness comes from one `random.Random(seed)`; DEAP's selection functions draw from
the global `random` module, which is seeded from it for the search and restored after
(so concurrent users of the global generator in other threads would disturb
reproducibility). Evaluation results do not depend on `jobs`, so neither does the search.
"""

from __future__ import annotations

import logging
import random
import time
from typing import Any, Callable

from deap import base, tools

from neurosym.errors import InvalidArgument
from neurosym.lang.ast import Expr
from neurosym.lang.printer import format_expr
from neurosym.library import Library
from neurosym.search.base import Budget, Clock, SearchResult, make_result
from neurosym.search.counterexamples import DEFAULT_ABOVE, DEFAULT_SUBSET, Subset, check_subset
from neurosym.search.gp_conditional import Conditionals, mutate_conditional
from neurosym.search.gp_eval import Evaluator
from neurosym.search.gp_individuals import (ErrorGroup, GPIndividual, LexicaseValues, clone, make_individual,
                                            nondominated)
from neurosym.search.gp_ops import Grammar, Typed, crossover, mutate_literal, mutate_subtree
from neurosym.search.simplify import simplify
from neurosym.task import Task

log = logging.getLogger(__name__)


# -- the searcher ------------------------------------------------------------------------

SELECTIONS = ("lexicase", "epsilon_lexicase", "tournament")
#: the share of mutations that wrap a subtree in a small conditional (gp_conditional.py)
CONDITIONAL_MUTATION = 0.1
#: program nodes allowed per task argument (and one more share), when max_size is None
SIZE_PER_ARGUMENT = 20


def size_limit(arguments: int) -> int:
    """The default static size limit: 40 nodes for a task of one argument, 20 more for
    each further one, since a program reads each (the least of four integers by
    conditionals, `if (if x < y then x else y) < (if z < u then z else u) then ...`, has
    55 nodes)."""
    return SIZE_PER_ARGUMENT * (arguments + 1)


#: the best program is simplified after the budget is spent, within this share of it more
SIMPLIFY_SHARE = 0.05


class GeneticSearcher:
    """Generational GP: ramped half-and-half init, lexicase (or tournament) selection,
    typed subtree crossover and mutation, literal point mutation, a mutation that wraps
    a subtree in a small conditional (`if a < b then a else b`: gp_conditional.py),
    static size limits (`max_size`; None: `size_limit` of the task's arguments).

    `jobs > 1` (or an executor) scores programs in worker processes; a library whose DSL
    has no import path cannot go there and is scored in this process instead, with a
    logged warning (the same results, since they never depend on `jobs`).

    A task with more than `subset_above` examples is evolved on `subset` of them
    (counterexamples.py); when a program fits them, it is run on every example and the
    smallest it gets wrong join the subset, the population rescored on it and evolved
    on (counterexample-driven GP; `subset=0`: every example at once)."""

    name = "gp"

    def __init__(self, population: int = 500, generations: int | None = None, *, selection: str = "lexicase",
                 tournament_size: int = 7, max_size: int | None = None, max_depth: int = 30,
                 init_depth: tuple[int, int] = (2, 4), mutation_depth: int = 3, crossover_rate: float = 0.8,
                 mutation_rate: float = 0.3, literal_mutation: float = 0.2,
                 conditional_mutation: float = CONDITIONAL_MUTATION, variable_boost: float = 4.0,
                 stale_generations: int = 100, seed: int = 0, jobs: int = 1, executor: Any = None,
                 simplify: bool = True, subset: int = DEFAULT_SUBSET, subset_above: int = DEFAULT_ABOVE) -> None:
        if selection not in SELECTIONS:
            raise InvalidArgument(f"selection must be one of {SELECTIONS}, got {selection!r}")
        if population < 2:
            raise InvalidArgument("population must be at least 2")
        if max_size is not None and max_size < 2:
            raise InvalidArgument(f"max_size must be at least 2 (nodes of a program), got {max_size}")
        if not (min(literal_mutation, conditional_mutation) >= 0.0 and literal_mutation + conditional_mutation <= 1.0):
            raise InvalidArgument(f"literal_mutation and conditional_mutation: shares of the mutations, at least 0 and "
                                  f"at most 1 together, got {literal_mutation} and {conditional_mutation}")
        check_subset(subset, subset_above)
        self.subset, self.subset_above = subset, subset_above
        self.population, self.generations, self.selection = population, generations, selection
        self.tournament_size, self.max_size, self.max_depth = tournament_size, max_size, max_depth
        self.init_depth, self.mutation_depth = init_depth, mutation_depth
        self.crossover_rate, self.mutation_rate, self.literal_mutation = crossover_rate, mutation_rate, literal_mutation
        self.conditional_mutation = conditional_mutation  # wraps a subtree in `if` (gp_conditional.py)
        self.variable_boost, self.stale_generations = variable_boost, stale_generations
        self.seed, self.jobs = seed, jobs
        self.executor = executor  # an Executor for evaluation (not closed here), or None: `jobs` processes
        self.simplify = simplify  # shrink the best program while it passes as many examples (simplify.py)

    def search(self, task: Task, library: Library, budget: Budget) -> SearchResult:
        clock = Clock(budget)
        rng = random.Random(self.seed)
        saved = random.getstate()
        random.seed(rng.getrandbits(64))  # DEAP's selection draws from the global generator
        subset = Subset(task, self.subset) if self.subset and len(task.examples) > self.subset_above else None
        run = _Run(self, library, rng, Evaluator(subset.task if subset else task, library, self.jobs,
                                                 executor=self.executor), clock, subset)
        try:
            best, logbook = run.run()
        finally:
            random.setstate(saved)
            run.evaluator.close()
        trace = tuple(
            f"gen={r['gen']} nevals={r['nevals']} min={r['min']} avg={r['avg']:.1f} size={r['size']:.1f}"
            for r in logbook
        ) + tuple(run.rounds)
        if best is not None and self.simplify:
            evolved = best
            grace = None if budget.seconds is None else time.perf_counter() + SIMPLIFY_SHARE * budget.seconds
            best = simplify(best, task, library, deadline=grace, solved_only=True)
            if best is not evolved:
                trace += (f"simplified from size {evolved.size} to {best.size}: {format_expr(evolved, dsl=library.dsl)}",)
        return make_result(task, library, self.name, best, clock, trace)


class _Run:
    """One search: the toolbox, the population and DEAP's records."""

    def __init__(self, cfg: GeneticSearcher, library: Library, rng: random.Random,
                 evaluator: Evaluator, clock: Clock, subset: Subset | None = None) -> None:
        self.cfg, self.rng, self.evaluator, self.clock = cfg, rng, evaluator, clock
        self.library, self.subset = library, subset
        self.rounds: list[str] = []  # a line per subset grown (counterexamples.py)
        self.grammar = Grammar(library, evaluator.task_type, cfg.variable_boost)
        self.first = len(self.grammar.arg_types)  # the task's argument lambdas never vary
        self.max_size = cfg.max_size or size_limit(self.first)
        self.conditionals = Conditionals.of(library, self.grammar)
        tb = self.toolbox = base.Toolbox()
        tb.register("clone", clone)
        tb.register("mate", self.mate)
        tb.register("mutate", self.mutate)
        if cfg.selection == "tournament":
            tb.register("select", tools.selTournament, tournsize=cfg.tournament_size)
        else:
            lexicase = tools.selLexicase if cfg.selection == "lexicase" else tools.selAutomaticEpsilonLexicase
            tb.register("select", self.select_unique, lexicase)
        self.stats = tools.Statistics(key=lambda ind: ind.fitness.total)
        self.stats.register("min", min)
        self.stats.register("avg", lambda xs: sum(xs) / len(xs))
        self.sizes = tools.Statistics(key=lambda ind: ind.expr.size)
        self.sizes.register("size", lambda xs: sum(xs) / len(xs))
        self.logbook = tools.Logbook()
        self.logbook.header = ["gen", "nevals", "min", "avg", "size"]
        self.hof = tools.HallOfFame(1)

    def fits(self, tree: Typed) -> bool:
        return tree.expr.size <= self.max_size and tree.expr.depth <= self.cfg.max_depth

    def random_tree(self, depth: int, full: bool) -> Typed | None:
        for _ in range(10):
            tree = self.grammar.random_program(self.rng, depth, full)
            if tree is not None and self.fits(tree):
                return tree
        return None

    def init_population(self, n: int) -> list[GPIndividual]:
        """Ramped half-and-half, avoiding duplicates where a few retries allow."""
        lo, hi = self.cfg.init_depth
        seen: set[Expr] = set()
        pop: list[GPIndividual] = []
        for i in range(n * 5):
            if len(pop) == n or (self.clock.out_of_time() and pop):
                break
            tree = self.random_tree(lo + (i // 2) % (hi - lo + 1), full=i % 2 == 0)
            if tree is not None and (tree.expr not in seen or i >= n * 4):
                seen.add(tree.expr)
                pop.append(make_individual(tree))
        return pop

    def mate(self, a: GPIndividual, b: GPIndividual) -> tuple[GPIndividual, GPIndividual]:
        children = crossover(self.rng, a.tree, b.tree, self.first)
        if children is not None:  # over the limits: keep the parent (DEAP's staticLimit)
            for ind, child in zip((a, b), children):
                if self.fits(child):
                    ind.tree = child
                    del ind.fitness.values
        return a, b

    def mutate(self, a: GPIndividual) -> tuple[GPIndividual]:
        child, draw = None, self.rng.random()
        if draw < self.cfg.literal_mutation:
            child = mutate_literal(self.rng, a.tree, self.grammar.literal_types)
        elif self.conditionals is not None and draw < self.cfg.literal_mutation + self.cfg.conditional_mutation:
            child = mutate_conditional(self.rng, self.grammar, self.conditionals, a.tree, self.first)
        if child is None:
            child = mutate_subtree(self.rng, self.grammar, a.tree, self.first, self.cfg.mutation_depth)
        if child is not None and self.fits(child):
            a.tree = child
            del a.fitness.values
        return (a,)

    def select_unique(self, select: Callable, individuals: list[GPIndividual], k: int) -> list[GPIndividual]:
        """DEAP's lexicase over the distinct (for plain lexicase: non-dominated) error
        vectors (20-130 of 1,000 in bench_gp_rate), then an individual with the
        chosen vector. Unlike DEAP on the raw population, a vector's chance does not grow
        with its number of copies, which keeps duplicates from crowding the population."""
        groups: dict[tuple, list[GPIndividual]] = {}
        for ind in individuals:
            groups.setdefault(ind.fitness.errors, []).append(ind)
        if len(groups) == 1:
            return [self.rng.choice(individuals) for _ in range(k)]
        weights = individuals[0].fitness.weights
        reps = [ErrorGroup(LexicaseValues(errors, weights), members) for errors, members in groups.items()]
        if select is tools.selLexicase:
            reps = [reps[i] for i in nondominated([r.fitness.values for r in reps])]
        return [self.smaller_of_two(g.members) for g in select(reps, k)]

    def smaller_of_two(self, members: list[GPIndividual]) -> GPIndividual:
        """A random member, the smaller of two draws: equal errors, so prefer less bloat."""
        a, b = self.rng.choice(members), self.rng.choice(members)
        return a if a.expr.size <= b.expr.size else b

    def vary(self, pop: list[GPIndividual]) -> list[GPIndividual]:
        """DEAP's varAnd with our generator: crossover pairs, then mutate each."""
        tb, rng, cfg = self.toolbox, self.rng, self.cfg
        off = [tb.clone(ind) for ind in pop]
        for i in range(1, len(off), 2):
            if rng.random() < cfg.crossover_rate:
                off[i - 1], off[i] = tb.mate(off[i - 1], off[i])
        for i in range(len(off)):
            if rng.random() < cfg.mutation_rate:
                (off[i],) = tb.mutate(off[i])
        return off

    def evaluate(self, pop: list[GPIndividual]) -> tuple[list[GPIndividual], int]:
        """Assign fitness to the invalid ones; returns the scored individuals and evaluations."""
        before = self.clock.candidates
        invalid = [ind for ind in pop if not ind.fitness.valid]
        scores = self.evaluator.score_all([ind.expr for ind in invalid], self.clock)
        for ind, score in zip(invalid, scores):
            if score is not None:
                ind.fitness.set_score(score, ind.expr.size)
        return [ind for ind in pop if ind.fitness.valid], self.clock.candidates - before

    def record(self, gen: int, scored: list[GPIndividual], nevals: int) -> None:
        self.hof.update(scored)
        if scored:
            self.logbook.record(gen=gen, nevals=nevals, **self.stats.compile(scored), **self.sizes.compile(scored))
            if log.isEnabledFor(logging.DEBUG):
                log.debug("gp %s", self.logbook.stream)

    def solved(self) -> bool:
        return len(self.hof) > 0 and self.hof[0].fitness.total == 0

    def grow_subset(self, pop: list[GPIndividual], gen: int) -> bool:
        """The best fits the examples evolved on: with a subset, run it on every example;
        where it gets some wrong, add them and rescore the population (True), else False."""
        if self.subset is None:
            return False
        added, wrong = self.subset.grow(self.hof[0].expr, self.library)
        self.rounds.append(self.subset.describe(f"in generation {gen}", added, wrong))
        if not added:
            return False
        self.evaluator.close()
        self.evaluator = Evaluator(self.subset.task, self.library, self.cfg.jobs, executor=self.cfg.executor)
        pop.sort(key=lambda ind: ind.fitness.total)  # the best so far scored first, if the budget runs out
        for ind in pop:
            del ind.fitness.values
        self.hof.clear()
        scored, nevals = self.evaluate(pop)
        self.record(gen, scored, nevals)
        return True

    def run(self) -> tuple[Expr | None, tools.Logbook]:
        cfg, clock = self.cfg, self.clock
        pop = self.init_population(cfg.population)
        scored, nevals = self.evaluate(pop)
        self.record(0, scored, nevals)
        gen, stale = 0, 0
        while not clock.exhausted() and stale < cfg.stale_generations:
            if self.solved():  # on a subset: grow it (and check the budget again) or stop
                if not self.grow_subset(pop, gen):
                    break
                continue
            if cfg.generations is not None and gen >= cfg.generations:
                break
            gen += 1
            pop = self.vary(self.toolbox.select(pop, len(pop)))
            scored, nevals = self.evaluate(pop)
            stale = stale + 1 if nevals == 0 else 0
            if nevals == 0:  # converged: everything was seen before, so bring in new programs
                fresh = self.init_population(len(pop) // 2)
                pop[len(pop) - len(fresh):] = fresh
                scored, nevals = self.evaluate(pop)
            self.record(gen, scored, nevals)
        best = self.hof[0].expr if len(self.hof) else None
        if best is not None:
            log.info("gp: best %s (total error %s) after %d generations", format_expr(best),
                     self.hof[0].fitness.total, gen)
        return best, self.logbook
