"""Search over programs with neural parts (HOUDINI style, a modest version).

Type-directed top-down enumeration, smallest programs first, of programs of the task's
type whose leaves are a few symbolic primitives, the library's routines (symbolic or
neural) and fresh neural holes (`HoleSpec`: a type and a factory). Every candidate with
at least one neural part that the relaxed interpreter can run is trained briefly and
scored on validation data by its discrete accuracy; the best is then trained fully.
Library neural routines are frozen unless `fine_tune` is set; holes are fresh modules.
"""

from __future__ import annotations

import itertools
import logging
import random
import time
from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping, Sequence

from neurosym.lang.ast import App, Expr, Lam, Lit, Prim, Var, subterms
from neurosym.lang.parser import parse_type
from neurosym.lang.printer import format_expr
from neurosym.lang.types import (FreshVars, Substitution, Type, UnificationError, instantiate, is_arrow, resolve,
                                 split_arrow, unify)
from neurosym.library.library import Library
from neurosym.neural.modules import NeuralPart, default_device, make_part
from neurosym.neural.relaxed import RelaxedProgram, RelaxError
from neurosym.neural.train import Example, TrainReport, accuracy, batch_loss, batches, train_program
from neurosym.neural.weights import from_routine

log = logging.getLogger(__name__)

#: the symbolic primitives neural programs are built from by default
SYMBOLS = ("map", "fold", "filter", "length", "+", "==", "<", "if", "0", "1")
HOLE_PREFIX = "hole"


@dataclass(frozen=True)
class HoleSpec:
    """A fresh neural part the search may place: its type, factory and config."""

    type: str
    factory: str = "mlp"
    config: tuple[tuple[str, Any], ...] = ()

    def build(self, seed: int) -> NeuralPart:
        return make_part(self.type, self.factory, seed=seed, **dict(self.config))


@dataclass(frozen=True)
class Candidate:
    program: str
    expr: Expr
    holes: tuple[tuple[str, HoleSpec], ...]
    val_accuracy: float


@dataclass(frozen=True)
class NeuralSearchResult:
    """The best program, its trained parts, its validation accuracy, and every candidate."""

    program: str
    expr: Expr
    parts: Mapping[str, NeuralPart] = field(repr=False)
    holes: tuple[tuple[str, HoleSpec], ...]
    val_accuracy: float
    candidates: tuple[Candidate, ...]
    report: TrainReport
    seconds: float

    def routines_used(self, library: Library) -> list[str]:
        """Library routines (symbolic or neural) the program uses."""
        names = {n.name for n in subterms(self.expr) if isinstance(n, Prim)}
        return sorted(names & ({r.name for r in library.routines} | {n.name for n in library.neural}))


def _grammar(library: Library, symbols: Sequence[str], holes: Sequence[HoleSpec]) -> list[tuple[Expr, Type]]:
    env = library.env()
    prods: list[tuple[Expr, Type]] = []
    neural = {n.name for n in library.neural}
    for p in library.productions:  # every neural routine; symbolic ones when listed
        if p.name in symbols or p.name in neural:
            prods.append((p.expr, p.type))
    for s in symbols:  # literals not in the library, and primitives it lacks
        if s.isdigit() and not any(e == Lit(int(s)) for e, _ in prods):
            prods.append((Lit(int(s)), parse_type("int")))
        elif s in env and not any(e == Prim(s) for e, _ in prods):
            prods.append((Prim(s), env[s]))
    for i, h in enumerate(holes):
        prods.append((Prim(f"?{i}"), parse_type(h.type)))
    return prods


