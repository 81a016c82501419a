"""Banks of terms for bottom-up enumeration, one per variable context.

A `Context` holds the variables in scope (types, de Bruijn order) and a list of
*instances*: environments in which terms are evaluated. The top context's instances are
the task's examples; a lambda body lives in a child context whose instances pair every
parent instance with *probe* values for the lambda's parameters (values of the right
type found in that instance: list elements, accumulators' likely values). Terms are
kept per cost and type, and a term is dropped when another of the same type already
computes the same values on every instance (observational equivalence). In the top
context this equivalence is exact on the examples; in a lambda's context it is judged
on the probes, which is a sound approximation wherever the probes cover the values the
lambda is really applied to.

What search needs of values comes from the DSL's value types, so any language works:
probes are dug out of variables through a container type's `parts` and completed with
its `samples`; `value_key` (value_needs.py) gives the equality key (a type's `key`, or
its parts' keys for a container of keyed values) under which equivalence and solutions
are judged.
"""

from __future__ import annotations

import itertools
from typing import Any

from neurosym.lang.ast import Expr, Lam, Lit
from neurosym.lang.base import base_dsl
from neurosym.lang.dsl import DSL
from neurosym.lang.rewrite import eta_reduce
from neurosym.lang.types import TCon, Type, free_vars

#: marks an instance on which a term faulted or ran out of budget
FAULT: Any = type("Fault", (), {"__repr__": lambda self: "FAULT"})()

MAX_PROBES_PER_TYPE = 4  # per parameter of a lambda of several parameters
MAX_PROBE_TUPLES = 6  # probe tuples per parent instance, several parameters
MAX_UNARY_PROBES = 12  # probes per parent instance for a one-parameter lambda
MAX_INSTANCES = 64  # instances of a lambda's context of several parameters, at most
#: a one-parameter lambda's context may be larger: its probes should cover every list
#: element, so that `map` and `filter` run by table lookup instead of compiling the lambda
MAX_UNARY_INSTANCES = 180


class _Table(dict):
    """A lambda's values on its probes in one parent instance. A key not among the probes
    is computed by the compiled lambda (compiled on the first miss), so lookups are exact."""

    __slots__ = ("entry", "env")

    def __init__(self, entry: "LambdaEntry", env: Any, known: dict) -> None:
        super().__init__(known)
        self.entry, self.env = entry, env

    def __missing__(self, key: Any) -> Any:
        try:
            value = self.entry.node()(self.env)(key)  # faults propagate, as in a direct call
        except StopIteration:  # from user code: it would end the `map` calling us silently
            raise RuntimeError("StopIteration raised in a lambda") from None
        self[key] = value
        return value


class LambdaEntry:
    """A lambda (or an eta-reduced function) usable as an argument in the parent context.

    Its value in each parent instance is a function; for one-parameter lambdas it is the
    bound `__getitem__` of a table of the body's values on the probes, so that `map` and
    `filter` over the elements the probes cover run as C-level dictionary lookups, and
    the lambda is compiled only if some element is not covered.
    """

    __slots__ = ("term", "body_values", "context", "_compile", "_node", "_functions", "_option")

    def __init__(self, term: Expr, body_values: tuple | None = None, context: "Context | None" = None) -> None:
        self.term, self.body_values, self.context = term, body_values, context
        self._compile: Any = None
        self._node: Any = None
        self._functions: tuple | None = None
        self._option: tuple | None = None

    def option(self, compile_closure: Any, parent_instances: list) -> tuple:
        """(term, function per parent instance, whether any of them is FAULT): the shape
        of a first-order bank entry, so the enumerator treats both alike."""
        if self._option is None:
            functions = self.closures(compile_closure, parent_instances)
            self._option = (self.term, functions, any(f is FAULT for f in functions))
        return self._option

    def release(self) -> None:
        """Drop what this entry built (its tables refer back to it) and its context."""
        self.context = self._compile = self._node = self._functions = self._option = None

    def node(self) -> Any:
        if self._node is None:
            self._node = self._compile(self.term)
        return self._node

    def closures(self, compile_closure: Any, parent_instances: list) -> tuple:
        """The function value in each parent instance (built once, on first use)."""
        if self._functions is None:
            self._compile = compile_closure
            groups = self.context.probe_groups if self.context is not None else None
            if groups is not None and self.body_values is not None and isinstance(self.term, Lam):
                values = self.body_values
                tables = []
                for env, (start, probes) in zip(parent_instances, groups):
                    mine = values[start:start + len(probes)]
                    known = dict(zip(probes, mine))
                    if FAULT in mine:  # a fault is re-raised by computing it, not looked up
                        known = {k: v for k, v in known.items() if v is not FAULT}
                    tables.append(_Table(self, env, known).__getitem__)
                self._functions = tuple(tables)
            else:
                node = self.node()
                self._functions = tuple(_value_or_fault(node, env) for env in parent_instances)
        return self._functions


