"""Splitting a task of several arguments of one type: a function of their list.

The least of four ints is `head (sort [a, b, c, d])` and the median of three `index 1
(sort [a, b, c])`: ten and eleven cost units searched whole, past what enumeration
reaches in a minute (PSB1's `smallest` and `median`), yet `head (sort xs)` and `index 1
(sort xs)` as functions of one list are three and four. Where a task has at least
MIN_ARGUMENTS arguments, all of one type that is not a function, and the library has
`cons` and `empty`, the task of a function of their list (`list a -> b`, one example per
example) is searched with a part of the split share, and its program applied to `[x1,
..., xn]`. With two arguments the program written directly is at most a few nodes
longer, so they are left to the whole search.
"""

from __future__ import annotations

from dataclasses import dataclass

from neurosym.lang.ast import Expr, Lam, Prim, Var, apply
from neurosym.lang.inline import substitute
from neurosym.lang.rewrite import lambda_body
from neurosym.lang.types import TCon, arrow, is_arrow, split_arrow
from neurosym.library import Library
from neurosym.task import Example, Task

NEEDS = ("cons", "empty")
#: the fewest arguments whose list is searched
MIN_ARGUMENTS = 3


@dataclass(frozen=True)
class ArgumentListSplit:
    """`task` is the function's: the task's arguments as one list, its outputs."""

    task: Task
    params: int = 1

    def describe(self) -> str:
        return "split at the arguments as a list"

    def compose(self, function: Expr, n_args: int) -> Expr:
        """`\\x1 .. xn -> f [x1, ..., xn]`, the function's body applied in place."""
        items: Expr = Prim("empty")
        for index in range(n_args):  # the last argument is variable 0, innermost in the list
            items = apply(Prim("cons"), Var(index), items)
        program = substitute(lambda_body(function, 1), items)
        for _ in range(n_args):
            program = Lam(program)
        return program


def argument_list_splits(task: Task, library: Library) -> list[ArgumentListSplit]:
    """The split where the task's arguments allow one (see the module's docstring)."""
    arg_types, ret = split_arrow(task.type)
    if len(arg_types) < MIN_ARGUMENTS or not set(NEEDS) <= set(library.names()):
        return []
    element = arg_types[0]
    if is_arrow(element) or any(t != element for t in arg_types):
        return []
    examples = tuple(Example((tuple(ex.inputs),), ex.output) for ex in task.examples)
    sub = Task(f"{task.name} (its arguments as a list)", arrow(TCon("list", (element,)), ret), examples,
               dsl=task.dsl)
    return [ArgumentListSplit(sub)]
