"""Splitting a task at a higher-order primitive: the examples its function argument must meet.

When every example of a list task is what `map f xs` or `filter p xs` could give, the
examples themselves say what `f` (or `p`) does on each element: `map` pairs the i-th
input element with the i-th output element, `filter` marks each element kept or dropped.
Searching for that function alone is a task over single values with many examples,
far cheaper than searching the whole program (`map (\\x -> (x + 1) % 3)` is five nodes
of arithmetic on numbers), which is how lambda-squared (Feser et al., 2015) and FlashFill
split problems. The DSL says which primitives split and how (a primitive record's
`deduce`), so a language of one's own can split at its own combinators.

Sketches (sketches.py: `length (filter p xs)` and the like) are tried alongside, with
the same share of the budget.

A split is tried first on the element alone; when equal elements need different results
and the task has other inputs (`map (\\x -> x + k)` with `k` another argument), on the
element together with the task's inputs, so the function may read them. (A one-input
task whose equal elements need different results is positional, `sort` or `take 2`:
a function of the list and the element rarely gives it, and every length-keeping task
would pay for trying.) What a split finds is checked on the whole task
like any other program.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from neurosym.errors import InvalidArgument
from neurosym.lang.ast import Expr, Lam, Prim, Var, apply
from neurosym.lang.rewrite import eta_reduce, shift
from neurosym.lang.types import TVar, Type, UnificationError, arrow, free_vars, is_arrow, resolve, split_arrow, unify
from neurosym.library import Library
from neurosym.search.base import Budget, Clock, SearchResult, score_program
from neurosym.search.sketches import SketchSplit, sketch_splits
from neurosym.task import Example, Task

#: the share of a search's budget the splits get, among them all, by default
DEFAULT_SPLIT_SHARE = 0.25
#: the sketches' part of that share, among them all: every count or boolean list task has
#: sketches, where a split at map or filter needs examples of the right shape (chosen on
#: DreamCoder's training half at 150,000 candidates: 1.0 and 0.4 solved 103 of 109, 0.4
#: with fewer candidates; 0.15 solved 102)
SKETCH_FRACTION = 0.4
#: once a split solves a task, the whole program's search may take this many times the
#: candidates spent so far (at least DOUBT_MINIMUM) to find a cheaper program
DOUBT_FACTOR = 4
DOUBT_MINIMUM = 5_000
#: at most this many distinct examples in a split's task: elements beyond them add little
#: evidence and cost every candidate an evaluation each
MAX_SPLIT_EXAMPLES = 60


def check_split_share(share: float) -> None:
    if not 0 <= share < 1:
        raise InvalidArgument(f"split_share is a share of the budget in [0, 1), got {share!r}")


@dataclass(frozen=True)
class Split:
    """The task of the function argument of `primitive` applied to input `argument`.
    With `with_inputs`, that task's inputs are the whole task's inputs and then the
    element (so the function is `\\a1 .. an x -> ...`); otherwise the element alone."""

    primitive: str
    argument: int
    with_inputs: bool
    task: Task

    def describe(self) -> str:
        return f"split at {self.primitive} (input {self.argument}{', with the inputs' if self.with_inputs else ''})"

    def compose(self, function: Expr, n_args: int) -> Expr:
        """The whole task's program from a program of the split's task: `primitive`
        applied to the function and to the input, under the task's own lambdas. The
        function's body sees the element as variable 0 and the task's inputs above it,
        in the split's task and inside the new lambda alike."""
        params = n_args + 1 if self.with_inputs else 1
        body, stripped = function, 0
        while stripped < params and isinstance(body, Lam):
            body, stripped = body.body, stripped + 1
        missing = params - stripped  # an eta-reduced function: applied to the parameters it lacks
        body = apply(shift(body, missing), *[Var(i) for i in reversed(range(missing))])
        program: Expr = apply(Prim(self.primitive), eta_reduce(body, 1), Var(n_args - 1 - self.argument))
        for _ in range(n_args):
            program = Lam(program)
        return program


def splits(task: Task, library: Library) -> list[Split]:
    """The splits the task's examples allow at the library's splitting primitives, those
    on the element alone first."""
    dsl = library.dsl
    names = set(library.names())
    arg_types, ret = split_arrow(task.type)
    alone: list[Split] = []
    with_inputs: list[Split] = []
    for record in dsl.primitives:
        if record.deduce is None or record.name not in names:
            continue
        for i, t in enumerate(arg_types):
            shape = _function_type(record.type, t, ret)
            if shape is None:
                continue
            pairs = _element_examples(record.deduce, task, i)
            if pairs is None:
                continue
            element, result = shape
            single = _distinct(((x,), y) for _, x, y in pairs)
            if single is not None:
                alone.append(Split(record.name, i, False, _sub_task(task, record.name, (element,), result, single)))
            elif len(arg_types) > 1:  # other inputs may say what an element becomes
                both = _distinct((tuple(ex.inputs) + (x,), y) for ex, x, y in pairs)
                if both is not None:
                    with_inputs.append(Split(record.name, i, True,
                                             _sub_task(task, record.name, (*arg_types, element), result, both)))
    return alone + with_inputs


