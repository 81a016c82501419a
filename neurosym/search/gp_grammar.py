"""Type-directed random programs for genetic programming: ramped half-and-half
generation of well-typed terms, recording every node's type and context.

A `Typed` tree is an `Expr` plus, for every node in preorder, its ground type and the
types of the lambda variables in scope (de Bruijn order). Generation records these as it
goes, so no individual is ever re-inferred (gp_ops splices them under crossover and
mutation). Type variables a program leaves free are grounded to the library's first
literal's type (int for the base library: HM typings are closed under substitution);
the task type's own variables are rigid constants, so programs are as general as the
task type. Only
"points" are annotated: nodes other than the function part of an application; a partial
application `fold f z` or a head `fold` in function position is `NO_POINT`, as in DEAP,
where a primitive with its arguments is one node.
"""

from __future__ import annotations

import math
import random
from typing import NamedTuple

from neurosym.lang.ast import App, Expr, Lam, Lit, Var
from neurosym.lang.types import (
    ARROW,
    Substitution,
    TCon,
    TVar,
    Type,
    free_vars,
    is_arrow,
    resolve,
    split_arrow,
)
from neurosym.library import Library

Ann = tuple[tuple, ...]  # (type, context) per node in preorder, or NO_POINT
NO_POINT: tuple = (None, None)


class Typed(NamedTuple):
    """A program with per-node (type, context) annotations in preorder."""

    expr: Expr
    ann: Ann


class _Prod(NamedTuple):
    index: int
    expr: Expr
    type: Type
    args: tuple[Type, ...]
    ret: Type
    weight: float
    tvars: tuple[str, ...]  # the type's variables, sorted (instantiated per use)
    ret_is_var: bool


class _Inst(NamedTuple):
    """One instantiation of a production's type, split into arguments and result."""

    type: Type
    args: tuple[Type, ...]
    ret: Type


class _GiveUp(Exception):
    """Generation took too many attempts; the caller starts over."""


_EMPTY: list = []


def rigid(t: Type) -> Type:
    """Turn type variables into constants so generation cannot specialise them."""
    return resolve(t, {v: TCon("'" + v) for v in free_vars(t)})


def _ground(t: Type, subst: Substitution, default: Type) -> Type:
    """Resolve fully and set every remaining variable to `default` (same object when unchanged)."""
    if isinstance(t, TVar):
        bound = subst.get(t.name)
        return default if bound is None else _ground(bound, subst, default)
    if not t.args:
        return t
    args = tuple(_ground(a, subst, default) for a in t.args)
    return t if all(x is y for x, y in zip(args, t.args)) else TCon(t.name, args)


def _walk(t: Type, subst: Substitution) -> Type:
    while isinstance(t, TVar) and t.name in subst:
        t = subst[t.name]
    return t


def _occurs(name: str, t: Type, subst: Substitution) -> bool:
    t = _walk(t, subst)
    return t.name == name if isinstance(t, TVar) else any(_occurs(name, a, subst) for a in t.args)


def _unify(a: Type, b: Type, subst: Substitution, trail: list[str]) -> bool:
    """`types.unify` without exceptions or messages (failures are common in generation);
    bindings are recorded on `trail` so that the caller can undo them."""
    stack = [(a, b)]
    while stack:
        x, y = stack.pop()
        while type(x) is TVar and x.name in subst:
            x = subst[x.name]
        while type(y) is TVar and y.name in subst:
            y = subst[y.name]
        if x is y:
            continue
        if isinstance(x, TVar):
            if isinstance(y, TVar) and y.name == x.name:
                continue
            if _occurs(x.name, y, subst):
                return False
            subst[x.name] = y
            trail.append(x.name)
        elif isinstance(y, TVar):
            stack.append((y, x))
        elif x.name != y.name or len(x.args) != len(y.args):
            return False
        else:
            stack.extend(zip(x.args, y.args))
    return True


