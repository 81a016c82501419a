"""Differentiable (relaxed) execution of programs that contain neural routines.

A program runs once on a whole batch of examples, every value carrying a leading batch
dimension B, so that a loss on its output trains the nets inside it by backprop.

Relaxed values:

    int     `Dist`: a categorical distribution, probabilities [B, K] over lo..lo+K-1
            (a literal stays a plain Python int until it meets a Dist)
    bool    `Prob`: the probability of true, [B]
    image, vector   tensors [B, ...], passed to neural routines untouched
    list    `RList`: items (relaxed values) with, per item, the probability that it is
            present ([B], or None for surely present): `filter` lowers it
    function        a Python callable on relaxed values

Relaxed primitives treat their arguments as independent random variables: `x + y` is
the exact distribution of the sum (a convolution), `length` of a filtered list the
exact Poisson-binomial distribution (so `count` is a sum of probabilities in
expectation), `x == y` and `x < y` are exact probabilities, `if c a b` is the mixture
c*a + (1-c)*b, `fold` over an item present with probability m mixes f(x, acc) with acc.
So `fold (+) 0 (map digit xs)` gives the exact distribution of the sum of the readings,
whose log-probability of the supervised sum is a proper log-likelihood. Where an
argument is correlated with another (`if acc < x then x else acc` in a max), the
mixture is the usual mean-field approximation; on confident readings every rule is exact.

The discrete mode (`discrete_program`) compiles the same program with the ordinary
compiler, each neural routine reading its input by argmax: relaxed and discrete agree
when the readers are confident (tested).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

import torch
import torch.nn.functional as F

from neurosym.errors import NeurosymError
from neurosym.lang.ast import Expr, Lam, Lit, Prim, Var, spine
from neurosym.lang.base import base_dsl
from neurosym.lang.compiler import CompiledProgram, compile_program
from neurosym.lang.routine_compiler import compile_routines
from neurosym.lang.primitives import Limits
from neurosym.library.library import Library
from neurosym.neural.modules import NeuralPart, to_batch

_EPS = 1e-12


class RelaxError(NeurosymError, ValueError):
    """The program uses something without a relaxed version (e.g. `head`)."""


@dataclass(frozen=True)
class Dist:
    """A batch of categorical ints: `probs[b, k]` is P(value = lo + k) in example b."""

    probs: torch.Tensor
    lo: int

    @property
    def hi(self) -> int:
        return self.lo + self.probs.shape[1] - 1

    def to_range(self, lo: int, hi: int) -> torch.Tensor:
        """Probabilities over lo..hi (zero-padded; must cover this support)."""
        return F.pad(self.probs, (self.lo - lo, hi - self.hi))

    def mean(self) -> torch.Tensor:
        return self.probs @ torch.arange(self.lo, self.hi + 1, dtype=self.probs.dtype, device=self.probs.device)

    def argmax(self) -> torch.Tensor:
        return self.probs.argmax(1) + self.lo


@dataclass(frozen=True)
class Prob:
    """A batch of relaxed bools: `p[b]` is P(true) in example b."""

    p: torch.Tensor


@dataclass(frozen=True)
class RList:
    """A batch of lists of one length; `masks[i]` is P(item i is present), None if sure."""

    items: list[Any]
    masks: list[torch.Tensor | None]


def _onehot(v: int, like: "Dist | torch.Tensor") -> Dist:
    probs = like.probs if isinstance(like, Dist) else like
    return Dist(torch.ones(probs.shape[0], 1, dtype=probs.dtype, device=probs.device), v)


def _dist(v: Any, like: Any) -> Dist:
    if isinstance(v, Dist):
        return v
    if isinstance(v, bool) or not isinstance(v, int):
        raise RelaxError(f"expected an int, found {type(v).__name__}")
    return _onehot(v, like)


def _align(a: Dist, b: Dist) -> tuple[torch.Tensor, torch.Tensor, int]:
    lo, hi = min(a.lo, b.lo), max(a.hi, b.hi)
    return a.to_range(lo, hi), b.to_range(lo, hi), lo


def _conv(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Per-row full convolution of two batches of probability vectors."""
    n, k = a.shape[0], b.shape[1]
    out = F.conv1d(a.unsqueeze(0), b.flip(1).unsqueeze(1), padding=k - 1, groups=n)
    return out.squeeze(0)


