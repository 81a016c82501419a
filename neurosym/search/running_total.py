"""Splitting a task of one number that totals a term over 1..n: the term alone.

`sum-of-squares` gives 1, 5, 14, 30 for 1, 2, 3, 4; `factorial` 1, 2, 6, 24: each output
is the sum (or product) of a term's values at 1..n, and the program is `fold (\\\\i acc ->
g (i + 1) + acc) 0 (range n)`, a recurrence in the language's bounded loop. Whole,
`sum-of-squares` is eleven cost units, past what enumeration reaches in a minute; its
term (`\\\\k -> k * k`) is three. The outputs do not give the term's values one by one
(only where the examples hold n and n - 1), but the term's values at 1..N decide every
output, so the term is enumerated over 1..N with the outputs as its test, as a sketch's
predicate is (sketches.py): any example is evidence, consecutive or not, which matters
when only a subset of the examples is searched (counterexamples.py).

Tried for a task `int -> int` whose inputs reach at most MAX_N, with a sum where every
output at n <= 0 is 0 and a product where it is 1; not where the examples show a
constant term (two differences or ratios of consecutive outputs, all equal: a multiple
of n, or a power, which the whole search writes in a few nodes). The program is checked
on every example.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from neurosym.lang.ast import Expr, Lam, Lit, Prim, Var, apply
from neurosym.lang.inline import substitute
from neurosym.lang.rewrite import lambda_body
from neurosym.lang.types import TCon, arrow
from neurosym.library import Library
from neurosym.search.bank import FAULT
from neurosym.task import Example, Task

INT = TCon("int")
#: the largest input whose total is tested (the term is enumerated over 1..MAX_N)
MAX_N = 200
#: (operator, the total of nothing, what the term is), in the order tried
TOTALS = (("+", 0, "the term added at each n"), ("*", 1, "the factor taken at each n"))


@dataclass(frozen=True)
class RunningTotalSplit:
    """The task's output as a total (`op`: + or *) of a term over 1..n: `task` has one
    example per k in 1..N (its outputs are placeholders: `accept` is the test)."""

    op: str
    base: int
    task: Task
    #: (n, output) of every example with n >= 1
    rows: tuple[tuple[int, int], ...]
    params: int = 1

    def describe(self) -> str:
        return f"split at a running {'sum' if self.op == '+' else 'product'} over 1..n"

    def accept(self, values: tuple) -> bool:
        """Whether the term's values at 1..N total to every example's output."""
        totals: list[Any] = [self.base]
        for v in values:
            if v is FAULT or type(v) is not int:
                break
            totals.append(totals[-1] + v if self.op == "+" else totals[-1] * v)
        return all(n < len(totals) and totals[n] == y for n, y in self.rows)

    def compose(self, function: Expr, n_args: int) -> Expr:
        """`\\n -> fold (\\i acc -> op (g (i + 1)) acc) base (range n)`, g's body applied in place."""
        # inside `\i acc -> ...` i is variable 1: the term's parameter becomes i + 1
        term = substitute(lambda_body(function, 1), apply(Prim("+"), Var(1), Lit(1)))
        step = Lam(Lam(apply(Prim(self.op), term, Var(0))))
        return Lam(apply(Prim("fold"), step, Lit(self.base), apply(Prim("range"), Var(0))))


def running_total_splits(task: Task, library: Library) -> list[RunningTotalSplit]:
    """A split for each total the examples allow (see the module's docstring)."""
    if task.type != arrow(INT, INT):
        return []
    names = set(library.names())
    outputs = {ex.inputs[0]: ex.output for ex in task.examples}
    top = max(outputs)
    if top < 1 or top > MAX_N:
        return []
    rows = tuple(sorted((n, y) for n, y in outputs.items() if n >= 1))
    examples = tuple(Example((k,), 0) for k in range(1, top + 1))
    out = []
    for op, base, what in TOTALS:
        if not {"fold", "range", "+", op} <= names or any(y != base for n, y in outputs.items() if n <= 0):
            continue
        if _ruled_out(outputs, op):
            continue
        sub = Task(f"{task.name} ({what})", arrow(INT, INT), examples, dsl=task.dsl)
        out.append(RunningTotalSplit(op, base, sub, rows))
    return out


def _ruled_out(outputs: dict[int, int], op: str) -> bool:
    """Whether consecutive outputs rule the total out: they show the term at two n or
    more, all equal, or a product's ratio that is not whole (which no term of ints gives)."""
    terms = []
    for n, y in outputs.items():
        before = outputs.get(n - 1)
        if n < 1 or before is None:
            continue
        if op == "+":
            terms.append(y - before)
        elif before == 0 or y % before:
            return True
        else:
            terms.append(y // before)
    return len(terms) >= 2 and len(set(terms)) == 1
