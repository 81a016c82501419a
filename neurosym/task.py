"""Tasks: named input/output examples with a type, plus held-out examples.

Held-out examples (typically longer inputs than the training ones) measure
generalization beyond the training distribution. A task belongs to a language (`dsl`,
the base one by default), which says what its values are: the type is inferred from
the values unless given, and user values become runtime values as the DSL's value types
read them (neurosym.lang.user_values). Inconsistent examples raise a `TaskError` naming
the task, the example and what is wrong, and so do examples that would be silently wrong
(neurosym.task_checks: tuples of other than two items inside values, values beyond the
run caps, contradictory examples) and values the DSL has no type for.

Values can be huge or share structure (a program's output especially), so everything
shown to a person (failure messages, reprs, the notebook view) is truncated by
`format_value`, and scoring compares with `same_value` in the task's DSL (observational
equality: floats to 9 significant digits, a user type by its key), which never expands
sharing.
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence

from neurosym.errors import NeurosymError
from neurosym.lang.base import base_dsl
from neurosym.lang.compiler import CompiledProgram
from neurosym.lang.dsl import DSL, DSLError
from neurosym.lang.parser import ParseError, parse_type
from neurosym.lang.types import (
    FreshVars,
    Substitution,
    Type,
    UnificationError,
    arrow,
    canonical,
    format_type,
    instantiate,
    resolve,
    split_arrow,
    unify,
)
from neurosym.lang.values import (
    ValueTypeError,
    describe_value,
    format_value,
    same_value,
    to_python,
    to_runtime,
    value_type,
)
from neurosym.task_checks import contradiction, example_problem


class TaskError(NeurosymError, ValueError):
    """A malformed or inconsistent task; the message names the task and the example."""


SHOWN = 80  # characters of a value shown in a message or a view


@dataclass(frozen=True, repr=False)
class Example:
    """One example: a tuple of runtime input values and the expected output."""

    inputs: tuple
    output: Any

    def __repr__(self) -> str:  # values truncated: a program's output can be huge
        args = ", ".join(format_value(v, SHOWN) for v in self.inputs)
        return f"Example(({args}{',' if len(self.inputs) == 1 else ''}) -> {format_value(self.output, SHOWN)})"


@dataclass(frozen=True, repr=False)
class TaskScore:
    """How a program fares on a task's examples."""

    passed: int
    total: int
    held_out_passed: int
    held_out_total: int
    first_failure: str = ""  # a short description of the first failing example, if any

    @property
    def solved(self) -> bool:
        return self.passed == self.total

    @property
    def held_out_accuracy(self) -> float | None:
        return self.held_out_passed / self.held_out_total if self.held_out_total else None

    def __repr__(self) -> str:
        failure = f", first_failure={self.first_failure!r}" if self.first_failure else ""
        return (f"TaskScore(passed={self.passed}/{self.total}, "
                f"held_out={self.held_out_passed}/{self.held_out_total}{failure})")


