"""Splitting a task that keeps some positions of a list: the predicate on the positions.

`even-positions` keeps elements 0, 2, 4, ...: a filter, but of positions, not of values
(two equal elements may be kept and dropped), so a split at filter (deduction.py) does
not apply. Where one choice of kept positions, the same in every example, gives every
output, those choices are the examples of a predicate on an int, and the program is
`map (\\i -> index i xs) (filter p (range (length xs)))`: a dozen nodes around a
predicate of five (`\\i -> i % 2 == 0`). The choice is found by a search over the
positions in order (each kept element must be the next one of every output), which
stops at the first choice that fits; more examples leave fewer choices. Kept positions
that are one run (`take 3`, `tail`, a slice) are left to the whole search, which writes
them with take and drop in a few nodes: a split there spent its part for nothing
(17-20x the candidates on DreamCoder's slices).
"""

from __future__ import annotations

from dataclasses import dataclass

from neurosym.lang.ast import Expr, Lam, Prim, Var, apply
from neurosym.lang.rewrite import eta_reduce, lambda_body
from neurosym.lang.types import TCon, arrow, split_arrow
from neurosym.library import Library
from neurosym.task import Example, Task

NEEDS = ("map", "index", "filter", "range", "length")
#: lists longer than this are not read position by position
MAX_POSITIONS = 40
#: at most this many steps of the search for the kept positions
MAX_STEPS = 20_000


@dataclass(frozen=True)
class PositionSplit:
    """The positions of input `argument` kept in every example: `task` is the predicate's
    (position -> kept)."""

    argument: int
    task: Task
    params: int = 1

    def describe(self) -> str:
        return f"split at the positions kept (input {self.argument})"

    def compose(self, predicate: Expr, n_args: int) -> Expr:
        """`map (\\i -> index i xs) (filter p (range (length xs)))` under the task's lambdas."""
        xs = self.argument_var(n_args)
        pick = Lam(apply(Prim("index"), Var(0), Var(xs.index + 1)))
        kept = apply(Prim("filter"), eta_reduce(lambda_body(predicate, 1), 1),
                     apply(Prim("range"), apply(Prim("length"), xs)))
        program: Expr = apply(Prim("map"), pick, kept)
        for _ in range(n_args):
            program = Lam(program)
        return program

    def argument_var(self, n_args: int) -> Var:
        return Var(n_args - 1 - self.argument)


def position_splits(task: Task, library: Library) -> list[PositionSplit]:
    """A split for each list input whose kept positions, the same in every example, give
    every output (none where the library lacks what the program is written with)."""
    if not set(NEEDS) <= set(library.names()):
        return []
    arg_types, ret = split_arrow(task.type)
    out = []
    for i, t in enumerate(arg_types):
        if t != ret or not (isinstance(t, TCon) and t.name == "list"):
            continue
        pairs = [(ex.inputs[i], ex.output) for ex in task.examples]
        if not any(ys for _, ys in pairs) or any(len(xs) > MAX_POSITIONS for xs, _ in pairs):
            continue
        kept = kept_positions(pairs)
        if kept is None or _one_run(kept):
            continue  # none fits; or one run of positions, which take and drop write cheaper
        int_ = TCon("int")
        examples = tuple(Example((j,), flag) for j, flag in enumerate(kept))
        sub = Task(f"{task.name} (the positions kept)", arrow(int_, TCon("bool")), examples, dsl=task.dsl)
        out.append(PositionSplit(i, sub))
    return out


def _one_run(flags: list[bool]) -> bool:
    """Whether the kept positions are one run (or none): a prefix, a suffix or a slice."""
    text = "".join("1" if f else "0" for f in flags).strip("0")
    return "0" not in text


def kept_positions(pairs: list[tuple[tuple, tuple]]) -> list[bool] | None:
    """One flag per position (up to the longest list) such that every list's flagged
    elements, in order, are its output; None when no choice fits (or the search ran past
    MAX_STEPS)."""
    length = max(len(xs) for xs, _ in pairs)
    flags: list[bool] = []
    steps = 0

    def fits(j: int, done: tuple[int, ...]) -> bool:
        nonlocal steps
        steps += 1
        if steps > MAX_STEPS:
            return False
        if j == length:
            return all(n == len(ys) for n, (_, ys) in zip(done, pairs))
        for keep in (True, False):
            after = []
            for n, (xs, ys) in zip(done, pairs):
                if j < len(xs) and keep:
                    if n >= len(ys) or xs[j] != ys[n]:
                        break
                    n += 1
                if len(ys) - n > max(len(xs) - j - 1, 0):  # too few elements left for the rest of the output
                    break
                after.append(n)
            else:
                flags.append(keep)
                if fits(j + 1, tuple(after)):
                    return True
                flags.pop()
        return False

    return flags if fits(0, tuple(0 for _ in pairs)) else None
