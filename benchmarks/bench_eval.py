"""Program evaluation throughput: neurosym's closure compiler vs DEAP-style eval vs Python.

Workload: the reference solution of every DreamCoder list task that has one
(dsl/reference/dreamcoder_lists.toml; tasks from EC2's data/list_tasks.json, Ellis et
al. 2021, MIT licence), each run on all of its examples. Three ways, in one process,
with rounds interleaved so that machine noise hits all three alike:

  ours    parse once up front (not timed); per round and task `compile_program(expr)`
          then `run_many` on all examples (step budget, size caps, status per run; the
          inputs are a Task's, checked against the caps when it was made, as in search).
  deap    the same ASTs printed as one Python expression over the same primitive
          functions and turned into a function the way DEAP's `gp.compile` does,
          `eval("lambda ARG0: " + code, pset.context, {})` (deap/gp.py); per round and
          task: build the string, eval it, run on every example. No budgets: the
          primitive functions come from a runtime whose step budget never runs out
          (DEAP has no budgets, and nothing here would reset a finite one).
  python  hand-written plain Python functions, one per family (no compile step).

Both compiled columns count compilation, as in search, where every candidate is new.
Throughput is programs x examples per second. The last line is machine-readable:
`eval_ratio_vs_deap=<ours/deap> eval_overhead_vs_python=<python/ours>`.

Run: python benchmarks/bench_eval.py [--rounds N] [--tasks PATH]
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path
from typing import Any, Callable

from neurosym.lang.base import base_dsl
from neurosym.domains.reference import family_of, reference_program
from neurosym.lang.ast import App, Expr, Lam, Lit, Prim, Var, spine
from neurosym.lang.compiler import compile_program
from neurosym.lang.parser import parse
from neurosym.lang.primitives import Limits, curry, runtime_for
from neurosym.lang.values import same_value, to_python
from neurosym.task import Task
from neurosym.task_io import load_tasks
from neurosym.domains.lists import dreamcoder_tasks_path

#: the vendored copy of DreamCoder's list tasks (data/README.md)
DEFAULT_TASKS = dreamcoder_tasks_path()

# ---------------------------------------------------------------------------------------
# (b) DEAP-style: AST -> Python expression string -> eval of a lambda
# ---------------------------------------------------------------------------------------

_IDENT = {"+": "add", "-": "sub", "*": "mul", "/": "div", "%": "mod", "==": "eq", "<": "lt"}


def _ident(name: str) -> str:
    return _IDENT.get(name, name)


def deap_context(limits: Limits = Limits(steps=sys.maxsize)) -> dict[str, Any]:
    """The `pset.context` analogue: `p_NAME` n-ary functions, `c_NAME` curried values."""
    context: dict[str, Any] = {"__builtins__": {}}
    for name, (arity, fn) in runtime_for(limits, base_dsl()).impls.items():
        if arity:
            context[f"p_{_ident(name)}"] = fn
        context[f"c_{_ident(name)}"] = curry(arity, fn)
    return context


def _emit(e: Expr, names: tuple[str, ...]) -> str:
    if isinstance(e, App):
        head, args = spine(e)
        return _emit_call(head, [_emit(a, names) for a in args], names)
    return _emit_call(e, [], names)


def _emit_call(head: Expr, args: list[str], names: tuple[str, ...]) -> str:
    """`head` applied to already-translated arguments, saturated primitives called directly."""
    rest = args
    if isinstance(head, Var):
        code = names[head.index]
    elif isinstance(head, Lit):
        code = repr(head.value)
    elif isinstance(head, Lam):
        var = f"v{len(names)}"
        code = f"(lambda {var}: {_emit(head.body, (var,) + names)})"
    else:
        assert isinstance(head, Prim)
        if head.name == "if" and len(args) >= 3:
            code, rest = f"({args[1]} if {args[0]} else {args[2]})", args[3:]
        elif head.name in ("and", "or") and len(args) >= 2:
            code, rest = f"({args[0]} {head.name} {args[1]})", args[2:]
        else:
            arity = _ARITY[head.name]
            if 0 < arity <= len(args):
                code, rest = f"p_{_ident(head.name)}({', '.join(args[:arity])})", args[arity:]
            else:
                code = f"c_{_ident(head.name)}"
    for a in rest:
        code = f"{code}({a})"
    return code


_ARITY = {name: arity for name, (arity, _) in runtime_for(Limits(), base_dsl()).impls.items()}


def to_python_code(e: Expr, n_args: int) -> tuple[str, str]:
    """(argument list, body) of the Python lambda for a program of `n_args` arguments.

    Leading lambdas bind the arguments directly; a point-free program is applied to them.
    """
    params = [f"ARG{i}" for i in range(n_args)]
    names: tuple[str, ...] = ()
    pending = list(params)
    while pending and isinstance(e, Lam):
        names = (pending.pop(0),) + names
        e = e.body
    head, args = spine(e)
    body = _emit_call(head, [_emit(a, names) for a in args] + pending, names)
    return ", ".join(params), body


def deap_compile(e: Expr, n_args: int, context: dict[str, Any]) -> Callable[..., Any]:
    """As deap.gp.compile: `eval("lambda ARGS: CODE", pset.context, {})`."""
    args, code = to_python_code(e, n_args)
    return eval(f"lambda {args}: {code}", context, {})


# ---------------------------------------------------------------------------------------
# (c) plain Python, written by hand: family -> (parameters -> function of the input)
# ---------------------------------------------------------------------------------------


def _is_prime(x: int) -> bool:
    return x > 1 and all(x % d for d in range(2, math.isqrt(x) + 1))


def _is_square(x: int) -> bool:
    return x >= 0 and math.isqrt(x) ** 2 == x


def _fibonacci(n: int) -> int:
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


PYTHON: dict[str, Callable[..., Callable[[Any], Any]]] = {
    "add-k": lambda k: lambda xs: [x + k for x in xs],
    "append-index-k": lambda k: lambda xs: [*xs, xs[k - 1]],
    "append-k": lambda k: lambda xs: [*xs, k],
    "bool-identify-geq-k": lambda k: lambda xs: [x >= k for x in xs],
    "bool-identify-is-mod-k": lambda k: lambda xs: [x % k == 0 for x in xs],
    "bool-identify-is-prime": lambda: lambda xs: [_is_prime(x) for x in xs],
    "bool-identify-k": lambda k: lambda xs: [x == k for x in xs],
    "caesar-cipher-k-modulo-n": lambda k, n: lambda xs: [(x + k) % n for x in xs],
    "count-head-in-tail": lambda: lambda xs: xs[1:].count(xs[0]),
    "count-k": lambda k: lambda xs: xs.count(k),
    "drop-k": lambda k: lambda xs: xs[k:],
    "dup": lambda: lambda xs: [y for x in xs for y in (x, x)],
    "empty": lambda: lambda xs: len(xs) == 0,
    "evens": lambda: lambda xs: [x for x in xs if x % 2 == 0],
    "fibonacci": lambda: _fibonacci,
    "has-head-in-tail": lambda: lambda xs: xs[0] in xs[1:],
    "has-k": lambda k: lambda xs: k in xs,
    "head": lambda: lambda xs: xs[0],
    "index-head": lambda: lambda xs: xs[xs[0]],
    "index-k": lambda k: lambda xs: xs[k - 1],
    "is-evens": lambda: lambda xs: all(x % 2 == 0 for x in xs),
    "is-mod-k": lambda k: lambda xs: all(x % k == 0 for x in xs),
    "is-odds": lambda: lambda xs: all(x % 2 == 1 for x in xs),
    "is-primes": lambda: lambda xs: all(_is_prime(x) for x in xs),
    "is-squares": lambda: lambda xs: all(_is_square(x) for x in xs),
    "keep-mod-head": lambda: lambda xs: [x for x in xs[1:] if x % xs[0] == 0],
    "keep-mod-k": lambda k: lambda xs: [x for x in xs if x % k == 0],
    "kth-largest": lambda k: lambda xs: sorted(xs, reverse=True)[k - 1],
    "kth-smallest": lambda k: lambda xs: sorted(xs)[k - 1],
    "last": lambda: lambda xs: xs[-1],
    "len": lambda: len,
    "max": lambda: max,
    "min": lambda: min,
    "modulo-k": lambda k: lambda xs: [x % k for x in xs],
    "mult-k": lambda k: lambda xs: [x * k for x in xs],
    "odds": lambda: lambda xs: [x for x in xs if x % 2 == 1],
    "pop": lambda: lambda xs: xs[:-1],
    "pow-k": lambda k: lambda xs: [x**k for x in xs],
    "prepend-index-k": lambda k: lambda xs: [xs[k - 1], *xs],
    "prepend-k": lambda k: lambda xs: [k, *xs],
    "product": lambda: math.prod,
    "range": lambda: lambda n: list(range(n)),
    "remove-index-k": lambda k: lambda xs: [*xs[: k - 1], *xs[k:]],
    "remove-mod-head": lambda: lambda xs: [x for x in xs[1:] if x % xs[0] != 0],
    "remove-mod-k": lambda k: lambda xs: [x for x in xs if x % k != 0],
    "repeat": lambda: lambda xs: [xs[1]] * xs[0],
    "repeat-k": lambda k: lambda xs: list(xs) * k,
    "repeat-many": lambda: lambda xs: list(xs[1:]) * xs[0],
    "replace-all-with-index-k": lambda k: lambda xs: [xs[k - 1]] * len(xs),
    "reverse": lambda: lambda xs: xs[::-1],
    "rotate-k": lambda k: lambda xs: xs[-k:] + xs[:-k],
    "slice-k-n": lambda k, n: lambda xs: xs[k - 1 : k - 1 + n],
    "sort": lambda: sorted,
    "sum": lambda: sum,
    "tail": lambda: lambda xs: xs[1:],
    "take-k": lambda k: lambda xs: xs[:k],
}


# ---------------------------------------------------------------------------------------
# the measurement
# ---------------------------------------------------------------------------------------


def _round_ours(work: list[tuple[Expr, list[tuple]]]) -> None:
    for expr, inputs in work:
        compile_program(expr).run_many(inputs, checked=True)  # a task's inputs, checked when it was made


def _round_deap(work: list[tuple[Expr, int, list[tuple]]], context: dict[str, Any]) -> None:
    for expr, n_args, inputs in work:
        fn = deap_compile(expr, n_args, context)
        for args in inputs:
            fn(*args)


def _round_python(work: list[tuple[Callable[..., Any], list[tuple]]]) -> None:
    for fn, inputs in work:
        for args in inputs:
            fn(*args)


def _check(label: str, task: Task, outputs: list[Any]) -> None:
    for i, (ex, got) in enumerate(zip(task.examples, outputs)):
        if not same_value(to_python(got), to_python(ex.output)):  # runtime tuples and Python lists alike
            raise AssertionError(f"{label} disagrees on {task.name}, example {i}: expected {ex.output!r}, got {got!r}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=400, help="repetitions of each way (default 400, about 15-20 s)")
    ap.add_argument("--tasks", type=Path, default=DEFAULT_TASKS, help="DreamCoder list_tasks.json")
    opts = ap.parse_args(argv)

    tasks = [t for t in load_tasks(opts.tasks) if reference_program(t.name) is not None]
    exprs = [parse(reference_program(t.name)) for t in tasks]  # type: ignore[arg-type]
    inputs = [[ex.inputs for ex in t.examples] for t in tasks]
    n_args = [len(t.arg_types) for t in tasks]
    context = deap_context()
    python_fns = []
    for t in tasks:
        family, params = family_of(t.name)
        python_fns.append(PYTHON[family](**params))

    # agreement with the expected outputs, once, before timing
    for t, e, n, fn, ins in zip(tasks, exprs, n_args, python_fns, inputs):
        compiled = compile_program(e)
        results = [compiled.run(*a) for a in ins]
        bad = [r for r in results if not r.ok]
        if bad:
            raise AssertionError(f"ours fails on {t.name}: {bad[0].status.value} ({bad[0].error})")
        _check("ours", t, [r.value for r in results])
        deap_fn = deap_compile(e, n, context)
        _check("deap", t, [deap_fn(*a) for a in ins])
        _check("python", t, [fn(*a) for a in ins])

    work_ours = list(zip(exprs, inputs))
    work_deap = list(zip(exprs, n_args, inputs))
    work_python = list(zip(python_fns, inputs))
    times = {"ours": 0.0, "deap": 0.0, "python": 0.0}
    clock = time.perf_counter
    for _ in range(opts.rounds):
        t0 = clock()
        _round_ours(work_ours)
        t1 = clock()
        _round_deap(work_deap, context)
        t2 = clock()
        _round_python(work_python)
        t3 = clock()
        times["ours"] += t1 - t0
        times["deap"] += t2 - t1
        times["python"] += t3 - t2

    n_programs = len(tasks) * opts.rounds
    n_runs = sum(len(i) for i in inputs) * opts.rounds
    families = len({family_of(t.name)[0] for t in tasks})
    print(f"{len(tasks)} tasks ({families} families), {n_runs // opts.rounds} program x example runs per round, "
          f"{opts.rounds} rounds")
    print(f"{'way':<8}{'seconds':>10}{'runs/s':>14}{'programs/s':>14}")
    throughput = {}
    for way, seconds in times.items():
        throughput[way] = n_runs / seconds
        print(f"{way:<8}{seconds:>10.3f}{throughput[way]:>14,.0f}{n_programs / seconds:>14,.0f}")
    print("(runs/s: programs x examples per second; programs/s: programs compiled and run on all their "
          "examples per second; python has no compile step)")
    print(f"eval_ratio_vs_deap={throughput['ours'] / throughput['deap']:.2f} "
          f"eval_overhead_vs_python={throughput['python'] / throughput['ours']:.2f}")


if __name__ == "__main__":
    main()
