"""Integer constants a task's examples point at, so that search can price the others dearer.

A base library holds the literals 0..5 alike, so every task pays for all six at every
leaf. Most tasks need 0, 1 or none; one that needs a larger constant usually shows it
in every example under some reading: a length (`take-k`), a length difference or ratio
(`drop-k`, `repeat-k`), an element-wise relation (`add-k`, `mult-k`, `pow-k`,
`modulo-k`, `x >= k`), a position where the output is found in the input (`index-k`,
`kth-largest`), an element added at an end (`append-k`), the count or presence of a
value (`count-k`, `has-k`), the test a filter keeps by (`keep-gt-k`), a bound on the
outputs (a modulus). `suggested_constants` gathers, among the candidate constants (a
library's integer literals), those every example agrees on under one reading (DeepCoder
reads features of the examples in the same manner to predict which functions appear),
and `EnumerativeSearcher(constants="by-need")` makes the literals it does not suggest
one cost unit dearer: not unreachable (a constant the examples hide still comes, one
unit later), only behind the ones they show. Where no reading applies to any example
(a task over strings), nothing is suggested and nothing made dearer.

A reading returns the candidates an example is consistent with, or None when the
example says nothing under it (an empty list has no element-wise relation), so an
uninformative example never vetoes a constant.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Mapping, Optional, Sequence

from neurosym.errors import InvalidArgument
from neurosym.lang.ast import Lit
from neurosym.library import Library
from neurosym.task import Example, Task

#: how the enumerator prices integer literals: all alike, or by what the examples show
CONSTANTS_MODES = ("by-need", "all")
DEFAULT_CONSTANTS = "by-need"
#: literals never made dearer: the identities of + and *, the first index, the empty count
ALWAYS_CHEAP = frozenset({0, 1})

Reading = Callable[[Example, frozenset[int]], Optional[set[int]]]

#: a reading that agrees on more candidates than this says nothing in particular
MAX_PER_READING = 2


def _int_list(v: Any) -> bool:
    return type(v) is tuple and all(type(x) is int for x in v)


def _lists(ex: Example) -> list[tuple]:
    return [v for v in ex.inputs if _int_list(v)]


def _lengths(measure: Callable[[int, int], set[int] | None]) -> Reading:
    """`measure(len(input), len(output))` of a list output and a list input (its output
    length, a length difference, a length ratio)."""

    def reading(ex: Example, universe: frozenset[int]) -> set[int] | None:
        out = ex.output
        if type(out) is not tuple:
            return None
        found: set[int] = set()
        informative = False
        for v in ex.inputs:
            if type(v) is tuple:
                got = measure(len(v), len(out))
                if got is not None:
                    informative = True
                    found |= got
        return found & universe if informative else None

    return reading


#: what lengths say: how long the output is, how much longer or shorter, how many times
#: as long (an empty input says nothing of that)
_LENGTHS = (
    lambda n, m: {m},
    lambda n, m: {n - m, m - n},
    lambda n, m: ({m // n} if m % n == 0 else set()) if n else None,
)


#: element-wise relations between an input element a, its output b and a constant c
_RELATIONS: tuple[Callable[[int, Any, int], bool], ...] = (
    lambda a, b, c: type(b) is int and b == a + c,
    lambda a, b, c: type(b) is int and b == a - c,
    lambda a, b, c: type(b) is int and b == a * c,
    lambda a, b, c: type(b) is int and 0 <= c <= 6 and b == a ** c,
    lambda a, b, c: type(b) is int and c != 0 and b == a % c,
    lambda a, b, c: type(b) is bool and b == (a >= c),
    lambda a, b, c: type(b) is bool and b == (a > c),
    lambda a, b, c: type(b) is bool and b == (a == c),
    lambda a, b, c: type(b) is bool and c != 0 and b == (a % c == 0),
)


def _elementwise(relation: Callable[[int, Any, int], bool]) -> Reading:
    """The constants of `relation` that every position of a list input and its output
    (or an int input and an int or bool output) satisfy."""

    def reading(ex: Example, universe: frozenset[int]) -> set[int] | None:
        out = ex.output
        pairs = [(a, b) for v in _lists(ex) if type(out) is tuple and len(v) == len(out) for a, b in zip(v, out)]
        pairs += [(a, out) for a in ex.inputs if type(a) is int and type(out) in (int, bool)]
        if all(a == b for a, b in pairs):  # none, or the identity: x % c for every c past them
            return None
        return {c for c in universe if all(relation(a, b, c) for a, b in pairs)}

    return reading


def _positions(order: Callable[[tuple], Sequence[int]]) -> Reading:
    """Where (0- or 1-based) in a list input, put in `order`, the value the output picks
    sits: an int output, an element added at an end, one value repeated; or where an
    element was removed or a slice starts (in the input as it is)."""

    def reading(ex: Example, universe: frozenset[int]) -> set[int] | None:
        out, lists = ex.output, _lists(ex)
        if not lists:
            return None
        picked: list[int] = []
        starts: set[int] = set()
        if type(out) is int:
            picked.append(out)
        elif _int_list(out) and out:
            for v in lists:
                added = _added_at_ends(out, v)
                if added:
                    picked += added
                elif len(out) == len(v) and len(set(out)) == 1:
                    picked.append(out[0])
                elif order is tuple and len(out) == len(v) - 1 and _subsequence(out, v):
                    i = next((i for i, (a, b) in enumerate(zip(v, out)) if a != b), len(out))
                    starts |= {i, i + 1}
                elif order is tuple and len(out) < len(v):
                    starts |= {i for i in range(len(v) - len(out) + 1) if v[i:i + len(out)] == out}
                    starts |= {i + 1 for i in set(starts)}
        if not picked and not starts:
            return None
        found = set(starts)
        for v in lists:
            for i, x in enumerate(order(v)):
                if x in picked:
                    found |= {i, i + 1}
        return found & universe

    return reading


def _added_at_ends(out: tuple, v: tuple) -> list[int]:
    """The element `out` adds at an end of `v` (where both ends fit, `out` is one value)."""
    if len(out) != len(v) + 1:
        return []
    return ([out[-1]] if out[:-1] == v else []) + ([out[0]] if out[1:] == v else [])


def _added(ex: Example, universe: frozenset[int]) -> set[int] | None:
    """The element added at an end of a list input."""
    out = ex.output
    if not _int_list(out):
        return None
    found = {x for v in _lists(ex) for x in _added_at_ends(out, v)}
    return found & universe if found else None


def _occurrences(ex: Example, universe: frozenset[int]) -> set[int] | None:
    """Values whose count in a list input is an int output, or whose presence a bool is."""
    out, lists = ex.output, _lists(ex)
    if not lists or type(out) not in (int, bool):
        return None
    if type(out) is bool:
        return {c for c in universe if any((c in v) == out for v in lists)}
    return {c for c in universe if any(v.count(c) == out for v in lists)}


#: tests a filter may keep elements by, for a constant c
_TESTS: tuple[Callable[[int, int], bool], ...] = (
    lambda x, c: x > c, lambda x, c: x < c, lambda x, c: x != c,
    lambda x, c: c != 0 and x % c == 0, lambda x, c: c != 0 and x % c != 0,
)


def _filtered(test: Callable[[int, int], bool]) -> Reading:
    """The constants of `test` that keep exactly the output's elements of a list input."""

    def reading(ex: Example, universe: frozenset[int]) -> set[int] | None:
        out = ex.output
        if not _int_list(out):
            return None
        found: set[int] = set()
        informative = False
        for v in _lists(ex):
            if len(out) < len(v) and _subsequence(out, v):
                informative = True
                found |= {c for c in universe if tuple(x for x in v if test(x, c)) == out}
        return found if informative else None

    return reading


