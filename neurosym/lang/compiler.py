"""Checked AST -> Python callable built from closures, run under a budget.

Closures compile in microseconds, which matters in search where every candidate is new
(generating Python source and calling `compile`, as DEAP does, costs far more than
running the program on a few examples). Fully applied primitives are called directly
with their arguments; `if`, `and` and `or` are lazy when fully applied; environments are
linked tuples `(value, parent)` indexed by de Bruijn index.

`CompiledProgram.run(*args)` returns an `EvalResult` whose status is ok, budget or fault;
no exception escapes it.
"""

from __future__ import annotations

import enum
import operator
from typing import Any, Callable, Iterable, Mapping, NamedTuple

from neurosym.errors import NeurosymError
from neurosym.lang.ast import App, Expr, Lam, Lit, Prim, Var, list_items, spine
from neurosym.lang.base import base_dsl
from neurosym.lang.input_caps import input_problem
from neurosym.lang.nesting import SHALLOW, recursion_room
from neurosym.lang.operators import CONST, NODE, VAR0, Operand
from neurosym.lang.primitives import BudgetExceeded, Limits, Runtime, curry, runtime_for
from neurosym.lang.rewrite import eta_expand_primitive

Env = Any  # a linked tuple (value, parent) or ()
Node = Callable[[Env], Any]


def environment(args: Iterable[Any]) -> Env:
    """The environment in which `\\x1 .. xn -> body` runs `body`: (xn, (..., (x1, ())))."""
    env: Env = ()
    for a in args:
        env = (a, env)
    return env


class RoutineFunction(NamedTuple):
    """A routine as a function of all its `arity` arguments at once (see
    `compile_routine_functions`)."""

    arity: int
    fn: Callable[..., Any]


class Status(enum.Enum):
    OK = "ok"
    BUDGET = "budget"  # step budget or a size cap exceeded
    FAULT = "fault"  # a runtime fault: head of [], division by zero, ...


class EvalResult(NamedTuple):
    """The outcome of one run: a value when ok, otherwise a reason (immutable, cheap)."""

    status: Status
    value: Any = None
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status is Status.OK


class CompileError(NeurosymError, ValueError):
    """The program refers to something the compiler does not know."""


def _within(value: Any, max_int: int) -> bool:
    return type(value) is not int or -max_int <= value <= max_int


def _operand_node(kind: str, value: Any) -> Node:
    """The node of a literal or of the nearest variable (see `_Compiler.operand`)."""
    return operator.itemgetter(0) if kind == VAR0 else (lambda env: value)


def _var(index: int) -> Node:
    if index == 0:
        return operator.itemgetter(0)
    if index == 1:
        return lambda env: env[1][0]
    if index == 2:
        return lambda env: env[1][1][0]

    def lookup(env: Env) -> Any:
        for _ in range(index):
            env = env[1]
        return env[0]

    return lookup