def _add(x: Any, y: Any) -> Any:
    if isinstance(x, int) and isinstance(y, int):
        return x + y
    if isinstance(x, int):
        x, y = y, x
    if isinstance(y, int):
        return Dist(x.probs, x.lo + y)
    return Dist(_conv(x.probs, y.probs), x.lo + y.lo)


def _neg(x: Any) -> Any:
    return -x if isinstance(x, int) else Dist(x.probs.flip(1), -x.hi)


def _eq(x: Any, y: Any) -> Any:
    if isinstance(x, int) and isinstance(y, int):
        return x == y
    a, b, _ = _align(_dist(x, y), _dist(y, x))
    return Prob((a * b).sum(1))


def _lt(x: Any, y: Any) -> Any:
    if isinstance(x, int) and isinstance(y, int):
        return x < y
    a, b, _ = _align(_dist(x, y), _dist(y, x))
    below = torch.cumsum(a, 1) - a  # P(X < k) at each k
    return Prob((below * b).sum(1))


def _p(c: Any) -> Any:
    return c.p if isinstance(c, Prob) else c


def _and(x: Any, y: Any) -> Any:
    return x and y if isinstance(x, bool) and isinstance(y, bool) else Prob(_p(x) * _p(y))


def _or(x: Any, y: Any) -> Any:
    return x or y if isinstance(x, bool) and isinstance(y, bool) else Prob(1 - (1 - _p(x)) * (1 - _p(y)))


def _not(x: Any) -> Any:
    return (not x) if isinstance(x, bool) else Prob(1 - x.p)


def mix(c: Any, a: Any, b: Any) -> Any:
    """`if c then a else b` relaxed: the mixture with weight P(c)."""
    if isinstance(c, bool):
        return a if c else b
    p = c.p if isinstance(c, Prob) else c
    if isinstance(a, (Dist, int)) and isinstance(b, (Dist, int)) and not (isinstance(a, bool) or isinstance(b, bool)):
        da, db = _dist(a, p), _dist(b, p)
        ta, tb, lo = _align(da, db)
        return Dist(p[:, None] * ta + (1 - p[:, None]) * tb, lo)
    if isinstance(a, (Prob, bool)) and isinstance(b, (Prob, bool)):
        return Prob(p * _p(a) + (1 - p) * _p(b))
    if isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor):
        w = p.reshape(-1, *([1] * (a.dim() - 1)))
        return w * a + (1 - w) * b
    if isinstance(a, RList) and isinstance(b, RList) and len(a.items) == len(b.items):
        return RList([mix(c, x, y) for x, y in zip(a.items, b.items)],
                     [None if ma is None and mb is None else mix(c, _mask(ma, p), _mask(mb, p))
                      for ma, mb in zip(a.masks, b.masks)])
    raise RelaxError(f"no relaxed `if` between {type(a).__name__} and {type(b).__name__}")


def _mask(m: torch.Tensor | None, like: torch.Tensor) -> torch.Tensor:
    return torch.ones_like(like) if m is None else m


def _map(f: Callable, xs: RList) -> RList:
    return RList([f(x) for x in xs.items], list(xs.masks))


def _filter(f: Callable, xs: RList) -> RList:
    items, masks = [], []
    for x, m in zip(xs.items, xs.masks):
        keep = f(x)
        if keep is False:  # dropped in every example
            continue
        items.append(x)
        masks.append(m if keep is True else keep.p if m is None else m * keep.p)
    return RList(items, masks)


def _fold(f: Callable, z: Any, xs: RList) -> Any:
    for x, m in zip(reversed(xs.items), reversed(xs.masks)):  # a right fold, like the discrete one
        step = f(x)(z)
        z = step if m is None else mix(Prob(m), step, z)
    return z


def _length(xs: RList) -> Any:
    n = 0
    for m in xs.masks:
        n = _add(n, 1) if m is None else _add(n, Dist(torch.stack([1 - m, m], 1), 0))
    return n


def _is_empty(xs: RList) -> Any:
    if any(m is None for m in xs.masks):
        return False
    if not xs.masks:
        return True
    return Prob(torch.stack([1 - m for m in xs.masks]).prod(0))


