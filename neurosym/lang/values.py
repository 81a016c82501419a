"""Conversions between user values (JSON-like Python) and runtime values, and their types.

Users write lists; at run time lists are tuples (hashable, immutable). Stacks are
written as lists bottom first when a type says `stack a`.

Programs build values that share structure (`map (\\x -> ys) ys` holds one tuple many
times; applying `\\x -> [x, x]` 30 times gives 2**30 leaves in 30 tuples), and users can write
lists nested deeper than Python's recursion limit. So nothing here recurses or expands
shared structure: walks use an explicit stack and visit each distinct container once
(memoized by `id`, safe because the root keeps every part alive for the walk), and
`format_value` stops after `limit` characters.
"""

from __future__ import annotations

import json
import math
import reprlib
from typing import Any, Callable, Hashable, Sequence

from neurosym.errors import NeurosymError
from neurosym.lang.primitives import Stack
from neurosym.lang.types import (
    BOOL,
    INT,
    FreshVars,
    Substitution,
    TCon,
    Type,
    free_vars,
    list_of,
    resolve,
    unify,
)

MAX_VALUE_DEPTH = 100
"""The deepest nesting of lists (and stacks) a value may have: `[[1]]` is 2 levels.

Types of deeper values would be deeper than the (recursive) type machinery handles
comfortably, and no task needs them; `value_type` refuses them, and tasks say so."""

INT_DIGITS_SHOWN = 4300
"""Longer ints are shown as `<int of N digits>` (Python's `str(int)` refuses them)."""

FORMAT_LIMIT = 200
"""Default length cap of `format_value`."""


class ValueTypeError(NeurosymError, ValueError):
    """A value that the language cannot represent (a float, a string, a dict, ...)."""


def _children(node: Any) -> Sequence | None:
    """The parts of a container value (a stack bottom first), None for anything else."""
    if isinstance(node, (tuple, list)):
        return node
    if isinstance(node, Stack):
        return node.items()
    return None


def fold_value(
    root: Any,
    children: Callable[[Any], Sequence | None],
    leaf: Callable[[Any], Any],
    combine: Callable[[Any, list], Any],
    *,
    key: Callable[[Any], Hashable] = id,
    keep: Callable[[Any], bool] | None = None,
    max_depth: int | None = None,
    too_deep: Callable[[], Exception] | None = None,
) -> Any:
    """Bottom-up over a value without recursion, each distinct container once.

    `children(node)` lists a container's parts (None for a leaf, whose result is
    `leaf(node)`); `combine(node, results)` makes a container's result from its parts'.
    Containers' results are memoized by `key(node)` (when `keep(result)` allows), so
    shared structure costs its distinct objects only. A container nested more than
    `max_depth` deep raises `too_deep()`; heights are memoized alongside, so sharing
    cannot hide depth.
    """
    memo: dict = {}
    done: list[tuple[Any, int]] = []  # (result, height) of finished nodes, in order
    work: list[tuple[Any, Sequence | None]] = [(root, None)]
    depth = 0  # containers open above the node being looked at
    while work:
        node, parts = work.pop()
        if parts is not None:  # every part is finished: the last len(parts) entries of `done`
            n = len(parts)
            finished = done[len(done) - n:] if n else []
            del done[len(done) - n:]
            height = 1 + max((h for _, h in finished), default=0)
            result = combine(node, [r for r, _ in finished])
            if keep is None or keep(result):
                memo[key(node)] = (result, height)
            done.append((result, height))
            depth -= 1
            continue
        hit = memo.get(key(node))
        if hit is not None:
            if max_depth is not None and depth + hit[1] > max_depth:
                raise too_deep()  # type: ignore[misc]
            done.append(hit)
            continue
        parts = children(node)
        if parts is None:
            done.append((leaf(node), 0))
            continue
        depth += 1
        if max_depth is not None and depth > max_depth:
            raise too_deep()  # type: ignore[misc]
        work.append((node, parts))
        work.extend((p, None) for p in reversed(parts))
    return done[0][0]


