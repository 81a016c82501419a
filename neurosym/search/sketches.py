"""Sketches: a fixed program around a predicate of a list's elements, searched for the predicate.

`length (filter p xs)` counts, `fold (+) 0 (filter p xs)` sums, `not (is_empty (filter p
xs))` asks whether any element holds, `is_empty (filter (\\x -> not (p x)) xs)` whether
all do, and `head (filter (\\i -> p (index i xs)) (range (length xs)))` is the first
position where it holds (with `reverse`, the last: PSB1's last-index-of-zero). Their
outputs do not say what `p` gives each element (a count of 2 says two elements hold, not
which), so unlike a split at map or filter (deduction.py) the predicate has no examples
of its own; but its values on the elements determine the output, so a predicate
enumerated over the distinct elements is checked by computing the sketch's output from
those values, without running a program: a search over functions of one number with the
whole task as its test. A sketch is tried only where its outputs could come from such a
predicate: a count or sum must be a total of some set of distinct values' copies (equal
elements are kept together), `any` of an empty list is false, `all` of it true, and a
position's element must occur nowhere before it (the first) or after it (the last). The
sketch programs are ten nodes and more around the predicate; searched whole, a count by
parity is past what enumeration reaches in seconds.

A sketch needs the base primitives it is written with; a library without one of them (or
a language without them) has no such sketch.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Callable

from neurosym.lang.ast import Expr, Lam, Lit, Prim, Var, apply
from neurosym.lang.inline import substitute
from neurosym.lang.rewrite import eta_reduce, lambda_body, shift
from neurosym.lang.types import TCon, Type, arrow, split_arrow
from neurosym.library import Library
from neurosym.search.bank import FAULT
from neurosym.task import Example, Task

BOOL = TCon("bool")
INT = TCon("int")
#: at most this many distinct elements in a sketch's task
MAX_SKETCH_ELEMENTS = 200
#: at most this many totals listed per example when checking that a count or sum can be
#: selected (2**12: lists of up to 12 distinct values are checked exactly)
MAX_TOTALS = 4096


@dataclass(frozen=True)
class Sketch:
    """`output(elements, flags)`: the sketch's value from a list and its predicate's
    value on each element; `program(predicate, xs)`: the program, from the predicate's
    body (the element as variable 0) and the list; `fits(elements, output)`: whether some
    predicate of the element could give that output (a count or sum must be a total of
    some distinct values with all their copies)."""

    name: str
    result: Type
    needs: tuple[str, ...]
    output: Callable[[tuple, list], Any]
    program: Callable[[Expr, Expr], Expr]
    fits: Callable[[tuple, Any], bool]
    ints_only: bool = False  # the elements must be ints (a sum)


def _filter(body: Expr, xs: Expr) -> Expr:
    return apply(Prim("filter"), eta_reduce(body, 1), xs)


def _positions(body: Expr, xs: Expr) -> Expr:
    """`filter (\\i -> p (index i xs)) (range (length xs))`: the positions whose element
    the predicate (`body`, the element as variable 0) holds for."""
    inner = substitute(shift(body, 1, 1), apply(Prim("index"), Var(0), shift(xs, 1)))
    return apply(Prim("filter"), Lam(inner), apply(Prim("range"), apply(Prim("length"), xs)))


def _first(flags: list) -> int | None:
    return next((i for i, f in enumerate(flags) if f), None)


def _last(flags: list) -> int | None:
    return next((len(flags) - 1 - i for i, f in enumerate(reversed(flags)) if f), None)


def _a_position(xs: tuple, y: Any, earlier: bool) -> bool:
    """Whether `y` is a position of `xs` whose element occurs nowhere before it
    (`earlier`) or after it: equal elements meet equal predicates."""
    if type(y) is not int or not 0 <= y < len(xs):
        return False
    return xs[y] not in (xs[:y] if earlier else xs[y + 1:])


def _sum(xs: tuple, flags: list) -> int:
    return sum(x for x, f in zip(xs, flags) if f)


def _group_sums(xs: tuple, weight: Callable[[Any, int], int]) -> set[int] | None:
    """Every total a predicate of the element alone can select from `xs`: equal elements
    are selected together, so a total is a sum of `weight(value, copies)` over a set of
    distinct values. None when there are too many to list (no evidence either way)."""
    totals = {0}
    for value, copies in Counter(xs).items():
        totals |= {t + weight(value, copies) for t in totals}
        if len(totals) > MAX_TOTALS:
            return None
    return totals


def _selectable(xs: tuple, y: Any, weight: Callable[[Any, int], int]) -> bool:
    if type(y) is not int:
        return False
    totals = _group_sums(xs, weight)
    return totals is None or y in totals


def base_sketches() -> tuple[Sketch, ...]:
    """The sketches over the base primitives, tried in this order."""
    return (
        Sketch("count", INT, ("length", "filter"), lambda xs, f: sum(f),
               lambda p, xs: apply(Prim("length"), _filter(p, xs)),
               lambda xs, y: _selectable(xs, y, lambda value, copies: copies)),
        Sketch("sum", INT, ("fold", "+", "filter"), _sum,
               lambda p, xs: apply(Prim("fold"), Prim("+"), Lit(0), _filter(p, xs)),
               lambda xs, y: _selectable(xs, y, lambda value, copies: value * copies), ints_only=True),
        Sketch("any", BOOL, ("not", "is_empty", "filter"), lambda xs, f: any(f),
               lambda p, xs: apply(Prim("not"), apply(Prim("is_empty"), _filter(p, xs))),
               lambda xs, y: bool(xs) or not y),
        Sketch("all", BOOL, ("not", "is_empty", "filter"), lambda xs, f: all(f),
               lambda p, xs: apply(Prim("is_empty"), _filter(apply(Prim("not"), p), xs)),
               lambda xs, y: bool(xs) or y),
        Sketch("first position", INT, ("head", "filter", "range", "length", "index"), lambda xs, f: _first(f),
               lambda p, xs: apply(Prim("head"), _positions(p, xs)), lambda xs, y: _a_position(xs, y, True)),
        Sketch("last position", INT, ("head", "reverse", "filter", "range", "length", "index"),
               lambda xs, f: _last(f), lambda p, xs: apply(Prim("head"), apply(Prim("reverse"), _positions(p, xs))),
               lambda xs, y: _a_position(xs, y, False)),
    )


@dataclass(frozen=True)
class SketchSplit:
    """A sketch applied to input `argument`: `task` has one example per distinct element
    (its outputs are placeholders: `accept` is the test). With `with_inputs`, the
    predicate reads the task's inputs and then the element (`\\xs x -> x == head xs`),
    and its task has one example per example's distinct element."""

    sketch: Sketch
    argument: int
    task: Task
    #: per example: the indices of its elements among the task's, its elements, its output
    rows: tuple[tuple[tuple[int, ...], tuple, Any], ...]
    with_inputs: bool = False

    def describe(self) -> str:
        return f"sketch {self.sketch.name} (input {self.argument}{', with the inputs' if self.with_inputs else ''})"

    def accept(self, values: tuple) -> bool:
        """Whether the predicate's values on the distinct elements give every output."""
        output = self.sketch.output
        for indices, xs, expected in self.rows:
            flags = [values[i] for i in indices]
            if FAULT in flags or output(xs, flags) != expected:
                return False
        return True

    def compose(self, predicate: Expr, n_args: int) -> Expr:
        """The whole program from the predicate's program (`\\x -> body`, or `\\a1 .. an x
        -> body` with the inputs: inside the sketch's lambda, the body sees the task's
        inputs above the element alike)."""
        body = lambda_body(predicate, n_args + 1 if self.with_inputs else 1)
        program = self.sketch.program(body, Var(n_args - 1 - self.argument))
        for _ in range(n_args):
            program = Lam(program)
        return program