class _Compiler:
    def __init__(self, runtime: Runtime, values: Mapping[str, Any],
                 functions: Mapping[str, RoutineFunction] | None = None) -> None:
        self.rt = runtime
        self.values = values  # compiled routines, by name
        self.functions = functions or {}  # routines called with all their arguments at once

    def const(self, value: Any) -> Node:
        return lambda env: value

    def compile(self, e: Expr) -> Node:
        """The node computing `e` (primitives' compiler fast paths call it as `node`)."""
        if isinstance(e, App):
            return self.app(e)
        if isinstance(e, Var):
            return _var(e.index)
        if isinstance(e, Lit):
            return self.literal(e.value)
        if isinstance(e, Prim):
            return self.const(self.prim_value(e.name))
        return self.lam(e)  # type: ignore[arg-type]

    node = compile

    def literal(self, value: Any) -> Node:
        """A literal beyond the integer cap is a budget failure where it is evaluated."""
        max_int = self.rt.limits.max_int
        if not _within(value, max_int):
            def over(env: Env) -> Any:
                raise BudgetExceeded(f"integer literal beyond the cap of {max_int}")

            return over
        return self.const(value)

    def prim_value(self, name: str) -> Any:
        if name in self.rt.impls:
            n, fn = self.rt.impls[name]
            return curry(n, fn)
        if name in self.values:
            return self.values[name]
        raise CompileError(f"unknown primitive or routine '{name}'")

    def lam(self, e: Lam) -> Node:
        if isinstance(e.body, Lam):  # two parameters: also callable with both at once
            return self.two_lams_around(self.compile(e.body.body))
        return self.lam_around(self.compile(e.body))

    @staticmethod
    def two_lams_around(body: Node) -> Node:
        """`\\a b -> body` as `lam_around` twice would make it, carrying its two-argument
        form as `.binary` (primitives.binary: what fold and zip_with call)."""
        def make(env: Env) -> Callable[[Any], Any]:
            def one(a: Any) -> Callable[[Any], Any]:
                return lambda b: body((b, (a, env)))

            one.binary = lambda a, b: body((b, (a, env)))  # type: ignore[attr-defined]
            return one

        return make

    @staticmethod
    def lam_around(body: Node) -> Node:
        # no step here: a function value is called either by a primitive (map, filter,
        # fold, zip_with and loop charge a step per element or iteration) or by an
        # application in the program, which `apply_one` charges
        def make(env: Env) -> Callable[[Any], Any]:
            return lambda v: body((v, env))

        return make

    def app(self, e: App) -> Node:
        items = list_items(e)
        if items is not None and len(items) > 1:
            return self.list_literal([self.compile(x) for x in items])
        head, args = spine(e)
        record = self.rt.dsl.get_primitive(head.name) if isinstance(head, Prim) else None
        if record is not None and (head.name in self.rt.impls or record.compile is not None):  # type: ignore[union-attr]
            n = record.arity
            if 0 < n <= len(args):
                if record.compile is not None:
                    node = record.compile(self, args[:n])
                elif record.lazy:
                    node = self.lazy_call(self.rt.thunked[record.name], [self.compile(a) for a in args[:n]],
                                          record.lazy)
                else:
                    node = self.call(self.rt.impls[record.name][1], args[:n])
                return self.apply_rest(node, args[n:])
            # a primitive given too few arguments (`push 1`, `map f`) only builds a closure
            return self.apply_rest(self.compile(head), args, charged=False)
        routine = self.functions.get(head.name) if isinstance(head, Prim) else None
        if routine is not None and 0 < routine.arity <= len(args):
            node = self.routine_call(routine, [self.compile(a) for a in args[:routine.arity]])
            return self.apply_rest(node, args[routine.arity:])
        return self.apply_rest(self.compile(head), args)

    def routine_call(self, routine: RoutineFunction, args: list[Node]) -> Node:
        """A routine given all its arguments, called once: the steps the curried
        applications would charge (one per argument), without a closure per argument."""
        rt, n, call = self.rt, routine.arity, self.saturated(routine.fn, args)

        def charged(env: Env) -> Any:
            rt.steps -= n
            if rt.steps < 0:
                raise BudgetExceeded(f"step budget of {rt.limits.steps} exceeded")
            return call(env)

        return charged

    def list_literal(self, items: list[Node]) -> Node:
        """`[a, b, c]` builds its tuple at once for one step per item (as a chain of
        conses it would copy 1 + 2 + ... + n elements, and nest n closures deep)."""
        rt, n, max_list = self.rt, len(items), self.rt.limits.max_list

        def build(env: Env) -> tuple:
            if n > max_list:
                raise BudgetExceeded(f"list longer than the cap of {max_list}")
            rt.steps -= n
            if rt.steps < 0:
                raise BudgetExceeded(f"step budget of {rt.limits.steps} exceeded")
            return tuple([item(env) for item in items])

        return build

    def operand(self, e: Expr) -> Operand:
        if isinstance(e, Lit) and _within(e.value, self.rt.limits.max_int):
            return (CONST, e.value)
        if isinstance(e, Var) and e.index == 0:
            return (VAR0, None)
        return (NODE, self.compile(e))

    def apply_rest(self, node: Node, args: list[Expr], charged: bool = True) -> Node:
        for a in args:
            node = self.apply_one(node, self.compile(a)) if charged else self.apply_free(node, self.compile(a))
        return node

    @staticmethod
    def apply_free(f: Node, a: Node) -> Node:
        return lambda env: f(env)(a(env))

    def apply_one(self, f: Node, a: Node) -> Node:
        """An application written in the program of a function value (a lambda, a
        variable, a routine, a primitive's result): one step, so that self-application
        (`loop 30 (\\f y -> f (f y)) g x`, 2**30 calls from 30 loop iterations) runs out
        of steps instead of hanging."""
        rt = self.rt

        def call(env: Env) -> Any:
            rt.steps -= 1
            if rt.steps < 0:
                raise BudgetExceeded(f"step budget of {rt.limits.steps} exceeded")
            return f(env)(a(env))

        return call

    def call(self, fn: Callable[..., Any], args: list[Expr]) -> Node:
        """`fn` called with the values of `args`: a literal or the nearest variable
        (`take 2 xs`, `index y xs`) read in place rather than through a node's call."""
        operands = [self.operand(a) for a in args]
        if len(operands) == 2:
            (ak, ax), (bk, bx) = operands
            if ak == CONST and bk == NODE:
                return lambda env: fn(ax, bx(env))
            if ak == VAR0 and bk == NODE:
                return lambda env: fn(env[0], bx(env))
            if ak == NODE and bk == CONST:
                return lambda env: fn(ax(env), bx)
            if ak == NODE and bk == VAR0:
                return lambda env: fn(ax(env), env[0])
        elif len(operands) == 1 and operands[0][0] == VAR0:
            return lambda env: fn(env[0])
        return self.saturated(fn, [x if kind == NODE else _operand_node(kind, x) for kind, x in operands])

    @staticmethod
    def saturated(fn: Callable[..., Any], args: list[Node]) -> Node:
        if len(args) == 1:
            (a,) = args
            return lambda env: fn(a(env))
        if len(args) == 2:
            a, b = args
            return lambda env: fn(a(env), b(env))
        if len(args) == 3:
            a, b, c = args
            return lambda env: fn(a(env), b(env), c(env))
        return lambda env: fn(*[x(env) for x in args])

    @staticmethod
    def lazy_call(fn: Callable[..., Any], args: list[Node], lazy: tuple[int, ...]) -> Node:
        """A primitive with lazy arguments: those positions get thunks."""
        def call(env: Env) -> Any:
            return fn(*[(lambda a=a: a(env)) if i in lazy else a(env) for i, a in enumerate(args)])

        return call


