"""Program synthesis in scikit-learn's manner: `fit(X, y)`, `predict(X)`, `score(X, y)`.

For people who think in estimators: `ProgramSynthesizer(budget=2).fit(X, y)` builds a
Task from the inputs X and outputs y, searches for a program that maps every input to
its output (`neurosym.solve`), and keeps it; `predict` runs it on new inputs. Unlike a
regressor it does not approximate: a fit either finds a program that passes every
example or raises `FitError`, saying how many examples the best program passed.

The estimator follows scikit-learn's conventions without needing scikit-learn:
`__init__` only stores its parameters, under their own names; `get_params` and
`set_params` are derived from its signature (so `sklearn.base.clone` and grid search
work); what fitting learns ends with an underscore (`program_`, `program_text_`,
`result_`, `library_`, `type_`).

Each input is one argument or a tuple of arguments (as in `Task.from_examples`);
values are ints, bools and (nested) lists.
"""

from __future__ import annotations

import inspect
import os
from typing import Any, Sequence

from neurosym.errors import InvalidArgument, NeurosymError
from neurosym.lang.ast import Expr
from neurosym.lang.compiler import CompiledProgram, compile_program
from neurosym.lang.export import to_python_source
from neurosym.lang.primitives import Limits
from neurosym.lang.types import Type, split_arrow
from neurosym.lang.values import same_value, to_python, to_runtime
from neurosym.library import Library
from neurosym.search.base import Budget, SearchResult
from neurosym.search.solve import solve
from neurosym.task import Task, TaskError


class FitError(NeurosymError, RuntimeError):
    """No program passing every example was found within the budget; `result` is the
    search result (its best program, how many examples it passed)."""

    def __init__(self, message: str, result: SearchResult | None = None) -> None:
        super().__init__(message)
        self.result = result


class PredictionError(NeurosymError, RuntimeError):
    """The fitted program failed on an input (a fault or its budget); `index` names it."""

    def __init__(self, message: str, index: int) -> None:
        super().__init__(message)
        self.index = index


class NotFittedError(NeurosymError, ValueError, AttributeError):
    """predict or score before fit (scikit-learn's NotFittedError is also both)."""