def sketch_splits(task: Task, library: Library, sketches: tuple[Sketch, ...] | None = None) -> list[SketchSplit]:
    """The sketches whose output type is the task's and whose outputs the examples allow,
    at each list input of the task: with a predicate of the element alone, then (after
    them all) of the task's inputs and the element."""
    names = set(library.names())
    arg_types, ret = split_arrow(task.type)
    out: dict[bool, list[SketchSplit]] = {False: [], True: []}
    for sketch in base_sketches() if sketches is None else sketches:
        if ret != sketch.result or not set(sketch.needs) <= names:
            continue
        for i, t in enumerate(arg_types):
            if not (isinstance(t, TCon) and t.name == "list") or (sketch.ints_only and t.args[0] != INT):
                continue
            for with_inputs in (False, True):
                split = _split(task, sketch, i, t.args[0], with_inputs)
                if split is not None:
                    out[with_inputs].append(split)
    return out[False] + out[True]


def _split(task: Task, sketch: Sketch, i: int, element: Type, with_inputs: bool) -> SketchSplit | None:
    index: dict = {}
    rows = []
    try:
        for n, ex in enumerate(task.examples):
            xs = ex.inputs[i]
            if not sketch.fits(xs, ex.output):
                return None
            # with the inputs, an element is told apart by its example (hashing the
            # inputs for each element would cost as much as the inputs, each time)
            keys = [(n, x) for x in xs] if with_inputs else [(x,) for x in xs]
            rows.append((tuple(index.setdefault(k, len(index)) for k in keys), xs, ex.output))
            if len(index) > MAX_SKETCH_ELEMENTS:
                return None
    except TypeError:  # unhashable elements
        return None
    if not index:
        return None
    params = (*task.arg_types, element) if with_inputs else (element,)
    inputs = [ex.inputs for ex in task.examples]
    examples = tuple(Example((*inputs[k[0]], k[1]) if with_inputs else k, False) for k in index)
    sub = Task(f"{task.name} ({sketch.name}'s predicate)", arrow(*params, BOOL), examples, dsl=task.dsl)
    return SketchSplit(sketch, i, sub, tuple(rows), with_inputs)
