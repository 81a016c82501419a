"""One bottom-up enumeration over one task: the engine EnumerativeSearcher runs.

Terms are built by increasing cost from already-evaluated sub-terms (one primitive call
per example), kept per cost and type in banks (bank.py), and dropped when they compute
what a cheaper term does on every example; lambda bodies are enumerated in child
contexts. The run stops at the first term whose values are the task's outputs (or, with
contextual costs, once every program cheaper than a found solution was seen), or when
the budget or the memory limit is reached. A term whose values are the outputs is run
whole on the examples before it is taken: a column's values are computed primitive by
primitive, each call within the step budget, where a whole run shares one budget among
all its calls (`map (\\y -> length (range y)) x` on long lists of large numbers), so the
two can disagree; one that fails whole is dropped, and terms with its values are still
looked at.
"""

from __future__ import annotations

import functools
import itertools
import math
import time
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from neurosym.lang.ast import Expr, Lam, Lit, Var, apply
from neurosym.lang.compiler import compile_closure, compile_program, environment
from neurosym.lang.primitives import Runtime, runtime_for
from neurosym.lang.types import (
    ARROW,
    TCon,
    TVar,
    Type,
    UnificationError,
    free_vars,
    is_arrow,
    resolve,
    split_arrow,
    unify,
)
from neurosym.library import Library
from neurosym.search.column_apply import apply_lazy, apply_strict, column_hook, uncurried
from neurosym.search.constant_hints import DEFAULT_CONSTANTS, constants_by_need
from neurosym.search.costs import contextual_costs, production_costs
from neurosym.search.bank import FAULT, Context, LambdaEntry, literal_types
from neurosym.search.memory import resident_mb
from neurosym.search.value_needs import TypeNeeds
from neurosym.search.dreams import ROOT, VARIABLE, production_choices
from neurosym.search.base import SEARCH_LIMITS, Budget, Clock
from neurosym.task import Task


class _Stop(Exception):
    """Unwinds the enumeration: a solution was found or the budget ran out."""

    def __init__(self, solution: Expr | None = None) -> None:
        self.solution = solution


@dataclass(frozen=True)
class _Production:
    name: str
    expr: Expr
    params: tuple[Type, ...]
    result: Type
    cost: int
    order: tuple[int, ...]  # parameters in the order to choose them: first-order ones first
    fn: Callable[..., Any] | None
    commutative: bool = False  # its two arguments commute: only one order is enumerated
    compute: Callable[[Callable[..., Any], list[tuple]], tuple] | None = None  # None: strict, per instance


def _ground(t: Type) -> Type:
    """Task type variables become opaque constants, so every enumerated type is ground."""
    if isinstance(t, TVar):
        return TCon(f"'{t.name}")
    return TCon(t.name, tuple(_ground(a) for a in t.args)) if t.args else t


def _components(t: Type, out: set[Type]) -> None:
    if isinstance(t, TCon) and t.name != ARROW:
        out.add(t)
    for a in getattr(t, "args", ()):
        _components(a, out)