def _value_or_fault(node: Any, env: Any) -> Any:
    # an eta-reduced function such as `take (head xs)` is evaluated here, and may fault
    try:
        return node(env)
    except Exception:
        return FAULT


class Context:
    """Terms in one variable context, by cost and type, with equivalence pruning."""

    def __init__(self, var_types: tuple[Type, ...], instances: list, parent: "Context | None" = None,
                 dsl: DSL | None = None) -> None:
        self.var_types = var_types
        self.instances = instances
        self.parent = parent
        #: the language whose value types give probes (a child shares its parent's)
        self.dsl: DSL = dsl if dsl is not None else parent.dsl if parent is not None else base_dsl()
        #: for a one-parameter lambda's context: per parent instance, where its instances
        #: start and the probe values they bind
        self.probe_groups: list[tuple[int, tuple]] | None = None
        #: per cost, per type: (term, values per instance, whether any value is FAULT)
        self.levels: list[dict[Type, list[tuple[Expr, tuple, bool]]]] = [{}]
        #: the same entries per cost, per type, per head name (kept only with contextual costs)
        self.heads: list[dict[Type, dict[str, list[tuple[Expr, tuple, bool]]]]] = [{}]
        self.seen: set[tuple[Type, tuple]] = set()  # (type, values) of every kept term
        self.children: dict[tuple[Type, ...], Context] = {}
        self._lambdas: dict[tuple[int, int], dict[Type, list[LambdaEntry]]] = {}
        self._lambdas_by_head: dict[tuple[int, int], dict[Type, dict[str, list[LambdaEntry]]]] = {}

    @property
    def filled(self) -> int:
        return len(self.levels) - 1

    def variable_values(self, index: int) -> tuple:
        out = []
        for env in self.instances:
            for _ in range(index):
                env = env[1]
            out.append(env[0])
        return tuple(out)

    def child(self, param_types: tuple[Type, ...]) -> "Context":
        """The context of a lambda with these parameter types, created on first use."""
        found = self.children.get(param_types)
        if found is None:
            instances, groups = self._child_instances(param_types)
            found = Context(tuple(reversed(param_types)) + self.var_types, instances, self, self.dsl)
            if len(param_types) == 1:
                found.probe_groups = groups
            self.children[param_types] = found
        return found

    def _child_instances(self, param_types: tuple[Type, ...]) -> tuple[list, list]:
        unary = len(param_types) == 1
        cap, total = (MAX_UNARY_PROBES, MAX_UNARY_INSTANCES) if unary else (MAX_PROBE_TUPLES, MAX_INSTANCES)
        per_instance = max(1, min(cap, total // max(1, len(self.instances))))
        out, groups = [], []
        defaults = [sample_values(self.dsl, t) for t in param_types]
        for env in self.instances:
            pools = [self.probes(t, env, per_instance if unary else MAX_PROBES_PER_TYPE, d)
                     for t, d in zip(param_types, defaults)]
            combos = list(itertools.islice(itertools.product(*pools), per_instance))
            groups.append((len(out), tuple(c[0] for c in combos)))
            for combo in combos:
                inner = env
                for v in combo:
                    inner = (v, inner)
                out.append(inner)
        return out, groups

    def probes(self, t: Type, env: Any, limit: int, defaults: tuple | None = None) -> list:
        """Up to `limit` values of type `t` reachable from one instance's variables, then
        up to two more of the type's samples (`defaults`, else `sample_values`: 0 and 1,
        both booleans, the empty list, small stacks for the base language)."""
        found: dict[Any, None] = {}
        dsl = self.dsl
        for var_type in self.var_types:
            _collect(dsl, env[0], var_type, t, found, limit)
            env = env[1]
        values = list(found)[:limit]
        for extra in defaults if defaults is not None else sample_values(dsl, t):
            if extra not in found and len(values) < limit + 2:
                values.append(extra)
        return values

    def dismantle(self) -> None:
        """Empty this context and its descendants, breaking the references that make
        cycles (a child and its parent, a lambda entry and its context and tables), so
        that a finished search's bank is freed as it is dropped, by reference counting,
        rather than by the cyclic collector walking millions of objects (see
        `collector_paused`)."""
        stack = [self]
        while stack:
            ctx = stack.pop()
            stack.extend(ctx.children.values())
            for by_type in ctx._lambdas.values():
                for entries in by_type.values():
                    for entry in entries:
                        entry.release()
            ctx.children, ctx._lambdas, ctx._lambdas_by_head, ctx.parent = {}, {}, {}, None
            ctx.levels, ctx.heads, ctx.seen = [{}], [{}], set()

    def lambdas(self, arity: int, cost: int) -> dict[Type, list[LambdaEntry]]:
        """Lambdas of `arity` parameters whose bodies cost `cost`, by body type (this is a
        child context; the entries are usable in the parent)."""
        key = (arity, cost)
        cached = self._lambdas.get(key)
        if cached is None:
            cached = {
                t: [LambdaEntry(eta_reduce(term, arity), values, self) for term, values, _ in entries]
                for t, entries in self.levels[cost].items()
            } if cost < len(self.levels) else {}
            self._lambdas[key] = cached
        return cached

    def lambdas_by_head(self, arity: int, cost: int) -> dict[Type, dict[str, list[LambdaEntry]]]:
        """The same lambdas (the same entries) by body type and the head of the body, for
        contextual costs, which price a body by its head where the lambda is used."""
        key = (arity, cost)
        cached = self._lambdas_by_head.get(key)
        if cached is None:
            flat = self.lambdas(arity, cost)
            cached = {}
            for t, by_head in (self.heads[cost] if cost < len(self.heads) else {}).items():
                entry_of = {id(term): e for (term, _, _), e in zip(self.levels[cost][t], flat[t])}
                cached[t] = {head: [entry_of[id(term)] for term, _, _ in group] for head, group in by_head.items()}
            self._lambdas_by_head[key] = cached
        return cached


def _collect(dsl: DSL, value: Any, value_type: Type, wanted: Type, found: dict, limit: int) -> None:
    """Values of type `wanted` in `value` (of type `value_type`) and, through the `parts`
    of container types, in its items, into `found` (at most `limit`)."""
    if len(found) >= limit or value is FAULT:
        return
    if value_type == wanted:
        try:
            found.setdefault(value, None)
        except TypeError:  # an unhashable value (a function) cannot be a probe
            pass
        return
    if isinstance(value_type, TCon) and value_type.args:
        vt = dsl.value_type_named(value_type.name)
        if vt is None or vt.parts is None:  # an arrow, or a type without items
            return
        args = value_type.args
        for x, i in vt.parts(value):
            if len(found) >= limit:
                return
            _collect(dsl, x, args[i], wanted, found, limit)


def sample_values(dsl: DSL, t: Type) -> tuple:
    """A few values of ground type `t` from its value type's `samples` (a container's
    from its parameters' samples); none for a type the DSL does not define (a task's
    rigid type variable), whose values only the variables in scope can give."""
    vt = dsl.value_type_named(t.name) if isinstance(t, TCon) else None
    if vt is None:
        return ()
    samples = vt.samples
    if callable(samples):
        samples = samples([sample_values(dsl, a) for a in t.args])  # type: ignore[union-attr]
    try:
        return tuple(dict.fromkeys(samples))  # distinct (`[x]` and `[y]` of the same x and y)
    except TypeError:  # unhashable samples cannot be probes (table keys)
        return ()


def literal_types(library: Any) -> set[Type]:
    """The ground types of the library's literals: where search grounds the type
    variables of nullary productions (`empty : list a`) beyond the task's own types
    (int for the base library, nothing for a language without literals)."""
    return {p.type for p in library.productions if isinstance(p.expr, Lit) and not free_vars(p.type)}
