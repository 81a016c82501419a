"""The library's grammar as a distribution: sample programs ("dreams"), and split a
program into the production choices a recognition model is trained to predict.

A dream is a program sampled top-down from the library's production weights at a
task's type, run on that task's inputs; the outputs make a new task whose solution is
known. Failures, constant outputs and tasks equal to an earlier dream are discarded
(outputs compared under their type's equality key, where it has one). Any DSL works:
programs are sampled from the library's productions alone. DreamCoder trains its
recognition model on such fantasies as well as on real solutions.

A choice is `(parent, argument position, head)`: the production at the head of each
application spine, the production it is an argument of ("<root>" at the top) and its
position there. Lambdas are transparent; a bound variable is the head "$var".
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Any, Sequence

from neurosym.lang.ast import App, Expr, Lam, Lit, Prim, Var, apply, free_index_bound, spine
from neurosym.lang.compiler import Status, compile_program
from neurosym.lang.types import (
    FreshVars,
    Substitution,
    TCon,
    Type,
    UnificationError,
    free_vars,
    is_arrow,
    rename,
    resolve,
    split_arrow,
    unify,
)
from neurosym.lang.values import same_value, value_hash
from neurosym.library import Library
from neurosym.search.value_needs import value_key
from neurosym.search.base import SEARCH_LIMITS
from neurosym.task import Example, Task

ROOT = "<root>"
#: levels past max_depth a sample may take where no leaf has the type asked for
SPARE_DEPTH = 2
#: draws of a closed first-order part (no input in it) before giving up on the node
CLOSED_TRIES = 3
VARIABLE = "$var"


@dataclass(frozen=True)
class Choice:
    """One production choice of a program: `head` as argument `position` of `parent`."""

    parent: str
    position: int
    head: str


def production_choices(program: Expr, library: Library) -> list[Choice]:
    """The choices that build `program` (heads the library does not know are skipped)."""
    literal_names = {p.expr: p.name for p in library.productions if isinstance(p.expr, Lit)}
    known = set(library.names())
    out: list[Choice] = []
    stack: list[tuple[Expr, str, int]] = [(program, ROOT, 0)]
    while stack:
        e, parent, position = stack.pop()
        while isinstance(e, Lam):
            e = e.body
        head, args = spine(e)
        name: str | None = None
        if isinstance(head, Prim) and head.name in known:
            name = head.name
        elif isinstance(head, Lit):
            name = literal_names.get(head)
        elif isinstance(head, Var):
            name = VARIABLE
        elif isinstance(head, Lam):  # a beta-redex: its body is a spine of its own
            stack.append((head, parent, position))
        if name is not None:
            out.append(Choice(parent, position, name))
        for i, a in enumerate(args):
            stack.append((a, name or parent, i))
    return out


class _Sampler:
    def __init__(self, library: Library, rng: random.Random, max_depth: int) -> None:
        self.library, self.rng, self.max_depth = library, rng, max_depth
        self.fresh = FreshVars("d")
        # (weight, head, type, its variables, parameters, result) of every production
        self.productions = []
        for p in library.productions:
            params, ret = split_arrow(p.type)
            self.productions.append((p.log_weight, p.expr, p.type, sorted(free_vars(p.type)), params, ret))
        self._ground_cache: dict[tuple, list] = {}
        self._routines: Any = None  # compiled on first use

    def _fresh(self, names: list[str], *types: Type) -> list[Type]:
        if not names:
            return list(types)
        mapping = {n: self.fresh() for n in names}
        return [rename(t, mapping) for t in types]

    def term(self, request: Type, env: tuple[Type, ...], depth: int, subst: Substitution,
             top: bool = False) -> Expr | None:
        request = resolve(request, subst)
        if is_arrow(request):
            params, ret = split_arrow(request)
            if not top and self.rng.random() < 0.3:  # an eta-reduced production: `fold (+) 0 xs`
                whole = self._pick(request, env, subst, whole=True)
                if whole is not None:
                    return whole[0]
            body = self.term(ret, tuple(reversed(params)) + env, depth, subst)
            if body is None:
                return None
            for _ in params:
                body = Lam(body)
            return body
        saved = dict(subst)
        for _ in range(CLOSED_TRIES):
            expr = self._application(request, env, depth, subst)
            if expr is None or not isinstance(expr, App) or free_index_bound(expr) or self._runs(expr):
                return expr
            subst.clear()  # a closed part that fails (`head []`) fails every dream: draw it again
            subst.update(saved)
        return None

    def _application(self, request: Type, env: tuple[Type, ...], depth: int, subst: Substitution) -> Expr | None:
        picked = self._pick(request, env, subst, whole=False, leaves_only=depth >= self.max_depth)
        if picked is None and self.max_depth <= depth < self.max_depth + SPARE_DEPTH:
            picked = self._pick(request, env, subst, whole=False)  # no leaf of this type: one level more
        if picked is None:
            return None
        head, params = picked
        args: list[Expr | None] = [None] * len(params)
        # first-order arguments first: they fix the type variables that lambdas need
        for i in sorted(range(len(params)), key=lambda i: is_arrow(resolve(params[i], subst))):
            arg = self.term(params[i], env, depth + 1, subst)
            if arg is None:
                return None
            args[i] = arg
        return apply(head, *args)  # type: ignore[arg-type]

    def _runs(self, closed: Expr) -> bool:
        """Whether a closed first-order part evaluates without a fault."""
        if self._routines is None:
            self._routines = self.library.routine_values(SEARCH_LIMITS)
        return compile_program(closed, SEARCH_LIMITS, self._routines, self.library.dsl).run().status is Status.OK

    def _pick(self, request: Type, env: tuple[Type, ...], subst: Substitution, whole: bool,
              leaves_only: bool = False) -> tuple[Expr, tuple[Type, ...]] | None:
        """A head for `request`, drawn by weight among the variables and productions that
        fit it. Productions are fitted lazily where the request has type variables (draw,
        then rename and unify; on failure, draw again among the rest): the same
        distribution as fitting all first, without unifying ~150 productions per node."""
        options: list[tuple] = []
        for i, t in enumerate(env):
            trial = dict(subst)
            try:
                unify(t, request, trial)
            except UnificationError:
                continue
            options.append((self.library.variable_log_weight, Var(i), (), trial))
        if free_vars(request):
            options += self._candidates(request, whole, leaves_only)
        else:
            options += self._ground(request, whole, leaves_only)
        while options:
            best = max(o[0] for o in options)
            weights = [math.exp(o[0] - best) for o in options]
            k = self.rng.choices(range(len(options)), weights)[0]
            _, head, params, trial = options[k]
            if trial is None:  # fitted to a ground request: only its own variables are left
                leftover = sorted(set().union(*map(free_vars, params))) if params else []
                return head, tuple(self._fresh(leftover, *params))
            if isinstance(trial, tuple):  # not yet fitted: (its variables, result, parameters)
                names, ret, *params = trial
                ret, *params = self._fresh(names, ret, *params)
                trial = dict(subst)
                try:
                    unify(ret, request, trial)
                except UnificationError:
                    del options[k]
                    continue
            subst.clear()
            subst.update(trial)
            return head, tuple(params)
        return None

    def _ground(self, request: Type, whole: bool, leaves_only: bool) -> list:
        """The productions that fit a request without type variables, with their
        parameter types under that fit: the same for every node asking for the type, so
        computed once (sampling spends most of its time unifying otherwise)."""
        key = (request, whole, leaves_only)
        cached = self._ground_cache.get(key)
        if cached is None:
            cached = []
            for weight, expr, _, (_, ret, *params) in self._candidates(request, whole, leaves_only):
                trial: Substitution = {}
                try:
                    unify(ret, request, trial)
                except UnificationError:
                    continue
                cached.append((weight, expr, tuple(resolve(t, trial) for t in params), None))
            self._ground_cache[key] = cached
        return cached

    def _candidates(self, request: Type, whole: bool, leaves_only: bool) -> list:
        """(weight, head, (), (its variables, result type, *parameter types)) of the
        productions whose types may fit `request`, not yet renamed apart."""
        out = []
        for weight, expr, whole_type, names, params, ret in self.productions:
            if whole:
                if not params:
                    continue
                ret, params = whole_type, ()
            elif leaves_only and params:
                continue
            if _may_unify(ret, request):  # else: different type constructors somewhere
                out.append((weight, expr, (), (names, ret, *params)))
        return out


def _may_unify(a: Type, b: Type) -> bool:
    """False when `a` and `b` differ in a type constructor at some position (a cheap
    test before renaming and unifying, which most productions fail)."""
    if not isinstance(a, TCon) or not isinstance(b, TCon):
        return True
    if a.name != b.name or len(a.args) != len(b.args):
        return False
    return all(_may_unify(x, y) for x, y in zip(a.args, b.args))


def sample_program(library: Library, request: Type, rng: random.Random, max_depth: int = 4) -> Expr | None:
    """A program of type `request` drawn from the library's weights (None on a dead end)."""
    return _Sampler(library, rng, max_depth).term(request, (), 0, {}, top=True)