class _Enumerator:
    def __init__(self, prods: list[tuple[Expr, Type]]) -> None:
        self.prods, self.fresh = prods, FreshVars("s")

    def gen(self, t: Type, ctx: tuple[Type, ...], size: int, subst: Substitution) -> Iterator[tuple[Expr, Substitution]]:
        """Terms of type `t` in context `ctx` with exactly `size` leaves and lambdas."""
        t = resolve(t, subst)
        if is_arrow(t) and size >= 2:
            for body, s in self.gen(t.args[1], (t.args[0],) + ctx, size - 1, subst):
                yield Lam(body), s
        heads: list[tuple[Expr, Type]] = [(Var(i), ct) for i, ct in enumerate(ctx)]
        heads += [(e, instantiate(pt, self.fresh)) for e, pt in self.prods]
        for head, ht in heads:
            args, _ = split_arrow(resolve(ht, subst))
            for k in range(0, min(len(args), size - 1) + 1):
                if k == 0 and size != 1 or k > 0 and size - 1 < k:
                    continue
                result = ht
                for _ in range(k):
                    result = resolve(result, subst).args[1]  # type: ignore[union-attr]
                s = dict(subst)
                try:
                    unify(result, t, s)
                except UnificationError:
                    continue
                arg_types = [resolve(a, s) for a in split_arrow(resolve(ht, s))[0][:k]]
                for sizes in _compositions(size - 1, k):
                    yield from self._args(head, arg_types, sizes, ctx, s)

    def _args(self, fn: Expr, types: list[Type], sizes: tuple[int, ...], ctx: tuple[Type, ...],
              subst: Substitution) -> Iterator[tuple[Expr, Substitution]]:
        if not types:
            yield fn, subst
            return
        for arg, s in self.gen(types[0], ctx, sizes[0], subst):
            yield from self._args(App(fn, arg), [resolve(t, s) for t in types[1:]], sizes[1:], ctx, s)


def _compositions(total: int, parts: int) -> Iterator[tuple[int, ...]]:
    if parts == 0:
        if total == 0:
            yield ()
        return
    for cut in itertools.combinations(range(1, total), parts - 1):
        bounds = (0,) + cut + (total,)
        yield tuple(bounds[i + 1] - bounds[i] for i in range(parts))


def _uses_every_binder(e: Expr) -> bool:
    """No lambda ignores its argument (such candidates duplicate smaller ones)."""
    def free(node: Expr, depth: int, index: int) -> bool:
        if isinstance(node, Var):
            return node.index == index + depth
        if isinstance(node, Lam):
            return free(node.body, depth + 1, index)
        if isinstance(node, App):
            return free(node.fn, depth, index) or free(node.arg, depth, index)
        return False

    return all(free(n.body, 0, 0) for n in subterms(e) if isinstance(n, Lam))


def sketches(target: str | Type, library: Library, holes: Sequence[HoleSpec] = (), symbols: Sequence[str] = SYMBOLS,
             max_size: int = 7, limit: int = 200, max_holes: int = 1
             ) -> Iterator[tuple[Expr, tuple[tuple[str, HoleSpec], ...]]]:
    """Programs of type `target`, smallest first, that contain a neural part (a library
    neural routine or one of at most `max_holes` fresh holes, named `hole0`, `hole1`, ...).
    The grammar: the `symbols` (primitives, literals, symbolic library routines), every
    neural routine of the library, and the hole specs."""
    t = parse_type(target) if isinstance(target, str) else target
    neural = {n.name for n in library.neural}
    enum = _Enumerator(_grammar(library, symbols, holes))
    seen: set[Expr] = set()
    count = 0
    for size in range(1, max_size + 1):
        for expr, _ in enum.gen(t, (), size, {}):
            names = [n.name for n in subterms(expr) if isinstance(n, Prim)]
            n_holes = sum(n.startswith("?") for n in names)
            if n_holes > max_holes or not (n_holes or any(n in neural for n in names)) \
                    or not _uses_every_binder(expr):
                continue
            expr, placed = _name_holes(expr, holes)
            if expr in seen:
                continue
            seen.add(expr)
            yield expr, placed
            count += 1
            if count >= limit:
                return