def _function_type(prim_type: Type, arg: Type, ret: Type) -> tuple[Type, Type] | None:
    """For a primitive of type `(a -> b) -> list a -> r`: the function's parameter and
    result types when its list argument is `arg` and its result the task's `ret`."""
    params, result = split_arrow(prim_type)
    if len(params) != 2 or not is_arrow(params[0]):
        return None
    fn_params, fn_result = split_arrow(params[0])
    if len(fn_params) != 1:
        return None
    renamed = {v: TVar(f"d#{v}") for v in free_vars(prim_type)}
    subst: dict = {}
    try:
        unify(resolve(params[1], renamed), arg, subst)
        unify(resolve(result, renamed), ret, subst)
    except UnificationError:
        return None
    element, out = resolve(resolve(fn_params[0], renamed), subst), resolve(resolve(fn_result, renamed), subst)
    if any(v.startswith("d#") for v in free_vars(element) | free_vars(out)):
        return None  # the function's types are not fixed by the task's
    return element, out


def _element_examples(deduce: Any, task: Task, i: int) -> list[tuple[Example, Any, Any]] | None:
    """(example, element, result) for every element of input `i` of every example, or
    None when some example is not what the primitive could give."""
    out = []
    for ex in task.examples:
        try:
            pairs = deduce(ex.inputs[i], ex.output)
        except Exception:  # a value the rule cannot read (an unhashable element, say)
            return None
        if pairs is None:
            return None
        out.extend((ex, x, y) for x, y in pairs)
    return out if out else None


def _distinct(rows: Any) -> list[tuple[tuple, Any]] | None:
    """The distinct (inputs, result) rows, or None when equal inputs need different
    results (no function of these inputs gives both)."""
    seen: dict = {}
    try:
        for inputs, result in rows:
            if seen.setdefault(inputs, result) != result:
                return None
    except TypeError:  # unhashable values cannot be compared this way
        return None
    return list(seen.items())


def _sub_task(task: Task, primitive: str, params: tuple[Type, ...], result: Type,
              rows: list[tuple[tuple, Any]]) -> Task:
    examples = tuple(Example(inputs, output) for inputs, output in rows[:MAX_SPLIT_EXAMPLES])
    return Task(f"{task.name} ({primitive}'s function)", arrow(*params, result), examples, dsl=task.dsl)


def search_splits(search: Callable[[Task, Budget], SearchResult],
                  accepting: Callable[[Task, Budget, Callable[[tuple], bool]], tuple[Expr | None, int]],
                  task: Task, library: Library, budget: Budget, clock: Clock, share: float
                  ) -> tuple[Expr | None, tuple[str, ...]]:
    """Search each split's task (`search`) and each sketch's predicate (`accepting`, an
    enumeration whose solutions `accept` decides; sketches.py) in turn, with `share` of
    `budget` among them all, counting their candidates on `clock`; the first whose
    program solves the whole task wins. Returns that program (or None) and a line per
    split tried, for the trace."""
    at_primitives, sketches = splits(task, library), sketch_splits(task, library)
    trace: list[str] = []
    n_args = len(task.arg_types)
    shares = ([(s, share / len(at_primitives)) for s in at_primitives]
              + [(s, share * SKETCH_FRACTION / len(sketches)) for s in sketches])
    for split, fraction in shares:
        part = _share(budget, clock, fraction)
        if part is None:
            break
        if isinstance(split, SketchSplit):
            function, spent = accepting(split.task, part, split.accept)
        else:
            result = search(split.task, part)
            function, spent = (result.program if result.solved else None), result.candidates
        clock.candidates += spent
        how = split.describe()
        if function is not None:
            program = split.compose(function, n_args)
            if score_program(task, library, program).solved:
                trace.append(f"{how}: its function found in {spent:,} candidates")
                return program, tuple(trace)
        trace.append(f"{how}: no function found in {spent:,} candidates")
    return None, tuple(trace)


def _share(budget: Budget, clock: Clock, fraction: float) -> Budget | None:
    """`fraction` of the budget, within what is left of it (None when nothing is)."""
    seconds = candidates = None
    if budget.seconds is not None:
        seconds = min(budget.seconds * fraction, budget.seconds - clock.elapsed())
        if seconds <= 0:
            return None
    if budget.candidates is not None:
        candidates = min(int(budget.candidates * fraction), budget.candidates - clock.candidates)
        if candidates <= 0:
            return None
    return Budget(seconds=seconds, candidates=candidates)


def remaining(budget: Budget, clock: Clock) -> Budget | None:
    """What is left of `budget` after what `clock` counted (None when nothing is)."""
    return _share(budget, clock, 1.0)


def doubt_budget(rest: Budget, spent: int) -> Budget:
    """The whole program's budget once a split has solved the task: DOUBT_FACTOR times
    what was spent (at least DOUBT_MINIMUM candidates), within what is left."""
    extra = max(DOUBT_MINIMUM, DOUBT_FACTOR * spent)
    return Budget(seconds=rest.seconds, candidates=extra if rest.candidates is None else min(rest.candidates, extra))
