"""What an output is, relative to its inputs: DeepCoder-style features of examples.

A GRU over an example's tokens sees the values but has to discover relations such as
"the output is the input sorted" or "each item is one more" from a few hundred
solutions; it does not. These features state such relations directly, per example, as
numbers in [-1, 1]: the kinds of the values, and for a list input and a list, int or
bool output (or an int input) whether the output is the input reversed, sorted, a
subsequence, a prefix, shifted by a constant, its length, sum, maximum, ... A task's
features are the mean over its examples. Values of other types (a user's, strings,
stacks) contribute their kinds only, so any DSL works; nothing here can raise on a
value.
"""

from __future__ import annotations

from typing import Any, Sequence

FEATURES = 64
_KINDS = 4  # int, bool, list, other


def _kind(v: Any) -> int:
    if isinstance(v, bool):
        return 1
    if isinstance(v, int):
        return 0
    if isinstance(v, (list, tuple)):
        return 2
    return 3


def _ints(v: Any) -> bool:
    return isinstance(v, (list, tuple)) and all(isinstance(x, int) and not isinstance(x, bool) for x in v)


def _clip(x: float) -> float:
    return max(-1.0, min(1.0, x))


def _subsequence(y: Sequence, x: Sequence) -> bool:
    it = iter(x)
    return all(any(a == b for b in it) for a in y)


def _constant(values: list[int]) -> int | None:
    return values[0] if values and all(v == values[0] for v in values) else None


def _list_to_list(x: list, y: list, f: list[float]) -> None:
    f[13], f[14], f[15] = float(len(y) == len(x)), float(len(y) < len(x)), float(len(y) > len(x))
    f[16] = _clip((len(y) - len(x)) / 10)
    f[17], f[18] = float(y == x), float(y == x[::-1])
    f[21] = float(all(a in x for a in y))
    f[22] = float(_subsequence(y, x))
    f[23], f[24] = float(y == x[: len(y)]), float(len(y) > 0 and y == x[len(x) - len(y):])
    f[32], f[33] = float(len(y) > len(x) and y[: len(x)] == x), float(len(y) > len(x) and y[len(y) - len(x):] == x)
    if x and len(y) == len(x):
        f[31] = sum(a == b for a, b in zip(x, y)) / len(x)
    if _ints(x) and _ints(y):
        f[19], f[20] = float(y == sorted(x)), float(y == sorted(x, reverse=True))
        f[28] = float(all(a <= b for a, b in zip(y, y[1:])))
        f[29], f[30] = float(set(y) == set(x)), float(len(set(y)) < len(y))
        f[62] = float(bool(y) and all(a % 2 == 0 for a in y))
        if x and len(y) == len(x):
            shift = _constant([b - a for a, b in zip(x, y)])
            f[25], f[26] = float(shift is not None), _clip((shift or 0) / 10)
            if all(a != 0 for a in x):
                ratios = [b / a for a, b in zip(x, y)]
                f[27] = float(all(r == ratios[0] for r in ratios) and ratios[0] != 1)


def _list_to_int(x: list, y: int, f: list[float]) -> None:
    f[34], f[40] = float(y == len(x)), float(y in x)
    if _ints(x):
        f[35] = float(y == sum(x))
        f[36], f[37] = float(bool(x) and y == max(x)), float(bool(x) and y == min(x))
        f[38], f[39] = float(bool(x) and y == x[0]), float(bool(x) and y == x[-1])
        product = 1
        for a in x[:20]:
            product *= a
        f[41] = float(len(x) <= 20 and y == product)
        f[46] = float(y == sum(1 for a in x if a == x[0])) if x else 0.0


def _int_to(a: int, y: Any, f: list[float]) -> None:
    if _kind(y) == 0:
        f[47], f[48], f[49] = _clip((y - a) / 10), float(y == a), float(y == 2 * a)
        f[50], f[51], f[52] = float(y == a * a), float(y < a), float(y == -a)
    elif _kind(y) == 2:
        f[53] = float(len(y) == a)
        f[54] = float(_ints(y) and y == list(range(len(y))) and len(y) == a)
        f[55] = float(bool(y) and all(v == a for v in y))


def example_features(inputs: Sequence[Any], output: Any) -> list[float]:
    """FEATURES numbers describing one example (see the module's docstring)."""
    f = [0.0] * FEATURES
    f[_kind(output)] = 1.0
    for i, v in enumerate(inputs[:2]):
        f[_KINDS + _KINDS * i + _kind(v)] = 1.0
    f[12] = min(len(inputs), 3) / 3
    try:
        _relations(list(inputs), output, f)
    except Exception:  # a user's value whose comparisons raise: its kinds are all we say
        pass
    return f


def _relations(inputs: list, y: Any, f: list[float]) -> None:
    lists = [list(v) for v in inputs if _kind(v) == 2]
    ints = [v for v in inputs if _kind(v) == 0]
    out = _kind(y)
    if lists:
        x = lists[0]
        if out == 2:
            _list_to_list(x, list(y), f)
        elif out == 0:
            _list_to_int(x, y, f)
        elif out == 1:
            f[45] = float(not x)
        if ints:
            k = ints[0]
            if out == 2:
                f[57], f[59], f[60] = float(len(y) == k), float(list(y) == x[:k]), float(list(y) == x[k:])
            elif out == 0:
                f[58] = float(0 <= k < len(x) and y == x[k])
    elif ints:
        _int_to(ints[0], y, f)
    if out == 1:
        f[56] = float(y)
    if out == 0:
        f[42], f[43], f[44] = _clip(y / 10), float(y == 0), float(y < 0)
        f[61] = float(y % 2 == 0)
        f[63] = float(y in ints)


def task_features(examples: Sequence[Any]) -> list[float]:
    """The mean of `example_features` over examples (objects with .inputs and .output)."""
    rows = [example_features(ex.inputs, ex.output) for ex in examples]
    if not rows:
        return [0.0] * FEATURES
    return [sum(col) / len(rows) for col in zip(*rows)]
