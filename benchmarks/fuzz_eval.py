"""Fuzz the language tools: no program may hang, exhaust memory or escape as an exception.

Runs random well-typed programs (sampled from the base library's grammar, as dreams
are) and a catalogue of nasty shapes (self-application in loop and fold, deep nesting
at and past the cap, huge literals and inputs, huge ranges, repeated doubling, values
sharing structure) through every tool: print and parse back, s-expression round trip,
type inference, compilation, runs on random inputs, scoring against a task built from
the outputs, and value formatting; then short searches (enumeration and GP) on tasks
built from sampled programs and on tasks with long lists.

An *escape* is any exception other than neurosym's own errors for bad input
(NeurosymError, which a caller is meant to catch); a round trip that changes the
program counts too. *over_1s* counts programs whose tools took more than a second in
all, and searches that ran more than a second past their budget. The last line is

    escapes=<n> over_1s=<n> max_rss_mb=<n>

(goal: 0, 0 and under 500). Usage: python benchmarks/fuzz_eval.py [--programs N] [--seed S]
"""

from __future__ import annotations

import argparse
import random
import resource
import signal
import sys
import time
import traceback
from typing import Any, Callable

from neurosym.errors import NeurosymError
from neurosym.lang.ast import App, Expr, Lam, Lit, Prim, Var
from neurosym.lang.compiler import compile_program
from neurosym.lang.nesting import MAX_NESTING
from neurosym.lang.parser import parse
from neurosym.lang.primitives import Limits, Stack
from neurosym.lang.printer import format_expr
from neurosym.lang.program import load_program
from neurosym.lang.sexpr import parse_sexpr, to_sexpr
from neurosym.lang.typecheck import infer_type
from neurosym.lang.types import BOOL, INT, TCon, Type, arrow, format_type, list_of, split_arrow, stack_of
from neurosym.lang.values import format_value, same_value
from neurosym.library import Library
from neurosym.search.base import Budget
from neurosym.search.dreams import sample_program
from neurosym.search.solve import solve
from neurosym.task import Example, Task

#: the types programs are sampled at
TYPES: tuple[Type, ...] = (
    arrow(INT, INT), arrow(list_of(INT), list_of(INT)), arrow(list_of(INT), INT), arrow(INT, list_of(INT)),
    arrow(list_of(INT), BOOL), arrow(INT, INT, INT), arrow(list_of(INT), list_of(INT), list_of(INT)),
    arrow(list_of(list_of(INT)), list_of(INT)), arrow(list_of(INT), list_of(list_of(INT))),
    arrow(stack_of(INT), stack_of(INT)), arrow(INT, stack_of(INT)), arrow(list_of(BOOL), list_of(BOOL)),
    list_of(INT), INT,
)
MAX_INT = Limits().max_int
#: a case running longer than this is interrupted and counted as slow
WATCHDOG_SECONDS = 20.0