class EnumerationRun:
    """One enumeration over one task. `accept`, when given, decides which values of a
    top-level term solve it (a sketch's predicate, whose task has no outputs of its own).
    `holds`, when given, must also hold of a solution's program (a split's function is
    taken only where the program it makes solves the whole task, deduction.py)."""

    def __init__(self, task: Task, library: Library, budget: Budget,
                 contextual: Mapping[tuple[str, int], Mapping[str, float]] | None = None,
                 proportional: int | None = None, max_memory_mb: int | None = None, constants: str = DEFAULT_CONSTANTS,
                 accept: Callable[[tuple], bool] | None = None, holds: Callable[[Expr], bool] | None = None
                 ) -> None:
        self.clock = Clock(budget)
        self.candidate_limit = budget.candidates if budget.candidates is not None else float("inf")
        self.memory_limit_mb = math.inf if max_memory_mb is None else resident_mb() + max_memory_mb
        self.out_of_memory = False
        #: terms whose values were the outputs but that failed run whole (see the docstring)
        self.failed_whole = 0
        self.task = task
        self.holds = holds
        self.dsl = library.dsl
        self.library = library
        self.rt: Runtime = runtime_for(SEARCH_LIMITS, library.dsl)
        self.routines = library.routine_values(SEARCH_LIMITS)
        self.routine_functions = library.routine_functions(SEARCH_LIMITS)
        arg_types, ret = split_arrow(_ground(task.type))
        self.n_args = len(arg_types)
        self.target_type = ret
        self.expected = tuple(ex.output for ex in task.examples)
        #: a test of a top-level term's values in place of equality with `expected` (sketches.py)
        self.accept = accept
        instances = [environment(ex.inputs) for ex in task.examples]
        self.top = Context(tuple(reversed(arg_types)), instances, dsl=self.dsl)
        self.needs = TypeNeeds(self.dsl)
        self.types: dict[Type, Type] = {}  # each result type as one object (see _emit)
        target = self.needs[ret]
        if target is not None and target[1] is not None:  # solutions are judged under the key
            self.expected = target[1](self.expected)
        costs, self.var_cost = production_costs(library, proportional)
        self.costs: dict[str, int] = costs  # the final ones, set below
        #: (parent, position) -> head -> extra cost units of that head there (contextual mode)
        self.deltas: dict[tuple[str, int], dict[str, int]] = {}
        if contextual:
            costs, self.var_cost, self.deltas = contextual_costs(contextual, set(costs) | {VARIABLE})
        if constants == "by-need":
            costs = constants_by_need(costs, library, task, unit=proportional or 1)
        self.costs = costs
        ground = literal_types(library)  # int for the base library
        _components(_ground(task.type), ground)
        self.leaves: dict[int, list[tuple[Expr, Type, str]]] = {}
        self.function_leaves: dict[int, list[tuple[Expr, Type, str]]] = {}
        self._leaf_entries: dict[tuple[int, str], LambdaEntry] = {}
        self.productions: list[_Production] = []
        for p in library.productions:
            self._add_production(p.name, p.expr, p.type, costs[p.name], ground)
        #: contextual mode: the extra units of each head as the program's root
        self.root_deltas: dict[str, int] = self.deltas.get((ROOT, 0), {})
        #: a solution whose head costs more at the root: (its cost, the term)
        self.pending: tuple[int, Expr] | None = None
        self.best_partial: Expr | None = None
        self.best_matches = -1
        #: the clock is read at every candidate (50 ns, against microseconds per candidate
        #: on small examples and milliseconds on lists of 10,000), so the budget holds
        #: within one candidate's time whatever the examples
        self.deadline = self.clock.deadline if self.clock.deadline is not None else math.inf

    def _add_production(self, name: str, expr: Expr, type_: Type, cost: int, ground: set[Type]) -> None:
        params, result = split_arrow(type_)
        if not params:  # a literal or a nullary primitive, at every ground type it may take
            for t in _instantiations(type_, ground):
                self.leaves.setdefault(cost, []).append((expr, t, name))
            return
        record = self.dsl.get_primitive(name) if name in self.rt.impls else None
        if record is not None:
            fn = self.rt.impls[name][1]
        elif name in self.routine_functions:
            fn = self.routine_functions[name].fn
        else:  # a neural routine's stand-in
            fn = uncurried(self.routines[name], len(params))
        # the production itself as a function value (`fold (+) 0 xs`), types renamed apart
        renamed = resolve(type_, {v: TVar(f"{name}#{v}") for v in free_vars(type_)})
        self.function_leaves.setdefault(cost, []).append((expr, renamed, name))
        order = tuple(sorted(range(len(params)), key=lambda i: is_arrow(params[i])))
        compute = None
        if record is not None and record.lazy:
            compute = (column_hook(record.columns) if record.columns is not None
                       else apply_lazy(self.rt.thunked[name], record.lazy))
        self.productions.append(_Production(name, expr, params, result, cost, order, fn,
                                            record is not None and record.commutative, compute))

    def cost_of(self, program: Expr) -> int:
        """What enumeration charges for `program`: its productions' costs, each with its
        contextual extra where it stands (lambdas are free, a variable costs var_cost)."""
        return sum((self.var_cost if c.head == VARIABLE else self.costs.get(c.head, 0))
                   + self.deltas.get((c.parent, c.position), {}).get(c.head, 0)
                   for c in production_choices(program, self.library))

    def close(self) -> None:
        """Free the bank now (see Context.dismantle): the collector is paused meanwhile."""
        for entry in self._leaf_entries.values():
            entry.release()
        self._leaf_entries = {}
        self.top.dismantle()

    # -- the main loop -------------------------------------------------------------------
    def run(self, max_cost: int) -> Expr | None:
        try:
            for cost in range(1, max_cost + 1):
                if self.pending is not None and self.pending[0] <= cost:
                    break  # every program cheaper than the pending solution was seen
                self.fill_to(self.top, cost)
        except _Stop as stop:
            if stop.solution is not None:
                return self._wrap(stop.solution)
        return self._wrap(self.pending[1]) if self.pending is not None else None

    def _holds_whole(self, term: Expr) -> bool:
        """Whether the program of top-level `term` gets every example right run whole (and
        `holds` of it)."""
        program = self._wrap(term)
        compiled = compile_program(program, SEARCH_LIMITS, self.routines, self.dsl)
        return (len(self.task.passing(compiled)) == len(self.task.examples)
                and (self.holds is None or self.holds(program)))

    def _wrap(self, term: Expr) -> Expr:
        for _ in range(self.n_args):
            term = Lam(term)
        return term

    def fill_to(self, ctx: Context, cost: int) -> None:
        while ctx.filled < cost:
            self._fill(ctx, ctx.filled + 1)

    def _fill(self, ctx: Context, cost: int) -> None:
        level: dict[Type, list[tuple[Expr, tuple]]] = {}
        ctx.levels.append(level)
        ctx.heads.append({})
        n = len(ctx.instances)
        if cost == self.var_cost:
            for i, t in enumerate(ctx.var_types):
                self._add(ctx, level, t, ctx.variable_values(i), lambda i=i: Var(i), VARIABLE, *self._kind(ctx, t))
        for expr, t, name in self.leaves.get(cost, ()):
            value = expr.value if isinstance(expr, Lit) else self.rt.impls[expr.name][1]  # type: ignore[union-attr]
            self._add(ctx, level, t, (value,) * n, lambda expr=expr: expr, name, *self._kind(ctx, t))
        for prod in self.productions:
            rest = cost - prod.cost
            k = len(prod.params)
            if rest < k:
                continue
            for parts in _compositions(rest, k):
                if prod.commutative and parts[0] > parts[1]:
                    continue  # `b + a` computes what `a + b` does
                self._choose(ctx, level, prod, parts, 0, {}, [None] * k)

    def _choose(self, ctx: Context, level: dict, prod: _Production, parts: tuple[int, ...], idx: int,
                subst: dict, groups: list) -> None:
        """Pick, parameter by parameter, a type-compatible group of argument terms."""
        if idx == len(prod.order):
            result = resolve(prod.result, subst)
            if not free_vars(result):
                self._emit(ctx, level, prod, groups, result)
            return
        pos = prod.order[idx]
        cost = parts[pos]
        wanted = resolve(prod.params[pos], subst)
        options: list[tuple[Type, Type, tuple[bool, list]]] = []  # (to unify, with, group)
        if is_arrow(wanted):
            inputs, output = split_arrow(wanted)
            if any(free_vars(t) for t in inputs):
                return
            deltas = self.deltas.get((prod.name, pos)) if self.deltas else None
            if deltas:
                options = self._contextual_functions(ctx, wanted, inputs, output, cost, deltas)
            else:
                for leaf_term, leaf_type, _ in self.function_leaves.get(cost, ()):
                    options.append((wanted, leaf_type, (True, [self._function_leaf(ctx, leaf_term)])))
                child = ctx.child(tuple(inputs))
                if child.instances:
                    self.fill_to(child, cost)
                    for body_type, lambdas in child.lambdas(len(inputs), cost).items():
                        options.append((output, body_type, (True, lambdas)))
        elif self.deltas and (prod.name, pos) in self.deltas:
            options = self._contextual_options(ctx, wanted, cost, self.deltas[(prod.name, pos)])
        elif cost < len(ctx.levels):
            for t, entries in ctx.levels[cost].items():
                options.append((wanted, t, (False, entries)))
        for left, right, group in options:
            trial = dict(subst)
            try:
                unify(left, right, trial)
            except UnificationError:
                continue
            groups[pos] = group
            self._choose(ctx, level, prod, parts, idx + 1, trial, groups)

    @staticmethod
    def _contextual_options(ctx: Context, wanted: Type, cost: int, deltas: dict[str, int]) -> list:
        """Argument groups costing `cost` here: a term of head h stored at level L costs
        L + deltas[h] in this position (deltas are never negative: levels hold each
        term at its cheapest cost anywhere)."""
        options = []
        for lvl in range(max(1, cost - max(deltas.values())), min(cost, ctx.filled) + 1):
            for t, by_head in ctx.heads[lvl].items():
                for head, entries in by_head.items():
                    if lvl + deltas.get(head, 0) == cost:
                        options.append((wanted, t, (False, entries)))
        return options

    def _contextual_functions(self, ctx: Context, wanted: Type, inputs: list[Type], output: Type, cost: int,
                              deltas: dict[str, int]) -> list:
        """Function arguments costing `cost` here: a production used as a function value
        (`fold (+)`), or a lambda whose body's head is h and costs L in the child context,
        costs its own cost + deltas[h] (the head of a lambda's body is chosen where the
        lambda is used: `filter`'s predicate, `map`'s function)."""
        options: list = []
        low = max(1, cost - max(deltas.values()))
        for lvl in range(low, cost + 1):
            for leaf_term, leaf_type, name in self.function_leaves.get(lvl, ()):
                if lvl + deltas.get(name, 0) == cost:
                    options.append((wanted, leaf_type, (True, [self._function_leaf(ctx, leaf_term)])))
        child = ctx.child(tuple(inputs))
        if child.instances:
            self.fill_to(child, cost)
            for lvl in range(low, cost + 1):
                for body_type, by_head in child.lambdas_by_head(len(inputs), lvl).items():
                    entries = [e for head, group in by_head.items() if lvl + deltas.get(head, 0) == cost
                               for e in group]
                    if entries:
                        options.append((output, body_type, (True, entries)))
        return options

    def _emit(self, ctx: Context, level: dict, prod: _Production, groups: list, result: Type) -> None:
        """Evaluate every combination of the chosen groups' terms."""
        options = []
        parent = ctx.instances
        n = len(parent)
        for is_lambda, entries in groups:
            if is_lambda:
                options.append([e.option(self._compile, parent) for e in entries])
            else:
                options.append(entries)
        compute = prod.compute or apply_strict
        fn, rt, limit = prod.fn, self.rt, SEARCH_LIMITS.steps
        result = self.types.setdefault(result, result)  # one object per type: cheaper set and dict probes
        needs, top = self._kind(ctx, result)  # once here, not per candidate
        if prod.commutative and options[0] is options[1]:
            combos: Any = itertools.combinations_with_replacement(options[0], 2)
        else:
            combos = itertools.product(*options)
        strict = compute is apply_strict
        clean = strict and not any(e[2] for entries in options for e in entries)  # no faults: no check per combo
        for combo in combos:
            rt.steps = limit
            if clean or (strict and not any(c[2] for c in combo)):
                try:  # no argument faulted anywhere: loop in C
                    values = tuple(map(fn, *[c[1] for c in combo]))
                except Exception:
                    values = apply_strict(fn, [c[1] for c in combo])
                if len(values) != n:  # user code raised StopIteration, which ends `map` silently
                    values = apply_strict(fn, [c[1] for c in combo])
            else:
                values = compute(fn, [c[1] for c in combo])
            self._add(ctx, level, result, values, lambda combo=combo: apply(prod.expr, *[c[0] for c in combo]),
                      prod.name, needs, top)

    def _function_leaf(self, ctx: Context, term: Expr) -> LambdaEntry:
        key = (id(ctx), term.name)  # type: ignore[union-attr]
        entry = self._leaf_entries.get(key)
        if entry is None:
            entry = self._leaf_entries[key] = LambdaEntry(term)
        return entry

    def _compile(self, term: Expr) -> Callable[[Any], Any]:
        return compile_closure(term, SEARCH_LIMITS, self.routines, self.dsl, self.routine_functions)

    def _kind(self, ctx: Context, t: Type) -> tuple[Any, bool]:
        """What `_add` needs of a type: its value needs (None for plain types) and whether
        a term of it in `ctx` is a candidate solution."""
        return self.needs[t], ctx is self.top and t == self.target_type

    def _add(self, ctx: Context, level: dict, t: Type, values: tuple, build: Callable[[], Expr], head: str,
             needs: Any, top: bool) -> None:
        clock = self.clock
        clock.candidates += 1
        if clock.candidates >= self.candidate_limit or time.perf_counter() >= self.deadline:
            raise _Stop()
        if not clock.candidates & 4095 and resident_mb() > self.memory_limit_mb:  # read every 4,096
            self.out_of_memory = True
            raise _Stop()
        if values[0] is FAULT and values.count(FAULT) == len(values):
            return
        compared = values  # what equivalence and the solution check look at
        if needs is not None:
            sizer, key = needs
            if sizer is not None:
                values = compared = sizer(values)
            if key is not None:
                compared = key(values)
        seen = ctx.seen
        size = len(seen)
        seen.add((t, compared))  # hashing the values once: tuples do not cache their hash
        if len(seen) == size:
            return
        term = build()
        if top and (compared == self.expected if self.accept is None else self.accept(compared)):
            if self.accept is None and not self._holds_whole(term):
                self.failed_whole += 1
                seen.discard((t, compared))
                return
            extra = self.root_deltas.get(head, 0)
            if not extra:
                raise _Stop(term)
            # a head dearer at the root: a solution of cost L + extra, taken once every
            # cheaper program was seen; not kept, so that other solutions (the same
            # values, other heads) are still looked at
            if self.pending is None or ctx.filled + extra < self.pending[0]:
                self.pending = (ctx.filled + extra, term)
            seen.discard((t, compared))
            return
        entry = (term, values, FAULT in values)
        level.setdefault(t, []).append(entry)
        if self.deltas:
            ctx.heads[-1].setdefault(t, {}).setdefault(head, []).append(entry)
        if top:
            matches = sum(1 for v, e in zip(compared, self.expected) if v == e)
            if matches > self.best_matches:
                self.best_matches, self.best_partial = matches, self._wrap(term)


@functools.lru_cache(maxsize=None)
def _compositions(total: int, parts: int) -> list[tuple[int, ...]]:
    """Ways to write `total` as an ordered sum of `parts` positive integers."""
    if parts == 1:
        return [(total,)]
    return [(first,) + rest for first in range(1, total - parts + 2) for rest in _compositions(total - first, parts - 1)]


def _instantiations(t: Type, ground: set[Type]) -> list[Type]:
    names = sorted(free_vars(t))
    if not names:
        return [t]
    return [resolve(t, dict(zip(names, combo))) for combo in itertools.product(sorted(ground, key=str), repeat=len(names))]