def _subsequence(small: tuple, big: tuple) -> bool:
    it = iter(big)
    return all(x in it for x in small)


def _bound(ex: Example) -> int | None:
    """One past the largest integer of a list output: a modulus when outputs are residues."""
    out = ex.output
    return max(out) + 1 if _int_list(out) and out and min(out) >= 0 else None


#: each reading agrees across the examples on its own: a difference in one example and a
#: ratio in another suggest nothing
READINGS: tuple[Reading, ...] = (
    *map(_lengths, _LENGTHS), *map(_elementwise, _RELATIONS),
    *map(_positions, (tuple, sorted, lambda v: sorted(v, reverse=True))),
    _added, _occurrences, *map(_filtered, _TESTS),
)


def suggested_constants(task: Task, candidates: Iterable[int]) -> frozenset[int] | None:
    """The candidates that one reading finds in every informative example, at most
    MAX_PER_READING of them per reading, and one past the largest list output seen; None
    when no reading could read any example (strings, say): that is no sign that the task
    needs no constant."""
    universe = frozenset(c for c in candidates if type(c) is int)
    found: set[int] = set()
    informative = False
    for reading in READINGS:
        said = [r for r in (reading(ex, universe) for ex in task.examples) if r is not None]
        informative = informative or bool(said)
        agreed = set.intersection(*said) if said else set()
        if len(agreed) <= MAX_PER_READING:
            found |= agreed
    if not informative:
        return None
    bounds = [b for b in map(_bound, task.examples) if b is not None]
    if bounds:
        found |= {max(bounds)} & universe
    return frozenset(found)


def check_constants(mode: str) -> None:
    if mode not in CONSTANTS_MODES:
        raise InvalidArgument(f"constants must be one of {', '.join(CONSTANTS_MODES)}, got {mode!r}")


def constants_by_need(costs: Mapping[str, int], library: Library, task: Task, unit: int = 1) -> dict[str, int]:
    """`costs` with each integer literal of `library` that is neither in ALWAYS_CHEAP nor
    suggested by `task`'s examples `unit` dearer (a node's cost: K with proportional=K);
    all as they were when the examples cannot be read for constants."""
    literals = {p.name: p.expr.value for p in library.productions
                if isinstance(p.expr, Lit) and type(p.expr.value) is int}
    suggested = suggested_constants(task, literals.values())
    if suggested is None:
        return dict(costs)
    shown = suggested | ALWAYS_CHEAP
    return {name: cost + unit * (name in literals and literals[name] not in shown) for name, cost in costs.items()}