#: dreams per unit of work: units have seeds of their own, so that the dreams of a
#: seed are the same however many processes share the units
UNIT = 500
ROUNDS = 4


def dream_tasks(library: Library, templates: Sequence[Task], count: int, seed: int = 0,
                max_depth: int = 4, tries_per_dream: int = 40, executor: Any = None) -> list[tuple[Task, Expr]]:
    """Up to `count` (task, program) pairs: programs sampled at the types of `templates`
    and run on their inputs (inputs it fails on are dropped; programs that fail on more
    than half, answer the same on every input, and programs and tasks already dreamed,
    are discarded). Units of UNIT dreams run on `executor` (neurosym.search.executors)
    when one is given, else here; either way the same dreams for the same seed."""
    usable = tuple(t for t in templates if not free_vars(t.type) and len(t.examples) >= 2)
    if not usable or count <= 0:
        return []
    seen: set = set()
    out: list[tuple[Task, Expr]] = []
    shared, first = None, 0
    for _ in range(ROUNDS):  # units dream the common programs alike: rounds of more units make up for it
        missing = count - len(out)
        if missing <= 0:
            break
        units = [(k, seed if k == 0 else seed * 7919 + k, min(UNIT, missing))
                 for k in range(first, first - (-missing // UNIT))]
        first += len(units)
        if executor is None or len(units) == 1:
            chunks = [_dream_unit(library, usable, unit, max_depth, tries_per_dream) for unit in units]
        else:
            shared = shared or executor.share((library, usable, max_depth, tries_per_dream))
            chunks = [c for c in executor.map(_dream_in_worker, units, shared) if isinstance(c, list)]
        for task, program in (pair for chunk in chunks for pair in chunk):
            key = _task_key(library, task)  # dreamed by another unit too: dropped
            if program not in seen and key not in seen:
                seen.update((program, key))
                out.append((task, program))
    return out[:count]


def _dream_in_worker(shared: tuple, unit: tuple[int, int, int]) -> list[tuple[Task, Expr]]:
    library, usable, max_depth, tries = shared
    return _dream_unit(library, usable, unit, max_depth, tries)


def _task_key(library: Library, task: Task) -> tuple:
    # hashes that never expand shared structure (a dream's output can be an n*n list of one row)
    outputs = tuple(ex.output for ex in task.examples)
    keyed = _keyed(library, task.return_type, outputs)
    return (task.type, value_hash(tuple(ex.inputs for ex in task.examples)),
            value_hash(outputs if keyed is None else keyed))


def _dream_unit(library: Library, usable: Sequence[Task], unit: tuple[int, int, int], max_depth: int,
                tries_per_dream: int) -> list[tuple[Task, Expr]]:
    """One unit's dreams: (index, seed, count) -> tasks named dream-INDEX-K."""
    index, seed, count = unit
    rng = random.Random(seed)
    sampler = _Sampler(library, rng, max_depth)
    routines = library.routine_values(SEARCH_LIMITS)
    seen: set = set()
    out: list[tuple[Task, Expr]] = []
    for _ in range(count * tries_per_dream):
        if len(out) >= count:
            break
        template = rng.choice(usable)
        program = sampler.term(template.type, (), 0, {}, top=True)
        if program is None or program in seen:
            continue
        seen.add(program)
        compiled = compile_program(program, SEARCH_LIMITS, routines, library.dsl)
        inputs = [ex.inputs for ex in template.examples]
        kept = [(i, r.value) for i, r in zip(inputs, compiled.run_many(inputs, checked=True)) if r.status is Status.OK]
        if len(kept) < max(2, len(template.examples) // 2):
            continue
        outputs = tuple(o for _, o in kept)
        keyed = _keyed(library, template.return_type, outputs)
        if keyed is None and all(same_value(o, outputs[0]) for o in outputs[1:]):
            continue
        if keyed is not None and all(k == keyed[0] for k in keyed[1:]):
            continue
        task = Task(f"dream-{index}-{len(out)}", template.type, tuple(Example(i, o) for i, o in kept))
        key = _task_key(library, task)
        if key in seen:
            continue
        seen.add(key)
        out.append((task, program))
    return out


def _keyed(library: Library, t: Type, outputs: tuple) -> tuple | None:
    """`outputs` under the equality key of their type, None for a type without one."""
    key = value_key(library.dsl, t)
    if key is None:
        return None
    try:
        return tuple(key(o) for o in outputs)
    except Exception:  # a value the key cannot read: compare the values themselves
        return None