# The relaxed implementations the base primitives' records name (Primitive.relaxed is
# "neurosym.neural.relaxed:relaxed_add" and so on): a user primitive may name its own.
relaxed_add, relaxed_eq, relaxed_lt = _add, _eq, _lt
relaxed_and, relaxed_or, relaxed_not, relaxed_if = _and, _or, _not, mix
relaxed_map, relaxed_filter, relaxed_fold, relaxed_length, relaxed_is_empty = _map, _filter, _fold, _length, _is_empty


def relaxed_sub(x: Any, y: Any) -> Any:
    return _add(x, _neg(y))


def relaxed_empty() -> "RList":
    return RList([], [])


def relaxed_implementation(record: Any) -> Callable[..., Any] | None:
    """The relaxed implementation a primitive's record names (`module:attr`), if any."""
    if record is None or record.relaxed is None:
        return None
    module_name, _, attr = record.relaxed.partition(":")
    try:
        return getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as err:
        raise RelaxError(f"primitive {record.name!r}: its relaxed implementation {record.relaxed!r} cannot be "
                         f"loaded ({err})") from None


def _curry(n: int, fn: Callable[..., Any], got: tuple = ()) -> Any:
    if len(got) == n:
        return fn(*got)
    return lambda v: _curry(n, fn, got + (v,))


class RelaxedProgram:
    """A program ready to run on batches: `program(*batched_args)` gives a relaxed value.

    `parts` maps names to neural modules (library routines and fresh holes alike);
    other names are the library's symbolic routines, run relaxed from their bodies."""

    def __init__(self, expr: Expr, parts: Mapping[str, NeuralPart], library: Library | None = None) -> None:
        self.expr, self.parts = expr, dict(parts)
        self.routines = {r.name: r.body for r in library.routines} if library is not None else {}
        self.dsl = library.dsl if library is not None else base_dsl()
        self._relaxed: dict[str, tuple[int, Callable[..., Any]] | None] = {}

    def relaxed(self, name: str) -> tuple[int, Callable[..., Any]] | None:
        """(arity, relaxed implementation) of primitive `name`, None if it has none."""
        if name not in self._relaxed:
            record = self.dsl.get_primitive(name)
            fn = relaxed_implementation(record)
            self._relaxed[name] = None if fn is None else (record.arity, fn)
        return self._relaxed[name]

    def __call__(self, *args: Any) -> Any:
        value = self.eval(self.expr, ())
        for a in args:
            value = value(a)
        return value

    def prim(self, name: str) -> Any:
        if name in self.parts:
            part = self.parts[name]
            return lambda x: relax_output(part, part(_net_input(x)))
        found = self.relaxed(name)
        if found is not None:
            n, fn = found
            return fn() if n == 0 else _curry(n, fn)
        if name in self.routines:
            return self.eval(self.routines[name], ())
        raise RelaxError(f"no relaxed version of '{name}'")

    def eval(self, e: Expr, env: tuple) -> Any:
        if isinstance(e, Var):
            for _ in range(e.index):
                env = env[1]
            return env[0]
        if isinstance(e, Lit):
            return e.value
        if isinstance(e, Prim):
            return self.prim(e.name)
        if isinstance(e, Lam):
            return lambda v, body=e.body, env=env: self.eval(body, (v, env))
        head, args = spine(e)
        found = self.relaxed(head.name) if isinstance(head, Prim) and head.name not in self.parts else None
        if found is not None:
            n, fn = found
            if len(args) >= n:
                value = fn(*[self.eval(a, env) for a in args[:n]])
                for a in args[n:]:
                    value = value(self.eval(a, env))
                return value
        value = self.eval(head, env)
        for a in args:
            value = value(self.eval(a, env))
        return value


def _net_input(x: Any) -> torch.Tensor:
    """A relaxed argument as a module's input: a list of certain items is stacked [B, n, ...]."""
    if isinstance(x, RList):
        if any(m is not None for m in x.masks):
            raise RelaxError("a neural routine cannot read a filtered list")
        if not x.items:
            raise RelaxError("a neural routine cannot read an empty batch of lists")
        return torch.stack([_net_input(i) for i in x.items], 1)
    if not isinstance(x, torch.Tensor):
        raise RelaxError(f"a neural routine reads tensors, not {type(x).__name__}")
    return x