@dataclass(frozen=True, repr=False)
class Task:
    """A synthesis task. Build with `from_examples` or `from_function`.

    `from_examples` refuses what would be silently wrong (see neurosym.task_checks):
    tuples of other than two items inside values, values beyond the run caps,
    contradictory examples. `dsl` is the language of its values (and of the programs
    that solve it): it types, converts, compares and shows them.
    """

    name: str
    type: Type
    examples: tuple[Example, ...]
    held_out: tuple[Example, ...] = field(default=())
    dsl: DSL = field(default_factory=base_dsl)

    @property
    def arg_types(self) -> tuple[Type, ...]:
        return split_arrow(self.type)[0]

    @property
    def return_type(self) -> Type:
        return split_arrow(self.type)[1]

    def __repr__(self) -> str:  # short: the values can be large, a notebook shows them in _repr_html_
        dsl = "" if self.dsl == base_dsl() else f", dsl={self.dsl.name!r}"
        return (f"Task({self.name!r}, {_type_text(self.type)!r}, examples={len(self.examples)}, "
                f"held_out={len(self.held_out)}{dsl})")

    def _repr_html_(self, rows: int = 5) -> str:
        """A notebook view: name, type, counts and a table of the first `rows` examples."""
        esc = html.escape
        cells = [f"<th>input {k}</th>" for k in range(len(self.arg_types))] + ["<th>output</th>"]
        title = (f"<p><b>{esc(self.name)}</b> : <code>{esc(_type_text(self.type))}</code>, "
                 f"{len(self.examples)} example(s), {len(self.held_out)} held-out</p>")
        lines = [
            title,
            "<table>",
            "<tr><th>#</th>" + "".join(cells) + "</tr>",
        ]
        for i, ex in enumerate(self.examples[:rows]):
            values = [*ex.inputs, ex.output]
            lines.append(f"<tr><td>{i}</td>"
                         + "".join(f"<td><code>{esc(format_value(v, SHOWN, self.dsl))}</code></td>" for v in values)
                         + "</tr>")
        if len(self.examples) > rows:
            lines.append(f"<tr><td colspan='{len(cells) + 1}'>... {len(self.examples) - rows} more</td></tr>")
        lines.append("</table>")
        return "\n".join(lines)

    @classmethod
    def from_examples(
        cls,
        name: str,
        examples: Iterable[tuple[Any, Any]],
        held_out: Iterable[tuple[Any, Any]] = (),
        type: Type | str | None = None,
        dsl: DSL | None = None,
    ) -> "Task":
        """Build a task over `dsl` (the base language by default) from `(inputs, output)` pairs.

        `inputs` is a tuple of arguments; any other value (a list, an int) is the single
        argument. Values are ints, bools, floats, strings, lists (Python lists), pairs
        (a tuple of two inside a value), `Stack`, `Pair`, `Char` and values of the DSL's
        own types. The type is inferred from the values unless `type` is given; a
        declared type also reads values (a list as a stack or a pair, a one-character
        string as a char: whatever the type's `from_user` reads). Raises TaskError
        naming the example for values the language cannot hold or that are beyond the
        run caps, and for two examples with the same inputs and different outputs.
        """
        dsl = dsl if dsl is not None else base_dsl()
        train = [_as_pair(name, "example", i, ex) for i, ex in enumerate(examples)]
        test = [_as_pair(name, "held-out example", i, ex) for i, ex in enumerate(held_out)]
        if not train:
            raise TaskError(f"task '{name}': no examples")
        for label, pairs in (("example", train), ("held-out example", test)):
            for i, (inputs, output) in enumerate(pairs):
                problem = example_problem(inputs, output)
                if problem is not None:
                    raise TaskError(f"task '{name}', {label} {i}: {problem}")
        task_type, (train_examples, test_examples) = _infer_task_type(name, train, test, type, dsl)
        clash = contradiction([("example", [(e.inputs, e.output) for e in train_examples]),
                               ("held-out example", [(e.inputs, e.output) for e in test_examples])], dsl)
        if clash is not None:
            raise TaskError(f"task '{name}': {clash}")
        return cls(name, task_type, train_examples, test_examples, dsl)

    @classmethod
    def from_function(
        cls,
        f: Callable[..., Any],
        sampler: Callable[[random.Random], Any],
        n: int,
        *,
        name: str | None = None,
        held_out_sampler: Callable[[random.Random], Any] | None = None,
        n_held_out: int = 0,
        seed: int = 0,
        type: Type | str | None = None,
        dsl: DSL | None = None,
    ) -> "Task":
        """Build a task from a Python reference `f` and an input sampler.

        `sampler(rng)` returns the inputs of one example (a tuple of arguments, or a single
        argument); `f` is called on them. Held-out inputs come from `held_out_sampler`
        (default: `sampler`). Sampling is reproducible from `seed`. Values are read as
        in `from_examples`, in `dsl`.
        """
        rng = random.Random(seed)

        def make(sample: Callable[[random.Random], Any], count: int) -> list[tuple[Any, Any]]:
            pairs = []
            for _ in range(count):
                inputs = sample(rng)
                args = inputs if isinstance(inputs, tuple) else (inputs,)
                pairs.append((inputs, f(*args)))
            return pairs

        return cls.from_examples(
            name or getattr(f, "__name__", "task"),
            make(sampler, n),
            make(held_out_sampler or sampler, n_held_out),
            type=type,
            dsl=dsl,
        )

    def score(self, program: CompiledProgram) -> TaskScore:
        """Run a compiled program on every example and held-out example; outputs compare
        as the task's DSL says (`same_value`)."""
        passed, failure = _count(program, self.examples, "example", self.dsl)
        held_passed, held_failure = _count(program, self.held_out, "held-out example", self.dsl)
        return TaskScore(passed, len(self.examples), held_passed, len(self.held_out), failure or held_failure)

    def passing(self, program: CompiledProgram) -> frozenset[int]:
        """The indices of the training examples `program` gets right (held-out ones are
        not run)."""
        results = program.run_many([ex.inputs for ex in self.examples], checked=True)
        return frozenset(i for i, (ex, result) in enumerate(zip(self.examples, results))
                         if _right(result, ex, self.dsl))

    def to_json(self) -> dict:
        """The task-file form of this task (values as `to_python` writes them; the file
        names the DSL, see neurosym.task_io.save_tasks)."""

        def ex(e: Example) -> dict:
            return {"input": [to_python(v, self.dsl) for v in e.inputs], "output": to_python(e.output, self.dsl)}

        out: dict = {"name": self.name, "type": format_type(self.type), "examples": [ex(e) for e in self.examples]}
        if self.held_out:
            out["held_out"] = [ex(e) for e in self.held_out]
        return out


def _right(result: Any, example: Example, dsl: DSL) -> bool:
    """Whether a run's result is the example's output, compared as the DSL says."""
    return result.ok and same_value(result.value, example.output, dsl)


