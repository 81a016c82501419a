"""Splitting a task of one number that totals a term over 1..n: the term alone.

`sum-of-squares` gives 1, 5, 14, 30 for 1, 2, 3, 4; `factorial` 1, 2, 6, 24. Each output
is the one before it plus (or times) a term of n: where the examples hold n and n - 1,
their difference (or ratio) is that term's value at n, so the examples give a task of the
term alone (`\\k -> k * k`, `\\k -> k`), and the program is `fold (\\i acc -> g (i + 1) +
acc) 0 (range n)`, a recurrence in the language's bounded loop. Whole, `sum-of-squares` is
eleven cost units, past what enumeration reaches in a minute; its term is three.

Tried for a task `int -> int` whose examples hold at least MIN_TERMS such pairs and whose
term is not one constant (a constant's total is a multiple of n, or its power, which the
whole search writes in a few nodes; a split's own task, such as a map's function, is
often of that kind), with a sum
where every output at n <= 0 is 0 and a product where it is 1 and every ratio is whole;
the product first, since whole ratios are the rarer evidence. The program is checked on
every example (a term that fits the pairs may not fit the rest).
"""

from __future__ import annotations

from dataclasses import dataclass

from neurosym.lang.ast import Expr, Lam, Lit, Prim, Var, apply
from neurosym.lang.inline import substitute
from neurosym.lang.rewrite import lambda_body
from neurosym.lang.types import TCon, arrow
from neurosym.library import Library
from neurosym.task import Example, Task

INT = TCon("int")
#: the fewest values of the term the examples must give
MIN_TERMS = 2
#: (operator, the total of nothing, what the term's value at n is)
TOTALS = (("*", 1, "the factor taken at each n"), ("+", 0, "the term added at each n"))


@dataclass(frozen=True)
class RunningTotalSplit:
    """The task's output as a total (`op`: + or *) of a term over 1..n: `task` is the
    term's, n -> its value."""

    op: str
    base: int
    task: Task
    params: int = 1

    def describe(self) -> str:
        return f"split at a running {'sum' if self.op == '+' else 'product'} over 1..n"

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
    out = []
    for op, base, what in TOTALS:
        if not {"fold", "range", "+", op} <= names:
            continue
        if any(y != base for n, y in outputs.items() if n <= 0):
            continue
        terms = _terms(outputs, op)
        if terms is not None and len(terms) >= MIN_TERMS and len(set(terms.values())) > 1:
            examples = tuple(Example((n,), g) for n, g in sorted(terms.items()))
            sub = Task(f"{task.name} ({what})", arrow(INT, INT), examples, dsl=task.dsl)
            out.append(RunningTotalSplit(op, base, sub))
    return out


def _terms(outputs: dict[int, int], op: str) -> dict[int, int] | None:
    """n -> the term at n for every n >= 1 whose n - 1 the examples hold; None where a
    product's ratio is not whole."""
    terms: dict[int, int] = {}
    for n, y in outputs.items():
        if n < 1 or n - 1 not in outputs:
            continue
        before = outputs[n - 1]
        if op == "+":
            terms[n] = y - before
        elif before == 0 or y % before:
            return None
        else:
            terms[n] = y // before
    return terms
