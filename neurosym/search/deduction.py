"""Splitting a task at a higher-order primitive: the examples its function argument must meet.

When every example of a list task is what `map f xs` or `filter p xs` could give, the
examples themselves say what `f` (or `p`) does on each element: `map` pairs the i-th
input element with the i-th output element, `filter` marks each element kept or dropped.
Searching for that function alone is a task over single values with many examples,
far cheaper than searching the whole program (`map (\\x -> (x + 1) % 3)` is five nodes
of arithmetic on numbers), which is how lambda-squared (Feser et al., 2015) and FlashFill
split problems. The DSL says which primitives split and how (a primitive record's
`deduce`), so a language of one's own can split at its own combinators.

A fold that puts the same number of elements before its accumulator at every element
(a scan, each element twice) is split too: its accumulator at element i is the output
after the elements the later ones put there, so `fold f [] xs` gives f's examples on
(element, accumulator) pairs; where f puts one element, the task is that element's
(`suffix-sums`: `x + head acc`, consed on by the split). With the list and the output
reversed, the same reading is a left fold (`prefix-sums`, `prefix-max`); where one way
is a scan and the other not, the scan alone is tried. A fold is not
tried on an input a map already splits (its accumulator would add nothing the map's
function reads), and gets its own part of the share (FOLD_FRACTION).

A filter of positions rather than values (`even-positions`) is split in positions.py,
a rearrangement (`rotate-k`) at the positions it moves in permutations.py, a map after a
filter (`square-evens`) in filter_map.py, several arguments of one type as their list
(`smallest`: `head (sort [a, b, c, d])`) in argument_list.py, a number's running total
over 1..n (`sum-of-squares`) in running_total.py; all are tried here with the others.

Sketches (sketches.py: `length (filter p xs)` and the like) are tried alongside, with
a part of the same share.

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
from neurosym.lang.ast import Expr, Lam, Lit, Prim, Var, apply
from neurosym.lang.dsl import Deduced
from neurosym.lang.rewrite import eta_reduce, lambda_body
from neurosym.lang.types import (
    TCon, TVar, Type, UnificationError, arrow, free_vars, is_arrow, resolve, split_arrow, unify,
)
from neurosym.library import Library
from neurosym.search.argument_list import argument_list_splits
from neurosym.search.base import Budget, Clock, SearchResult, score_program
from neurosym.search.filter_map import FilterMapSplit, filter_map_splits
from neurosym.search.permutations import permutation_splits
from neurosym.search.positions import position_splits
from neurosym.search.running_total import RunningTotalSplit, running_total_splits
from neurosym.search.sketches import SketchSplit, sketch_splits
from neurosym.task import Example, Task

#: the share of a search's budget the splits get, among them all, by default
DEFAULT_SPLIT_SHARE = 0.25
#: the sketches' part of that share, among those whose predicate reads the element alone
#: (those that read the task's inputs too get as much again): every count or boolean list task has
#: sketches, where a split at map or filter needs examples of the right shape (chosen on
#: DreamCoder's training half at 150,000 candidates: 1.0 and 0.4 solved 103 of 109, 0.4
#: with fewer candidates; 0.15 solved 102)
SKETCH_FRACTION = 0.4
#: the folds' part of that share, among them all: every list task whose output is as
#: long as its input (or twice as long...) has a split at fold each way
FOLD_FRACTION = 0.4
#: the positional filters' part (positions.py): take, drop and slices keep positions too,
#: and are cheaper searched whole (set with the folds', not tuned)
POSITION_FRACTION = 0.4
#: the part of each split of the arguments as a whole: several as a list
#: (argument_list.py), a number as the bound of a running total (running_total.py); set
#: with the folds', not tuned
ARGUMENTS_FRACTION = 0.4
#: once a split solves a task, the whole program's search may take this many times the
#: candidates spent so far (at least DOUBT_MINIMUM) to find a cheaper program
DOUBT_FACTOR = 4
DOUBT_MINIMUM = 5_000
#: at most this many distinct examples in a split's task: elements beyond them add little
#: evidence and cost every candidate an evaluation each
MAX_SPLIT_EXAMPLES = 60
#: a fold's accumulators are the output's suffixes, as many as the list's elements:
#: past this length their rows would cost more than the split could save
MAX_FOLD_LENGTH = 100


def check_split_share(share: float) -> None:
    if not 0 <= share < 1:
        raise InvalidArgument(f"split_share is a share of the budget in [0, 1), got {share!r}")


@dataclass(frozen=True)
class Split:
    """The task of the function argument of `primitive` applied to input `argument`.
    With `with_inputs`, that task's inputs are the whole task's inputs and then the
    function's parameters (so the function is `\\a1 .. an x -> ...`); otherwise the
    parameters alone. `params`: the function's number of parameters (fold's two);
    `fixed`: the primitive's arguments between the function and the list (fold's seed);
    `reverse`: the primitive reads the list reversed and its output is reversed (a left
    fold); `cons_onto`: the function's result is its task's result consed onto that
    parameter (a fold that puts one element before its accumulator: the task is that
    element's)."""

    primitive: str
    argument: int
    with_inputs: bool
    task: Task
    params: int = 1
    fixed: tuple[Expr, ...] = ()
    reverse: bool = False
    cons_onto: int | None = None

    def describe(self) -> str:
        how = [f"input {self.argument}"] + ["reversed"] * self.reverse + ["with the inputs"] * self.with_inputs
        return f"split at {self.primitive} ({', '.join(how)})"

    def compose(self, function: Expr, n_args: int) -> Expr:
        """The whole task's program from a program of the split's task: `primitive`
        applied to the function and to the input, under the task's own lambdas. The
        function's body sees its parameters as the innermost variables and the task's
        inputs above them, in the split's task and inside the new lambda alike."""
        body = lambda_body(function, n_args + self.params if self.with_inputs else self.params)
        if self.cons_onto is not None:
            body = apply(Prim("cons"), body, Var(self.params - 1 - self.cons_onto))
        xs: Expr = Var(n_args - 1 - self.argument)
        if self.reverse:
            xs = apply(Prim("reverse"), xs)
        program: Expr = apply(Prim(self.primitive), eta_reduce(body, self.params), *self.fixed, xs)
        if self.reverse:
            program = apply(Prim("reverse"), program)
        for _ in range(n_args):
            program = Lam(program)
        return program


def splits(task: Task, library: Library) -> list[Split]:
    """The splits the task's examples allow at the library's splitting primitives, those
    on the function's parameters alone first; each also with the list and the output
    reversed where the library has `reverse` and that gives the function other examples
    (a left fold; a map or a filter gives the same ones). Of a fold's two ways, where
    one is a scan (each element put on is a function of the element and the one put
    before it) and the other not, only the scan is kept."""
    names = set(library.names())
    views = (False, True) if "reverse" in names else (False,)
    arg_types, ret = split_arrow(task.type)
    found: list[Split] = []
    for record in library.dsl.primitives:
        if record.deduce is None or record.name not in names:
            continue
        for i, t in enumerate(arg_types):
            shape = _function_type(record.type, t, ret)
            if shape is None or (len(shape[0]) > 1 and any(s.argument == i for s in found)):
                continue  # a map already splits it: a fold's accumulator would add what its function ignores
            ways: list[tuple[Split, bool]] = []
            for reverse in views:
                way = _view_split(task, library, record, i, reverse, *shape)
                if way is not None and all(frozenset(way[0].task.examples) != frozenset(w.task.examples)
                                           for w, _ in ways):
                    ways.append(way)
            scans = [w for w, scan in ways if scan]
            found.extend(scans if scans else [w for w, _ in ways])
    return [s for s in found if not s.with_inputs] + [s for s in found if s.with_inputs]


def _view_split(task: Task, library: Library, record: Any, i: int, reverse: bool,
                params: tuple[Type, ...], result: Type) -> tuple[Split, bool] | None:
    """The split at `record` of input `i` (its list and the output reversed with
    `reverse`), and whether it is a scan; None where the examples allow none."""
    deduced = _element_examples(record.deduce, task, i, reverse, len(params))
    if deduced is None:
        return None
    fixed = tuple(_value_expr(v, library) for v in deduced[1])
    if None in fixed:
        return None
    rows, cons_onto, out = _cons_form(deduced[0], params, result, set(library.names()))
    kind = dict(params=len(params), fixed=fixed, reverse=reverse, cons_onto=cons_onto)
    scan = cons_onto is not None and _distinct(
        (tuple(a for j, a in enumerate(args) if j != cons_onto) + (args[cons_onto][:1],), y)
        for _, args, y in rows) is not None
    single = _distinct((args, y) for _, args, y in rows)
    if single is not None:
        return Split(record.name, i, False, _sub_task(task, record.name, params, out, single), **kind), scan
    if len(task.arg_types) > 1:  # other inputs may say what an element becomes
        both = _distinct((tuple(ex.inputs) + args, y) for ex, args, y in rows)
        if both is not None:
            sub = _sub_task(task, record.name, (*task.arg_types, *params), out, both)
            return Split(record.name, i, True, sub, **kind), scan
    return None


def _function_type(prim_type: Type, arg: Type, ret: Type) -> tuple[tuple[Type, ...], Type] | None:
    """For a primitive of type `(a -> b) -> list a -> r` (or with more parameters and
    arguments between, as fold's): the function's parameter and result types when its
    list argument is `arg` and its result the task's `ret`."""
    params, result = split_arrow(prim_type)
    if len(params) < 2 or not is_arrow(params[0]):
        return None
    fn_params, fn_result = split_arrow(params[0])
    renamed = {v: TVar(f"d#{v}") for v in free_vars(prim_type)}
    subst: dict = {}
    try:
        unify(resolve(params[-1], renamed), arg, subst)
        unify(resolve(result, renamed), ret, subst)
    except UnificationError:
        return None
    types = tuple(resolve(resolve(t, renamed), subst) for t in (*fn_params, fn_result))
    if any(v.startswith("d#") for t in types for v in free_vars(t)):
        return None  # the function's types are not fixed by the task's
    return types[:-1], types[-1]


def _element_examples(deduce: Any, task: Task, i: int, reverse: bool, n_params: int
                      ) -> tuple[list[tuple[Example, tuple, Any]], tuple] | None:
    """(example, arguments, result) for every call of the function on every example,
    and the primitive's fixed arguments, or None when some example is not what the
    primitive could give (or the examples need different fixed arguments)."""
    out: list[tuple[Example, tuple, Any]] = []
    fixed: tuple | None = None
    for ex in task.examples:
        xs, ys = ex.inputs[i], ex.output
        if n_params > 1 and len(xs) > MAX_FOLD_LENGTH:
            return None
        if reverse:
            if not isinstance(ys, tuple):
                return None
            xs, ys = xs[::-1], ys[::-1]
        try:
            deduced = deduce(xs, ys)
        except Exception:  # a value the rule cannot read (an unhashable element, say)
            return None
        if deduced is None:
            return None
        if not isinstance(deduced, Deduced):  # the one-parameter shorthand: (element, result) pairs
            deduced = Deduced(tuple(((x,), y) for x, y in deduced))
        if fixed is not None and deduced.fixed != fixed:
            return None
        fixed = deduced.fixed
        if any(len(args) != n_params for args, _ in deduced.rows):
            return None
        out.extend((ex, tuple(args), y) for args, y in deduced.rows)
    return (out, fixed or ()) if out else None


def _cons_form(rows: list[tuple[Example, tuple, Any]], params: tuple[Type, ...], result: Type, names: set[str]
               ) -> tuple[list[tuple[Example, tuple, Any]], int | None, Type]:
    """Where every result is one value consed onto the same parameter (a fold putting
    one element before its accumulator), the rows of that value alone, the parameter and
    the value's type; else the rows as they are."""
    if "cons" not in names or not (isinstance(result, TCon) and result.name == "list"):
        return rows, None, result
    for j, p in enumerate(params):
        if p == result and all(isinstance(y, tuple) and y and y[1:] == args[j] for _, args, y in rows):
            return [(ex, args, y[0]) for ex, args, y in rows], j, result.args[0]
    return rows, None, result


def _value_expr(value: Any, library: Library) -> Expr | None:
    """A term for a fixed argument's value: a nullary primitive of the library that
    gives it, or an integer literal."""
    for record in library.dsl.primitives:
        if record.arity == 0 and record.fn is not None and record.name in library.names():
            try:
                if record.fn() == value and type(record.fn()) is type(value):
                    return Prim(record.name)
            except Exception:  # a nullary primitive that faults is no constant
                continue
    if type(value) is int:
        return Lit(value)
    return None


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


def search_splits(search: Callable[[Task, Budget, Callable[[Expr], bool]], SearchResult],
                  accepting: Callable[[Task, Budget, Callable[[tuple], bool]], tuple[Expr | None, int]],
                  task: Task, library: Library, budget: Budget, clock: Clock, share: float,
                  nested: bool = False) -> tuple[Expr | None, tuple[str, ...]]:
    """Search each split's task (`search`, taking only a function whose program solves the
    whole task: per element a function may fit where the whole program, run under one
    step budget, does not) and each sketch's predicate (`accepting`, an
    enumeration whose solutions `accept` decides; sketches.py) in turn, counting their
    candidates on `clock`: the splits at map and filter get `share` of `budget` among
    them, the folds, the positional filters with the rearrangements and the maps after a
    filter (positions.py, permutations.py, filter_map.py: twice, the predicate and then
    the function), the arguments as a list or a running total's bound
    (argument_list.py, running_total.py) and the sketches each a part of it (FOLD_FRACTION,
    POSITION_FRACTION, ARGUMENTS_FRACTION, SKETCH_FRACTION); the first whose program
    solves the whole task wins. Returns that program (or None) and a line per split
    tried, for the trace. `nested`: `task` is a split's own (a map's function, say): the
    splits of a task's arguments as a whole (as a list, a running total's bound) are
    left out there, where they seldom apply and would cost candidates every time."""
    at_primitives, positions = splits(task, library), position_splits(task, library)
    positions += permutation_splits(task, library) + filter_map_splits(task, library)
    arguments = [] if nested else argument_list_splits(task, library) + running_total_splits(task, library)
    sketches = sketch_splits(task, library)
    trace: list[str] = []
    n_args = len(task.arg_types)
    singles = [s for s in at_primitives if s.params == 1]
    folds = [s for s in at_primitives if s.params > 1]
    by_element = [s for s in sketches if not s.with_inputs]  # those reading the inputs get as much again
    shares = ([(s, share / len(singles)) for s in singles]
              + [(s, share * FOLD_FRACTION / len(folds)) for s in folds]
              + [(s, share * POSITION_FRACTION / len(positions)) for s in positions]
              + [(s, share * ARGUMENTS_FRACTION) for s in arguments]
              + [(s, share * SKETCH_FRACTION / len(by_element or sketches)) for s in sketches])
    for split, fraction in shares:
        part = _share(budget, clock, fraction)
        if part is None:
            break
        if isinstance(split, (SketchSplit, RunningTotalSplit)):  # a function tested by its total effect
            function, spent = accepting(split.task, part, split.accept)
        elif isinstance(split, FilterMapSplit):  # the predicate by its test, then the map's function
            predicate, spent = accepting(split.task, part, split.accept)
            function, after = None, predicate and split.then(predicate, library)
            if after:
                result = search(after.task, part, _solves(task, library, after, n_args))
                function, spent, split = (result.program if result.solved else None), spent + result.candidates, after
        else:
            result = search(split.task, part, _solves(task, library, split, n_args))
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


def _solves(task: Task, library: Library, split: Any, n_args: int) -> Callable[[Expr], bool]:
    """Whether the program `split` makes of a function solves `task`."""
    return lambda function: score_program(task, library, split.compose(function, n_args)).solved


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