class CompiledProgram:
    """A program ready to run on many inputs; each run has its own step budget."""

    def __init__(self, expr: Expr, root: Node | None, runtime: Runtime, problem: EvalResult | None = None,
                 body: Node | None = None, n_params: int = 0):
        self.expr, self._root, self._rt, self._problem = expr, root, runtime, problem
        # `\x y -> body` applied to exactly two arguments runs `body` in their environment
        self._body, self._n_params = body, n_params
        self._deep = expr.depth > SHALLOW  # its closures need more room on the stack than usual

    def run(self, *args: Any) -> EvalResult:
        """Apply the program to `args` (curried) and return the status and value.

        Inputs beyond the caps (an integer past max_int, a list past max_list) are a
        budget failure before anything runs: arithmetic on a million-digit integer
        would take seconds before its result could be checked."""
        if self._problem is not None:
            return self._problem
        problem = input_problem(args, self._rt.limits)
        if problem:
            return EvalResult(Status.BUDGET, error=problem)
        return self._run_checked(args)

    def _run_checked(self, args: tuple) -> EvalResult:
        """`run` on inputs already checked against the caps."""
        if self._deep:
            with recursion_room(self.expr.depth):
                return self._run(args)
        return self._run(args)

    def _run(self, args: tuple) -> EvalResult:
        rt = self._rt
        rt.steps = rt.limits.steps
        try:
            if self._n_params and len(args) == self._n_params:
                return EvalResult(Status.OK, self._body(environment(args)))  # type: ignore[misc]
            value = self._root(())  # type: ignore[misc]
            for a in args:
                value = value(a)
            return EvalResult(Status.OK, value)
        except BudgetExceeded as err:
            return EvalResult(Status.BUDGET, error=str(err))
        except RecursionError:
            return EvalResult(Status.BUDGET, error="recursion too deep")
        except Exception as err:  # any fault of a primitive on these inputs
            return EvalResult(Status.FAULT, error=f"{type(err).__name__}: {err}" if not str(err) else str(err))

    def run_many(self, inputs: Iterable[tuple], checked: bool = False) -> list[EvalResult]:
        """`run` on each argument tuple (the common case in search, kept tight).

        `checked`: the inputs are known to be within the default caps already (a Task's
        examples are checked when the task is made), so they are not inspected again;
        on small programs that inspection costs as much as the run."""
        if self._problem is not None:
            return [self._problem for _ in inputs]
        limits = self._rt.limits
        if not self._n_params or self._deep:
            if checked:
                return [self._run_checked(args) for args in inputs]
            return [self.run(*args) for args in inputs]
        rt, body, limit, n = self._rt, self._body, limits.steps, self._n_params
        results: list[EvalResult] = []
        append, new, ok = results.append, tuple.__new__, Status.OK  # an EvalResult without its Python __new__
        for args in inputs:
            problem = "" if checked else input_problem(args, limits)
            if problem:
                append(EvalResult(Status.BUDGET, error=problem))
                continue
            if len(args) != n:
                append(self._run_checked(args))
                continue
            rt.steps = limit
            try:
                env = (args[0], ()) if n == 1 else environment(args)
                append(new(EvalResult, (ok, body(env), "")))  # type: ignore[misc]
            except Exception:
                append(self._run_checked(args))  # the slow path classifies the failure
        return results

    __call__ = run