def _name_holes(e: Expr, holes: Sequence[HoleSpec]) -> tuple[Expr, tuple[tuple[str, HoleSpec], ...]]:
    placed: list[tuple[str, HoleSpec]] = []

    def walk(node: Expr) -> Expr:
        if isinstance(node, Prim) and node.name.startswith("?"):
            name = f"{HOLE_PREFIX}{len(placed)}"
            placed.append((name, holes[int(node.name[1:])]))
            return Prim(name)
        if isinstance(node, App):
            return App(walk(node.fn), walk(node.arg))
        if isinstance(node, Lam):
            return Lam(walk(node.body))
        return node

    return walk(e), tuple(placed)


def names_used(expr: Expr, library: Library) -> set[str]:
    """Primitive and routine names `expr` uses, through the bodies of symbolic routines too."""
    bodies = {r.name: r.body for r in library.routines}
    seen: set[str] = set()
    todo = [expr]
    while todo:
        for node in subterms(todo.pop()):
            if isinstance(node, Prim) and node.name not in seen:
                seen.add(node.name)
                if node.name in bodies:
                    todo.append(bodies[node.name])
    return seen


def _parts(library: Library, placed: Sequence[tuple[str, HoleSpec]], seed: int, fine_tune: bool,
           used: set[str]) -> dict[str, NeuralPart]:
    parts = {n.name: from_routine(n, trainable=fine_tune) for n in library.neural if n.name in used}
    for i, (name, spec) in enumerate(placed):
        parts[name] = spec.build(seed + i)
    return parts


def neural_search(target: str | Type, train: Sequence[Example], val: Sequence[Example], library: Library,
                  holes: Sequence[HoleSpec] = (), symbols: Sequence[str] = SYMBOLS, max_size: int = 7,
                  max_candidates: int = 40, probe_epochs: int = 2, epochs: int = 20, lr: float = 3e-3,
                  fine_tune: bool = False, seed: int = 0, max_seconds: float | None = None) -> NeuralSearchResult:
    """Enumerate sketches, train each for `probe_epochs`, keep the best on `val`
    (discrete accuracy, ties to the smaller program), then train it for `epochs`."""
    start = time.perf_counter()
    probe = next(batches(train, 4, random.Random(seed)))  # a few examples of one shape
    scored: list[tuple[float, int, Candidate]] = []
    for rank, (expr, placed) in enumerate(sketches(target, library, holes, symbols, max_size, max_candidates)):
        if max_seconds is not None and time.perf_counter() - start > max_seconds and scored:
            break
        parts = _parts(library, placed, seed, fine_tune, names_used(expr, library))
        try:
            batch_loss(RelaxedProgram(expr, parts, library), probe, _device(parts))
        except (RelaxError, TypeError, AttributeError, IndexError, RuntimeError) as err:
            log.debug("skip %s: %s", format_expr(expr), err)
            continue
        if any(p.requires_grad for part in parts.values() for p in part.parameters()):
            train_program(expr, parts, train, library, epochs=probe_epochs, lr=lr, seed=seed)
        score = accuracy(expr, parts, val, library)
        cand = Candidate(format_expr(expr), expr, placed, score)
        log.info("candidate %-60s val %.3f", cand.program, score)
        scored.append((score, -rank, cand))
    if not scored:
        raise ValueError(f"no program of type {target} with a neural part runs relaxed within size {max_size}")
    best = max(scored, key=lambda x: (x[0], x[1]))[2]
    parts = _parts(library, best.holes, seed, fine_tune, names_used(best.expr, library))
    report = train_program(best.expr, parts, train, library, epochs=epochs, lr=lr, seed=seed)
    return NeuralSearchResult(best.program, best.expr, parts, best.holes, accuracy(best.expr, parts, val, library),
                              tuple(c for _, _, c in scored), report, time.perf_counter() - start)


def _device(parts: Mapping[str, NeuralPart]) -> Any:
    return next(iter(parts.values())).device if parts else default_device()