def _count(program: CompiledProgram, examples: Sequence[Example], label: str, dsl: DSL) -> tuple[int, str]:
    """Examples passed, and the first failure in the language's notation, both sides
    truncated (a program's output can be a huge shared value; see format_value)."""
    passed, failure = 0, ""
    results = program.run_many([ex.inputs for ex in examples], checked=True)  # checked when the task was made
    for i, (ex, result) in enumerate(zip(examples, results)):
        if _right(result, ex, dsl):
            passed += 1
        elif not failure:
            if result.ok:
                got = format_value(result.value, SHOWN, dsl)
            else:
                error = str(result.error)
                got = f"{result.status.value} ({error if len(error) <= SHOWN else error[:SHOWN - 3] + '...'})"
            failure = f"{label} {i}: expected {format_value(ex.output, SHOWN, dsl)}, got {got}"
    return passed, failure


def _as_pair(task: str, label: str, index: int, example: Any) -> tuple[tuple, Any]:
    if not isinstance(example, (tuple, list)) or len(example) != 2:
        raise TaskError(f"task '{task}', {label} {index}: expected an (inputs, output) pair, "
                        f"got {describe_value(example)}")
    inputs, output = example
    return (inputs if isinstance(inputs, tuple) else (inputs,)), output


def _infer_task_type(
    name: str, train: list[tuple[tuple, Any]], test: list[tuple[tuple, Any]], declared: Type | str | None, dsl: DSL
) -> tuple[Type, tuple[tuple[Example, ...], tuple[Example, ...]]]:
    """The task's type and its examples as runtime values.

    Each value is read as the type known so far at its place says (the declared type,
    or what earlier examples showed: a list where a stack is known becomes a stack),
    then typed and unified with that place."""
    fresh = FreshVars("v")
    subst: Substitution = {}
    n_args = len(train[0][0])
    if declared is not None:
        declared = _declared_type(name, declared, dsl)
        declared_args, _ = split_arrow(declared)
        if len(declared_args) != n_args:
            raise TaskError(
                f"task '{name}': type {format_type(declared)} takes {len(declared_args)} argument(s) "
                f"but example 0 has {n_args} input(s)"
            )
        expected = instantiate(declared, fresh)
    else:
        expected = arrow(*[fresh() for _ in range(n_args + 1)])
    arg_slots, ret_slot = _split_n(expected, n_args)
    converted: list[tuple[Example, ...]] = []
    for label, pairs in (("example", train), ("held-out example", test)):
        examples = []
        for i, (inputs, output) in enumerate(pairs):
            where = f"task '{name}', {label} {i}"
            if len(inputs) != n_args:
                raise TaskError(f"{where}: has {len(inputs)} input(s) but example 0 has {n_args}")
            values = [(f"input {k}", v, slot) for k, (v, slot) in enumerate(zip(inputs, arg_slots))]
            runtime = []
            for what, value, slot in values + [("output", output, ret_slot)]:
                try:
                    v = to_runtime(value, resolve(slot, subst), dsl)
                    found = value_type(v, fresh, subst, dsl)
                except (ValueTypeError, UnificationError) as err:
                    reason = err if isinstance(err, ValueTypeError) else "it mixes elements of different types"
                    raise TaskError(f"{where}: {what} {_show(value, dsl)}: {reason}") from None
                try:
                    unify(slot, found, subst)
                except UnificationError:
                    raise TaskError(
                        f"{where}: {what} {_show(value, dsl)} has type "
                        f"{format_type(canonical(resolve(found, subst)))}, but the task's {what} has type "
                        f"{format_type(canonical(resolve(slot, subst)))} (from its declared type or earlier examples)"
                    ) from None
                runtime.append(v)
            examples.append(Example(tuple(runtime[:-1]), runtime[-1]))
        converted.append(tuple(examples))
    return canonical(resolve(expected, subst)), (converted[0], converted[1])


def _declared_type(name: str, declared: Type | str, dsl: DSL) -> Type:
    """A declared type read (or checked) in the task's DSL."""
    if isinstance(declared, str):
        try:
            return parse_type(declared, dsl)
        except ParseError as err:
            raise TaskError(f"task '{name}': bad type {declared!r}: {err.reason}") from None
    try:
        return dsl.check_type(declared, f"task '{name}': type {format_type(declared)}")
    except DSLError as err:
        raise TaskError(str(err)) from None


def _type_text(t: Type) -> str:
    """A type for a repr or a view, cut to SHOWN characters (value types can nest 100 deep)."""
    text = format_type(t)
    return text if len(text) <= SHOWN else text[: SHOWN - 3] + "..."


def _show(value: Any, dsl: DSL) -> str:
    """A value as the user wrote it, in JSON's notation where it has one, truncated."""
    return describe_value(value, 60, dsl)


def _split_n(t: Type, n: int) -> tuple[list[Type], Type]:
    args = []
    for _ in range(n):
        args.append(t.args[0])  # type: ignore[union-attr]
        t = t.args[1]  # type: ignore[union-attr]
    return args, t