def _min_depths(prods: list[_Prod], type_names: tuple[str, ...]) -> list[int]:
    """Levels each production needs at least (a fixpoint over result constructors, with
    variables counted as leaves), so that generation never walks into dead ends."""
    best: dict[str, float] = {}
    need = [math.inf] * len(prods)

    def cost(t: Type) -> float:
        t = split_arrow(t)[1]  # a lambda costs no level
        return 1 if isinstance(t, TVar) else best.get(t.name, math.inf)

    changed = True
    while changed:
        changed = False
        for p in prods:
            c = 1 + max((cost(a) for a in p.args), default=0)
            if c < need[p.index]:
                need[p.index], changed = c, True
                heads = [p.ret.name] if isinstance(p.ret, TCon) else list(best) + list(type_names)
                for h in heads:
                    best[h] = min(best.get(h, math.inf), c)
    return [int(n) if n != math.inf else 10**6 for n in need]


def _pick(rng: random.Random, items: list, weights: list[float]) -> int:
    r = rng.random() * sum(weights)
    for i, w in enumerate(weights):
        r -= w
        if r < 0:
            return i
    return len(items) - 1


class Grammar:
    """The library's productions indexed by result-type constructor, for one task type.

    Choices are weighted by exp(log_weight); bound variables get `variable_boost` times
    the library's variable weight, since a GP leaf drawn uniformly among ~10 literals and
    productions would seldom read the inputs.
    """

    def __init__(self, library: Library, task_type: Type, variable_boost: float = 4.0,
                 max_attempts: int = 300) -> None:
        self.task_type = rigid(task_type)
        self.arg_types, self.ret_type = split_arrow(self.task_type)
        self.var_weight = variable_boost * math.exp(library.variable_log_weight)
        self.lambda_weight = 1.0
        self.max_attempts = max_attempts
        self.terminals: dict[str | None, list[_Prod]] = {}
        self.nonterminals: dict[str | None, list[_Prod]] = {}
        prods = []
        literals = [p for p in library.productions if isinstance(p.expr, Lit) and not free_vars(p.type)]
        self.default = literals[0].type if literals else TCon("'_")  # what free type variables become
        self.literal_types = frozenset(p.type for p in literals if type(p.expr.value) in (int, float))  # numeric
        for i, p in enumerate(library.productions):
            args, ret = split_arrow(p.type)
            prods.append(_Prod(i, p.expr, p.type, args, ret, math.exp(p.log_weight),
                               tuple(sorted(free_vars(p.type))), isinstance(ret, TVar)))
        heads = sorted({p.ret.name for p in prods if isinstance(p.ret, TCon)})
        for head in heads + [None]:  # head None: a type variable is wanted; anything non-arrow fits
            fits = [p for p in prods if not is_arrow(p.ret) and
                    (head is None or p.ret_is_var or p.ret.name == head)]  # type: ignore[union-attr]
            self.terminals[head] = [p for p in fits if not p.args]
            self.nonterminals[head] = [p for p in fits if p.args]
        self.var_result = [p for p in prods if p.args and p.ret_is_var]
        self.whole_by_arity: dict[int, list[_Prod]] = {}  # usable unapplied at an arrow type
        for p in filter(lambda p: p.args, prods):
            self.whole_by_arity.setdefault(len(p.args), []).append(p)
        self.weights_of = {id(ps): [p.weight for p in ps] for ps in [  # candidate lists -> weights
            *self.terminals.values(), *self.nonterminals.values(), *self.whole_by_arity.values(),
            self.var_result, _EMPTY]}
        self._insts: list[list[_Inst]] = [[] for _ in prods]
        self.min_depth = _min_depths(prods, library.dsl.type_names)
        self._within: dict[tuple[int, int], tuple[list[_Prod], list[float]]] = {}
        # ground types and contexts, interned so that annotations compare by identity;
        # `known` maps the id of every interned object to it (and keeps it alive)
        self.interned: dict = {}
        self.known: dict[int, object] = {}

    def intern(self, x: object) -> object:
        x = self.interned.setdefault(x, x)
        self.known[id(x)] = x
        return x

    def within(self, prods: list[_Prod], hard: int) -> tuple[list[_Prod], list[float]]:
        """The productions of `prods` that can be completed in `hard` levels, and weights."""
        key = (id(prods), hard)
        if key not in self._within:
            fit = [p for p in prods if self.min_depth[p.index] <= hard]
            self._within[key] = (fit, [p.weight for p in fit])
        return self._within[key]

    def inst(self, p: _Prod, k: int) -> _Inst:
        """The k-th instantiation of `p` (its own type variables), built once and reused:
        a generation run uses copy k for the k-th use of `p`, so that type objects, not
        only names, are shared across runs."""
        copies = self._insts[p.index]
        if not p.tvars:
            k = 0
        while len(copies) <= k:
            n = len(copies)
            t = resolve(p.type, {v: TVar(f"_{p.index}.{n}.{v}") for v in p.tvars}) if p.tvars else p.type
            copies.append(_Inst(t, *split_arrow(t)))
        return copies[k]

    def random_program(self, rng: random.Random, depth: int, full: bool) -> Typed | None:
        """A random closed program `\\x1 .. xn -> body` of the task type, or None."""
        n = len(self.arg_types)
        ctx = tuple(reversed(self.arg_types))
        sub = self.random_subtree(rng, self.ret_type, ctx, depth, full)
        if sub is None:
            return None
        expr, ann = sub.expr, list(sub.ann)
        head: list = []
        t = self.ret_type
        for i in range(n - 1, -1, -1):
            expr = Lam(expr)
            t = TCon(ARROW, (self.arg_types[i], t))
            head.append((t, ctx[n - i:]))
        head.reverse()
        return Typed(expr, tuple(head + ann))

    def random_subtree(self, rng: random.Random, t: Type, ctx: tuple[Type, ...], depth: int,
                       full: bool = False, hard: int | None = None) -> Typed | None:
        """A random term of ground type `t` in context `ctx` (None if none could be built)."""
        for _ in range(3):
            b = _Builder(self, rng)
            try:
                expr = b.gen(t, ctx, depth, full, hard if hard is not None else depth + 3)
            except _GiveUp:
                continue
            if expr is not None:
                return Typed(expr, b.finish())
        return None