class ProgramSynthesizer:
    """Fit a program to input/output examples; predict by running it.

    method: "enum" or "gp" (see neurosym.solve); budget: seconds of search (None for
    no time limit, with `candidates`); candidates: a cap on candidates tried; seed: the
    search's seed; library: a Library, the path of a library store, or None for the
    base primitives; type: the task's type (text or a Type) when the values leave it
    ambiguous, None to infer it from the examples.
    """

    def __init__(self, method: str = "enum", budget: float | None = 10.0, candidates: int | None = None,
                 seed: int = 0, library: "Library | str | os.PathLike | None" = None,
                 type: "Type | str | None" = None) -> None:
        self.method = method
        self.budget = budget
        self.candidates = candidates
        self.seed = seed
        self.library = library
        self.type = type

    # -- scikit-learn's parameter protocol ----------------------------------------------
    @classmethod
    def _get_param_names(cls) -> list[str]:
        params = inspect.signature(cls.__init__).parameters.values()
        return sorted(p.name for p in params if p.name != "self" and p.kind is not p.VAR_KEYWORD)

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The constructor's parameters by name (`deep`: those of nested estimators too,
        as `name__param`)."""
        out: dict[str, Any] = {}
        for name in self._get_param_names():
            value = getattr(self, name)
            if deep and hasattr(value, "get_params") and not isinstance(value, type):
                out.update((f"{name}__{k}", v) for k, v in value.get_params().items())
            out[name] = value
        return out

    def set_params(self, **params: Any) -> "ProgramSynthesizer":
        """Set constructor parameters by name; returns the estimator."""
        valid = set(self._get_param_names())
        for name, value in params.items():
            if name not in valid:
                raise InvalidArgument(f"invalid parameter {name!r} for {type(self).__name__}; "
                                 f"valid parameters: {', '.join(sorted(valid))}")
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        defaults = {p.name: p.default for p in inspect.signature(type(self).__init__).parameters.values()}
        shown = [f"{k}={v!r}" for k, v in self.get_params(deep=False).items() if not _same(v, defaults.get(k))]
        return f"{type(self).__name__}({', '.join(shown)})"

    def __sklearn_is_fitted__(self) -> bool:
        return hasattr(self, "program_")

    def __sklearn_tags__(self) -> Any:
        """What scikit-learn (>= 1.6, which alone calls this) asks of an estimator: X is
        a list of arbitrary values (not a numeric array), y is required, fitting is too."""
        from sklearn.utils import InputTags, Tags, TargetTags

        return Tags(estimator_type=None, target_tags=TargetTags(required=True), no_validation=True,
                    input_tags=InputTags(one_d_array=True, two_d_array=False))

    # -- fitting and predicting --------------------------------------------------------
    def fit(self, X: Sequence[Any], y: Sequence[Any]) -> "ProgramSynthesizer":
        """Search for a program mapping each input of X to the output at the same place
        in y; raises FitError when none passing every example is found in the budget."""
        X, y = _as_list(X), _as_list(y)
        if len(X) != len(y):
            raise TaskError(f"X has {len(X)} inputs but y has {len(y)} outputs")
        if not X:
            raise TaskError("fit needs at least one example")
        library = _resolve_library(self.library)
        task = Task.from_examples("fit", list(zip(X, y)), type=self.type, dsl=library.dsl)
        budget = Budget(seconds=None if self.budget is None else float(self.budget), candidates=self.candidates)
        result = solve(task, method=self.method, budget=budget, seed=self.seed, library=library, executor="serial")
        assert isinstance(result, SearchResult)
        if not result.solved:
            n = result.examples_total
            spent = f"{result.candidates:,} candidates, {result.seconds:.1f} s"
            if result.program is None:
                raise FitError(f"no program fits the {n} examples: none was found within the budget ({spent})",
                               result)
            raise FitError(f"no program fits all {n} examples within the budget ({spent}); the best, "
                           f"`{result.program_text}`, passed {result.examples_passed} of {n}", result)
        self.program_: Expr = result.program  # type: ignore[assignment]
        self.program_text_: str = result.program_text  # type: ignore[assignment]
        self.result_: SearchResult = result
        self.library_: Library = library
        self.type_: Type = task.type
        return self

    def predict(self, X: Sequence[Any]) -> list[Any]:
        """The program's output for each input of X (a list); a failure on an input
        raises PredictionError naming its index."""
        compiled, arg_types, n_args = self._compiled()
        out = []
        for i, x in enumerate(_as_list(X)):
            result = compiled.run(*_arguments(x, arg_types, n_args, i, self.library_.dsl))
            if not result.ok:
                raise PredictionError(f"input {i} ({_short(x)}): the program {self.program_text_} "
                                      f"failed ({result.status.value}: {result.error})", i)
            out.append(to_python(result.value, self.library_.dsl))
        return out

    def score(self, X: Sequence[Any], y: Sequence[Any]) -> float:
        """The fraction of inputs whose output equals y's exactly (a failure counts as
        a mismatch)."""
        X, y = _as_list(X), _as_list(y)
        if len(X) != len(y):
            raise TaskError(f"X has {len(X)} inputs but y has {len(y)} outputs")
        if not X:
            raise TaskError("score needs at least one example")
        compiled, arg_types, n_args = self._compiled()
        _, ret = split_arrow(self.type_)
        hits = 0
        for i, (x, expected) in enumerate(zip(X, y)):
            dsl = self.library_.dsl
            result = compiled.run(*_arguments(x, arg_types, n_args, i, dsl))
            hits += result.ok and same_value(result.value, to_runtime(expected, ret, dsl), dsl)
        return hits / len(X)

    def to_python(self, name: str = "program") -> str:
        """The fitted program as the source of a plain Python function (see
        neurosym.lang.export.to_python_source)."""
        self._check_fitted()
        return to_python_source(self.program_, name, self.library_, self.type_)

    def _check_fitted(self) -> None:
        if not hasattr(self, "program_"):
            raise NotFittedError(f"this {type(self).__name__} is not fitted yet; call fit(X, y) first")

    def _compiled(self) -> tuple[CompiledProgram, tuple[Type, ...], int]:
        self._check_fitted()
        limits = Limits()
        compiled = compile_program(self.program_, limits, self.library_.routine_values(limits), self.library_.dsl)
        arg_types = split_arrow(self.type_)[0]
        return compiled, arg_types, len(arg_types)


def _arguments(x: Any, arg_types: tuple[Type, ...], n_args: int, index: int, dsl: Any = None) -> tuple:
    args = x if isinstance(x, tuple) else (x,)
    if len(args) != n_args:
        raise TaskError(f"input {index} has {len(args)} argument(s); the program takes {n_args}")
    return tuple(to_runtime(v, t, dsl) for v, t in zip(args, arg_types))


def _resolve_library(library: "Library | str | os.PathLike | None") -> Library:
    if library is None:
        return Library.base()
    if isinstance(library, Library):
        return library
    from neurosym.library.store import load_library

    return load_library(library)


def _as_list(values: Any) -> list:
    """Inputs or outputs as a list (a numpy array becomes nested lists)."""
    if hasattr(values, "tolist"):
        values = values.tolist()
    return list(values)


def _same(a: Any, b: Any) -> bool:
    try:
        return type(a) is type(b) and bool(a == b)
    except Exception:  # a value whose == does not give a bool
        return a is b


def _short(x: Any, width: int = 60) -> str:
    text = repr(x)
    return text if len(text) <= width else text[: width - 3] + "..."
