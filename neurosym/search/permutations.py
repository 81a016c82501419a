"""Splitting a task that rearranges a list: the position each output element comes from.

`rotate-k` with k=2 gives `[4, 5, 1, 2, 3]` for `[1, 2, 3, 4, 5]`: every output element
is an input element moved, and where the input's elements differ, each output position
`i` names the position `j` it was taken from. Those are the examples of a function of the
position and the list's length (`\\i n -> (i + n - 2) % n`), and the program is `map
(\\i -> index (f i (length xs)) xs) (range (length xs))`: a dozen nodes around a function
of five, where the whole program written with take, drop and append is eleven nodes and
past what enumeration reaches in seconds. Tried where every output is a rearrangement of
its input of the same type and some output is not the input itself; an element that
occurs twice in its input says nothing of where it came from, so only elements that
occur once give examples (the whole program is checked on every example).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from neurosym.lang.ast import Expr, Lam, Prim, Var, apply
from neurosym.lang.inline import substitute
from neurosym.lang.rewrite import lambda_body
from neurosym.lang.types import TCon, arrow, split_arrow
from neurosym.library import Library
from neurosym.task import Example, Task

NEEDS = ("map", "index", "range", "length")
INT = TCon("int")
#: lists longer than this are not read position by position
MAX_POSITIONS = 40
#: at most this many distinct (position, length) examples in the function's task
MAX_EXAMPLES = 60


@dataclass(frozen=True)
class PermutationSplit:
    """Input `argument` rearranged: `task` is the function's, (position, length) -> the
    position the element there comes from."""

    argument: int
    task: Task
    params: int = 2

    def describe(self) -> str:
        return f"split at the positions moved (input {self.argument})"

    def compose(self, function: Expr, n_args: int) -> Expr:
        """`map (\\i -> index (f i (length xs)) xs) (range (length xs))` under the task's
        lambdas, the function's body applied in place."""
        xs = Var(n_args - 1 - self.argument)
        inner_xs = Var(xs.index + 1)  # seen from inside `\\i -> ...`, where i is variable 0
        # the body's position is variable 1 and the length variable 0: the length becomes
        # `length xs` and the position, variable 0 once that binder is gone, is i
        source = substitute(lambda_body(function, 2), apply(Prim("length"), inner_xs))
        pick = Lam(apply(Prim("index"), source, inner_xs))
        program: Expr = apply(Prim("map"), pick, apply(Prim("range"), apply(Prim("length"), xs)))
        for _ in range(n_args):
            program = Lam(program)
        return program


def permutation_splits(task: Task, library: Library) -> list[PermutationSplit]:
    """A split for each list input that every output rearranges (see the docstring)."""
    if not set(NEEDS) <= set(library.names()):
        return []
    arg_types, ret = split_arrow(task.type)
    out = []
    for i, t in enumerate(arg_types):
        if t != ret or not (isinstance(t, TCon) and t.name == "list"):
            continue
        rows = _source_positions([(ex.inputs[i], ex.output) for ex in task.examples])
        if rows:
            examples = tuple(Example((pos, n), j) for (pos, n), j in rows[:MAX_EXAMPLES])
            sub = Task(f"{task.name} (the positions moved)", arrow(INT, INT, INT), examples, dsl=task.dsl)
            out.append(PermutationSplit(i, sub))
    return out


def _source_positions(pairs: list[tuple[tuple, tuple]]) -> list[tuple[tuple[int, int], int]] | None:
    """((position, length), source position) for every output element that occurs once
    in its input, distinct; None where some output is no rearrangement of its input,
    every output is its input, or two examples disagree on a (position, length)."""
    seen: dict[tuple[int, int], int] = {}
    moved = False
    try:
        for xs, ys in pairs:
            if not isinstance(ys, tuple) or len(xs) != len(ys) or len(xs) > MAX_POSITIONS:
                return None
            counts = Counter(xs)
            if counts != Counter(ys):
                return None
            moved = moved or xs != ys
            where = {x: j for j, x in enumerate(xs) if counts[x] == 1}
            for pos, y in enumerate(ys):
                if y in where and seen.setdefault((pos, len(xs)), where[y]) != where[y]:
                    return None
    except TypeError:  # unhashable elements
        return None
    return list(seen.items()) if moved and seen else None