def random_value(t: Type, rng: random.Random, size: int) -> Any:
    """A runtime value of ground type `t`; sizes up to `size` elements, ints near the caps at times."""
    if t == INT:
        return rng.choice([rng.randint(-9, 9), rng.randint(-1000, 1000), rng.choice([MAX_INT, -MAX_INT, 2**40])])
    if t == BOOL:
        return rng.random() < 0.5
    assert isinstance(t, TCon)
    n = rng.choice([0, 1, 3, rng.randint(0, size)])
    items = [random_value(t.args[0], rng, max(1, size // 20)) for _ in range(n)]
    return tuple(items) if t.name == "list" else Stack.from_items(items)


class Fuzz:
    """Counts escapes and slow cases; `check` runs one case and records what went wrong."""

    def __init__(self, verbose: bool) -> None:
        self.escapes = self.slow = self.cases = 0
        self.verbose = verbose

    def check(self, label: str, work: Callable[[], None], seconds: float = 1.0) -> None:
        """Run one case under a watchdog: a case still running after WATCHDOG_SECONDS is
        interrupted (where Python regains control) and counted as slow, not waited for."""
        self.cases += 1
        start = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, WATCHDOG_SECONDS)
        try:
            work()
        except NeurosymError:
            pass  # a clean error for bad input: what the tools promise
        except _Hang:
            print(f"HANG {label}: stopped after {WATCHDOG_SECONDS:g} s", flush=True)
        except Exception as err:  # noqa: BLE001 - counting escapes is the point
            self.escapes += 1
            print(f"ESCAPE in {label}: {type(err).__name__}: {str(err)[:200]}", flush=True)
            if self.verbose:
                traceback.print_exc()
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        elapsed = time.perf_counter() - start
        if elapsed > seconds:
            self.slow += 1
            print(f"SLOW {label}: {elapsed:.2f} s", flush=True)


class _Hang(BaseException):
    """Raised by the watchdog's alarm (a BaseException, so no `except Exception` inside
    neurosym can swallow it)."""


def _alarm(signum: int, frame: Any) -> None:
    raise _Hang()


def every_tool(program: Expr, inputs: list[tuple], env: dict) -> None:
    """The pipeline a program goes through in neurosym; raises on any broken promise."""
    text = format_expr(program)
    if parse(text) != program:
        raise AssertionError(f"print/parse round trip changed {text[:100]}")
    if parse_sexpr(to_sexpr(program)) != program:
        raise AssertionError(f"s-expression round trip changed {text[:100]}")
    format_type(infer_type(program, env))
    compiled = compile_program(program)
    outputs = []
    for args in inputs:
        result = compiled.run(*args)
        if result.ok and not callable(result.value):
            format_value(result.value)
            same_value(result.value, result.value)
            outputs.append((args, result.value))
    if outputs and inputs and inputs[0]:
        examples = tuple(Example(a, v) for a, v in outputs)
        Task("fuzz", infer_type(program, env), examples).score(compiled)


def nasty_cases(env: dict) -> list[tuple[str, Callable[[], None]]]:
    """The shapes of issue 11: each a label and a closure running the tools on it."""
    cases: list[tuple[str, Callable[[], None]]] = []

    def text_case(label: str, text: str, *args: Any, score_with: Any = None) -> None:
        def work() -> None:
            program = load_program(text)
            format_expr(program.main)
            compiled = program.compile()
            result = compiled.run(*args)
            if result.ok:
                format_value(result.value)
            if score_with is not None:
                Task.from_examples("nasty", [(args if len(args) != 1 else args[0], score_with)]).score(compiled)

        cases.append((label, work))

    for k in (10, 24, 30, 60):
        text_case(f"loop {k} self-application", rf"loop {k} (\f y -> f (f y)) (\y -> y + 1) 0")
        text_case(f"fold {k} self-application", rf"(fold (\x acc -> \y -> acc (acc y)) (\y -> y + 1) (range {k})) 0")
    text_case("map of self-application", r"map (\x -> loop 30 (\f y -> f (f y)) (\y -> y + 1) x)", (1, 2, 3))
    text_case("shared rows", r"\n -> (\ys -> map (\x -> ys) ys) (range n)", 3000, score_with=[[0]])
    doubling = "0"
    for _ in range(30):
        doubling = rf"(\x -> [x, x]) ({doubling})"
    text_case("repeated doubling", doubling, score_with=[[1]])
    for n in (250, 499, 600):
        text_case(f"x + ... + x, {n} terms", r"\x -> " + " + ".join(["x"] * n), 2)
    for n in (490, 990, 2000):
        text_case(f"list literal of {n}", "length [" + ", ".join(["1"] * n) + "]")
    for n in (250, 500, 990, MAX_NESTING + 10):
        text_case(f"{n} nested nots", "not (" * n + "true" + ")" * n)
        text_case(f"{n} nested lambdas", "".join(f"\\x{i} -> " for i in range(n)) + "x0", *range(n))
        text_case(f"{n} if-chain", "if false then 0 else " * n + "1")
    text_case("330 arguments", r"(\f x -> f " + " ".join(["x"] * 330) + ") ("
              + "".join(f"\\a{i} -> " for i in range(330)) + "a0) 1")
    for digits in (19, 30, 4000, 5000):
        text_case(f"literal of {digits} digits", "1" * digits + " + 1")
        cases.append((f"s-expression literal of {digits} digits", lambda d=digits: parse_sexpr("(+ 1 " + "7" * d + ")")))
    text_case("huge range", "length (range 1000000000000)")
    text_case("range of a range", r"length (map (\x -> range 10000) (range 10000))")
    text_case("huge input squared", r"\x -> x * x", 10 ** 5000)
    text_case("huge list input", r"\xs -> length xs", tuple(range(20_000)))
    text_case("overflowing loop", r"loop 100 (\x -> x * x + 2) 2")

    def deep_ast() -> None:
        e: Expr = Lit(True)
        for _ in range(5000):
            e = App(Prim("not"), e)
        format_expr(e)
        to_sexpr(e)
        compile_program(e).run()
        infer_type(e, env)

    cases.append(("AST 5000 deep", deep_ast))
    cases.append(("literal AST beyond the cap", lambda: compile_program(App(App(Prim("+"), Lit(10 ** 30)), Lit(1))).run()))
    cases.append(("lambda of a free variable", lambda: compile_program(Lam(Var(3))).run(1)))
    return cases


def search_cases(library: Library, rng: random.Random, count: int) -> list[tuple[str, Callable[[], None]]]:
    """Short searches on sampled tasks and on tasks with long lists; each must end near its budget."""
    cases: list[tuple[str, Callable[[], None]]] = []
    long_inputs = [[rng.randint(-50, 50) for _ in range(10_000)] for _ in range(5)]
    tasks = [Task.from_examples("long-sum", [(xs, sum(xs)) for xs in long_inputs]),
             Task.from_examples("long-reverse", [(xs, xs[::-1]) for xs in long_inputs[:3]])]
    while len(tasks) < count + 2:
        t = rng.choice(TYPES[:9])
        program = sample_program(library, t, rng, max_depth=4)
        if program is None:
            continue
        compiled = compile_program(program)
        params, _ = split_arrow(t)
        examples = []
        for _ in range(5):
            args = tuple(random_value(p, rng, 8) for p in params)
            r = compiled.run(*args)
            if r.ok:
                examples.append(Example(args, r.value))
        if len(examples) >= 2:
            tasks.append(Task(f"sampled-{len(tasks)}", t, tuple(examples)))
    for task in tasks:
        for method in ("enum", "gp"):
            cases.append((f"{method} on {task.name}", lambda task=task, method=method: solve(
                task, method=method, budget=Budget(seconds=0.3), library=library)))
    return cases


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--programs", type=int, default=10_000, help="random programs (default 10,000)")
    ap.add_argument("--searches", type=int, default=10, help="sampled tasks searched by enum and GP (default 10)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--verbose", action="store_true", help="print the traceback of every escape")
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    library = Library.base()
    env = library.env()
    fuzz = Fuzz(args.verbose)
    signal.signal(signal.SIGALRM, _alarm)
    print(f"fuzz_eval: {args.programs} random programs, the nasty shapes, {args.searches} sampled searches; "
          f"seed {args.seed}")
    start = time.perf_counter()
    made = 0
    while made < args.programs:
        t = rng.choice(TYPES)
        program = sample_program(library, t, rng, max_depth=rng.choice([3, 4, 6]))
        if program is None:
            continue
        made += 1
        params, _ = split_arrow(t)
        inputs = [tuple(random_value(p, rng, rng.choice([8, 100, 2000])) for p in params) for _ in range(3)]
        fuzz.check(f"random program {format_expr(program)[:120]}", lambda: every_tool(program, inputs, env))
        if made % 2000 == 0:
            print(f"  {made} programs, {fuzz.escapes} escapes, {fuzz.slow} slow, {time.perf_counter() - start:.0f} s",
                  flush=True)
    for label, work in nasty_cases(env):
        fuzz.check(label, work)
    for label, work in search_cases(library, rng, args.searches):
        fuzz.check(label, work, seconds=0.3 + 1.0)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{fuzz.cases} cases in {time.perf_counter() - start:.0f} s")
    print(f"escapes={fuzz.escapes} over_1s={fuzz.slow} max_rss_mb={rss_mb:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