def value_type(value: Any, fresh: FreshVars, subst: Substitution) -> Type:
    """The type of a user value; the element type of an empty list is a fresh variable.

    Raises ValueTypeError for unsupported values and values nested more than
    MAX_VALUE_DEPTH deep, and UnificationError for mixed lists.
    """

    def leaf(x: Any) -> Type:
        if isinstance(x, bool):
            return BOOL
        if isinstance(x, int):
            return INT
        raise ValueTypeError(f"unsupported value {_brief_repr(x)} of Python type {type(x).__name__}; "
                             "values are ints, bools and (nested) lists")

    def combine(node: Any, parts: list[Type]) -> Type:
        elem = fresh()
        for t in parts:
            unify(elem, t, subst)
        elem = resolve(elem, subst)
        return TCon("stack", (elem,)) if isinstance(node, Stack) else list_of(elem)

    def too_deep() -> ValueTypeError:
        return ValueTypeError(f"nested more than {MAX_VALUE_DEPTH} levels deep (the cap on nested lists)")

    # only ground types are shared: an empty list's fresh variable must stay its own
    return fold_value(value, _children, leaf, combine, keep=lambda t: not free_vars(t),
                      max_depth=MAX_VALUE_DEPTH, too_deep=too_deep)


def to_runtime(value: Any, type_: Type | None = None) -> Any:
    """Lists become tuples; with a `stack a` type a list (bottom first) becomes a Stack."""

    def children(node: tuple[Any, Type | None]) -> list | None:
        v, t = node
        if not isinstance(v, (list, tuple)):
            return None
        elem = t.args[0] if isinstance(t, TCon) and t.name in ("stack", "list") and t.args else None
        return [(x, elem) for x in v]

    def combine(node: tuple[Any, Type | None], parts: list) -> Any:
        t = node[1]
        return Stack.from_items(parts) if isinstance(t, TCon) and t.name == "stack" else tuple(parts)

    return fold_value((value, type_), children, lambda node: node[0], combine,
                      key=lambda node: (id(node[0]), id(node[1])))


def to_python(value: Any) -> Any:
    """Runtime values back to JSON-friendly Python: tuples and stacks become lists.

    Shared parts of `value` come back as one shared list (so this is fast on shared
    structure); treat the result as read-only.
    """
    return fold_value(value, _children, lambda x: "<function>" if callable(x) else x, lambda _, parts: parts)


def same_value(a: Any, b: Any) -> bool:
    """Equality that keeps bools and ints apart (Python says True == 1).

    Lists (tuples) compare element by element and stacks by their items, without
    recursion; identical objects are equal without a look inside, and a pair of
    containers is compared once however often it is shared.
    """
    seen: set[tuple[int, int]] = set()  # container pairs already compared (or being compared)
    work = [(a, b)]
    while work:
        x, y = work.pop()
        if x is y:
            continue
        if isinstance(x, bool) or isinstance(y, bool):
            if type(x) is not type(y) or x != y:
                return False
        elif isinstance(x, tuple) or isinstance(y, tuple) or isinstance(x, list) or isinstance(y, list):
            if type(x) is not type(y) or len(x) != len(y):
                return False
            if (id(x), id(y)) not in seen:
                seen.add((id(x), id(y)))
                work.extend(zip(x, y))
        elif isinstance(x, Stack) or isinstance(y, Stack):
            if not (isinstance(x, Stack) and isinstance(y, Stack)) or x.size != y.size:
                return False
            if (id(x), id(y)) not in seen:
                seen.add((id(x), id(y)))
                while x is not y and x.size:  # stacks share tails: stop where they meet
                    work.append((x.top, y.top))
                    x, y = x.rest, y.rest
        elif x != y:
            return False
    return True


def value_hash(value: Any) -> int:
    """A hash consistent with `same_value` (bools apart from ints), fast on shared structure."""

    def leaf(x: Any) -> int:
        if isinstance(x, bool):
            return hash(("bool", x))
        try:
            return hash(x)
        except TypeError:
            return hash(("unhashable", type(x).__name__))

    return fold_value(value, _children, leaf,
                      lambda node, parts: hash(("stack" if isinstance(node, Stack) else "list", tuple(parts))))


def format_value(value: Any, limit: int = FORMAT_LIMIT) -> str:
    """A runtime value in the language's own notation: `[1, 2]`, `true`, `<stack [1, 2]>`.

    At most about `limit` characters, in time bounded by `limit` (not by the value's
    size): a long list ends `... (3000 items)]`, an int too long to print reads
    `<int of 5000 digits>`.
    """
    return _render(value, limit, ("[", "]"), exact=True) or _render(value, limit, ("[", "]"), exact=False)


def describe_value(value: Any, limit: int = 80) -> str:
    """A user value for an error message, as JSON would write it where it can.

    Like `format_value` (bounded, `true`/`false`), but tuples show as tuples, `(1, 2)`,
    so that a message about a tuple shows one.
    """
    return _render(value, limit, ("(", ")"), exact=True) or _render(value, limit, ("(", ")"), exact=False)