class _Builder:
    """One generation run: a substitution (undone through a trail), fresh variables and
    the annotations so far."""

    def __init__(self, grammar: Grammar, rng: random.Random) -> None:
        self.g, self.rng = grammar, rng
        self.subst: Substitution = {}
        self.trail: list[str] = []
        self.ann: list[tuple[Type, tuple[Type, ...]]] = []
        self.uses: dict[int, int] = {}
        self.attempts = 0

    def fresh(self, p: _Prod) -> _Inst:
        k = self.uses.get(p.index, 0)
        self.uses[p.index] = k + 1
        return self.g.inst(p, k)

    def finish(self) -> Ann:
        # id -> ground form, for objects alive throughout (annotations, interned objects)
        subst, known, memo, intern, default = self.subst, self.g.known, {}, self.g.intern, self.g.default

        def ground(t: Type) -> Type:
            g = known.get(id(t)) or memo.get(id(t))
            if g is None:
                g = memo[id(t)] = intern(_ground(t, subst, default))
            return g  # type: ignore[return-value]

        out = []
        for t, ctx in self.ann:
            if t is None:
                out.append(NO_POINT)
                continue
            c = known.get(id(ctx)) or memo.get(id(ctx))
            if c is None:
                c = memo[id(ctx)] = intern(tuple([ground(x) for x in ctx]))
            out.append((ground(t), c))
        return tuple(out)

    def undo(self, trail_mark: int, ann_mark: int) -> None:
        trail, subst = self.trail, self.subst
        while len(trail) > trail_mark:
            del subst[trail.pop()]
        del self.ann[ann_mark:]

    def try_unify(self, a: Type, b: Type) -> bool:
        mark = len(self.trail)
        if _unify(a, b, self.subst, self.trail):
            return True
        self.undo(mark, len(self.ann))
        return False

    def gen(self, t: Type, ctx: tuple[Type, ...], depth: int, full: bool, hard: int) -> Expr | None:
        self.attempts += 1
        if self.attempts > self.g.max_attempts:
            raise _GiveUp
        t = _walk(t, self.subst)
        if is_arrow(t):
            return self.gen_arrow(t, ctx, depth, full, hard)  # type: ignore[arg-type]
        g = self.g
        head = t.name if isinstance(t, TCon) and t.name in g.terminals else None
        if isinstance(t, TCon) and head is None:  # a constructor nothing produces (rigid 'a)
            terms, nonterms = _EMPTY, g.var_result
        else:
            terms, nonterms = g.terminals[head], g.nonterminals[head]
        subst = self.subst
        name = t.name if isinstance(t, TCon) else None
        leaves: list = []
        for i, c in enumerate(ctx):  # variables whose type could match, by constructor
            c = _walk(c, subst)
            if isinstance(c, TVar) or (c.name != ARROW and (name is None or c.name == name)):
                leaves.append(i)
        if leaves:
            leaf_w = [g.var_weight] * len(leaves) + g.weights_of[id(terms)]
            leaves += terms
        else:
            leaves, leaf_w = terms, g.weights_of[id(terms)]
        nonterms, nonterm_w = g.within(nonterms, hard)
        if depth <= 1:
            stages = [(leaves, leaf_w), (nonterms, nonterm_w)] if hard > 1 else [(leaves, leaf_w)]
        elif full:
            stages = [(nonterms, nonterm_w), (leaves, leaf_w)]
        else:
            stages = [(leaves + nonterms, leaf_w + nonterm_w)]
        for items, weights in stages:
            copied = False
            while items:
                i = _pick(self.rng, items, weights)
                made = self.use(items[i], t, ctx, depth, full, hard)
                if made is not None:
                    return made
                if not copied:
                    items, weights, copied = list(items), list(weights), True
                del items[i], weights[i]
        return None

    def gen_arrow(self, t: TCon, ctx: tuple[Type, ...], depth: int, full: bool, hard: int) -> Expr | None:
        """A lambda (the usual choice), a variable, or an unapplied production of type `t`."""
        g = self.g
        fvars = [i for i, c in enumerate(ctx) if is_arrow(_walk(c, self.subst))]
        n_args, u = 0, t
        while is_arrow(u):
            n_args, u = n_args + 1, _walk(u.args[1], self.subst)  # type: ignore[union-attr]
        whole = g.whole_by_arity.get(n_args, _EMPTY)
        options: list = ["lam"] + fvars + whole
        weights = [g.lambda_weight] + [g.var_weight] * len(fvars) + g.weights_of[id(whole)]
        while options:
            i = _pick(self.rng, options, weights)
            choice = options.pop(i)
            weights.pop(i)
            if choice == "lam":
                trail_mark, ann_mark = len(self.trail), len(self.ann)
                self.ann.append((t, ctx))
                param, body_t = t.args
                body = self.gen(body_t, (param,) + ctx, depth, full, hard)
                if body is not None:
                    return Lam(body)
                self.undo(trail_mark, ann_mark)
                continue
            made = self.use(choice, t, ctx, depth, full, hard, whole=True)
            if made is not None:
                return made
        return None

    def use(self, choice: object, t: Type, ctx: tuple[Type, ...], depth: int, full: bool, hard: int,
            whole: bool = False) -> Expr | None:
        """Build `choice` (a variable index or a production) at type `t`, or undo and give None."""
        if isinstance(choice, int):
            if not self.try_unify(ctx[choice], t):
                return None
            self.ann.append((t, ctx))
            return Var(choice)
        p: _Prod = choice  # type: ignore[assignment]
        if whole or not p.args:
            if not self.try_unify(self.fresh(p).type, t):
                return None
            self.ann.append((t, ctx))
            return p.expr
        # cheap rejection before instantiating: a constant result type that cannot match
        if not p.ret_is_var and isinstance(t, TCon) and t.name != p.ret.name:  # type: ignore[union-attr]
            return None
        trail_mark, ann_mark = len(self.trail), len(self.ann)
        inst = self.fresh(p)
        if not self.try_unify(inst.ret, t):
            return None
        self.ann.append((t, ctx))
        self.ann.extend([NO_POINT] * len(inst.args))
        expr = p.expr
        for a in inst.args:
            arg = self.gen(a, ctx, depth - 1, full, hard - 1)
            if arg is None:
                self.undo(trail_mark, ann_mark)
                return None
            expr = App(expr, arg)
        return expr


__all__ = ["NO_POINT", "Ann", "Grammar", "Typed", "rigid"]
