"""Names and docs for routines from what they do, not only from what they are built of.

Abstraction learning names a routine after the primitives in its body (`map_by_add`),
which says how it is built but not what it computes, and a reader of a library has to
work that out from the definition. Here a routine is run on a few sample inputs built
from its type; the first runs become its one-line doc (`[3, 1, 2] -> 6; ...`), and where
the runs agree with a known function on every sample (a catalogue of reference
behaviours by type: `sum`, `count_eq`, `filter_gt`, ...), that function's name becomes
the routine's name. Every run is a compiled program under small limits, so a routine
that faults, runs out of steps or cannot be compiled gets a doc saying so, never an
exception.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Callable, Collection, Iterator, Mapping, Sequence

from neurosym.lang.ast import Expr, Prim
from neurosym.lang.compiler import EvalResult, compile_program
from neurosym.lang.routine_compiler import compile_routines
from neurosym.lang.dsl import DSL
from neurosym.lang.parser import parse, parse_type
from neurosym.lang.primitives import Limits, runtime_for
from neurosym.lang.printer import RESERVED, format_expr, variable_name
from neurosym.lang.rewrite import rename_primitives
from neurosym.lang.typecheck import infer_type
from neurosym.lang.types import TCon, Type, format_type, free_vars, instance_of, is_arrow, rename, split_arrow
from neurosym.lang.values import format_value, same_value
from neurosym.library.behaviours import CATALOGUE
from neurosym.library.library import Library

__all__ = ["PROBE_LIMITS", "Sample", "behaviour_examples", "behaviour_name", "describe", "doc_line",
           "probe_values", "redocument", "unique_name", "with_probe_value"]

PROBE_LIMITS = Limits(steps=10_000, max_list=1_000, max_int=10**15)
"""The caps of every sample run: the inputs are tiny, so a run that needs more is broken."""

MAX_RUNS = 200  # sample inputs tried per routine (the diagonal first, then the rest of the product)
MAX_FUNCTIONS = 3  # sample functions per function-typed parameter
MIN_AGREEMENTS = 3  # samples on which a reference must be defined (and agree) to name a routine
VALUE_WIDTH = 40  # characters of one value in a doc

# Sample values where a value type's own samples say too little (the base samples of
# `int` are 0 and 1, of `list a` only []): small, non-negative (Python's and the
# language's `/` and `%` agree there), with repeats, order and lengths that tell the
# catalogue's functions apart.
_INTS = (2, 4, 0, 1, 3)
_INT_LISTS = ((3, 1, 2), (5, 0, 4, 4), (), (1,), (2, 7, 6, 3, 6), (1, 2, 2, 5), (4, 1, 4))
# Sample functions in the base language; each is offered where its type fits a parameter.
_FUNCTIONS = (r"\x -> x + 1", r"\x -> x * 2", r"\x -> 2 < x", r"\x -> x % 2 == 0", r"\x -> x == 1",
              r"\x y -> x + y", r"\x y -> x - y", r"\x y -> x * y", r"\x y -> x < y", r"\x y -> x == y",
              r"\x -> not x", r"\x -> range x", r"\x -> x", r"\x y -> x", r"\x y -> y", r"\x -> length x",
              r"\x -> head x")


@dataclass(frozen=True)
class Sample:
    """A function passed to a routine as a sample input: its text (for docs) and value."""

    text: str
    value: Any = field(compare=False, repr=False)


Example = tuple[tuple[Any, ...], Any]  # (inputs, output); function inputs are Samples


def unique_name(base: str, taken: Collection[str]) -> str:
    """`base`, or a variant of it not in `taken`: `map_by` for the name of a primitive
    (a variant of it), then `map_by_2`, ..."""
    if base in taken or base in RESERVED or base == variable_name(0):
        base = f"{base}_by"
    name, k = base, 2
    while name in taken:
        name, k = f"{base}_{k}", k + 1
    return name


# -- sample inputs --------------------------------------------------------------------
def _probe_type(t: Type, dsl: DSL) -> Type:
    """The type the routine is run at: every type variable made `int` (where the DSL has
    ints), which is what the sample values and the catalogue are written for."""
    if dsl.value_type_named("int") is None or not free_vars(t):
        return t
    return rename(t, {v: TCon("int") for v in free_vars(t)})


@lru_cache(maxsize=8)
def _function_texts(dsl: DSL) -> tuple[tuple[str, Expr, Type], ...]:
    """The sample functions this DSL can read and type, with their types."""
    out = []
    for text in _FUNCTIONS:
        try:
            e = parse(text, dsl)
            out.append((format_expr(e, dsl=dsl), e, infer_type(e, dsl.env(), dsl)))
        except Exception:  # a language without `+` or `<`: that sample is not offered
            continue
    return tuple(out)


def _functions(t: Type, dsl: DSL) -> tuple[Sample, ...]:
    out = []
    for text, e, general in _function_texts(dsl):
        if len(out) == MAX_FUNCTIONS:
            break
        if instance_of(general, t):
            result = compile_program(e, PROBE_LIMITS, dsl=dsl).run()
            if result.ok:
                out.append(Sample(text, result.value))
    return tuple(out)


def _values(t: Type, dsl: DSL, depth: int = 0) -> tuple:
    """A few sample values of type `t` (a function type gets sample functions)."""
    if is_arrow(t):
        return _functions(t, dsl)
    if not isinstance(t, TCon) or depth > 3:
        return ()
    vt = dsl.value_type_named(t.name)
    if vt is None:
        return ()
    own: tuple = ()
    if t == TCon("int"):
        own = _INTS
    elif t == TCon("list", (TCon("int"),)):
        own = _INT_LISTS
    try:
        samples = vt.samples([_values(a, dsl, depth + 1) for a in t.args]) if callable(vt.samples) else vt.samples
        samples = tuple(samples)
    except Exception:  # a user's sample function that fails on these parts
        samples = ()
    distinct: list = []
    for v in own + samples:
        if not any(same_value(v, w, dsl) for w in distinct):
            distinct.append(v)
    return tuple(distinct)


def _combinations(pools: Sequence[tuple]) -> Iterator[tuple]:
    """Inputs for every parameter: first a diagonal in which every parameter varies (so
    that the first examples differ in each), then the rest of the product."""
    longest = max((len(p) for p in pools), default=0)
    if not pools:
        yield ()
        return
    seen = set()
    for i in range(longest):
        index = tuple(i % len(p) for p in pools)
        seen.add(index)
        yield tuple(p[j] for p, j in zip(pools, index))
    for index in itertools.product(*(range(len(p)) for p in pools)):
        if index not in seen:
            yield tuple(p[j] for p, j in zip(pools, index))


def probe_values(library: Library) -> dict[str, Any]:
    """A library's routines compiled for sample runs (under PROBE_LIMITS); {} when they
    do not compile (their users' runs then fail, and their docs say so)."""
    try:
        return dict(library.routine_values(PROBE_LIMITS))
    except Exception:
        return {}


def with_probe_value(values: Mapping[str, Any], name: str, body: Expr, dsl: DSL) -> dict[str, Any]:
    """`values` and routine `name` compiled for sample runs (for routines named one by
    one, each using the earlier ones); `values` unchanged where `body` does not compile."""
    try:
        return compile_routines([(name, body)], PROBE_LIMITS, initial=values, dsl=dsl)
    except Exception:
        return dict(values)


@dataclass(frozen=True)
class _Run:
    inputs: tuple
    result: EvalResult


def _runs(body: Expr, routine_type: Type, dsl: DSL, library_values: Mapping[str, Any] | Library | None
          ) -> tuple[list[_Run], str]:
    """The routine run on its sample inputs, and "" or why it could not be run at all."""
    t = _probe_type(routine_type, dsl)
    params, _ = split_arrow(t)
    pools = [_values(p, dsl) for p in params]
    empty = [p for p, pool in zip(params, pools) if not pool]
    if empty:
        return [], f"no sample inputs of type {format_type(empty[0])}"
    values = probe_values(library_values) if isinstance(library_values, Library) else dict(library_values or {})
    try:
        program = compile_program(body, PROBE_LIMITS, routines=values, dsl=dsl)
    except Exception as err:  # a body naming a routine that is not there
        return [], f"cannot be run: {err}"
    runs = []
    for inputs in itertools.islice(_combinations(pools), MAX_RUNS):
        result = program.run(*(v.value if isinstance(v, Sample) else v for v in inputs))
        runs.append(_Run(inputs, result))
    return runs, ""


def behaviour_examples(routine_body: Expr, routine_type: Type, dsl: DSL,
                       library_values: Mapping[str, Any] | Library | None = None, n: int = 3) -> list[Example]:
    """Up to `n` (inputs, output) pairs of runs that succeed, on sample inputs built from
    the routine's type (type variables taken as `int`; function parameters get sample
    functions, as `Sample`s). `library_values`: the routines the body may use, compiled
    under PROBE_LIMITS (`probe_values(library)`), or the library itself."""
    runs, _ = _runs(routine_body, routine_type, dsl, library_values)
    return [(r.inputs, r.result.value) for r in runs if r.result.ok][:n]


# -- docs -----------------------------------------------------------------------------
def _shown(value: Any, dsl: DSL) -> str:
    if isinstance(value, Sample):
        return f"({value.text})"
    text = format_value(value, VALUE_WIDTH, dsl)
    return f"({text})" if text.startswith("-") else text  # `f (-1) [2]`, not `f -1 [2]`


def _example_text(inputs: tuple, output: Any, dsl: DSL) -> str:
    if not inputs:
        return f"= {format_value(output, VALUE_WIDTH, dsl)}"
    return f"{' '.join(_shown(v, dsl) for v in inputs)} -> {format_value(output, VALUE_WIDTH, dsl)}"


def _doc(runs: list[_Run], problem: str, dsl: DSL, n: int) -> str:
    if problem:
        return problem
    ok = _telling([r for r in runs if r.result.ok], n)
    if not ok:
        reason = " ".join(runs[0].result.error.split())[:80] if runs else ""
        return f"fails on every sample input ({reason})" if reason else "fails on every sample input"
    return "; ".join(_example_text(r.inputs, r.result.value, dsl) for r in ok)


def _telling(runs: list[_Run], n: int) -> list[_Run]:
    """Up to `n` runs, those with outputs not shown yet first (so that `eq_mod`'s doc
    shows a true beside a false, not three falses), in the order they were run."""
    chosen, shown = [], set()
    for i, r in enumerate(runs):
        key = repr(r.result.value)
        if key not in shown and len(chosen) < n:
            chosen.append(i)
            shown.add(key)
    chosen += [i for i in range(len(runs)) if i not in chosen][: n - len(chosen)]
    return [runs[i] for i in sorted(chosen)]


def doc_line(routine_body: Expr, routine_type: Type, dsl: DSL,
             library_values: Mapping[str, Any] | Library | None = None, n: int = 3) -> str:
    """One line of examples in the language's notation: `[3, 1, 2] -> 6; [] -> 0`,
    `2 [3, 1, 2] -> [3]`; or why there are none (`fails on every sample input (...)`)."""
    runs, problem = _runs(routine_body, routine_type, dsl, library_values)
    return _doc(runs, problem, dsl, n)


# -- behaviour names ------------------------------------------------------------------
@lru_cache(maxsize=1)
def _catalogue() -> dict[Type, tuple[tuple[str, Callable[..., Any]], ...]]:
    return {parse_type(text): entries for text, entries in CATALOGUE.items()}


def _as_runtime(value: Any) -> Any:
    """A reference's result as the language holds it (lists are tuples)."""
    if isinstance(value, (list, tuple)):
        return tuple(_as_runtime(v) for v in value)
    return value


def _agrees(reference: Callable[..., Any], runs: list[_Run], dsl: DSL) -> bool:
    runtime = runtime_for(PROBE_LIMITS, dsl)  # the sample functions count their steps here
    agreed = 0
    for run in runs:
        runtime.reset()
        try:
            expected = _as_runtime(reference(*(v.value if isinstance(v, Sample) else v for v in run.inputs)))
        except Exception:  # the reference is not defined here (max of [], a division by 0)
            continue
        if not run.result.ok or not same_value(run.result.value, expected, dsl):
            return False
        agreed += 1
    return agreed >= MIN_AGREEMENTS


def _behaviour(runs: list[_Run], routine_type: Type, dsl: DSL) -> str | None:
    t = _probe_type(routine_type, dsl)
    for name, reference in _catalogue().get(t, ()):
        if _agrees(reference, runs, dsl):
            return name
    return None


def behaviour_name(routine_body: Expr, routine_type: Type, dsl: DSL,
                   library_values: Mapping[str, Any] | Library | None = None,
                   taken: Collection[str] = ()) -> str | None:
    """The name of the catalogue's function the routine computes on every sample input,
    made unique against `taken` as structural names are (`filter_by` for one that is the
    primitive `filter`); None when none agrees (the caller keeps the structural name)."""
    return describe(routine_body, routine_type, dsl, library_values, taken)[0]


def describe(routine_body: Expr, routine_type: Type, dsl: DSL,
             library_values: Mapping[str, Any] | Library | None = None, taken: Collection[str] = (),
             n: int = 3) -> tuple[str | None, str]:
    """`(behaviour_name, doc_line)` from one set of sample runs."""
    runs, problem = _runs(routine_body, routine_type, dsl, library_values)
    name = _behaviour(runs, routine_type, dsl) if runs else None
    return (unique_name(name, taken) if name else None), _doc(runs, problem, dsl, n)


# -- a library's routines, redocumented ---------------------------------------------------


def _mentions_renamed(name: str, renames: Mapping[str, str]) -> str:
    """A structural name with the names of renamed routines in it replaced
    (`eq_1_length_filter_eq` -> `eq_1_count_eq`)."""
    if not renames:
        return name
    words = "|".join(re.escape(old) for old in sorted(renames, key=len, reverse=True))
    return re.sub(rf"(?<![A-Za-z0-9])(?:{words})(?![A-Za-z0-9])", lambda m: renames[m.group(0)], name)


def redocument(library: Library) -> Library:
    """`library` with every routine's doc recomputed from sample runs, and each routine
    that computes a function of the catalogue renamed after it (others keep their names,
    except that a name mentioning a renamed routine follows it). Bodies, productions and
    weights follow the renames; types, provenance (`produced_by`, `used_by`), creation
    and versions are kept."""
    dsl = library.dsl
    values = probe_values(library)  # the bodies are run as they stand, under the old names
    taken = set(library.names()) | {r.name for r in library.routines} | {n.name for n in library.neural}
    renames: dict[str, str] = {}
    routines = []
    for r in library.routines:
        taken.discard(r.name)  # a routine may keep its own name
        name, doc = describe(r.body, r.type, dsl, values, taken)
        if name is None:
            mentioned = _mentions_renamed(r.name, renames)
            name = r.name if mentioned == r.name else unique_name(mentioned, taken)
        taken.add(name)
        if name != r.name:
            renames[r.name] = name
        routines.append(replace(r, name=name, doc=doc))
    if renames:
        routines = [replace(r, body=rename_primitives(r.body, renames)) for r in routines]
    productions = tuple(replace(p, name=renames[p.name], expr=Prim(renames[p.name])) if p.name in renames else p
                        for p in library.productions)
    return replace(library, productions=productions, routines=tuple(routines), _compiled={})