def _render(value: Any, limit: int, tuples: tuple[str, str], exact: bool) -> str:
    """Pre-order rendering that stops once `limit` characters are used.

    `exact`: the whole rendering, or "" if it does not fit in `limit`. Otherwise each
    open container reserves room for its shortest ending (`, ...]`), so the result
    never exceeds `limit` (except the lone `...` of a value that cannot start within
    it); item counts (`, ... (3000 items)]`) are added, innermost first, where room is
    left. Every emitted piece is at least one character: the work is O(limit).
    """
    out: list[str] = []
    used = 0
    reserved = 0
    frames: list[list] = []  # [items, rendered count, closer, reserve]
    node = value
    while True:
        parent = frames[-1] if frames else None
        prefix = ", " if parent is not None and parent[1] > 0 else ""
        opened = _opening(node, tuples)
        if opened is None:
            text = prefix + _atom(node, limit)
            if used + len(text) + reserved > limit:
                break
            out.append(text)
            used += len(text)
        else:
            start, items, closer = opened
            reserve = len(closer)
            if items and not exact:  # room for `, ... (N items)` while that leaves half the limit
                full = len(", " + _more(len(items)))
                reserve += full if reserved + reserve + full <= limit // 2 else len(", ...")
            text = prefix + start
            if used + len(text) + reserve + reserved > limit:
                break
            out.append(text)
            used += len(text)
            reserved += reserve
            frames.append([items, 0, closer, reserve])
        if parent is not None:
            parent[1] += 1
        while frames and frames[-1][1] == len(frames[-1][0]):
            _, _, closer, reserve = frames.pop()
            out.append(closer)
            used += len(closer)
            reserved -= reserve
        if not frames:
            return "".join(out)
        node = frames[-1][0][frames[-1][1]]
    if exact:
        return ""
    if not frames:
        return "..."
    spare = limit - used - reserved  # room for more item counts, given innermost first
    for items, count, closer, reserve in reversed(frames):
        if count < len(items):  # always so for the innermost frame: it stopped at one of its items
            more = (", " if count else "") + _more(len(items))
            extra = len(more) - (reserve - len(closer))  # <= 0 where the count was reserved
            if extra <= spare:
                spare -= max(extra, 0)
            else:
                more = ", ..." if count else "..."
            out.append(more)
        out.append(closer)
    return "".join(out)


def _more(n: int) -> str:
    return f"... ({n} item{'' if n == 1 else 's'})"


def _opening(node: Any, tuples: tuple[str, str]) -> tuple[str, Sequence, str] | None:
    if isinstance(node, tuple):
        return tuples[0], node, (",)" if len(node) == 1 and tuples[1] == ")" else tuples[1])
    if isinstance(node, list):
        return "[", node, "]"
    if isinstance(node, Stack):
        return "<stack [", node.items(), "]>"
    return None


def _atom(x: Any, limit: int) -> str:
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, int):
        digits = int_digits(x)
        if digits > INT_DIGITS_SHOWN or digits > limit:
            about = "about " if x.bit_length() > _EXACT_BITS else ""
            return f"{'-' if x < 0 else ''}<int of {about}{digits} digits>"
        return str(x)
    if isinstance(x, str):
        text = json.dumps(x[: limit + 1])
        if len(text) <= limit:
            return text
        return json.dumps(x[: max(limit - 5, 1)])[:-1] + '..."'
    if callable(x):
        return "<function>"
    text = _brief_repr(x)
    return text if len(text) <= max(limit, 3) else text[: max(limit, 3) - 3] + "..."


_EXACT_BITS = 1 << 20  # past about 315,000 digits the count is estimated from the bit length


def int_digits(n: int) -> int:
    """The number of decimal digits of `n` (sign not counted), without `str` (which
    refuses ints of more than 4,300 digits); past about 315,000 digits it may be one
    too many (the exact count would cost a large power of ten)."""
    n = abs(n)
    if n < 10**18:
        return len(str(n))
    digits = int(n.bit_length() * math.log10(2)) + 1  # exact or one too many
    if n.bit_length() > _EXACT_BITS:
        return digits
    return digits if n >= 10 ** (digits - 1) else digits - 1


_REPR = reprlib.Repr()
_REPR.maxstring = _REPR.maxother = 60


def _brief_repr(x: Any) -> str:
    """A bounded repr of an arbitrary (unsupported) object, for messages."""
    try:
        return _REPR.repr(x)
    except Exception:  # a repr that fails (a huge int inside a dict, a broken __repr__)
        return f"<{type(x).__name__}>"