def relax_output(part: NeuralPart, out: torch.Tensor) -> Any:
    """A module's raw batch output as a relaxed value."""
    if part.kind == "int":
        return Dist(torch.softmax(out, -1), part.lo)
    if part.kind == "bool":
        return Prob(torch.sigmoid(out))
    return out


def batch_value(values: Sequence[Any], device: torch.device) -> Any:
    """The relaxed batch of one argument's values (ints, bools, images or equal-length lists)."""
    first = values[0]
    if isinstance(first, bool):
        return Prob(torch.tensor([float(v) for v in values], device=device))
    if isinstance(first, int):
        lo, hi = min(values), max(values)
        probs = F.one_hot(torch.tensor([v - lo for v in values], device=device), hi - lo + 1).float()
        return Dist(probs, lo)
    if isinstance(first, (tuple, list)):
        n = len(first)
        if any(len(v) != n for v in values):
            raise ValueError("a relaxed batch needs lists of one length (group examples by length)")
        return RList([batch_value([v[i] for v in values], device) for i in range(n)], [None] * n)
    return to_batch(list(values), device)


def log_likelihood(value: Any, targets: Sequence[Any]) -> torch.Tensor:
    """Per-example log-likelihood of the targets under a relaxed output ([B])."""
    if isinstance(value, (bool, int)):  # certain whatever the inputs (e.g. a sum of empty lists)
        return torch.log(torch.tensor([float(value == t) for t in targets]) + _EPS)
    if isinstance(value, Dist):
        idx = torch.tensor([t - value.lo for t in targets], device=value.probs.device)
        inside = (idx >= 0) & (idx < value.probs.shape[1])
        p = value.probs.gather(1, idx.clamp(0, value.probs.shape[1] - 1)[:, None]).squeeze(1)
        return torch.log(torch.where(inside, p, torch.zeros_like(p)) + _EPS)
    if isinstance(value, Prob):
        t = torch.tensor([float(x) for x in targets], device=value.p.device)
        return t * torch.log(value.p + _EPS) + (1 - t) * torch.log(1 - value.p + _EPS)
    if isinstance(value, torch.Tensor):
        t = torch.as_tensor([list(x) for x in targets], dtype=value.dtype, device=value.device)
        return -((value - t) ** 2).sum(-1)
    raise RelaxError(f"cannot score a relaxed {type(value).__name__}")


def most_likely(value: Any) -> list[Any]:
    """The discrete reading of a relaxed batch output: argmax ints, thresholded bools."""
    if isinstance(value, Dist):
        return [int(v) for v in value.argmax()]
    if isinstance(value, Prob):
        return [bool(v) for v in value.p > 0.5]
    if isinstance(value, RList):
        columns = [most_likely(x) for x in value.items]
        keep = [None if m is None else (m > 0.5).tolist() for m in value.masks]
        b = len(columns[0]) if columns else 0
        return [tuple(c[i] for c, k in zip(columns, keep) if k is None or k[i]) for i in range(b)]
    return [tuple(float(x) for x in row) for row in value]


def discrete_program(expr: Expr, parts: Mapping[str, NeuralPart], library: Library | None = None,
                     limits: Limits = Limits()) -> CompiledProgram:
    """The same program compiled for exact execution: each neural part reads by argmax."""
    readers = {name: _memo(part) for name, part in parts.items()}
    if library is None or not library.routines:
        return compile_program(expr, limits, readers)
    # symbolic routines are compiled here, over the readers (they may call neural routines)
    initial: dict[str, Any] = {n.name: _not_loaded(n.name) for n in library.neural}
    initial.update(readers)
    values = compile_routines(((r.name, r.body) for r in library.routines), limits, initial)
    return compile_program(expr, limits, values)


def _not_loaded(name: str) -> Callable[[Any], Any]:
    def fault(x: Any) -> Any:
        raise RuntimeError(f"neural routine {name!r} was not given to discrete_program")

    return fault


def _memo(part: NeuralPart) -> Callable[[Any], Any]:
    """`part.read`, remembering each input object's reading (an image in many lists is
    read once); valid while the weights stay as they are."""
    seen: dict[int, tuple[Any, Any]] = {}

    def read(x: Any) -> Any:
        hit = seen.get(id(x))
        if hit is None or hit[0] is not x:
            hit = seen[id(x)] = (x, part.read(x))
        return hit[1]

    return read