def _runtime(limits: Limits, dsl: Any) -> Runtime:
    return runtime_for(limits, dsl if dsl is not None else base_dsl())


def compile_program(
    expr: Expr, limits: Limits = Limits(), routines: Mapping[str, Any] | None = None, dsl: Any = None
) -> CompiledProgram:
    """Compile a type-checked closed program of `dsl` (the base language by default).

    `routines` maps routine names to their compiled values (see `compile_routines`).
    A program nested deeper than `limits.max_depth` compiles to one that always reports
    a budget failure rather than risking Python's recursion limit.
    """
    runtime = _runtime(limits, dsl)
    if expr.depth > limits.max_depth:
        problem = EvalResult(Status.BUDGET, error=f"program nests {expr.depth} deep; the cap is {limits.max_depth}")
        return CompiledProgram(expr, None, runtime, problem)
    compiler = _Compiler(runtime, routines or {})
    # `map f` runs as `\x -> map f x`: its call is then a direct one, not a closure per argument
    impls = runtime.impls
    body, n_params = eta_expand_primitive(expr, lambda name: impls[name][0] if name in impls else None), 0
    while isinstance(body, Lam):
        body, n_params = body.body, n_params + 1
    if body.depth > SHALLOW:
        with recursion_room(body.depth):
            body_node = compiler.compile(body)
    else:
        body_node = compiler.compile(body)
    root = body_node
    for _ in range(n_params):
        root = compiler.lam_around(root)
    return CompiledProgram(expr, root, runtime, body=body_node if n_params else None, n_params=n_params)


def compile_closure(expr: Expr, limits: Limits = Limits(), routines: Mapping[str, Any] | None = None,
                    dsl: Any = None, functions: Mapping[str, RoutineFunction] | None = None) -> Node:
    """A function of an environment (a linked tuple `(v0, (v1, ...))`, Var(0) first)
    computing `expr`'s value there. Used by search to evaluate open terms; raises on
    faults (callers classify), and expects `limits.max_depth` to be respected. With
    `functions` (Library.routine_functions), a routine given all its arguments is one
    call."""
    return _Compiler(_runtime(limits, dsl), routines or {}, functions).compile(expr)


def evaluate(expr: Expr, *args: Any, limits: Limits = Limits(), dsl: Any = None) -> EvalResult:
    """Compile and run once (convenience for tests and the REPL)."""
    return compile_program(expr, limits, dsl=dsl).run(*args)
