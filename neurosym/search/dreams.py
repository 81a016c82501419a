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
from typing import Sequence

from neurosym.lang.ast import Expr, Lam, Lit, Prim, Var, apply, spine
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
from neurosym.search.bank import value_key
from neurosym.search.base import SEARCH_LIMITS
from neurosym.task import Example, Task

ROOT = "<root>"
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
        picked = self._pick(request, env, subst, whole=False, leaves_only=depth >= self.max_depth)
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

    def _pick(self, request: Type, env: tuple[Type, ...], subst: Substitution, whole: bool,
              leaves_only: bool = False) -> tuple[Expr, tuple[Type, ...]] | None:
        options: list[tuple[float, Expr, tuple[Type, ...], Substitution]] = []
        for i, t in enumerate(env):
            trial = dict(subst)
            try:
                unify(t, request, trial)
            except UnificationError:
                continue
            options.append((self.library.variable_log_weight, Var(i), (), trial))
        wanted = request.name if isinstance(request, TCon) else None
        for weight, expr, whole_type, names, params, ret in self.productions:
            if whole:
                if not params:
                    continue
                ret, params = whole_type, ()
            elif leaves_only and params:
                continue
            if wanted is not None and isinstance(ret, TCon) and ret.name != wanted:
                continue  # cannot unify: different type constructors
            ret, *params = self._fresh(names, ret, *params)
            trial = dict(subst)
            try:
                unify(ret, request, trial)
            except UnificationError:
                continue
            options.append((weight, expr, tuple(params), trial))
        if not options:
            return None
        best = max(o[0] for o in options)
        weights = [math.exp(o[0] - best) for o in options]
        _, head, params, trial = self.rng.choices(options, weights)[0]
        subst.clear()
        subst.update(trial)
        return head, params


def sample_program(library: Library, request: Type, rng: random.Random, max_depth: int = 4) -> Expr | None:
    """A program of type `request` drawn from the library's weights (None on a dead end)."""
    return _Sampler(library, rng, max_depth).term(request, (), 0, {}, top=True)


def dream_tasks(library: Library, templates: Sequence[Task], count: int, seed: int = 0,
                max_depth: int = 4, tries_per_dream: int = 20) -> list[tuple[Task, Expr]]:
    """Up to `count` (task, program) pairs: programs sampled at the types of `templates`
    and run on their inputs (inputs it fails on are dropped; programs that fail on more
    than half, answer the same on every input, and programs and tasks already dreamed,
    are discarded)."""
    rng = random.Random(seed)
    sampler = _Sampler(library, rng, max_depth)
    usable = [t for t in templates if not free_vars(t.type) and len(t.examples) >= 2]
    if not usable:
        return []
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
        runs = zip([ex.inputs for ex in template.examples], compiled.run_many([ex.inputs for ex in template.examples], checked=True))
        kept = [(i, r.value) for i, r in runs if r.status is Status.OK]
        if len(kept) < max(2, len(template.examples) // 2):
            continue
        inputs = [i for i, _ in kept]
        outputs = tuple(o for _, o in kept)
        keyed = _keyed(library, template.return_type, outputs)
        if keyed is None and all(same_value(o, outputs[0]) for o in outputs[1:]):
            continue
        if keyed is not None and all(k == keyed[0] for k in keyed[1:]):
            continue
        # hashes that never expand shared structure (a dream's output can be an n*n list of one row)
        key = (template.type, value_hash(tuple(inputs)), value_hash(outputs if keyed is None else keyed))
        if key in seen:
            continue
        seen.add(key)
        examples = tuple(Example(i, o) for i, o in zip(inputs, outputs))
        out.append((Task(f"dream-{len(out)}", template.type, examples), program))
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
